//! Instants and dates far outside the calendar's years (issue 15): 1900, 9999, 0000. None may
//! panic, overflow or give a silent answer: each call either answers with a warning naming the
//! year, or refuses with the path of the value at fault (docs/policy.md §5 and docs/errors.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::Policy;
use caseflow_core::api::{self, Call};
use serde_json::{Value, json};

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());
static STRICT: LazyLock<Policy> = LazyLock::new(|| {
    let mut policy: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    policy["calendar"]["coverage"] = json!("strict");
    Policy::from_value(&policy).unwrap()
});

fn case(name: &str) -> Value {
    let path = format!(
        "{}/../tests/conformance/cases/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    case["input"].clone()
}

/// The answer, or the error body, as JSON.
fn call(policy: &Policy, call: Call, input: &Value) -> Result<Value, Value> {
    match api::call(policy, call, &input.to_string()) {
        Ok(text) => Ok(serde_json::from_str(&text).unwrap()),
        Err(error) => Err(serde_json::to_value(&error).unwrap()),
    }
}

/// `(code, path)` of each warning or diagnostic.
fn codes(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
        .collect()
}

#[test]
fn a_deadline_in_1900_or_9999_is_answered_with_a_coverage_warning_or_refused_when_strict() {
    for year in [1900, 9999] {
        let input =
            json!({"from": format!("{year}-03-02T09:00:00+08:00"), "add": "5 working_days"});
        let out = call(&POLICY, Call::Deadline, &input).unwrap();
        assert_eq!(out["due"], format!("{year}-03-09T17:30:00+08:00"));
        assert_eq!(
            codes(&out["warnings"]),
            pairs(&[("calendar_not_covered", "$.calendar.years")])
        );
        assert!(
            out["warnings"][0]["message"]
                .as_str()
                .unwrap()
                .contains(&year.to_string())
        );
        let refused = call(&STRICT, Call::Deadline, &input).unwrap_err();
        assert_eq!(refused["code"], "calendar_not_covered");
    }
}

#[test]
fn a_deadline_rfc_3339_cannot_write_is_refused_at_the_member_that_makes_it() {
    // 100,000 calendar days from 9999 would be written +10272-…, which no reader takes back.
    let input = json!({"from": "9999-03-02T09:00:00+08:00", "add": "100000 calendar_days"});
    let refused = call(&POLICY, Call::Deadline, &input).unwrap_err();
    assert_eq!(refused["code"], "invalid_input");
    assert_eq!(
        codes(&refused["errors"]),
        pairs(&[("out_of_range", "$.add")])
    );
    let input = json!({"from": "9999-12-31T20:00:00+08:00", "add": "24 hours"});
    let refused = call(&POLICY, Call::Deadline, &input).unwrap_err();
    assert_eq!(
        codes(&refused["errors"]),
        pairs(&[("out_of_range", "$.add")])
    );
    // An instant of 9999 or 0000 whose day changes in the calendar's offset (+08:00).
    for from in ["9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+23:59"] {
        let refused = call(
            &POLICY,
            Call::Deadline,
            &json!({"from": from, "add": "1 hours"}),
        )
        .unwrap_err();
        assert_eq!(
            codes(&refused["errors"]),
            pairs(&[("out_of_range", "$.from")]),
            "{from}"
        );
    }
    // The last writable instant still answers.
    let out = call(
        &POLICY,
        Call::Deadline,
        &json!({"from": "9999-12-30T09:00:00+08:00", "add": "24 hours"}),
    )
    .unwrap();
    assert_eq!(out["due"], "9999-12-31T09:00:00+08:00");
}

#[test]
fn a_report_raised_or_received_in_an_uncovered_year_is_classified_with_a_warning_at_its_member() {
    let mut report = case("001-classify-s-01");
    let plain = call(&POLICY, Call::Classify, &report).unwrap();
    assert_eq!(plain["warnings"], json!([]));
    report["raised_at"] = json!("1900-03-02T09:00:00+08:00");
    report["received_at"] = json!("2026-03-02T09:00:00+08:00");
    let out = call(&POLICY, Call::Classify, &report).unwrap();
    assert_eq!(
        codes(&out["warnings"]),
        pairs(&[("calendar_not_covered", "$.raised_at")])
    );
    assert_eq!(
        out["category"], plain["category"],
        "the reading of the text is unchanged"
    );
    report["raised_at"] = json!("9999-03-02T09:00:00+08:00");
    report["received_at"] = json!("9999-03-02T09:05:00+08:00");
    let out = call(&STRICT, Call::Classify, &report).unwrap();
    assert_eq!(
        codes(&out["warnings"]),
        pairs(&[
            ("calendar_not_covered", "$.raised_at"),
            ("calendar_not_covered", "$.received_at")
        ]),
        "a strict calendar warns at intake too: a complaint is never turned away for its date"
    );
    assert!(
        !out.to_string().contains("\"+1"),
        "no year after 9999 is written"
    );
}

#[test]
fn a_case_is_not_ticked_before_its_report_was_received() {
    let mut input = case("054-tier-2-tick-2026-03-12t09-00-00-08-00");
    assert!(call(&POLICY, Call::Tick, &input).is_ok());
    for now in ["1900-03-02T09:00:00+08:00", "2026-03-02T09:19:59+08:00"] {
        input["now"] = json!(now);
        let refused = call(&POLICY, Call::Tick, &input).unwrap_err();
        assert_eq!(
            codes(&refused["errors"]),
            pairs(&[("out_of_order", "$.now")]),
            "{now}"
        );
    }
    // Far in the future, the clocks answer, warning of every uncovered year they counted.
    input["now"] = json!("9999-03-02T09:00:00+08:00");
    let out = call(&POLICY, Call::Tick, &input).unwrap();
    assert!(
        codes(&out["warnings"])
            .iter()
            .all(|(code, _)| code == "calendar_not_covered")
    );
}

#[test]
fn a_clock_started_in_1900_or_read_in_9999_warns_of_the_years_it_counted() {
    for (start, now) in [
        ("1900-03-02T09:00:00+08:00", "2026-03-02T16:00:00+08:00"),
        ("2026-03-02T09:00:00+08:00", "9999-03-02T16:00:00+08:00"),
    ] {
        let input = json!({"clock": {"start": start, "duration": "8 business_hours"}, "now": now});
        let out = call(&POLICY, Call::ClockStatus, &input).unwrap();
        assert_eq!(out["state"], "breached");
        assert_eq!(
            codes(&out["warnings"]),
            pairs(&[("calendar_not_covered", "$.calendar.years")])
        );
    }
}

#[test]
fn a_warranty_that_would_end_after_9999_is_refused_and_one_from_1900_is_answered() {
    let input = json!({"project_facts": {"accepted_on": "9999-06-30"}, "on": "9999-07-01"});
    let refused = call(&POLICY, Call::Warranty, &input).unwrap_err();
    assert_eq!(
        codes(&refused["errors"]),
        pairs(&[("out_of_range", "$.project_facts.accepted_on")])
    );
    let input = json!({"project_facts": {"accepted_on": "1900-06-30"}, "element": "waterproofing", "on": "2026-03-02"});
    let out = call(&POLICY, Call::Warranty, &input).unwrap();
    assert_eq!(out["status"], "expired");
    assert_eq!(out["ends_on"], "1905-06-30");
}

#[test]
fn calendar_days_of_1900_are_marked_uncovered() {
    let out = call(
        &POLICY,
        Call::CalendarDays,
        &json!({"from": "1900-01-01", "to": "1900-01-07"}),
    )
    .unwrap();
    assert!(
        out["days"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["covered"] == false)
    );
    assert_eq!(
        codes(&out["warnings"]),
        pairs(&[("calendar_not_covered", "$.calendar.years")])
    );
}
