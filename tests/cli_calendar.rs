//! `caseflow deadline`, `caseflow calendar` and the calendar part of `caseflow check`, run as a
//! user runs them.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{caseflow, stderr, stdout};

use serde_json::{Value, json};

fn deadline(from: &str, add: &str) -> Value {
    let output = caseflow(&["deadline", "--from", from, "--add", add], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "one line of JSON: {out}");
    serde_json::from_str(&out).unwrap()
}

fn default_policy_with(patch: impl FnOnce(&mut Value)) -> String {
    let mut policy: Value =
        serde_json::from_str(&stdout(&caseflow(&["policy", "default"], ""))).unwrap();
    patch(&mut policy);
    policy.to_string()
}

#[test]
fn deadline_answers_the_worked_examples_of_policy_5_1() {
    assert_eq!(
        deadline("2026-02-13T18:00:00+08:00", "3 working_days"),
        json!({"from": "2026-02-13T18:00:00+08:00", "add": "3 working_days",
            "due": "2026-02-25T17:30:00+08:00", "warnings": []})
    );
    assert_eq!(
        deadline("2026-02-13T16:30:00+08:00", "8 business_hours")["due"],
        "2026-02-14T17:00:00+08:00"
    );
    assert_eq!(
        deadline("2026-09-28T07:00:00Z", "3 calendar_days")["due"],
        "2026-10-09T00:00:00+08:00",
        "an instant in UTC is the same instant"
    );
    assert_eq!(
        deadline("2026-09-28T07:00:00Z", "3 calendar_days")["from"],
        "2026-09-28T15:00:00+08:00"
    );
}

#[test]
fn deadline_warns_about_an_uncovered_year() {
    let out = deadline("2026-12-31T10:00:00+08:00", "1 working_days");
    assert_eq!(out["due"], "2027-01-01T17:30:00+08:00");
    assert_eq!(out["warnings"][0]["code"], "calendar_not_covered");
    assert!(
        out["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2027")
    );
}

#[test]
fn deadline_refuses_a_malformed_instant_with_a_json_error() {
    let output = caseflow(
        &[
            "deadline",
            "--from",
            "2026-02-13 18:00",
            "--add",
            "3 working_days",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["code"], "invalid_input");
    assert_eq!(error["errors"][0]["code"], "invalid_instant");
    assert_eq!(error["errors"][0]["path"], "$.from");

    let output = caseflow(
        &[
            "deadline",
            "--from",
            "2026-02-13T18:00:00+08:00",
            "--add",
            "3 weeks",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["errors"][0]["path"], "$.add");
}

#[test]
fn deadline_honours_a_strict_policy_given_on_standard_input() {
    let strict = default_policy_with(|p| p["calendar"]["coverage"] = json!("strict"));
    let args = [
        "deadline",
        "--policy",
        "-",
        "--from",
        "2026-12-31T10:00:00+08:00",
        "--add",
        "1 working_days",
    ];
    let output = caseflow(&args, &strict);
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["code"], "calendar_not_covered");
    assert!(error["message"].as_str().unwrap().contains("2027"));
}

#[test]
fn calendar_lists_the_spring_festival_day_by_day() {
    let output = caseflow(
        &["calendar", "--from", "2026-02-12", "--to", "2026-02-25"],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).is_empty());
    let mut expected = vec![
        "2026-02-12 work".to_owned(),
        "2026-02-13 work".to_owned(),
        "2026-02-14 work 调休 make-up day".to_owned(),
    ];
    for day in 15..=23 {
        expected.push(format!("2026-02-{day} off 春节 Spring Festival"));
    }
    expected.push("2026-02-24 work".to_owned());
    expected.push("2026-02-25 work".to_owned());
    assert_eq!(stdout(&output).lines().collect::<Vec<_>>(), expected);
}

#[test]
fn calendar_warns_on_standard_error_about_an_uncovered_year() {
    let output = caseflow(
        &["calendar", "--from", "2026-12-31", "--to", "2027-01-03"],
        "",
    );
    assert!(output.status.success());
    assert_eq!(
        stdout(&output).lines().collect::<Vec<_>>(),
        [
            "2026-12-31 work",
            "2027-01-01 work",
            "2027-01-02 off",
            "2027-01-03 off"
        ]
    );
    let warning = stderr(&output);
    assert!(
        warning.starts_with("warning[calendar_not_covered] $.calendar.years:")
            && warning.contains("2027"),
        "{warning}"
    );

    let output = caseflow(
        &[
            "calendar",
            "--from",
            "2026-12-31",
            "--to",
            "2027-01-01",
            "--json",
        ],
        "",
    );
    let out: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(out["days"][1]["covered"], false);
    assert_eq!(out["warnings"][0]["code"], "calendar_not_covered");
}

#[test]
fn calendar_refuses_a_backwards_range() {
    let output = caseflow(
        &["calendar", "--from", "2026-03-01", "--to", "2026-02-01"],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["errors"][0]["path"], "$.to");
}

#[test]
fn check_says_which_years_a_policy_covers_and_warns_about_a_gap() {
    let output = caseflow(&["check"], "");
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["covered_years"], json!([2025, 2026]));

    let gap = default_policy_with(|p| {
        p["calendar"]["years"]["2028"] = json!({"off": [], "work": []});
    });
    let output = caseflow(&["check", "-"], &gap);
    assert!(output.status.success());
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        report["summary"]["covered_years"],
        json!([2025, 2026, 2028])
    );
    let warning = &report["warnings"][0];
    assert_eq!(warning["code"], "calendar_gap");
    assert!(warning["message"].as_str().unwrap().contains("2027"));
}
