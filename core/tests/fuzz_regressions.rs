//! The minimised inputs the fuzz targets found (`fuzz/regressions/<target>/`), replayed on stable
//! with the same checks as the targets (`fuzz/fuzz_targets/`), and the findings' own tests.
//! A refusal is structured (never `internal`, every problem with a JSON path); a command
//! sequence's own log verifies, ends at its case and replays to it. Only `commands` has found
//! something so far; a finding of another target brings its replay here (the C ABI's, in
//! `ffi/tests/`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use caseflow_core::api::{self, Call};
use caseflow_core::{Error, ErrorCode, Policy};
use serde_json::{Value, json};

fn policy() -> &'static Policy {
    static POLICY: std::sync::LazyLock<Policy> =
        std::sync::LazyLock::new(|| Policy::builtin().unwrap());
    &POLICY
}

/// The committed inputs of one target (none is fine: a target may have found nothing).
fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn check_refusal(error: &Error, what: &Path) {
    assert!(
        error.code != ErrorCode::Internal,
        "{}: internal: {error:?}",
        what.display()
    );
    assert!(
        !error.errors.is_empty(),
        "{}: no diagnostics: {error:?}",
        what.display()
    );
    for d in &error.errors {
        assert!(
            d.path.starts_with('$'),
            "{}: no JSON path: {error:?}",
            what.display()
        );
    }
}

/// The `commands` target: a record line, then apply lines without their case.
fn run_commands(text: &str, what: &Path) {
    let mut lines = text.lines();
    let applied = match api::call(policy(), Call::Record, lines.next().unwrap_or_default()) {
        Ok(applied) => applied,
        Err(error) => return check_refusal(&error, what),
    };
    let applied: Value = serde_json::from_str(&applied).unwrap();
    let mut case = applied["case"].clone();
    let mut events = vec![applied["event"].clone()];
    for line in lines.take(48) {
        let input = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut input)) => {
                input.insert("case".to_owned(), case.clone());
                Value::Object(input).to_string()
            }
            _ => line.to_owned(),
        };
        match api::call(policy(), Call::Apply, &input) {
            Ok(applied) => {
                let applied: Value = serde_json::from_str(&applied).unwrap();
                case = applied["case"].clone();
                events.push(applied["event"].clone());
            }
            Err(error) => check_refusal(&error, what),
        }
    }
    let log = json!({"events": events, "case": case}).to_string();
    let verified = api::verify_log(&log)
        .unwrap_or_else(|e| panic!("{}: the engine's own log is refused: {e:?}", what.display()));
    assert!(verified.valid, "{}: {verified:?}", what.display());
    let replayed = api::replay(policy(), &log).unwrap();
    let replayed: Value = serde_json::from_str(&api::to_json(&replayed).unwrap()).unwrap();
    assert_eq!(
        replayed,
        case,
        "{}: replays to another case",
        what.display()
    );
}

#[test]
fn the_command_sequences_the_fuzzer_found_run_and_replay() {
    let files = regressions("commands");
    assert!(
        !files.is_empty(),
        "fuzz/regressions/commands/ holds the findings"
    );
    for file in files {
        run_commands(&std::fs::read_to_string(&file).unwrap(), &file);
    }
}

fn record(description: &str) -> Value {
    let input = json!({
        "command": {"type": "record", "actor": {"id": "clerk-1", "roles": ["intake_clerk"]},
            "report": {"id": "L-1", "project": "P-2026-017", "channel": "phone",
                "description": description, "location": "3号楼2单元801",
                "raised_at": "2026-03-02T09:15:00+08:00",
                "contact": {"name": "业主", "phone": "13800000000"}}},
        "now": "2026-03-02T09:30:00+08:00"
    });
    serde_json::to_value(api::record(policy(), &input.to_string()).unwrap()).unwrap()
}

fn accept(policy: &Policy, case: &Value, deadline: &str) -> Result<Value, Error> {
    let input = json!({
        "case": case,
        "command": {"type": "accept", "actor": {"id": "pl-1", "roles": ["project_leader"]},
            "committed_deadline": deadline},
        "now": "2026-03-02T11:00:00+08:00"
    });
    api::apply(policy, &input.to_string()).map(|a| serde_json::to_value(a).unwrap())
}

/// Finding 1 (commands): tier 1 has no commitment cap, so a deadline more than 69 days ahead
/// was accepted, but its commitment clock (in minutes, beyond the largest amount of 100,000)
/// made a case the engine refused to read back: every later command and the log's check
/// failed with `invalid_duration`.
#[test]
fn a_tier_1_case_committed_a_year_ahead_reads_back() {
    let opened = record("阳台护栏松动，存在安全隐患");
    assert_eq!(opened["case"]["tier"], 1);
    let accepted = accept(policy(), &opened["case"], "2027-03-13T17:30:00+08:00").unwrap();
    assert_eq!(
        accepted["case"]["clocks"]["commitment"]["duration"],
        "541830 minutes"
    );
    let log = json!({"events": [opened["event"], accepted["event"]], "case": accepted["case"]});
    let verified = api::verify_log(&log.to_string()).unwrap();
    assert!(verified.valid, "{verified:?}");
    // The next command reads the stored case.
    let input = json!({
        "case": accepted["case"],
        "command": {"type": "report_progress", "actor": {"id": "pl-1", "roles": ["project_leader"]},
            "note": "临时防护已设置"},
        "now": "2026-03-03T10:00:00+08:00"
    });
    if let Err(e) = api::apply(policy(), &input.to_string()) {
        assert!(
            e.errors.iter().all(|d| d.code != "invalid_duration"),
            "the stored case is refused: {e:?}"
        );
    }
}

/// The five-year ceiling holds whatever the tier's cap, so that every accepted commitment's
/// clock reads back.
#[test]
fn no_cap_lets_a_commitment_run_beyond_five_years() {
    let mut rules: Value = serde_json::from_str(caseflow_core::policy::DEFAULT_RULES_JSON).unwrap();
    rules["tiers"]["1"]["deadlines"]["commitment_cap"] = json!("100000 calendar_days");
    let generous = Policy::from_json(&rules.to_string()).unwrap();
    let opened = record("阳台护栏松动，存在安全隐患");
    let refused = accept(&generous, &opened["case"], "2032-03-13T17:30:00+08:00").unwrap_err();
    assert_eq!(refused.errors[0].code, "beyond_cap", "{refused:?}");
    assert!(accept(&generous, &opened["case"], "2030-03-13T17:30:00+08:00").is_ok());
}
