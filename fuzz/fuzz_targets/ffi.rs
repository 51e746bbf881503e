//! The C ABI (`caseflow-ffi`) called through its Rust signatures with fuzzed byte strings, UTF-8
//! or not. The first byte picks the export (and whether `error_json` is requested); the rest,
//! up to its first NUL, is the string argument (for `caseflow_call`, the call's name, a NUL, then
//! the input). Every status is one of the contract's and never a bug (`internal`, `panic`); on
//! success the result is JSON and the error untouched, on failure the error body is JSON naming
//! the status and the result untouched; every string is freed once; no policy handle leaks.
#![no_main]

use std::ffi::{CStr, CString, c_char};
use std::sync::OnceLock;

use caseflow::{
    Status, caseflow_apply, caseflow_calendar_days, caseflow_call, caseflow_classify,
    caseflow_clock_status, caseflow_deadline, caseflow_policy, caseflow_policy_check,
    caseflow_policy_free, caseflow_policy_live_count, caseflow_policy_new_default,
    caseflow_policy_new_from_json, caseflow_record, caseflow_replay, caseflow_status_name,
    caseflow_tick, caseflow_verify_log, caseflow_warranty,
};
use libfuzzer_sys::fuzz_target;

/// The default policy's handle, made once per process and never freed.
fn default_policy() -> *const caseflow_policy {
    static HANDLE: OnceLock<usize> = OnceLock::new();
    let handle = *HANDLE.get_or_init(|| {
        let mut policy = std::ptr::null_mut();
        // SAFETY: `policy` is writable; no error body is requested.
        let status = unsafe { caseflow_policy_new_default(&mut policy, std::ptr::null_mut()) };
        assert_eq!(status, Status::Ok);
        policy as usize
    });
    handle as *const caseflow_policy
}

/// The bytes up to the first NUL, as a C string.
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no NUL before `end`")
}

/// Checks a status and its out-parameters against the contract, then frees the strings.
fn check(status: Status, result: *mut c_char, error: *mut c_char, wants_error: bool) {
    assert!(
        status != Status::Internal && status != Status::Panic,
        "a bug at the boundary: {status:?}: {}",
        text(error)
    );
    if status == Status::Ok {
        assert!(error.is_null(), "an error body written on success");
        if !result.is_null() {
            let answer = text(result);
            serde_json::from_str::<serde_json::Value>(&answer).expect("the result is JSON");
        }
    } else {
        assert!(result.is_null(), "a result written on failure: {status:?}");
        if wants_error {
            assert!(!error.is_null(), "no error body for {status:?}");
            let body: serde_json::Value =
                serde_json::from_str(&text(error)).expect("the error body is JSON");
            // SAFETY: a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(caseflow_status_name(status as u32)) };
            assert_eq!(
                body["code"].as_str(),
                name.to_str().ok(),
                "the body names another status"
            );
        } else {
            assert!(error.is_null());
        }
    }
    // SAFETY: each is NULL or a string this library returned, freed once here.
    unsafe {
        caseflow::caseflow_string_free(result);
        caseflow::caseflow_string_free(error);
    }
}

/// A string returned by the library, as Rust text (it is always UTF-8).
fn text(ptr: *mut c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: a NUL-terminated string returned by the library and not yet freed.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes
        .to_str()
        .expect("the library returns UTF-8")
        .to_owned()
}

type CallExport = unsafe extern "C" fn(
    *const caseflow_policy,
    *const c_char,
    *mut *mut c_char,
    *mut *mut c_char,
) -> Status;

const CALLS: [CallExport; 10] = [
    caseflow_classify,
    caseflow_deadline,
    caseflow_calendar_days,
    caseflow_clock_status,
    caseflow_record,
    caseflow_apply,
    caseflow_tick,
    caseflow_replay,
    caseflow_verify_log,
    caseflow_warranty,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let wants_error = selector & 0x80 == 0;
    let mut result: *mut c_char = std::ptr::null_mut();
    let mut error: *mut c_char = std::ptr::null_mut();
    let error_out: *mut *mut c_char = if wants_error {
        &mut error
    } else {
        std::ptr::null_mut()
    };
    default_policy();
    let live = caseflow_policy_live_count();
    let arg = c_string(rest);
    let status = match selector & 0x7f {
        0 => {
            let mut policy = std::ptr::null_mut();
            // SAFETY: a NUL-terminated string and writable out-parameters.
            let status =
                unsafe { caseflow_policy_new_from_json(arg.as_ptr(), &mut policy, error_out) };
            if status == Status::Ok {
                assert!(!policy.is_null());
                assert_eq!(caseflow_policy_free(policy), Status::Ok);
                // A second free is refused, not a crash.
                assert_eq!(caseflow_policy_free(policy), Status::InvalidHandle);
            } else {
                assert!(policy.is_null(), "a policy written on failure");
            }
            status
        }
        1 => {
            // SAFETY: a NUL-terminated string and writable out-parameters.
            unsafe { caseflow_policy_check(arg.as_ptr(), &mut result, error_out) }
        }
        2 => {
            let end = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
            let name = c_string(&rest[..end]);
            let input = c_string(rest.get(end + 1..).unwrap_or_default());
            // SAFETY: a live handle, NUL-terminated strings and writable out-parameters.
            unsafe {
                caseflow_call(
                    default_policy(),
                    name.as_ptr(),
                    input.as_ptr(),
                    &mut result,
                    error_out,
                )
            }
        }
        n => {
            let export = CALLS[usize::from(n) % CALLS.len()];
            // SAFETY: a live handle, a NUL-terminated string and writable out-parameters.
            unsafe { export(default_policy(), arg.as_ptr(), &mut result, error_out) }
        }
    };
    check(status, result, error, wants_error);
    assert_eq!(caseflow_policy_live_count(), live, "a policy handle leaked");
});
