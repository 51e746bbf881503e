//! A policy that loads is analysed (`analysis::analyze`: the workflow search and the rule checks)
//! and compared with the default policy (`analysis::diff`, on the samples' reports): findings
//! and differences, never a panic, a hang or unbounded memory. The analysis is deterministic:
//! the same policy gives the same bytes twice.
#![no_main]

use std::sync::LazyLock;

use caseflow_core::analysis::analyze;
use caseflow_core::analysis::diff::diff;
use caseflow_core::{Policy, Report};
use libfuzzer_sys::fuzz_target;

/// The samples' reports, read once per process.
static REPORTS: LazyLock<Vec<Report>> = LazyLock::new(|| {
    include_str!("../../tests/data/samples.jsonl")
        .lines()
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            Report::from_json(&value.get("report")?.to_string()).ok()
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_json(text) else {
        return;
    };
    let first = serde_json::to_string(&analyze(&policy)).expect("an analysis writes as JSON");
    let again = serde_json::to_string(&analyze(&policy)).expect("an analysis writes as JSON");
    assert_eq!(first, again, "the same policy analysed twice differs");
    let changes = diff(caseflow_fuzz::policy(), &policy, &REPORTS);
    serde_json::to_string(&changes).expect("a policy diff writes as JSON");
});
