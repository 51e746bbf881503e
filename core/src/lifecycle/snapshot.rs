//! The members of stored case snapshots and events that their `#[derive(Read)]` (in `values`
//! mode: see `caseflow-derive`) cannot read by type: the command, through the same reader as a
//! command given to `apply` (it was checked by it when it entered the log), a case's state and
//! its clocks, keyed by clock name. Reading by hand keeps serde's generic deserialisers out of
//! every host, the WebAssembly package above all.

use serde_json::Value;

use super::CaseState;
use super::command::Command;
use crate::calendar::clock::Clock;
use crate::error::{Diagnostic, Error, JsonPath};
use crate::reader::{ReadValue, name, wrong_type};
use crate::routing::ClockKind;

type Diagnostics = Vec<Diagnostic>;

/// Moves the problems of a reader that answers with an [`Error`] into `d`.
fn absorb<T>(result: Result<T, Error>, d: &mut Diagnostics) -> Option<T> {
    result.map_err(|error| d.extend(error.errors)).ok()
}

/// An event's command, read as `apply` reads one.
pub(super) fn command(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Command> {
    absorb(Command::from_value(v, p), d)
}

impl ReadValue for CaseState {
    fn read(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Self> {
        let names: Vec<(&str, CaseState)> =
            CaseState::ALL.iter().map(|s| (s.as_str(), *s)).collect();
        name(v, p, d, &names)
    }
}

const CLOCK_KINDS: [(&str, ClockKind); 8] = [
    ("contact_customer", ClockKind::ContactCustomer),
    ("commitment", ClockKind::Commitment),
    ("plan", ClockKind::Plan),
    ("approval", ClockKind::Approval),
    ("progress_update", ClockKind::ProgressUpdate),
    ("verification", ClockKind::Verification),
    ("customer_reply", ClockKind::CustomerReply),
    ("tier_review", ClockKind::TierReview),
];

pub(super) fn clock_kind(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<ClockKind> {
    name(v, p, d, &CLOCK_KINDS)
}

pub(super) fn clocks(
    v: &Value,
    p: &JsonPath,
    d: &mut Diagnostics,
) -> Option<std::collections::BTreeMap<ClockKind, Clock>> {
    let Value::Object(entries) = v else {
        return wrong_type(v, p, d, "an object");
    };
    let mut out = std::collections::BTreeMap::new();
    let mut complete = true;
    for (key, entry) in entries {
        let path = p.field(key);
        let kind = clock_kind(&Value::String(key.clone()), &path, d);
        match (kind, Clock::read(entry, &path, d)) {
            (Some(kind), Some(clock)) => {
                out.insert(kind, clock);
            }
            _ => complete = false,
        }
    }
    complete.then_some(out)
}
