//! # caseflow-ffi: the C ABI of the caseflow engine
//!
//! `libcaseflow` (`.so`/`.a`) for C, .NET, Java and any host that can call C. Every call is the
//! engine's JSON API (`caseflow_core::api`): JSON text in, JSON text out, the same bytes as the
//! Rust API, the CLI and the wasm package. The header `include/caseflow.h` is generated from this
//! crate by cbindgen and committed.
//!
//! ## The contract
//!
//! - Every fallible function returns a `caseflow_status`: `0` is success; other values are stable
//!   and grouped (`1xx` calling-contract errors, `2xx` refused input, `3xx` lifecycle refusals,
//!   `9xx` bugs in caseflow, including a caught panic). Numbers are never renumbered or reused.
//! - Outputs go through out-parameters, written only on success. The last parameter of a
//!   fallible function, `error_json`, is optional (may be NULL) and is written only on failure,
//!   with a JSON body `{"code", "message", "errors": [{"code", "path", "message"}]}`; for a
//!   refused input it is the engine's error, naming each offending value by its JSON path; for a
//!   calling-contract error (1xx) the path is the name of the parameter at fault; for a bug (9xx)
//!   it is `$`.
//! - Every string the library returns is owned by the host and freed with exactly one call of
//!   `caseflow_string_free`. A policy made by `caseflow_policy_new_*` is freed with exactly one
//!   `caseflow_policy_free`. Strings from `caseflow_version` and `caseflow_status_name` are
//!   static and never freed.
//! - Input strings are NUL-terminated UTF-8, borrowed for the duration of the call only.
//! - NULL arguments, invalid UTF-8, malformed JSON and unknown or freed policy handles are
//!   errors, never crashes. A panic is caught at every export and returned as
//!   `CASEFLOW_STATUS_PANIC`; the library stays usable.
//! - A policy is immutable and may be used from any number of threads at once.
//! - A `const` pointer parameter is never mutated.

// The exports are named for C (`caseflow_policy`), not for Rust.
#![allow(non_camel_case_types)]

mod boundary;
mod status;

use std::ffi::{CString, c_char};

use caseflow_core::Policy;
use caseflow_core::api::{self, Call};

use boundary::{guard, out, policy_arg, policy_release, policy_to_host, text, write_text};
use status::Failure;
pub use status::Status;

/// The library's major version (semantic versioning), equal to the crate's.
pub const CASEFLOW_VERSION_MAJOR: u32 = 0;
/// The library's minor version.
pub const CASEFLOW_VERSION_MINOR: u32 = 1;
/// The library's patch version.
pub const CASEFLOW_VERSION_PATCH: u32 = 0;

/// A loaded, checked policy: opaque, immutable, and safe to share across threads. Made by
/// `caseflow_policy_new_default` or `caseflow_policy_new_from_json`, freed by
/// `caseflow_policy_free`.
pub struct caseflow_policy {
    _private: [u8; 0],
}

// The handle hands the compiled policy to many host threads at once.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<Policy>();
};

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, such as `"0.1.0"`: a static string, never freed. Compare it with the
/// header's `CASEFLOW_VERSION_*` macros to detect a header/library mismatch.
#[unsafe(no_mangle)]
pub extern "C" fn caseflow_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// The name of a status, such as `"invalid_report"` (also the `code` of its error body): a static
/// string, never freed. An unknown number gives `"unknown"`.
#[unsafe(no_mangle)]
pub extern "C" fn caseflow_status_name(status: u32) -> *const c_char {
    let name: &'static [u8] = match Status::ALL.iter().find(|s| **s as u32 == status) {
        Some(Status::Ok) => b"ok\0",
        Some(Status::NullArgument) => b"null_argument\0",
        Some(Status::InvalidUtf8) => b"invalid_utf8\0",
        Some(Status::InvalidHandle) => b"invalid_handle\0",
        Some(Status::InvalidJson) => b"invalid_json\0",
        Some(Status::InvalidPolicy) => b"invalid_policy\0",
        Some(Status::InvalidReport) => b"invalid_report\0",
        Some(Status::InvalidInput) => b"invalid_input\0",
        Some(Status::CalendarNotCovered) => b"calendar_not_covered\0",
        Some(Status::Refused) => b"refused\0",
        Some(Status::CorruptLog) => b"corrupt_log\0",
        Some(Status::Internal) => b"internal\0",
        Some(Status::Panic) => b"panic\0",
        None => b"unknown\0",
    };
    name.as_ptr().cast()
}

/// Frees a string returned by this library. NULL does nothing.
///
/// # Safety
/// `text` is NULL or a string returned by this library and not yet freed; it is not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_string_free(text: *mut c_char) {
    if text.is_null() {
        return;
    }
    // Dropping a CString cannot panic, but a host must never see an unwind.
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: the caller guarantees `text` came from `CString::into_raw` in this library
        // (every string it returns does) and is freed once.
        drop(unsafe { CString::from_raw(text) });
    });
}

// --- Policies ---------------------------------------------------------------------------------

/// Loads the built-in default policy into `*policy_out`.
///
/// # Safety
/// `policy_out` is valid for writing one pointer; `error_json` is NULL or valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_policy_new_default(
    policy_out: *mut *mut caseflow_policy,
    error_json: *mut *mut c_char,
) -> Status {
    let body = || {
        let policy_out = out(policy_out, "policy_out")?;
        let policy = Policy::builtin()?;
        // SAFETY: checked non-NULL; the caller guarantees it is writable.
        unsafe { *policy_out = policy_to_host(policy) };
        Ok(())
    };
    // SAFETY: `error_json` is NULL or writable (caller contract).
    unsafe { guard(error_json, body) }
}

/// Loads and checks a policy from JSON text into `*policy_out`. A policy that fails validation is
/// `CASEFLOW_STATUS_INVALID_POLICY`, with every problem and its JSON path in `error_json`.
///
/// # Safety
/// `policy_json` is NULL or a NUL-terminated string; `policy_out` is valid for writing one
/// pointer; `error_json` is NULL or valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_policy_new_from_json(
    policy_json: *const c_char,
    policy_out: *mut *mut caseflow_policy,
    error_json: *mut *mut c_char,
) -> Status {
    let body = || {
        // SAFETY: NULL or NUL-terminated (caller contract).
        let json = unsafe { text(policy_json, "policy_json") }?;
        let policy_out = out(policy_out, "policy_out")?;
        let policy = Policy::from_json(json)?;
        // SAFETY: checked non-NULL; the caller guarantees it is writable.
        unsafe { *policy_out = policy_to_host(policy) };
        Ok(())
    };
    // SAFETY: `error_json` is NULL or writable (caller contract).
    unsafe { guard(error_json, body) }
}

/// Frees a policy. NULL does nothing. A handle that is not live (already freed, or not made by
/// this library) is `CASEFLOW_STATUS_INVALID_HANDLE` and nothing is touched. Calls running on
/// other threads with the same handle finish normally; the policy is released after the last.
#[unsafe(no_mangle)]
pub extern "C" fn caseflow_policy_free(policy: *mut caseflow_policy) -> Status {
    // SAFETY: no error body is requested (NULL).
    unsafe { guard(std::ptr::null_mut(), || policy_release(policy, "policy")) }
}

/// How many policy handles are live: made and not yet freed. For hosts' leak tests.
#[unsafe(no_mangle)]
pub extern "C" fn caseflow_policy_live_count() -> usize {
    std::panic::catch_unwind(boundary::live_policies).unwrap_or(0)
}

/// Checks a policy without loading it for use: writes the check report
/// `{"valid", "errors", "warnings", "summary"?}` (the answer of `caseflow check`). An invalid
/// policy is a successful check whose report says `"valid": false`.
///
/// # Safety
/// `policy_json` is NULL or a NUL-terminated string; `result_json` is valid for writing one
/// pointer; `error_json` is NULL or valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_policy_check(
    policy_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    let body = || {
        // SAFETY: NULL or NUL-terminated (caller contract).
        let json = unsafe { text(policy_json, "policy_json") }?;
        let result_json = out(result_json, "result_json")?;
        let report = api::to_json(&Policy::check(json))?;
        // SAFETY: checked non-NULL; the caller guarantees it is writable.
        unsafe { write_text(result_json, report) }
    };
    // SAFETY: `error_json` is NULL or writable (caller contract).
    unsafe { guard(error_json, body) }
}

// --- Calls ------------------------------------------------------------------------------------

/// Runs one call of the JSON API on a policy. `call` names the call; it runs after the policy
/// is checked, so that arguments are checked in the order of the parameters.
///
/// # Safety
/// As for every call export: `policy` is NULL or a handle; `input_json` is NULL or a
/// NUL-terminated string; `result_json` is valid for writing one pointer; `error_json` is NULL
/// or valid for one write.
unsafe fn run(
    call: impl FnOnce() -> Result<Call, Failure>,
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    let body = || {
        let policy = policy_arg(policy, "policy")?;
        let call = call()?;
        // SAFETY: NULL or NUL-terminated (caller contract).
        let input = unsafe { text(input_json, "input_json") }?;
        let result_json = out(result_json, "result_json")?;
        let answer = api::call(&policy, call, input)?;
        // SAFETY: checked non-NULL; the caller guarantees it is writable.
        unsafe { write_text(result_json, answer) }
    };
    // SAFETY: `error_json` is NULL or writable (caller contract).
    unsafe { guard(error_json, body) }
}

/// Runs the call named `call` (`"classify"`, `"deadline"`, `"calendar_days"`, `"clock_status"`,
/// `"record"`, `"apply"`, `"tick"`, `"replay"`, `"verify_log"`, `"warranty"`, `"drill_status"`, `"assess"`, `"merge_assessments"`,
/// `"spot_check"`, `"audit"`, `"analyze_policy"`, `"diff_policies"`, and every call the
/// engine adds later) on `input_json`, writing its result to `*result_json`. An unknown name is
/// `CASEFLOW_STATUS_INVALID_INPUT` (`unknown_call`). This is the call the conformance corpus
/// names; each also has a typed export below.
///
/// # Safety
/// `policy` is NULL or a handle; `call` and `input_json` are NULL or NUL-terminated strings;
/// `result_json` is valid for writing one pointer; `error_json` is NULL or valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_call(
    policy: *const caseflow_policy,
    call: *const c_char,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    let name = || {
        // SAFETY: NULL or NUL-terminated (caller contract).
        let name = unsafe { text(call, "call") }?;
        Ok(name.parse::<Call>()?)
    };
    // SAFETY: forwarded caller contract.
    unsafe { run(name, policy, input_json, result_json, error_json) }
}

/// Classifies and routes one intake report: input a report, result
/// `{"report_id", "category", "tier", "emergency", "explanation", "routing", "warranty",
/// "warnings"}`.
///
/// # Safety
/// `policy` is NULL or a handle; `input_json` is NULL or a NUL-terminated string;
/// `result_json` is valid for writing one pointer; `error_json` is NULL or valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_classify(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Classify),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Adds a duration on the policy's calendar: input `{"from": "<RFC 3339>", "add": "3
/// working_days"}`, result `{"from", "add", "due", "warnings"}`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_deadline(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Deadline),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Lists each date of a range: input `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`, result
/// `{"days", "warnings"}`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_calendar_days(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::CalendarDays),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// A clock at an instant: input `{"clock": {"start", "duration", "pauses"?, "stopped_at"?},
/// "now"}`, result `{"due", "fraction_elapsed", "state", ...}`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_clock_status(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::ClockStatus),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Opens a case: input `{"command": {"type": "record", "actor", "report"}, "now"}`, result
/// `{"case", "event", "effects"}`. The host stores the case and the event.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_record(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Record),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Applies a command to a case: input `{"case", "command", "now"}`, result
/// `{"case", "event", "effects"}`. A command the policy does not allow is
/// `CASEFLOW_STATUS_REFUSED`, naming why.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_apply(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Apply),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// A case's clocks, reminders and escalations at an instant: input `{"case", "now"}`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_tick(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Tick),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Rebuilds a case from its event log: input `{"events": [...]}`, result the case. A log whose
/// hash chain is broken is `CASEFLOW_STATUS_CORRUPT_LOG`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_replay(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Replay),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Checks an event log's hash chain: input `{"events": [...]}`, result the verification. Takes
/// a policy like every call, although the check does not depend on it.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_verify_log(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::VerifyLog),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Is an element of a project under warranty on a day (docs/policy.md §1.1): input
/// `{"project_facts": {"accepted_on", "started_on"?, "design_service_life_years"?},
/// "element"?, "on"}`, result `{"status", "decided_by", "element", "period", "ends_on", "rule",
/// "reason", ...}`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_warranty(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Warranty),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// When the next emergency drill is due (docs/policy.md §7): input `{"drills": ["YYYY-MM-DD",
/// ...], "now"}`, result `{"last", "next_due", "overdue", "days_overdue", "interval", "rule"}`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_drill_status(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::DrillStatus),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// The supervision figures of docs/policy.md §6 over a set of cases: input `{"cases": [[event,
/// ...], ...], "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "now"}`, result a mergeable summary
/// (every figure with its numerator and denominator, overall and by project, category, tier and
/// channel; the logs left out, with findings).
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_assess(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Assess),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Merges the summaries of disjoint case sets of one period, `now` and policy: input
/// `{"summaries": [summary, ...]}`, result the summary of their union.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_merge_assessments(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::MergeAssessments),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// A reproducible sample of case records per project for the quality department: input
/// `{"cases": [...], "k", "seed"}`, result each project's sampled case ids.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_spot_check(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::SpotCheck),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Incomplete or broken case records (docs/policy.md §6): input `{"cases": [...], "now"?: "..."}`, result the
/// findings, each naming its case, event or record.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_audit(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::Audit),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// The policy's workflow explored and its rules read (issue 14): input `{}`, result
/// `{"findings": [...], "workflow": {...}}`, each finding with its code, severity, the JSON path
/// of the policy member at fault and, for a workflow finding, a counterexample path.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_analyze_policy(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::AnalyzePolicy),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// What changes from an older policy to `policy`, and for which past reports: input
/// `{"old": <policy document>, "reports"?: [<report>, ...]}`, result the semantic changes and
/// every report whose category, tier, emergency level or routing differs, with both
/// explanations. A bad older policy is refused with its problems under `$.old`.
///
/// # Safety
/// As `caseflow_classify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_diff_policies(
    policy: *const caseflow_policy,
    input_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> Status {
    // SAFETY: forwarded caller contract.
    unsafe {
        run(
            || Ok(Call::DiffPolicies),
            policy,
            input_json,
            result_json,
            error_json,
        )
    }
}

/// Test only (cargo feature `test-panic`): panics inside the boundary, so that a binding can
/// check that a panic comes back as `CASEFLOW_STATUS_PANIC` and the library stays usable.
///
/// # Safety
/// `error_json` is NULL or valid for one write.
#[cfg(feature = "test-panic")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn caseflow_test_panic(error_json: *mut *mut c_char) -> Status {
    #[allow(clippy::panic)] // the point of this export
    // SAFETY: `error_json` is NULL or writable (caller contract).
    unsafe {
        guard(error_json, || panic!("caseflow_test_panic was called"))
    }
}
