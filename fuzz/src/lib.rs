//! What every fuzz target checks of an answer, and the policy they share.

use std::sync::LazyLock;

use caseflow_core::Policy;
use caseflow_core::error::{Error, ErrorCode};

/// The built-in default policy, loaded once per process.
pub fn policy() -> &'static Policy {
    static POLICY: LazyLock<Policy> =
        LazyLock::new(|| Policy::builtin().expect("the default policy loads"));
    &POLICY
}

/// A refusal is structured: never `internal` (a bug in caseflow), and it names at least one
/// problem, each with a JSON path.
pub fn check_refusal(error: &Error) {
    assert!(
        error.code != ErrorCode::Internal,
        "an internal error: {error:?}"
    );
    assert!(
        !error.errors.is_empty(),
        "a refusal without diagnostics: {error:?}"
    );
    for d in &error.errors {
        assert!(
            d.path.starts_with('$'),
            "a diagnostic without a JSON path: {error:?}"
        );
    }
}
