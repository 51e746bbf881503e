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
use crate::lifecycle;
use crate::policy::Policy;
use crate::reader::{ObjectReader, parse_bounded};
use crate::routing::{Routing, route};
use serde_json::Value;

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

// --- The case lifecycle -------------------------------------------------------------------

/// Opens a case: `{"command": {"type": "record", "actor": {...}, "report": {...}}, "now": "..."}`.
pub fn record(policy: &Policy, input_json: &str) -> Result<lifecycle::Applied, Error> {
    let (command, now) = Input::parse(input_json)?.read(|r| {
        let command = read_command(r);
        Some((command?, r.instant("now", true)?))
    })?;
    lifecycle::record(policy, &command, now)
}

/// Applies a command: `{"case": {...}, "command": {...}, "now": "..."}`.
pub fn apply(policy: &Policy, input_json: &str) -> Result<lifecycle::Applied, Error> {
    let (case, command, now) = Input::parse(input_json)?.read(|r| {
        let case = read_case(r);
        let command = read_command(r);
        let now = r.instant("now", true);
        Some((case?, command?, now?))
    })?;
    lifecycle::apply(policy, &case, &command, now)
}

/// Reports clocks, reminders and escalations: `{"case": {...}, "now": "..."}`.
pub fn tick(policy: &Policy, input_json: &str) -> Result<lifecycle::TickReport, Error> {
    let (case, now) = Input::parse(input_json)?.read(|r| {
        let case = read_case(r);
        Some((case?, r.instant("now", true)?))
    })?;
    lifecycle::tick(policy, &case, now)
}

/// Rebuilds a case from its log: `{"events": [...]}`.
pub fn replay(policy: &Policy, input_json: &str) -> Result<lifecycle::Case, Error> {
    let events = read_events(input_json)?;
    lifecycle::replay(policy, &events)
}

/// Checks a stored log: `{"events": [...]}`.
pub fn verify_log(input_json: &str) -> Result<lifecycle::LogVerification, Error> {
    let events = read_events(input_json)?;
    Ok(lifecycle::verify_log(&events))
}

/// The largest lifecycle input accepted, in bytes (a long case history fits many times over).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// A JSON object input, read member by member.
struct Input(Value);

impl Input {
    fn parse(text: &str) -> Result<Input, Error> {
        parse_bounded(text, MAX_INPUT_BYTES, "the input")
            .map(Input)
            .map_err(|d| Error::single(ErrorCode::InvalidJson, "invalid input", d))
    }

    /// Reads the members with `read`, then fails with every problem found, nested ones and
    /// unknown members included.
    fn read<T>(&self, read: impl FnOnce(&mut ObjectReader<'_>) -> Option<T>) -> Result<T, Error> {
        let mut diagnostics = Vec::new();
        let out = match ObjectReader::new(&self.0, JsonPath::root(), &mut diagnostics) {
            Some(mut reader) => {
                let out = read(&mut reader);
                reader.finish();
                out
            }
            None => None,
        };
        match out {
            Some(out) if diagnostics.is_empty() => Ok(out),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "invalid input",
                diagnostics,
            )),
        }
    }
}

/// Reads a nested value with its own reader, moving its problems into `r`.
fn nested<T>(
    r: &mut ObjectReader<'_>,
    name: &'static str,
    read: impl FnOnce(&Value, &JsonPath) -> Result<T, Error>,
) -> Option<T> {
    let value = r.raw_required(name)?;
    match read(value, &r.path_of(name)) {
        Ok(v) => Some(v),
        Err(error) => {
            for d in error.errors {
                r.push(d);
            }
            None
        }
    }
}

fn read_command(r: &mut ObjectReader<'_>) -> Option<lifecycle::Command> {
    nested(r, "command", lifecycle::Command::from_value)
}

fn read_case(r: &mut ObjectReader<'_>) -> Option<lifecycle::Case> {
    nested(r, "case", lifecycle::Case::from_value)
}

fn read_events(input_json: &str) -> Result<Vec<lifecycle::Event>, Error> {
    Input::parse(input_json)?.read(|r| {
        let items = match r.raw_required("events")? {
            Value::Array(items) => items,
            _ => {
                r.report("wrong_type", "events", "`events` is a list of events");
                return None;
            }
        };
        let path = r.path_of("events");
        let mut events = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match serde_path_to_error::deserialize::<_, lifecycle::Event>(item) {
                Ok(event) => events.push(event),
                Err(e) => r.push(Diagnostic::error(
                    "invalid_value",
                    &path.index(i),
                    format!("{} (at {})", e.inner(), e.path()),
                )),
            }
        }
        Some(events)
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
