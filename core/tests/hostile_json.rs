//! Hostile and odd JSON (issue 15): a member named twice, nesting beyond the limit, numbers no
//! double holds, over-long texts. Every input is parsed by `reader::parse`, so each must be
//! refused the same way whichever entry point reads it, with the path of the value at fault, and
//! without a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::api::{self, Call};
use caseflow_core::lifecycle::{Case, Command};
use caseflow_core::{Error, ErrorCode, Policy, Report, reader};
use serde_json::{Value, json};

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());

fn case(name: &str) -> Value {
    let path = format!(
        "{}/../tests/conformance/cases/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    case["input"].clone()
}

/// The JSON text of `root` with the object at `pointer` naming `key` a second time, as `value`,
/// after its other members.
fn with_duplicate(root: &Value, pointer: &str, key: &str, value: &Value) -> String {
    let mut root = root.clone();
    let object = root.pointer(pointer).unwrap();
    assert!(
        object.get(key).is_some(),
        "{pointer} has no `{key}` to repeat"
    );
    let text = object.to_string();
    let repeated = format!("{},{}:{value}}}", &text[..text.len() - 1], json!(key));
    *root.pointer_mut(pointer).unwrap() = json!("\u{1}mark");
    root.to_string().replace("\"\\u0001mark\"", &repeated)
}

/// The one diagnostic of a refusal, as `(error code, diagnostic code, path)`.
fn refusal(result: Result<impl std::fmt::Debug, Error>) -> (ErrorCode, String, String) {
    let error = result.expect_err("refused");
    assert_eq!(error.errors.len(), 1, "{error:?}");
    let d = &error.errors[0];
    (error.code, d.code.clone(), d.path.clone())
}

fn duplicate_at(path: &str) -> (ErrorCode, String, String) {
    (
        ErrorCode::InvalidJson,
        "duplicate_key".to_owned(),
        path.to_owned(),
    )
}

#[test]
fn the_parser_refuses_a_member_named_twice_at_its_path() {
    let d = reader::parse(r#"{"a": {"b": [1, {"c": 1, "c": 1}]}}"#).unwrap_err();
    assert_eq!(
        (d.code.as_str(), d.path.as_str()),
        ("duplicate_key", "$.a.b[1].c")
    );
    // Equal values, and names spelled differently that mean the same string, are still twice.
    let d = reader::parse(r#"{"id": "a", "\u0069d": "a"}"#).unwrap_err();
    assert_eq!(
        (d.code.as_str(), d.path.as_str()),
        ("duplicate_key", "$.id")
    );
    let d = reader::parse(r#"{"a b": 1, "a b": 2}"#).unwrap_err();
    assert_eq!(d.path, r#"$["a b"]"#);
    // The same name in two objects, or in an object and its parent, is no repeat.
    let v = reader::parse(r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#).unwrap();
    assert_eq!(v["b"][1]["a"], 2);
    // What serde_json reads, the strict parser reads the same.
    let text = serde_json::to_string(&case("040-tier-2-record")).unwrap();
    assert_eq!(
        reader::parse(&text).unwrap(),
        serde_json::from_str::<Value>(&text).unwrap()
    );
}

#[test]
fn a_report_naming_a_member_twice_is_refused_everywhere_it_is_read() {
    let record = case("040-tier-2-record");
    let report = &record["command"]["report"];
    let text = with_duplicate(report, "", "id", &json!("X"));
    assert_eq!(refusal(Report::from_json(&text)), duplicate_at("$.id"));
    assert_eq!(refusal(api::classify(&POLICY, &text)), duplicate_at("$.id"));
    let text = with_duplicate(report, "/contact", "phone", &json!("13900000000"));
    assert_eq!(
        refusal(api::call(&POLICY, Call::Classify, &text)),
        duplicate_at("$.contact.phone")
    );
    let text = with_duplicate(&record, "/command/report", "description", &json!("无"));
    assert_eq!(
        refusal(api::record(&POLICY, &text)),
        duplicate_at("$.command.report.description")
    );
}

#[test]
fn a_command_naming_a_member_twice_is_refused_and_changes_nothing() {
    let apply = case("043-tier-2-step-3-accept");
    let text = with_duplicate(&apply, "/command/actor", "id", &json!("someone-else"));
    assert_eq!(
        refusal(api::apply(&POLICY, &text)),
        duplicate_at("$.command.actor.id")
    );
    let command = with_duplicate(&apply["command"], "", "type", &json!("withdraw"));
    // A command read on its own is refused as any malformed command is (`invalid_input`).
    let (_, diagnostic, path) = refusal(Command::from_json(&command));
    assert_eq!(
        (diagnostic.as_str(), path.as_str()),
        ("duplicate_key", "$.type")
    );
    // The same input without the repeat is accepted: it was the repeat that was refused.
    assert!(api::apply(&POLICY, &apply.to_string()).is_ok());
}

#[test]
fn a_snapshot_or_a_logged_event_naming_a_member_twice_is_refused() {
    let apply = case("043-tier-2-step-3-accept");
    let snapshot = with_duplicate(&apply["case"], "", "state", &json!("closed"));
    assert_eq!(refusal(Case::from_json(&snapshot)), duplicate_at("$.state"));
    let text = with_duplicate(&apply, "/case", "state", &json!("closed"));
    assert_eq!(
        refusal(api::apply(&POLICY, &text)),
        duplicate_at("$.case.state")
    );

    let log = case("055-tier-2-verify-log");
    let text = with_duplicate(&log, "/events/3/command/actor", "id", &json!("X"));
    let at = "$.events[3].command.actor.id";
    assert_eq!(refusal(api::verify_log(&text)), duplicate_at(at));
    assert_eq!(refusal(api::replay(&POLICY, &text)), duplicate_at(at));
    let text = with_duplicate(&log, "/events/0", "hash", &json!("00"));
    assert_eq!(
        refusal(api::verify_log(&text)),
        duplicate_at("$.events[0].hash")
    );
}

#[test]
fn a_policy_naming_a_member_twice_is_refused() {
    let policy: Value = serde_json::from_str(caseflow_core::policy::DEFAULT_RULES_JSON).unwrap();
    let text = with_duplicate(&policy, "/calendar", "coverage", &json!("strict"));
    assert_eq!(
        refusal(Policy::from_json(&text)),
        (
            ErrorCode::InvalidPolicy,
            "duplicate_key".to_owned(),
            "$.calendar.coverage".to_owned()
        )
    );
}

#[test]
fn nesting_beyond_the_limit_is_refused_at_the_deepest_path() {
    let deep = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(reader::parse(&deep(reader::MAX_DEPTH)).is_ok());
    let d = reader::parse(&deep(reader::MAX_DEPTH + 1)).unwrap_err();
    assert_eq!(d.code, "too_deep");
    assert_eq!(d.path, format!("${}", "[0]".repeat(reader::MAX_DEPTH)));
    // Far beyond, inside a call's input: the same refusal, no stack overflow.
    let text = format!(
        r#"{{"from": "2026-03-02T09:00:00+08:00", "add": {}}}"#,
        deep(100_000)
    );
    let (code, diagnostic, path) = refusal(api::deadline(&POLICY, &text));
    assert_eq!(
        (code, diagnostic.as_str()),
        (ErrorCode::InvalidJson, "too_deep")
    );
    assert!(path.starts_with("$.add[0][0]"), "{path}");
}

#[test]
fn numbers_no_count_can_hold_are_refused_at_their_path() {
    let mut log = case("055-tier-2-verify-log");
    log["anchor"] = json!({"events": 8, "last_hash": log["events"][7]["hash"]});
    assert!(api::verify_log(&log.to_string()).is_ok());
    let text = log
        .to_string()
        .replace(r#""events":8"#, r#""events":1e400"#);
    assert_eq!(
        refusal(api::verify_log(&text)),
        (
            ErrorCode::InvalidJson,
            "out_of_range".to_owned(),
            "$.anchor.events".to_owned()
        )
    );
    let text = log
        .to_string()
        .replace(r#""events":8"#, r#""events":18446744073709551616"#);
    let (code, _, path) = refusal(api::verify_log(&text));
    assert_eq!(
        (code, path.as_str()),
        (ErrorCode::InvalidInput, "$.anchor.events")
    );
}

#[test]
fn an_over_long_description_is_refused_at_its_path() {
    let mut report = case("040-tier-2-record")["command"]["report"].clone();
    report["description"] = json!("渗".repeat(10_001));
    let (code, diagnostic, path) = refusal(api::classify(&POLICY, &report.to_string()));
    assert_eq!(
        (code, diagnostic.as_str(), path.as_str()),
        (ErrorCode::InvalidReport, "too_long", "$.description")
    );
}
