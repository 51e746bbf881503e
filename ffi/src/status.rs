//! Status codes: the numbers a host branches on, and the error bodies that come with them.

use std::any::Any;
use std::ffi::{CString, c_char};

use caseflow_core::{Diagnostic, Error, ErrorCode, JsonPath};
use serde::Serialize;

/// The outcome of a call. Values are explicit, grouped in ranges, and never renumbered or reused:
/// a new kind of failure gets a new number.
///
/// - `0`: success.
/// - `1xx`: the host broke the calling contract (a NULL pointer, text that is not UTF-8, a handle
///   that is not a live policy).
/// - `2xx`: the input was refused; these mirror the engine's error codes.
/// - `3xx`: a lifecycle refusal or a damaged log.
/// - `9xx`: a bug in caseflow (an internal error, or a panic caught at the boundary).
///
/// The name of each status (`caseflow_status_name`) is the `code` of its error body.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success: the out-parameters are written.
    Ok = 0,
    /// A required pointer argument was NULL. The error path names the parameter.
    NullArgument = 100,
    /// A text argument is not valid UTF-8. The error path names the parameter.
    InvalidUtf8 = 101,
    /// A policy handle is not a live policy: already freed, or not made by this library.
    InvalidHandle = 102,
    /// The input is not JSON, or too large (`invalid_json`).
    InvalidJson = 200,
    /// A policy failed validation (`invalid_policy`).
    InvalidPolicy = 201,
    /// An intake report failed validation (`invalid_report`).
    InvalidReport = 202,
    /// Another argument is malformed, or the call name is unknown (`invalid_input`).
    InvalidInput = 203,
    /// A date falls in a year a strict calendar does not cover (`calendar_not_covered`).
    CalendarNotCovered = 204,
    /// A lifecycle command was refused: wrong state, wrong role, missing data (`refused`).
    Refused = 300,
    /// An event log or snapshot failed its integrity check (`corrupt_log`).
    CorruptLog = 301,
    /// A bug in caseflow: an invariant did not hold (`internal`).
    Internal = 900,
    /// A bug in caseflow: a panic was caught at the boundary (`panic`). The library stays usable.
    Panic = 901,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: &'static [Status] = &[
        Status::Ok,
        Status::NullArgument,
        Status::InvalidUtf8,
        Status::InvalidHandle,
        Status::InvalidJson,
        Status::InvalidPolicy,
        Status::InvalidReport,
        Status::InvalidInput,
        Status::CalendarNotCovered,
        Status::Refused,
        Status::CorruptLog,
        Status::Internal,
        Status::Panic,
    ];

    /// The status for an engine error code. Every `ErrorCode` has its own; `ErrorCode` is
    /// non-exhaustive, so a code added to the core without a number here falls back to
    /// `internal`, and `ffi/tests/abi.rs` fails until it is given one.
    pub fn from_code(code: ErrorCode) -> Status {
        match code {
            ErrorCode::InvalidJson => Status::InvalidJson,
            ErrorCode::InvalidPolicy => Status::InvalidPolicy,
            ErrorCode::InvalidReport => Status::InvalidReport,
            ErrorCode::InvalidInput => Status::InvalidInput,
            ErrorCode::CalendarNotCovered => Status::CalendarNotCovered,
            ErrorCode::Refused => Status::Refused,
            ErrorCode::CorruptLog => Status::CorruptLog,
            ErrorCode::Internal => Status::Internal,
            _ => Status::Internal,
        }
    }

    /// The status's name, which is also the `code` of its error body.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NullArgument => "null_argument",
            Status::InvalidUtf8 => "invalid_utf8",
            Status::InvalidHandle => "invalid_handle",
            Status::InvalidJson => ErrorCode::InvalidJson.as_str(),
            Status::InvalidPolicy => ErrorCode::InvalidPolicy.as_str(),
            Status::InvalidReport => ErrorCode::InvalidReport.as_str(),
            Status::InvalidInput => ErrorCode::InvalidInput.as_str(),
            Status::CalendarNotCovered => ErrorCode::CalendarNotCovered.as_str(),
            Status::Refused => ErrorCode::Refused.as_str(),
            Status::CorruptLog => ErrorCode::CorruptLog.as_str(),
            Status::Internal => ErrorCode::Internal.as_str(),
            Status::Panic => "panic",
        }
    }
}

/// A failed call: its status and the error body the host receives.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The engine refused the input: the body is the engine's `Error`, unchanged, so every host
    /// sees the same JSON as the Rust API and the conformance corpus.
    Engine(Error),
    /// The host broke the calling contract, or caseflow failed: the body has the same shape as
    /// the engine's, `{"code", "message", "errors": [{"code", "path", "message"}]}`, with the
    /// status name as code. For argument errors the path is the parameter's name.
    Boundary {
        status: Status,
        path: String,
        message: String,
    },
}

/// The body of a boundary failure, shaped like the engine's `Error`.
#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: String,
    errors: [Diagnostic; 1],
}

impl Failure {
    pub(crate) fn argument(status: Status, parameter: &str, message: &str) -> Failure {
        Failure::Boundary {
            status,
            path: parameter.to_owned(),
            message: format!("`{parameter}` {message}"),
        }
    }

    /// A panic caught at the boundary, with its message when it has one.
    pub(crate) fn panic(payload: &(dyn Any + Send)) -> Failure {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Failure::Boundary {
            status: Status::Panic,
            path: JsonPath::root().to_string(),
            message: format!("caseflow panicked (a bug, please report it): {what}"),
        }
    }

    pub(crate) fn status(&self) -> Status {
        match self {
            Failure::Engine(error) => Status::from_code(error.code),
            Failure::Boundary { status, .. } => *status,
        }
    }

    /// The error body as JSON.
    pub(crate) fn to_json(&self) -> String {
        let written = match self {
            Failure::Engine(error) => serde_json::to_string(error),
            Failure::Boundary {
                status,
                path,
                message,
            } => {
                let diagnostic = Diagnostic {
                    code: status.name().to_owned(),
                    path: path.clone(),
                    message: message.clone(),
                    severity: Default::default(),
                };
                serde_json::to_string(&Body {
                    code: status.name(),
                    message: message.clone(),
                    errors: [diagnostic],
                })
            }
        };
        // Serialising these plain structs cannot fail; should it ever, the host still gets a
        // well-formed body rather than nothing.
        written.unwrap_or_else(|_| {
            r#"{"code":"internal","message":"an error could not be written as JSON","errors":[]}"#
                .to_owned()
        })
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Engine(error)
    }
}

/// Moves `text` to the host as a NUL-terminated string it frees with `caseflow_string_free`.
/// JSON text never contains a NUL byte (serde_json escapes it as `\u0000`), so this only fails on
/// a bug.
pub(crate) fn to_host(text: String) -> Result<*mut c_char, Failure> {
    CString::new(text).map(CString::into_raw).map_err(|_| {
        Failure::Engine(Error::single(
            ErrorCode::Internal,
            "a result contains a NUL byte",
            Diagnostic::error(
                "internal",
                &JsonPath::root(),
                "a result contains a NUL byte",
            ),
        ))
    })
}
