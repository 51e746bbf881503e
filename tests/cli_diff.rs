//! `caseflow diff OLD NEW [--reports FILE] [--json]`, run as a user runs it: exit status 0 when
//! the policies mean the same, 1 when they differ, 2 when they cannot be compared; the JSON is
//! the `diff_policies` call's answer.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::path::PathBuf;

use caseflow_core::api;
use caseflow_core::policy::default_policy_json;
use serde_json::{Value, json};
use support::{caseflow, policy, stderr, stdout};

/// A scratch directory of this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("caseflow-diff-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The sample reports, one JSON value each.
fn sample_reports() -> Vec<Value> {
    std::fs::read_to_string("tests/data/samples.jsonl")
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["report"].clone())
        .collect()
}

fn jsonl(reports: &[Value]) -> String {
    reports.iter().map(|r| format!("{r}\n")).collect()
}

/// The default policy with tier 2's plans approved by company leadership, and its version.
fn edited_policy() -> Value {
    let mut value: Value = serde_json::from_str(&default_policy_json()).unwrap();
    value["version"] = json!("2026.2");
    value["tiers"]["2"]["plan"]["approved_by"] = json!(["company_leadership"]);
    value
}

#[test]
fn the_same_policy_is_no_difference_and_exit_status_0() {
    let dir = scratch("same");
    let reports = write(&dir, "reports.jsonl", &jsonl(&sample_reports()));
    let output = caseflow(
        &[
            "diff",
            "default",
            "default",
            "--reports",
            &reports,
            "--json",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answer: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(answer["changes"], json!([]));
    assert_eq!(answer["reports"], json!([]));
    assert_eq!(answer["counts"]["reports"], 20);
    // A file holding the default policy is the same policy as the word `default`.
    let file = write(&dir, "default.json", &default_policy_json());
    let output = caseflow(&["diff", &file, "default", "--reports", &reports], "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("The policies mean the same."), "{text}");
    assert!(
        text.contains("20 reports compared, 0 treated differently"),
        "{text}"
    );
}

#[test]
fn differences_exit_1_and_the_json_is_the_calls_answer() {
    let dir = scratch("json");
    let reports = sample_reports();
    let lines = write(&dir, "reports.jsonl", &jsonl(&reports));
    let array = write(
        &dir,
        "reports.json",
        &serde_json::to_string_pretty(&reports).unwrap(),
    );
    let new = edited_policy();
    let new_file = write(&dir, "new.json", &new.to_string());
    let output = caseflow(
        &["diff", "default", &new_file, "--reports", &lines, "--json"],
        "",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let printed = stdout(&output);
    // The same answer as the `diff_policies` call on the new policy, byte for byte.
    let new_policy = caseflow_core::Policy::from_value(&new).unwrap();
    let input = json!({
        "old": serde_json::from_str::<Value>(&default_policy_json()).unwrap(),
        "reports": reports,
    });
    let call = api::diff_policies(&new_policy, &input.to_string()).unwrap();
    assert_eq!(printed.trim_end(), api::to_json(&call).unwrap());
    let answer: Value = serde_json::from_str(&printed).unwrap();
    let paths: Vec<&str> = answer["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "$.version",
            "$.tiers.2.plan.approved_by",
            "$.tiers.2.plan.approved_by"
        ]
    );
    // Every tier-2 sample is listed, and only those.
    let tier_2: Vec<usize> = reports
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let report = caseflow_core::Report::from_json(&r.to_string()).unwrap();
            policy().classify(&report).tier.number() == 2
        })
        .map(|(i, _)| i)
        .collect();
    let listed: Vec<usize> = answer["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| usize::try_from(r["index"].as_u64().unwrap()).unwrap())
        .collect();
    assert!(!tier_2.is_empty());
    assert_eq!(listed, tier_2);
    for report in answer["reports"].as_array().unwrap() {
        assert!(report["old"]["explanation"].is_object());
        assert!(report["new"]["explanation"].is_object());
    }
    // A JSON array of the same reports gives the same answer.
    let from_array = caseflow(
        &["diff", "default", &new_file, "--reports", &array, "--json"],
        "",
    );
    assert_eq!(from_array.status.code(), Some(1));
    assert_eq!(stdout(&from_array), printed);
}

#[test]
fn the_listing_names_paths_and_labels() {
    let dir = scratch("listing");
    let reports = write(&dir, "reports.jsonl", &jsonl(&sample_reports()));
    let new_file = write(&dir, "new.json", &edited_policy().to_string());
    let output = caseflow(&["diff", "default", &new_file, "--reports", &reports], "");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "3 changes: 1 added, 1 removed, 1 changed",
        "$.version  policy version: 2026.1 → 2026.2",
        "$.tiers.2.plan.approved_by  tier 2 plan approved by: added company_leadership (公司领导 / Company leadership)",
        "20 reports compared",
        "二级问题 / Tier 2",
        "$.routing.plan.approved_by: [\"project_manager\"] → [\"company_leadership\"]",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    // Without reports, only the changes.
    let output = caseflow(&["diff", "default", &new_file], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(!stdout(&output).contains("reports compared"));
}

#[test]
fn a_policy_that_does_not_load_is_named_with_its_path_and_exit_2() {
    let dir = scratch("bad");
    let mut bad = edited_policy();
    bad["tiers"]["1"]["deadlines"]["plan"] = json!("soon");
    let bad_file = write(&dir, "bad.json", &bad.to_string());
    let output = caseflow(&["diff", "default", &bad_file], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["code"], "invalid_policy");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("the new policy") && message.contains("bad.json"),
        "{message}"
    );
    assert_eq!(error["errors"][0]["path"], "$.tiers.1.deadlines.plan");

    let missing = dir.join("missing.json");
    let output = caseflow(&["diff", missing.to_str().unwrap(), "default"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing.json"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_report_that_does_not_read_is_named_by_line_and_exit_2() {
    let dir = scratch("lines");
    let reports = sample_reports();
    let text = format!(
        "{}\n{}\n\n{{\"id\": \"X-1\"}}\nnot json\n{}\n",
        reports[0], reports[1], reports[2]
    );
    let file = write(&dir, "reports.jsonl", &text);
    let output = caseflow(&["diff", "default", "default", "--reports", &file], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["code"], "invalid_input");
    let errors = error["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|d| d["path"] == "$.project"
            && d["message"].as_str().unwrap().contains("reports.jsonl:4:"))
    );
    assert!(errors.iter().any(|d| d["code"] == "invalid_json"
        && d["message"].as_str().unwrap().contains("reports.jsonl:5:")));
    // In a JSON array, the report is named by its index.
    let mut array = reports.clone();
    array[1]["raised_at"] = json!("yesterday");
    let file = write(&dir, "reports.json", &Value::Array(array).to_string());
    let output = caseflow(&["diff", "default", "default", "--reports", &file], "");
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["errors"][0]["path"], "$[1].raised_at");
}
