//! Which policy, and which learned model, decided: recorded with every event, so that a log
//! replays only under the policy that wrote it.

use caseflow_derive::Read;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which policy an event was decided under; replaying needs the same one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct PolicyRef {
    /// The policy's name.
    pub name: std::sync::Arc<str>,
    /// The policy's version label.
    pub version: std::sync::Arc<str>,
    /// The learned model the policy carried, by name and hash, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelRef>,
}

/// Which model decided: recorded with the policy reference of every event.
// Deserialize stays: a case's tier review (a ReviewRequest, which names the model) is still read
// whole with serde (`reader::serde_value`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct ModelRef {
    /// The model's name.
    pub name: String,
    /// The SHA-256 of the model (see `ModelDocument::sha256`).
    pub sha256: String,
}
