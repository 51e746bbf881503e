//! The engine's calls as JSON in, JSON out: the one surface the CLI, the C ABI and the wasm
//! package all use, so every host gets byte-identical answers for the same input.
//!
//! Each call takes JSON text, returns a typed result (serialisable with serde) or an [`Error`]
//! naming every problem with its JSON path. [`to_json`] writes results deterministically.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::classify::Explanation;
use crate::domain::{Category, EmergencyLevel, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::intake::Report;
use crate::policy::Policy;
use crate::routing::{Routing, route};

/// The answer to `classify`: the classification of one report, its routing, and warnings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyResult {
    /// The report's id, echoed.
    pub report_id: String,
    /// `technical`, `schedule`, `quality`, `service` or `other`.
    pub category: Category,
    /// 1, 2 or 3.
    pub tier: Tier,
    /// `null`, `"I"`, `"II"` or `"III"`.
    pub emergency: Option<EmergencyLevel>,
    /// Why.
    pub explanation: Explanation,
    /// Who drafts, approves and verifies, what is kept on record, and the deadlines.
    pub routing: Routing,
    /// Warnings, such as a deadline computed in a year the calendar does not cover.
    pub warnings: Vec<Diagnostic>,
}

/// Classifies and routes one report given as JSON text.
pub fn classify(policy: &Policy, report_json: &str) -> Result<ClassifyResult, Error> {
    let report = Report::from_json(report_json)?;
    classify_report(policy, &report)
}

/// Classifies and routes one report.
pub fn classify_report(policy: &Policy, report: &Report) -> Result<ClassifyResult, Error> {
    let classification = policy.classify(report);
    let mut warnings = Vec::new();
    let routing = route(
        policy,
        report,
        classification.tier,
        classification.emergency,
        &mut warnings,
    )?;
    Ok(ClassifyResult {
        report_id: report.id.clone(),
        category: classification.category,
        tier: classification.tier,
        emergency: classification.emergency,
        explanation: classification.explanation,
        routing,
        warnings,
    })
}

/// Writes a result as compact JSON. Field order follows the type definitions and maps are
/// ordered, so the same value always gives the same bytes.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| {
        Error::single(
            ErrorCode::Internal,
            "a result could not be written as JSON",
            Diagnostic::error("internal", &JsonPath::root(), e.to_string()),
        )
    })
}
