//! Errors and diagnostics: what went wrong, in the user's terms, and where.
//!
//! Every refusal the engine makes is an [`Error`]: a stable [`ErrorCode`], a one-line message, and
//! the list of [`Diagnostic`]s that caused it, each naming the JSON path of the offending value.
//! Validation collects *all* problems before failing, so a user fixes a file in one pass.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod codes;

pub use codes::DIAGNOSTIC_CODES;

/// The location of a value inside a JSON document, written `$.contact.phone` or
/// `$.classification.tier.rules[2].when`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct JsonPath(String);

impl JsonPath {
    /// The document itself: `$`.
    pub fn root() -> JsonPath {
        JsonPath("$".to_owned())
    }

    /// The member `name` of the object at this path.
    pub fn field(&self, name: &str) -> JsonPath {
        let simple = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if simple {
            let base = self.base();
            let mut path = String::with_capacity(base.len() + 1 + name.len());
            path.push_str(base);
            path.push('.');
            path.push_str(name);
            JsonPath(path)
        } else {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            JsonPath(format!("{}[{}]", self.base(), quoted))
        }
    }

    /// The element `index` of the array at this path.
    pub fn index(&self, index: usize) -> JsonPath {
        JsonPath(format!("{}[{index}]", self.base()))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        self.base()
    }

    fn base(&self) -> &str {
        if self.0.is_empty() { "$" } else { &self.0 }
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base())
    }
}

impl From<JsonPath> for String {
    fn from(path: JsonPath) -> String {
        path.base().to_owned()
    }
}

/// How much a diagnostic matters. Non-exhaustive: a host should treat a severity it does not
/// know as it treats `warning` (the input was accepted).
#[non_exhaustive]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input is refused.
    #[default]
    Error,
    /// The input is accepted, but something deserves a look (e.g. a calendar year not covered).
    Warning,
}

impl Severity {
    fn is_error(&self) -> bool {
        *self == Severity::Error
    }
}

/// One problem in an input, with the path of the value at fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    /// A stable machine-readable code such as `missing_field` or `unknown_role`: one of those
    /// listed with their meaning in `docs/errors.md` (`caseflow_core::DIAGNOSTIC_CODES`).
    pub code: String,
    /// JSON path of the offending value, e.g. `$.contact.phone`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// `error` (the default, omitted in JSON) or `warning`.
    #[serde(default, skip_serializing_if = "Severity::is_error")]
    pub severity: Severity,
}

impl Diagnostic {
    /// An error-level diagnostic. `code` is one of [`DIAGNOSTIC_CODES`] (checked in debug builds,
    /// so that every test run checks the codes it makes; release builds do not carry the check).
    pub fn error(code: &str, path: &JsonPath, message: impl Into<String>) -> Diagnostic {
        debug_assert!(
            codes::is_listed(code),
            "diagnostic code `{code}` is not listed in DIAGNOSTIC_CODES (core/src/error/codes.rs)"
        );
        Diagnostic {
            code: code.to_owned(),
            path: path.to_string(),
            message: message.into(),
            severity: Severity::Error,
        }
    }

    /// A warning-level diagnostic; `code` as for [`Diagnostic::error`].
    pub fn warning(code: &str, path: &JsonPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}[{}] {}: {}", self.code, self.path, self.message)
    }
}

/// The kind of failure, stable across releases and bindings. Hosts branch on this. Non-exhaustive:
/// a release may add a kind (never renumber or rename one); a host should treat one it does not
/// know as a refusal of its input, and its diagnostics still say what is wrong.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input is not JSON, or not the JSON shape the call expects.
    InvalidJson,
    /// A policy file failed validation.
    InvalidPolicy,
    /// An intake report failed validation.
    InvalidReport,
    /// Some other argument (a duration, an instant, a date range, a command) is malformed.
    InvalidInput,
    /// A date falls in a year the policy's calendar does not cover, in strict mode.
    CalendarNotCovered,
    /// A lifecycle command was refused: wrong state, wrong role, or missing data.
    Refused,
    /// A stored event log or snapshot failed its integrity check or has an unknown format version.
    CorruptLog,
    /// A bug in caseflow: an invariant did not hold. Please report it.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the declaration (the order of `docs/errors.md`).
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidJson,
        ErrorCode::InvalidPolicy,
        ErrorCode::InvalidReport,
        ErrorCode::InvalidInput,
        ErrorCode::CalendarNotCovered,
        ErrorCode::Refused,
        ErrorCode::CorruptLog,
        ErrorCode::Internal,
    ];

    /// What the code means, in one line (the variant's documentation, for `docs/errors.md`).
    pub fn meaning(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => {
                "The input is not JSON, or not the JSON shape the call expects."
            }
            ErrorCode::InvalidPolicy => "A policy file failed validation.",
            ErrorCode::InvalidReport => "An intake report failed validation.",
            ErrorCode::InvalidInput => {
                "Some other argument (a duration, an instant, a date range, a command) is malformed."
            }
            ErrorCode::CalendarNotCovered => {
                "A date falls in a year the policy's calendar does not cover, in strict mode."
            }
            ErrorCode::Refused => {
                "A lifecycle command was refused: wrong state, wrong role, or missing data."
            }
            ErrorCode::CorruptLog => {
                "A stored event log or snapshot failed its integrity check or has an unknown format version."
            }
            ErrorCode::Internal => {
                "A bug in caseflow: an invariant did not hold. Please report it."
            }
        }
    }

    /// The code as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidPolicy => "invalid_policy",
            ErrorCode::InvalidReport => "invalid_report",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::CalendarNotCovered => "calendar_not_covered",
            ErrorCode::Refused => "refused",
            ErrorCode::CorruptLog => "corrupt_log",
            ErrorCode::Internal => "internal",
        }
    }
}

/// A refused call: what kind of failure, a summary, and every problem found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[serde(deny_unknown_fields)]
#[error("{message}")]
pub struct Error {
    /// The kind of failure.
    pub code: ErrorCode,
    /// One line for a person.
    pub message: String,
    /// Each problem, with its JSON path. At least one for every code except `internal`.
    pub errors: Vec<Diagnostic>,
}

impl Error {
    /// An error made of the given diagnostics, summarised in one line.
    pub fn new(code: ErrorCode, what: &str, errors: Vec<Diagnostic>) -> Error {
        let message = match errors.as_slice() {
            [only] => format!("{what}: {} at {}", only.message, only.path),
            many => format!(
                "{what}: {} problems, first: {}",
                many.len(),
                first_message(many)
            ),
        };
        Error {
            code,
            message,
            errors,
        }
    }

    /// An error with a single diagnostic.
    pub fn single(code: ErrorCode, what: &str, diagnostic: Diagnostic) -> Error {
        Error::new(code, what, vec![diagnostic])
    }

    /// A JSON syntax or shape error from serde, located at `path` when serde could say where.
    pub fn invalid_json(what: &str, path: &JsonPath, err: &serde_json::Error) -> Error {
        Error::single(
            ErrorCode::InvalidJson,
            what,
            Diagnostic::error("invalid_json", path, serde_message(err)),
        )
    }
}

fn first_message(errors: &[Diagnostic]) -> String {
    errors
        .first()
        .map(|d| format!("{} at {}", d.message, d.path))
        .unwrap_or_default()
}

/// serde_json's message without its "at line 1 column 5" suffix, which is added back in words.
pub(crate) fn serde_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let bare = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => text.as_str(),
    };
    if err.line() == 0 {
        bare.to_owned()
    } else {
        format!("{bare} (line {}, column {})", err.line(), err.column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_jsonpath() {
        let p = JsonPath::root().field("tiers").index(2).field("approval");
        assert_eq!(p.to_string(), "$.tiers[2].approval");
        assert_eq!(
            JsonPath::root().field("years").field("2026").to_string(),
            "$.years.2026"
        );
        assert_eq!(
            JsonPath::root().field("a b").to_string(),
            "$[\"a b\"]",
            "names that are not identifiers are quoted"
        );
    }

    #[test]
    fn warnings_are_marked_and_errors_are_the_default() {
        let w = Diagnostic::warning("no_years", &JsonPath::root(), "m");
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(json["severity"], "warning");
        let e = Diagnostic::error("wrong_type", &JsonPath::root(), "m");
        assert!(serde_json::to_value(&e).unwrap().get("severity").is_none());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not listed in DIAGNOSTIC_CODES")]
    fn a_code_missing_from_the_table_fails_in_debug_builds() {
        let _ = Diagnostic::error("not_a_listed_code", &JsonPath::root(), "m");
    }

    #[test]
    fn every_error_code_is_in_all_once_and_round_trips() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?} twice");
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), *code);
        }
        // `ALL` is kept by hand: this match fails to compile when a variant is added, as a
        // reminder to list it (the core may match its own non-exhaustive enum exhaustively).
        match ErrorCode::Internal {
            ErrorCode::InvalidJson
            | ErrorCode::InvalidPolicy
            | ErrorCode::InvalidReport
            | ErrorCode::InvalidInput
            | ErrorCode::CalendarNotCovered
            | ErrorCode::Refused
            | ErrorCode::CorruptLog
            | ErrorCode::Internal => assert_eq!(ErrorCode::ALL.len(), 8),
        }
    }

    #[test]
    fn an_error_summarises_its_diagnostics() {
        let one = Error::single(
            ErrorCode::InvalidReport,
            "invalid report",
            Diagnostic::error("missing_field", &JsonPath::root().field("id"), "required"),
        );
        assert_eq!(one.message, "invalid report: required at $.id");
        let two = Error::new(
            ErrorCode::InvalidReport,
            "invalid report",
            vec![one.errors[0].clone(), one.errors[0].clone()],
        );
        assert!(two.message.starts_with("invalid report: 2 problems"));
    }
}
