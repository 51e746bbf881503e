//! The C ABI called from Rust exactly as a C host calls it: the conformance corpus through the
//! generic and the typed exports, and every way a host can get the contract wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![allow(clippy::undocumented_unsafe_blocks)] // every block here calls an export with valid or deliberately bad pointers

use std::ffi::{CStr, CString, c_char};
use std::path::Path;
use std::ptr;

use caseflow::*;
use serde_json::{Value, json};

type CallFn = unsafe extern "C" fn(
    *const caseflow_policy,
    *const c_char,
    *mut *mut c_char,
    *mut *mut c_char,
) -> Status;

/// Every call export with its name.
const TYPED: &[(&str, CallFn)] = &[
    ("classify", caseflow_classify),
    ("deadline", caseflow_deadline),
    ("calendar_days", caseflow_calendar_days),
    ("clock_status", caseflow_clock_status),
    ("record", caseflow_record),
    ("apply", caseflow_apply),
    ("tick", caseflow_tick),
    ("replay", caseflow_replay),
    ("verify_log", caseflow_verify_log),
    ("warranty", caseflow_warranty),
    ("drill_status", caseflow_drill_status),
    ("assess", caseflow_assess),
    ("merge_assessments", caseflow_merge_assessments),
    ("spot_check", caseflow_spot_check),
    ("audit", caseflow_audit),
    ("analyze_policy", caseflow_analyze_policy),
    ("diff_policies", caseflow_diff_policies),
];

/// A sentinel an out-parameter holds before a call, to see that a failure leaves it alone.
fn sentinel() -> *mut c_char {
    ptr::dangling_mut::<c_char>().wrapping_add(7)
}

/// Takes ownership of a string the library returned.
fn take(text: *mut c_char) -> String {
    assert!(!text.is_null());
    let owned = unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned();
    unsafe { caseflow_string_free(text) };
    owned
}

fn default_policy() -> *mut caseflow_policy {
    let mut policy = ptr::null_mut();
    assert_eq!(
        unsafe { caseflow_policy_new_default(&mut policy, ptr::null_mut()) },
        Status::Ok
    );
    policy
}

fn policy_from_json(json: &str) -> Result<*mut caseflow_policy, (Status, Value)> {
    let text = CString::new(json).unwrap();
    let mut policy = ptr::null_mut();
    let mut error = sentinel();
    match unsafe { caseflow_policy_new_from_json(text.as_ptr(), &mut policy, &mut error) } {
        Status::Ok => {
            assert_eq!(error, sentinel(), "error_json written on success");
            Ok(policy)
        }
        status => {
            assert!(policy.is_null(), "policy_out written on failure");
            Err((status, serde_json::from_str(&take(error)).unwrap()))
        }
    }
}

/// Calls `f` and returns `{"ok": result}` or `{"error": body}`, checking the out-parameter rule.
fn outcome(f: impl FnOnce(*mut *mut c_char, *mut *mut c_char) -> Status) -> (Status, Value) {
    let mut result = sentinel();
    let mut error = sentinel();
    let status = f(&mut result, &mut error);
    if status == Status::Ok {
        assert_eq!(error, sentinel(), "error_json written on success");
        (
            status,
            json!({"ok": serde_json::from_str::<Value>(&take(result)).unwrap()}),
        )
    } else {
        assert_eq!(
            result,
            sentinel(),
            "result_json written on failure ({status:?})"
        );
        let body: Value = serde_json::from_str(&take(error)).unwrap();
        let name = unsafe { CStr::from_ptr(caseflow_status_name(status as u32)) };
        assert_eq!(
            body["code"],
            name.to_str().unwrap(),
            "the body's code names the status"
        );
        (status, json!({"error": body}))
    }
}

fn call(policy: *const caseflow_policy, name: &str, input: &str) -> (Status, Value) {
    let name = CString::new(name).unwrap();
    let input = CString::new(input).unwrap();
    outcome(|r, e| unsafe { caseflow_call(policy, name.as_ptr(), input.as_ptr(), r, e) })
}

fn typed(f: CallFn, policy: *const caseflow_policy, input: &str) -> (Status, Value) {
    let input = CString::new(input).unwrap();
    outcome(|r, e| unsafe { f(policy, input.as_ptr(), r, e) })
}

fn corpus() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/cases");
    let mut cases: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

#[test]
fn the_conformance_corpus_runs_through_the_abi() {
    // The policies a case may name: "default", and every file under policies/ by its file name.
    let mut policies = std::collections::BTreeMap::from([("default".to_owned(), default_policy())]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/policies");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let json = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        policies.insert(name, policy_from_json(&json).unwrap());
    }
    let cases = corpus();
    assert!(
        cases.len() >= 90,
        "the corpus is missing: {} cases",
        cases.len()
    );
    for (file, case) in &cases {
        let name = case["policy"].as_str().unwrap();
        let Some(&policy) = policies.get(name) else {
            panic!("{file}: unknown policy {name}");
        };
        let name = case["call"].as_str().unwrap();
        // `input_text`: JSON text no parsed value can hold (a member named twice, ...), as is.
        let input = match case.get("input_text") {
            Some(text) => text.as_str().unwrap().to_owned(),
            None => case["input"].to_string(),
        };
        let (status, got) = call(policy, name, &input);
        assert_eq!(got, case["expect"], "{file} through caseflow_call");
        if let Some(code) = case["expect"]["error"]["code"].as_str() {
            assert_eq!(status.name(), code, "{file}: status");
        }
        let f = TYPED.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(
            typed(f, policy, &input).1,
            case["expect"],
            "{file} through caseflow_{name}"
        );
    }
    for policy in policies.into_values() {
        assert_eq!(caseflow_policy_free(policy), Status::Ok);
    }
}

#[test]
fn status_names_are_the_error_codes_and_numbers_are_stable() {
    let expected = [
        (0, "ok"),
        (100, "null_argument"),
        (101, "invalid_utf8"),
        (102, "invalid_handle"),
        (200, "invalid_json"),
        (201, "invalid_policy"),
        (202, "invalid_report"),
        (203, "invalid_input"),
        (204, "calendar_not_covered"),
        (300, "refused"),
        (301, "corrupt_log"),
        (900, "internal"),
        (901, "panic"),
    ];
    assert_eq!(Status::ALL.len(), expected.len());
    for (status, (number, name)) in Status::ALL.iter().zip(expected) {
        assert_eq!(*status as u32, number, "{name} was renumbered");
        assert_eq!(status.name(), name);
        let c = unsafe { CStr::from_ptr(caseflow_status_name(number)) };
        assert_eq!(c.to_str().unwrap(), name);
    }
    let unknown = unsafe { CStr::from_ptr(caseflow_status_name(42)) };
    assert_eq!(unknown.to_str().unwrap(), "unknown");
}

#[test]
fn every_engine_error_code_has_a_status_of_its_own() {
    // `ErrorCode` is non-exhaustive, so `Status::from_code` has a fallback arm: this test is what
    // stops a new code from reaching C hosts as `internal`.
    for code in caseflow_core::ErrorCode::ALL {
        assert_eq!(
            Status::from_code(*code).name(),
            code.as_str(),
            "{code:?} needs a status number of its own"
        );
    }
}

fn assert_argument_error(got: (Status, Value), status: Status, path: &str, what: &str) {
    assert_eq!(got.0, status, "{what}: {}", got.1);
    let body = &got.1["error"];
    assert_eq!(body["code"], status.name(), "{what}");
    assert_eq!(body["errors"][0]["path"], path, "{what}");
    assert!(
        body["message"].as_str().unwrap().contains(path),
        "{what}: {}",
        body["message"]
    );
}

#[test]
fn null_arguments_are_errors_naming_the_parameter() {
    let policy = default_policy();
    let input = CString::new("{}").unwrap();
    for (name, f) in TYPED {
        let what = format!("caseflow_{name}");
        assert_argument_error(
            outcome(|r, e| unsafe { f(ptr::null(), input.as_ptr(), r, e) }),
            Status::NullArgument,
            "policy",
            &what,
        );
        assert_argument_error(
            outcome(|r, e| unsafe { f(policy, ptr::null(), r, e) }),
            Status::NullArgument,
            "input_json",
            &what,
        );
        let mut error = ptr::null_mut();
        let status = unsafe { f(policy, input.as_ptr(), ptr::null_mut(), &mut error) };
        assert_eq!(status, Status::NullArgument, "{what}");
        assert_eq!(
            serde_json::from_str::<Value>(&take(error)).unwrap()["errors"][0]["path"],
            "result_json"
        );
        // No error body wanted: the status alone.
        let status = unsafe { f(policy, ptr::null(), ptr::null_mut(), ptr::null_mut()) };
        assert_eq!(status, Status::NullArgument, "{what}");
    }
    let name = CString::new("classify").unwrap();
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_call(ptr::null(), name.as_ptr(), input.as_ptr(), r, e) }),
        Status::NullArgument,
        "policy",
        "caseflow_call",
    );
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_call(policy, ptr::null(), input.as_ptr(), r, e) }),
        Status::NullArgument,
        "call",
        "caseflow_call",
    );
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_call(policy, name.as_ptr(), ptr::null(), r, e) }),
        Status::NullArgument,
        "input_json",
        "caseflow_call",
    );
    assert_argument_error(
        outcome(|_, e| unsafe {
            caseflow_call(policy, name.as_ptr(), input.as_ptr(), ptr::null_mut(), e)
        }),
        Status::NullArgument,
        "result_json",
        "caseflow_call",
    );
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_policy_check(ptr::null(), r, e) }),
        Status::NullArgument,
        "policy_json",
        "caseflow_policy_check",
    );
    assert_argument_error(
        outcome(|_, e| unsafe { caseflow_policy_check(input.as_ptr(), ptr::null_mut(), e) }),
        Status::NullArgument,
        "result_json",
        "caseflow_policy_check",
    );
    assert_argument_error(
        outcome(|_, e| unsafe { caseflow_policy_new_from_json(ptr::null(), ptr::null_mut(), e) }),
        Status::NullArgument,
        "policy_json",
        "caseflow_policy_new_from_json",
    );
    assert_argument_error(
        outcome(|_, e| unsafe {
            caseflow_policy_new_from_json(input.as_ptr(), ptr::null_mut(), e)
        }),
        Status::NullArgument,
        "policy_out",
        "caseflow_policy_new_from_json",
    );
    assert_argument_error(
        outcome(|_, e| unsafe { caseflow_policy_new_default(ptr::null_mut(), e) }),
        Status::NullArgument,
        "policy_out",
        "caseflow_policy_new_default",
    );
    // Freeing NULL is a no-op, as with free(3).
    assert_eq!(caseflow_policy_free(ptr::null_mut()), Status::Ok);
    unsafe { caseflow_string_free(ptr::null_mut()) };
    assert_eq!(caseflow_policy_free(policy), Status::Ok);
}

#[test]
fn invalid_utf8_is_an_error_naming_the_parameter() {
    let policy = default_policy();
    let bad = CString::new(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']).unwrap();
    for (name, f) in TYPED {
        assert_argument_error(
            outcome(|r, e| unsafe { f(policy, bad.as_ptr(), r, e) }),
            Status::InvalidUtf8,
            "input_json",
            &format!("caseflow_{name}"),
        );
    }
    let classify = CString::new("classify").unwrap();
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_call(policy, bad.as_ptr(), classify.as_ptr(), r, e) }),
        Status::InvalidUtf8,
        "call",
        "caseflow_call",
    );
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_call(policy, classify.as_ptr(), bad.as_ptr(), r, e) }),
        Status::InvalidUtf8,
        "input_json",
        "caseflow_call",
    );
    assert_argument_error(
        outcome(|r, e| unsafe { caseflow_policy_check(bad.as_ptr(), r, e) }),
        Status::InvalidUtf8,
        "policy_json",
        "caseflow_policy_check",
    );
    let mut out = ptr::null_mut();
    assert_argument_error(
        outcome(|_, e| unsafe { caseflow_policy_new_from_json(bad.as_ptr(), &mut out, e) }),
        Status::InvalidUtf8,
        "policy_json",
        "caseflow_policy_new_from_json",
    );
    assert!(out.is_null());
    assert_eq!(caseflow_policy_free(policy), Status::Ok);
}

#[test]
fn malformed_json_is_refused_with_its_path() {
    let policy = default_policy();
    for (name, f) in TYPED {
        for input in ["", "{", "[1, 2", "{\"a\": }", "nul"] {
            let (status, body) = typed(*f, policy, input);
            // Every call refuses text that is not JSON as `invalid_json`, at the root.
            let expected = Status::InvalidJson;
            assert_eq!(status, expected, "caseflow_{name}({input:?}): {body}");
            assert_eq!(body["error"]["errors"][0]["code"], "invalid_json");
            assert_eq!(body["error"]["errors"][0]["path"], "$");
        }
        // Well-formed JSON of the wrong shape is refused too, and names where.
        let (status, body) = typed(*f, policy, "[]");
        assert_ne!(status, Status::Ok, "caseflow_{name}([])");
        assert!(
            body["error"]["errors"][0]["path"]
                .as_str()
                .unwrap()
                .starts_with('$')
        );
    }
    let (status, body) = call(policy, "classify", "{\"id\": 1}");
    assert_eq!(status, Status::InvalidReport);
    assert!(
        body["error"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == "$.id")
    );
    let (status, body) = call(policy, "no_such_call", "{}");
    assert_eq!(status, Status::InvalidInput);
    assert_eq!(body["error"]["errors"][0]["code"], "unknown_call");
    for bad in ["", "{", "[]"] {
        let (status, body) = policy_from_json(bad).err().unwrap();
        assert!(
            matches!(status, Status::InvalidPolicy | Status::InvalidJson),
            "{bad:?}: {body}"
        );
    }
    assert_eq!(caseflow_policy_free(policy), Status::Ok);
}

#[test]
fn an_invalid_policy_names_every_problem_and_check_reports_it() {
    let mut document: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    document["name"] = json!(5);
    document["clocks"]["at_risk_fraction"] = json!("most");
    let (status, body) = policy_from_json(&document.to_string()).err().unwrap();
    assert_eq!(status, Status::InvalidPolicy);
    assert_eq!(body["code"], "invalid_policy");
    let paths: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"$.clocks.at_risk_fraction") && paths.len() >= 2,
        "{paths:?}"
    );
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["path"].as_str().unwrap().starts_with("$."))
    );

    let text = CString::new(document.to_string()).unwrap();
    let (status, report) = outcome(|r, e| unsafe { caseflow_policy_check(text.as_ptr(), r, e) });
    assert_eq!(
        status,
        Status::Ok,
        "an invalid policy is a successful check"
    );
    assert_eq!(report["ok"]["valid"], false);
    assert_eq!(report["ok"]["errors"], body["errors"]);

    let default = CString::new(caseflow_core::policy::default_policy_json()).unwrap();
    let (_, report) = outcome(|r, e| unsafe { caseflow_policy_check(default.as_ptr(), r, e) });
    assert_eq!(report["ok"]["valid"], true);
    assert!(
        report["ok"]["summary"]["covered_years"]
            .as_array()
            .unwrap()
            .contains(&json!(2026))
    );
}

#[test]
fn freed_and_foreign_handles_are_detected() {
    let policy = default_policy();
    assert_eq!(caseflow_policy_free(policy), Status::Ok);
    let (status, body) = call(policy, "classify", "{}");
    assert_eq!(status, Status::InvalidHandle, "use after free");
    assert_eq!(body["error"]["errors"][0]["path"], "policy");
    assert_eq!(
        caseflow_policy_free(policy),
        Status::InvalidHandle,
        "double free"
    );

    // A pointer the library never handed out.
    let mut not_a_policy = [0u64; 8];
    let foreign: *mut caseflow_policy = not_a_policy.as_mut_ptr().cast();
    assert_eq!(call(foreign, "classify", "{}").0, Status::InvalidHandle);
    assert_eq!(caseflow_policy_free(foreign), Status::InvalidHandle);
    assert_eq!(
        not_a_policy, [0; 8],
        "nothing was written through a foreign handle"
    );
}

#[test]
fn one_policy_serves_many_threads_and_may_be_freed_while_they_run() {
    const THREADS: usize = 8;
    let policy = default_policy() as usize;
    let report = CString::new(
        json!({"id": "T-1", "project": "P", "channel": "phone", "description": "阳台护栏松动，存在安全隐患",
               "raised_at": "2026-03-02T09:15:00+08:00", "location": "10号楼601阳台",
               "contact": {"name": "业主", "phone": "13800000000"}})
        .to_string(),
    )
    .unwrap();
    let expected = call(
        policy as *const caseflow_policy,
        "classify",
        report.to_str().unwrap(),
    )
    .1;
    // Every thread has answered with the live policy before it is freed: a barrier, not a
    // sleep, so that the test never depends on how the threads are scheduled.
    let all_answered = std::sync::Arc::new(std::sync::Barrier::new(THREADS + 1));
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let report = report.clone();
            let expected = expected.clone();
            let all_answered = std::sync::Arc::clone(&all_answered);
            std::thread::spawn(move || {
                let classify = || {
                    typed(
                        caseflow_classify,
                        policy as *const caseflow_policy,
                        report.to_str().unwrap(),
                    )
                };
                let first = classify();
                assert_eq!(first.0, Status::Ok);
                assert_eq!(first.1, expected);
                all_answered.wait();
                // The policy is freed while these calls run: each one either finishes with the
                // policy it started with or is refused as `invalid_handle`, never anything
                // else; and once the free has returned, every call is refused.
                let mut answered = 0usize;
                loop {
                    let got = classify();
                    match got.0 {
                        Status::Ok => {
                            assert_eq!(got.1, expected);
                            answered += 1;
                        }
                        Status::InvalidHandle => {
                            assert_eq!(got.1["error"]["errors"][0]["path"], "policy");
                            return answered;
                        }
                        other => panic!("unexpected {other:?}"),
                    }
                }
            })
        })
        .collect();
    all_answered.wait();
    assert_eq!(
        caseflow_policy_free(policy as *mut caseflow_policy),
        Status::Ok
    );
    for t in threads {
        // Each thread ends only by seeing `invalid_handle`.
        t.join().unwrap();
    }
    assert_eq!(
        typed(
            caseflow_classify,
            policy as *const caseflow_policy,
            report.to_str().unwrap()
        )
        .0,
        Status::InvalidHandle
    );
}

#[test]
fn the_runtime_version_is_the_crate_version() {
    let version = unsafe { CStr::from_ptr(caseflow_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[cfg(feature = "test-panic")]
#[test]
fn a_panic_comes_back_as_the_panic_status_and_the_library_stays_usable() {
    let (status, body) = outcome(|_, e| unsafe { caseflow_test_panic(e) });
    assert_eq!(status, Status::Panic);
    assert_eq!(body["error"]["code"], "panic");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("caseflow_test_panic was called")
    );
    assert_eq!(
        unsafe { caseflow_test_panic(ptr::null_mut()) },
        Status::Panic
    );
    let policy = default_policy();
    assert_eq!(
        call(
            policy,
            "deadline",
            r#"{"from": "2026-02-13T18:00:00+08:00", "add": "3 working_days"}"#
        )
        .0,
        Status::Ok
    );
    assert_eq!(caseflow_policy_free(policy), Status::Ok);
}
