//! The calendar calls of the JSON facade (`api::deadline`, `api::calendar_days`,
//! `api::clock_status`): shapes in and out, and every bad field named.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::api::{self, to_json};
use caseflow_core::{Error, ErrorCode, Policy};
use serde_json::{Value, json};

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());

static STRICT: LazyLock<Policy> = LazyLock::new(|| {
    let mut policy: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    policy["calendar"]["coverage"] = json!("strict");
    Policy::from_value(&policy).unwrap()
});

fn paths(err: &Error) -> Vec<(&str, &str)> {
    err.errors
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect()
}

fn deadline(input: Value) -> Value {
    serde_json::from_str(&to_json(&api::deadline(&POLICY, &input.to_string()).unwrap()).unwrap())
        .unwrap()
}

#[test]
fn deadline_answers_the_worked_examples_in_the_calendar_offset() {
    assert_eq!(
        to_json(
            &api::deadline(
                &POLICY,
                r#"{"from": "2026-02-13T10:00:00Z", "add": "3 working_days"}"#
            )
            .unwrap()
        )
        .unwrap(),
        r#"{"from":"2026-02-13T18:00:00+08:00","add":"3 working_days","due":"2026-02-25T17:30:00+08:00","warnings":[]}"#
    );
    assert_eq!(
        deadline(json!({"from": "2026-02-13T16:30:00+08:00",
            "add": {"amount": 8, "unit": "business_hours"}})),
        json!({"from": "2026-02-13T16:30:00+08:00", "add": "8 business_hours",
            "due": "2026-02-14T17:00:00+08:00", "warnings": []})
    );
    assert_eq!(
        deadline(json!({"from": "2026-09-28T02:00:00-05:00", "add": "3 calendar_days"}))["due"],
        "2026-10-09T00:00:00+08:00"
    );
}

#[test]
fn deadline_warns_about_an_uncovered_year_and_strict_policies_refuse() {
    let out = deadline(json!({"from": "2026-12-31T10:00:00+08:00", "add": "1 working_days"}));
    assert_eq!(out["due"], "2027-01-01T17:30:00+08:00");
    assert_eq!(out["warnings"][0]["code"], "calendar_not_covered");
    assert_eq!(out["warnings"][0]["severity"], "warning");
    assert!(
        out["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2027")
    );

    let err = api::deadline(
        &STRICT,
        r#"{"from": "2026-12-31T10:00:00+08:00", "add": "1 working_days"}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::CalendarNotCovered);
    assert!(err.message.contains("2027"));
}

#[test]
fn deadline_names_every_bad_field() {
    let err = api::deadline(
        &POLICY,
        r#"{"from": "2026-02-13 18:00", "add": "3 weeks", "colour": "red"}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        paths(&err),
        [
            ("invalid_instant", "$.from"),
            ("invalid_duration", "$.add"),
            ("unknown_field", "$.colour"),
        ]
    );
    let err = api::deadline(
        &POLICY,
        r#"{"add": {"amount": -1, "unit": "working_days", "every": 2}}"#,
    )
    .unwrap_err();
    assert_eq!(
        paths(&err),
        [
            ("missing_field", "$.from"),
            ("negative_duration", "$.add.amount"),
            ("unknown_field", "$.add.every"),
        ]
    );
    let err = api::deadline(
        &POLICY,
        r#"{"from": 5, "add": {"amount": "3", "unit": "fortnights"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        paths(&err),
        [("wrong_type", "$.from"), ("wrong_type", "$.add.amount")]
    );
    let err = api::deadline(
        &POLICY,
        r#"{"from": "2026-02-13T18:00:00+08:00", "add": 3}"#,
    )
    .unwrap_err();
    assert_eq!(paths(&err), [("wrong_type", "$.add")]);
    let err = api::deadline(&POLICY, "{not json").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidJson);
    let err = api::deadline(&POLICY, "[]").unwrap_err();
    assert_eq!(paths(&err), [("wrong_type", "$")]);
}

#[test]
fn calendar_days_lists_each_date_across_the_spring_festival() {
    let out = api::calendar_days(&POLICY, r#"{"from": "2026-02-13", "to": "2026-02-24"}"#).unwrap();
    assert!(out.warnings.is_empty());
    let summary: Vec<String> = out
        .days
        .iter()
        .map(|d| {
            format!(
                "{} {}{}{}",
                d.date,
                if d.working { "work" } else { "off" },
                d.holiday
                    .as_deref()
                    .map(|h| format!(" {h}"))
                    .unwrap_or_default(),
                if d.make_up { " make-up" } else { "" }
            )
        })
        .collect();
    let mut expected = vec![
        "2026-02-13 work".to_owned(),
        "2026-02-14 work make-up".to_owned(),
    ];
    for day in 15..=23 {
        expected.push(format!("2026-02-{day} off 春节 Spring Festival"));
    }
    expected.push("2026-02-24 work".to_owned());
    assert_eq!(summary, expected);
    let json: Value = serde_json::from_str(&to_json(&out).unwrap()).unwrap();
    assert_eq!(
        json["days"][2],
        json!({"date": "2026-02-15", "working": false, "holiday": "春节 Spring Festival",
            "make_up": false, "covered": true})
    );
    assert_eq!(
        json["days"][0],
        json!({"date": "2026-02-13", "working": true, "make_up": false, "covered": true})
    );
}

#[test]
fn calendar_days_warns_or_refuses_for_uncovered_years_and_bounds_the_range() {
    let out = api::calendar_days(&POLICY, r#"{"from": "2026-12-31", "to": "2027-01-04"}"#).unwrap();
    assert_eq!(out.days.len(), 5);
    assert_eq!(out.warnings.len(), 1);
    assert!(out.warnings[0].message.contains("2027"));
    assert!(out.days[0].covered && !out.days[1].covered);
    assert!(out.days[1].working, "Friday 2027-01-01 by the weekday rule");

    let err =
        api::calendar_days(&STRICT, r#"{"from": "2026-12-31", "to": "2027-01-04"}"#).unwrap_err();
    assert_eq!(err.code, ErrorCode::CalendarNotCovered);

    let err =
        api::calendar_days(&POLICY, r#"{"from": "2026-03-01", "to": "2026-02-01"}"#).unwrap_err();
    assert_eq!(paths(&err), [("out_of_order", "$.to")]);
    let err =
        api::calendar_days(&POLICY, r#"{"from": "2020-01-01", "to": "2030-01-08"}"#).unwrap_err();
    assert_eq!(paths(&err), [("out_of_range", "$.to")]);
    assert!(
        api::calendar_days(&POLICY, r#"{"from": "2020-01-01", "to": "2030-01-07"}"#).is_ok(),
        "exactly 3660 days"
    );
    let err = api::calendar_days(&POLICY, r#"{"from": "2026-02-30", "to": 20260301, "x": 1}"#)
        .unwrap_err();
    assert_eq!(
        paths(&err),
        [
            ("invalid_date", "$.from"),
            ("wrong_type", "$.to"),
            ("unknown_field", "$.x")
        ]
    );
}

#[test]
fn clock_status_reads_a_clock_and_uses_the_policys_at_risk_fraction() {
    let input = json!({
        "clock": {
            "start": "2026-03-02T09:00:00+08:00",
            "duration": "24 hours",
            "pauses": [{"from": "2026-03-02T10:00:00+08:00", "to": "2026-03-02T11:00:00+08:00"}]
        },
        "now": "2026-03-02T20:00:00Z"
    });
    let status = api::clock_status(&POLICY, &input.to_string()).unwrap();
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        json!({"due": "2026-03-03T10:00:00+08:00", "fraction_elapsed": 0.75,
            "state": "at_risk", "warnings": []})
    );
}

#[test]
fn clock_status_names_every_bad_field_of_the_clock() {
    let input = json!({
        "clock": {
            "start": "2026-03-02T09:00:00+08:00",
            "duration": "24 hourz",
            "pauses": [{"from": "soon"}, {"from": "2026-03-02T08:00:00+08:00", "until": "x"}],
            "owner": "me"
        },
        "now": null
    });
    let err = api::clock_status(&POLICY, &input.to_string()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        paths(&err),
        [
            ("invalid_duration", "$.clock.duration"),
            ("invalid_instant", "$.clock.pauses[0].from"),
            ("unknown_field", "$.clock.pauses[1].until"),
            ("unknown_field", "$.clock.owner"),
            ("missing_field", "$.now"),
        ]
    );
    let inconsistent = json!({
        "clock": {
            "start": "2026-03-02T09:00:00+08:00",
            "duration": "24 hours",
            "pauses": [{"from": "2026-03-02T10:00:00+08:00"}, {"from": "2026-03-02T11:00:00+08:00"}]
        },
        "now": "2026-03-02T12:00:00+08:00"
    });
    let err = api::clock_status(&POLICY, &inconsistent.to_string()).unwrap_err();
    assert_eq!(paths(&err), [("open_pause", "$.clock.pauses[0].to")]);
}

/// The typed calls are what the JSON calls run once they have read their input: the same answer
/// for the same input, built in Rust.
#[test]
fn a_typed_call_answers_as_its_json_call() {
    let from = chrono::DateTime::parse_from_rfc3339("2026-02-13T10:00:00Z").unwrap();
    let add: caseflow_core::calendar::duration::Duration = "3 working_days".parse().unwrap();
    let typed = api::typed::deadline(&POLICY, &api::DeadlineInput { from, add }).unwrap();
    let json = api::deadline(
        &POLICY,
        r#"{"from": "2026-02-13T10:00:00Z", "add": "3 working_days"}"#,
    )
    .unwrap();
    assert_eq!(typed, json);

    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2026, 2, 14).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 2, 24).unwrap(),
    );
    let typed = api::typed::calendar_days(&POLICY, &api::CalendarDaysInput { from, to }).unwrap();
    let json =
        api::calendar_days(&POLICY, r#"{"from": "2026-02-14", "to": "2026-02-24"}"#).unwrap();
    assert_eq!(typed, json);
}
