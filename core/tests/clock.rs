//! Clocks (docs/policy.md §5.3) on the default calendar: every state, pauses in each unit, refused
//! operations, and the JSON shape shared with the C ABI and wasm.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::calendar::{Calendar, Clock, ClockState, ClockStatus};
use caseflow_core::{ErrorCode, Policy};
use chrono::{DateTime, FixedOffset};
use serde_json::json;

/// A clock as a snapshot's reader reads it.
fn read(value: serde_json::Value) -> Result<Clock, caseflow_core::Error> {
    Clock::from_value(&value, &caseflow_core::JsonPath::root())
}

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());

fn calendar() -> &'static Calendar {
    POLICY.calendar()
}

fn t(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn clock(start: &str, duration: &str) -> Clock {
    Clock::new(t(start), duration.parse().unwrap())
}

fn status(clock: &Clock, now: &str) -> ClockStatus {
    clock.status(calendar(), 0.75, t(now)).unwrap()
}

fn due(clock: &Clock, now: &str) -> String {
    status(clock, now).due.to_rfc3339()
}

#[test]
fn a_clock_runs_goes_at_risk_and_breaches() {
    let c = clock("2026-03-02T09:00:00+08:00", "24 hours");
    let at = |now: &str| {
        let s = status(&c, now);
        (s.state, s.fraction_elapsed)
    };
    assert_eq!(at("2026-03-02T08:00:00+08:00"), (ClockState::Running, 0.0));
    assert_eq!(at("2026-03-02T21:00:00+08:00"), (ClockState::Running, 0.5));
    assert_eq!(
        at("2026-03-03T02:59:59+08:00"),
        (ClockState::Running, 0.75),
        "the state uses the exact fraction, the report rounds it"
    );
    assert_eq!(at("2026-03-03T03:00:00+08:00"), (ClockState::AtRisk, 0.75));
    assert_eq!(at("2026-03-03T09:00:00+08:00"), (ClockState::Breached, 1.0));
    assert_eq!(
        at("2026-03-03T15:00:00+08:00"),
        (ClockState::Breached, 1.25)
    );
    assert_eq!(due(&c, "2026-03-02T10:00:00Z"), "2026-03-03T09:00:00+08:00");
    assert!(status(&c, "2026-03-02T10:00:00Z").warnings.is_empty());
}

#[test]
fn the_at_risk_fraction_is_the_callers() {
    let c = clock("2026-03-02T09:00:00+08:00", "24 hours");
    let s = c
        .status(calendar(), 0.5, t("2026-03-02T21:00:00+08:00"))
        .unwrap();
    assert_eq!(s.state, ClockState::AtRisk);
    for bad in [0.0, -0.1, 1.5, f64::NAN] {
        let err = c.status(calendar(), bad, t("2026-03-02T21:00:00+08:00"));
        assert_eq!(err.unwrap_err().code, ErrorCode::InvalidInput, "{bad}");
    }
}

#[test]
fn a_stopped_clock_is_met_or_breached_and_its_fraction_freezes() {
    let mut met = clock("2026-03-02T09:00:00+08:00", "24 hours");
    met.stop(t("2026-03-03T05:00:00+08:00")).unwrap();
    let s = status(&met, "2026-03-05T09:00:00+08:00");
    assert_eq!((s.state, s.fraction_elapsed), (ClockState::Met, 0.8333));

    let mut exactly = clock("2026-03-02T09:00:00+08:00", "24 hours");
    exactly.stop(t("2026-03-03T09:00:00+08:00")).unwrap();
    assert_eq!(
        status(&exactly, "2026-03-04T09:00:00+08:00").state,
        ClockState::Met
    );

    let mut late = clock("2026-03-02T09:00:00+08:00", "24 hours");
    late.stop(t("2026-03-03T10:00:00+08:00")).unwrap();
    let s = status(&late, "2026-03-04T09:00:00+08:00");
    assert_eq!(
        (s.state, s.fraction_elapsed),
        (ClockState::Breached, 1.0417)
    );

    assert_eq!(
        status(&late, "2026-03-03T08:00:00+08:00").state,
        ClockState::AtRisk,
        "before the stop, the clock was still running"
    );
}

#[test]
fn an_open_pause_reports_paused_and_the_due_as_if_resumed_now() {
    let mut c = clock("2026-03-02T09:00:00+08:00", "24 hours");
    c.pause(t("2026-03-02T15:00:00+08:00")).unwrap();
    let s = status(&c, "2026-03-02T19:00:00+08:00");
    assert_eq!(s.state, ClockState::Paused);
    assert_eq!(s.fraction_elapsed, 0.25);
    assert_eq!(s.due.to_rfc3339(), "2026-03-03T13:00:00+08:00");
    let later = status(&c, "2026-03-04T19:00:00+08:00");
    assert_eq!(
        later.state,
        ClockState::Paused,
        "a paused clock never breaches"
    );
    assert_eq!(later.due.to_rfc3339(), "2026-03-05T13:00:00+08:00");

    c.resume(t("2026-03-02T19:00:00+08:00")).unwrap();
    let s = status(&c, "2026-03-03T12:59:00+08:00");
    assert_eq!(s.state, ClockState::AtRisk);
    assert_eq!(s.due.to_rfc3339(), "2026-03-03T13:00:00+08:00");
    assert_eq!(
        status(&c, "2026-03-03T13:00:00+08:00").state,
        ClockState::Breached
    );
}

#[test]
fn wall_units_are_pushed_out_by_paused_wall_time() {
    let mut minutes = clock("2026-03-02T10:00:00+08:00", "30 minutes");
    minutes.pause(t("2026-03-02T10:10:00+08:00")).unwrap();
    minutes.resume(t("2026-03-02T10:20:00+08:00")).unwrap();
    assert_eq!(
        due(&minutes, "2026-03-02T10:25:00+08:00"),
        "2026-03-02T10:40:00+08:00"
    );

    let mut hours = clock("2026-03-06T09:00:00+08:00", "24 hours");
    hours.pause(t("2026-03-06T12:00:00+08:00")).unwrap();
    hours.resume(t("2026-03-06T14:00:00+08:00")).unwrap();
    assert_eq!(
        due(&hours, "2026-03-06T15:00:00+08:00"),
        "2026-03-07T11:00:00+08:00"
    );

    let mut days = clock("2026-03-02T10:00:00+08:00", "3 calendar_days");
    assert_eq!(
        due(&days, "2026-03-02T11:00:00+08:00"),
        "2026-03-06T00:00:00+08:00"
    );
    days.pause(t("2026-03-03T10:00:00+08:00")).unwrap();
    days.resume(t("2026-03-03T11:30:00+08:00")).unwrap();
    assert_eq!(
        due(&days, "2026-03-03T12:00:00+08:00"),
        "2026-03-06T01:30:00+08:00",
        "calendar days are wall time: the pause moves the due off midnight"
    );
}

#[test]
fn business_units_are_pushed_out_by_paused_working_time_only() {
    // 8 business hours from Monday 09:00: 7 on Monday, due Tuesday 09:30.
    let base = clock("2026-03-02T09:00:00+08:00", "8 business_hours");
    assert_eq!(
        due(&base, "2026-03-02T09:00:00+08:00"),
        "2026-03-03T09:30:00+08:00"
    );
    let paused = |from: &str, to: &str| {
        let mut c = base.clone();
        c.pause(t(from)).unwrap();
        c.resume(t(to)).unwrap();
        due(&c, "2026-03-03T23:00:00+08:00")
    };
    assert_eq!(
        paused("2026-03-02T12:00:00+08:00", "2026-03-02T13:30:00+08:00"),
        "2026-03-03T09:30:00+08:00",
        "a pause over lunch costs no working time"
    );
    assert_eq!(
        paused("2026-03-02T10:00:00+08:00", "2026-03-02T11:00:00+08:00"),
        "2026-03-03T10:30:00+08:00"
    );
    assert_eq!(
        paused("2026-03-02T17:00:00+08:00", "2026-03-03T09:00:00+08:00"),
        "2026-03-03T10:30:00+08:00",
        "17:00-17:30 and 08:30-09:00: one working hour"
    );

    // 1 working day from Friday evening: due Monday 17:30.
    let friday = clock("2026-03-06T18:00:00+08:00", "1 working_days");
    let mut weekend = friday.clone();
    weekend.pause(t("2026-03-07T09:00:00+08:00")).unwrap();
    weekend.resume(t("2026-03-08T20:00:00+08:00")).unwrap();
    assert_eq!(
        due(&weekend, "2026-03-09T09:00:00+08:00"),
        "2026-03-09T17:30:00+08:00"
    );
    let mut monday = friday.clone();
    monday.pause(t("2026-03-09T08:00:00+08:00")).unwrap();
    monday.resume(t("2026-03-09T10:30:00+08:00")).unwrap();
    let s = status(&monday, "2026-03-09T17:30:00+08:00");
    assert_eq!(s.due.to_rfc3339(), "2026-03-10T10:30:00+08:00");
    assert_eq!(s.state, ClockState::Running);
    assert_eq!(s.fraction_elapsed, 0.7333, "5.5 of 7.5 working hours");
}

#[test]
fn business_clocks_measure_working_time_and_skip_holidays() {
    // 3 working days from 2026-02-13 18:00: due Feb 25 17:30 (docs/policy.md §5.1).
    let c = clock("2026-02-13T18:00:00+08:00", "3 working_days");
    let s = status(&c, "2026-02-20T12:00:00+08:00");
    assert_eq!(s.due.to_rfc3339(), "2026-02-25T17:30:00+08:00");
    assert_eq!(
        s.fraction_elapsed, 0.3333,
        "only the make-up Saturday has been worked"
    );
    assert_eq!(s.state, ClockState::Running);
    let s = status(&c, "2026-02-25T10:00:00+08:00");
    assert_eq!((s.state, s.fraction_elapsed), (ClockState::Running, 0.7333));
    let s = status(&c, "2026-02-25T12:00:00+08:00");
    assert_eq!((s.state, s.fraction_elapsed), (ClockState::AtRisk, 0.8222));
}

#[test]
fn a_pause_after_the_due_does_not_rescue_a_breached_clock() {
    let mut c = clock("2026-03-02T09:00:00+08:00", "1 hours");
    c.pause(t("2026-03-02T11:00:00+08:00")).unwrap();
    let s = status(&c, "2026-03-02T12:00:00+08:00");
    assert_eq!(s.state, ClockState::Breached);
    assert_eq!(s.due.to_rfc3339(), "2026-03-02T10:00:00+08:00");
    assert_eq!(s.fraction_elapsed, 3.0);
}

#[test]
fn the_status_of_a_past_instant_ignores_what_came_after_it() {
    let mut c = clock("2026-03-02T09:00:00+08:00", "4 hours");
    c.pause(t("2026-03-02T10:00:00+08:00")).unwrap();
    c.resume(t("2026-03-02T11:00:00+08:00")).unwrap();
    c.stop(t("2026-03-02T12:00:00+08:00")).unwrap();
    let early = status(&c, "2026-03-02T09:30:00+08:00");
    assert_eq!(early.state, ClockState::Running);
    assert_eq!(early.due.to_rfc3339(), "2026-03-02T13:00:00+08:00");
    let during = status(&c, "2026-03-02T10:30:00+08:00");
    assert_eq!(during.state, ClockState::Paused);
    assert_eq!(during.due.to_rfc3339(), "2026-03-02T13:30:00+08:00");
    let after = status(&c, "2026-03-02T18:00:00+08:00");
    assert_eq!(after.state, ClockState::Met);
    assert_eq!(after.due.to_rfc3339(), "2026-03-02T14:00:00+08:00");
    assert_eq!(after.fraction_elapsed, 0.5);
}

#[test]
fn a_zero_clock_is_due_at_its_start() {
    let c = clock("2026-03-02T09:00:00+08:00", "0 working_days");
    let before = status(&c, "2026-03-02T08:00:00+08:00");
    assert_eq!(
        (before.state, before.fraction_elapsed),
        (ClockState::Running, 0.0)
    );
    let at = status(&c, "2026-03-02T09:00:00+08:00");
    assert_eq!((at.state, at.fraction_elapsed), (ClockState::Breached, 1.0));
    let mut stopped = c.clone();
    stopped.stop(t("2026-03-02T09:00:00+08:00")).unwrap();
    assert_eq!(
        status(&stopped, "2026-03-02T10:00:00+08:00").state,
        ClockState::Met
    );
}

#[test]
fn clocks_into_an_uncovered_year_warn() {
    let c = clock("2026-12-30T10:00:00+08:00", "3 working_days");
    let s = status(&c, "2026-12-31T10:00:00+08:00");
    assert_eq!(s.due.to_rfc3339(), "2027-01-04T17:30:00+08:00");
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].message.contains("2027"));
}

#[test]
fn refused_operations_leave_the_clock_unchanged() {
    let mut running = clock("2026-03-02T09:00:00+08:00", "8 business_hours");
    running.pause(t("2026-03-02T10:00:00+08:00")).unwrap();
    running.resume(t("2026-03-02T11:00:00+08:00")).unwrap();
    let mut paused = running.clone();
    paused.pause(t("2026-03-02T14:00:00+08:00")).unwrap();
    let mut stopped = running.clone();
    stopped.stop(t("2026-03-02T16:00:00+08:00")).unwrap();

    type Op = fn(&mut Clock, DateTime<FixedOffset>) -> Result<(), caseflow_core::Error>;
    let (pause, resume, stop): (Op, Op, Op) = (Clock::pause, Clock::resume, Clock::stop);
    let refusals: [(&Clock, Op, &str, &str); 10] = [
        (&running, pause, "2026-03-02T08:00:00+08:00", "before_start"),
        (&running, pause, "2026-03-02T10:30:00+08:00", "out_of_order"),
        (
            &paused,
            pause,
            "2026-03-02T15:00:00+08:00",
            "already_paused",
        ),
        (&running, resume, "2026-03-02T12:00:00+08:00", "not_paused"),
        (&paused, resume, "2026-03-02T13:00:00+08:00", "out_of_order"),
        (&running, stop, "2026-03-02T08:00:00+08:00", "before_start"),
        (&running, stop, "2026-03-02T10:30:00+08:00", "out_of_order"),
        (&paused, stop, "2026-03-02T13:00:00+08:00", "out_of_order"),
        (
            &stopped,
            stop,
            "2026-03-02T17:00:00+08:00",
            "already_stopped",
        ),
        (
            &stopped,
            pause,
            "2026-03-02T17:00:00+08:00",
            "clock_stopped",
        ),
    ];
    for (i, (clock, op, at, code)) in refusals.into_iter().enumerate() {
        let mut copy = clock.clone();
        let err = op(&mut copy, t(at)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "#{i}");
        assert_eq!(err.errors[0].code, code, "#{i}: {}", err.message);
        assert_eq!(&copy, clock, "#{i}: the clock is unchanged");
    }
    let mut resumed_stopped = stopped.clone();
    assert!(
        resumed_stopped
            .resume(t("2026-03-02T17:00:00+08:00"))
            .is_err()
    );
    assert_eq!(resumed_stopped, stopped);
}

#[test]
fn stopping_a_paused_clock_ends_the_pause() {
    let mut c = clock("2026-03-02T09:00:00+08:00", "24 hours");
    c.pause(t("2026-03-02T10:00:00+08:00")).unwrap();
    c.stop(t("2026-03-02T12:00:00+08:00")).unwrap();
    assert_eq!(c.pauses[0].to, Some(t("2026-03-02T12:00:00+08:00")));
    let s = status(&c, "2026-03-05T00:00:00+08:00");
    assert_eq!((s.state, s.fraction_elapsed), (ClockState::Met, 0.0417));
}

#[test]
fn an_inconsistent_clock_is_refused_with_every_problem_named() {
    let c = read(json!({
        "start": "2026-03-02T09:00:00+08:00",
        "duration": "8 business_hours",
        "pauses": [
            {"from": "2026-03-02T08:00:00+08:00", "to": "2026-03-02T10:00:00+08:00"},
            {"from": "2026-03-02T09:30:00+08:00"},
            {"from": "2026-03-02T12:00:00+08:00", "to": "2026-03-02T11:00:00+08:00"}
        ],
        "stopped_at": "2026-03-02T08:30:00+08:00"
    }))
    .unwrap();
    let err = c
        .status(calendar(), 0.75, t("2026-03-03T00:00:00+08:00"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let found: Vec<(&str, &str)> = err
        .errors
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("before_start", "$.pauses[0].from"),
            ("overlapping_pauses", "$.pauses[1].from"),
            ("open_pause", "$.pauses[1].to"),
            ("out_of_order", "$.pauses[2].to"),
            ("before_start", "$.stopped_at"),
            ("out_of_order", "$.stopped_at"),
        ]
    );
}

#[test]
fn clocks_and_statuses_have_a_stable_json_shape() {
    let mut c = clock("2026-03-02T01:00:00Z", "3 working_days");
    c.pause(t("2026-03-02T10:00:00+08:00")).unwrap();
    let value = serde_json::to_value(&c).unwrap();
    assert_eq!(
        value,
        json!({
            "start": "2026-03-02T01:00:00+00:00",
            "duration": "3 working_days",
            "pauses": [{"from": "2026-03-02T10:00:00+08:00"}]
        })
    );
    let back = read(value).unwrap();
    assert_eq!(back, c);
    let structured = read(json!({
        "start": "2026-03-02T09:00:00+08:00",
        "duration": {"amount": 3, "unit": "working_days"}
    }))
    .unwrap();
    assert!(structured.pauses.is_empty() && structured.stopped_at.is_none());
    assert!(
        read(json!({
            "start": "2026-03-02T09:00:00+08:00", "duration": "1 hours", "colour": "red"
        }))
        .is_err()
    );

    // Working time counts from the start: 1 of 29.5 hours (Monday from 09:00, then 3 days).
    let s = status(&c, "2026-03-02T11:00:00+08:00");
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({
            "due": "2026-03-06T09:30:00+08:00",
            "fraction_elapsed": 0.0339,
            "state": "paused",
            "warnings": []
        })
    );
    assert_eq!(serde_json::to_value(ClockState::AtRisk).unwrap(), "at_risk");
}
