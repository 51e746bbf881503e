//! Deadline arithmetic on the default calendar (docs/policy.md §5.1–5.2): the worked examples, every
//! 2025–2026 holiday boundary, year boundaries and coverage, time-of-day edges, offsets, and the
//! validation of a calendar specification.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::calendar::duration::Duration;
use caseflow_core::calendar::spec::{CalendarSpec, CoverageMode};
use caseflow_core::calendar::{Calendar, Due};
use caseflow_core::error::Severity;
use caseflow_core::{ErrorCode, JsonPath, Policy};
use chrono::{DateTime, FixedOffset, NaiveDate};

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());

fn default_spec() -> CalendarSpec {
    let policy: serde_json::Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    CalendarSpec::from_value(&policy["calendar"], &JsonPath::root().field("calendar")).unwrap()
}

fn strict() -> Calendar {
    let mut spec = default_spec();
    spec.coverage = CoverageMode::Strict;
    Calendar::compile(&spec, &JsonPath::root().field("calendar")).unwrap()
}

fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn add_on(calendar: &Calendar, from: &str, duration: &str) -> Due {
    let duration: Duration = duration.parse().unwrap();
    calendar.add(instant(from), duration).unwrap()
}

/// The due instant as RFC 3339, asserting no warning was given.
fn due(from: &str, duration: &str) -> String {
    let due = add_on(POLICY.calendar(), from, duration);
    assert!(
        due.warnings.is_empty(),
        "{from} + {duration}: {:?}",
        due.warnings
    );
    due.at.to_rfc3339()
}

#[test]
fn the_worked_examples_of_policy_5_1() {
    assert_eq!(
        due("2026-02-13T18:00:00+08:00", "3 working_days"),
        "2026-02-25T17:30:00+08:00",
        "Feb 14 is a make-up Saturday, Feb 15-23 the Spring Festival"
    );
    assert_eq!(
        due("2026-02-13T16:30:00+08:00", "8 business_hours"),
        "2026-02-14T17:00:00+08:00"
    );
    assert_eq!(
        due("2026-09-28T15:00:00+08:00", "3 calendar_days"),
        "2026-10-09T00:00:00+08:00",
        "Oct 1 is a holiday, Oct 8 the first working day after it"
    );
}

/// Around every 2025–2026 holiday: the day before, the first and the last day off, and each
/// make-up working day (and the day before it). Expected values computed independently, day by
/// day, from holidays-cn.json.
#[rustfmt::skip]
const HOLIDAY_BOUNDARIES: &[(&str, &str, &str)] = &[
    ("2024-12-31T10:00:00+08:00", "1 working_days", "2025-01-02T17:30:00+08:00"), // Tue
    ("2024-12-31T16:30:00+08:00", "2 business_hours", "2025-01-02T09:30:00+08:00"), // Tue
    ("2024-12-31T15:00:00+08:00", "1 calendar_days", "2025-01-03T00:00:00+08:00"), // Tue
    ("2025-01-01T10:00:00+08:00", "1 working_days", "2025-01-02T17:30:00+08:00"), // Wed off 元旦 New Year's Day
    ("2025-01-01T10:00:00+08:00", "1 business_hours", "2025-01-02T09:30:00+08:00"), // Wed off 元旦 New Year's Day
    ("2025-01-01T10:00:00+08:00", "2 calendar_days", "2025-01-04T00:00:00+08:00"), // Wed off 元旦 New Year's Day
    ("2025-01-01T23:59:00+08:00", "1 working_days", "2025-01-02T17:30:00+08:00"), // Wed off 元旦 New Year's Day
    ("2025-01-01T10:00:00+08:00", "1 calendar_days", "2025-01-03T00:00:00+08:00"), // Wed off 元旦 New Year's Day
    ("2025-01-27T10:00:00+08:00", "1 working_days", "2025-02-05T17:30:00+08:00"), // Mon
    ("2025-01-27T16:30:00+08:00", "2 business_hours", "2025-02-05T09:30:00+08:00"), // Mon
    ("2025-01-27T15:00:00+08:00", "1 calendar_days", "2025-02-06T00:00:00+08:00"), // Mon
    ("2025-01-28T10:00:00+08:00", "1 working_days", "2025-02-05T17:30:00+08:00"), // Tue off 春节 Spring Festival
    ("2025-01-28T10:00:00+08:00", "1 business_hours", "2025-02-05T09:30:00+08:00"), // Tue off 春节 Spring Festival
    ("2025-01-28T10:00:00+08:00", "2 calendar_days", "2025-02-06T00:00:00+08:00"), // Tue off 春节 Spring Festival
    ("2025-02-04T23:59:00+08:00", "1 working_days", "2025-02-05T17:30:00+08:00"), // Tue off 春节 Spring Festival
    ("2025-02-04T10:00:00+08:00", "1 calendar_days", "2025-02-06T00:00:00+08:00"), // Tue off 春节 Spring Festival
    ("2025-04-03T10:00:00+08:00", "1 working_days", "2025-04-07T17:30:00+08:00"), // Thu
    ("2025-04-03T16:30:00+08:00", "2 business_hours", "2025-04-07T09:30:00+08:00"), // Thu
    ("2025-04-03T15:00:00+08:00", "1 calendar_days", "2025-04-08T00:00:00+08:00"), // Thu
    ("2025-04-04T10:00:00+08:00", "1 working_days", "2025-04-07T17:30:00+08:00"), // Fri off 清明节 Qingming
    ("2025-04-04T10:00:00+08:00", "1 business_hours", "2025-04-07T09:30:00+08:00"), // Fri off 清明节 Qingming
    ("2025-04-04T10:00:00+08:00", "2 calendar_days", "2025-04-08T00:00:00+08:00"), // Fri off 清明节 Qingming
    ("2025-04-06T23:59:00+08:00", "1 working_days", "2025-04-07T17:30:00+08:00"), // Sun off 清明节 Qingming
    ("2025-04-06T10:00:00+08:00", "1 calendar_days", "2025-04-08T00:00:00+08:00"), // Sun off 清明节 Qingming
    ("2025-04-30T10:00:00+08:00", "1 working_days", "2025-05-06T17:30:00+08:00"), // Wed
    ("2025-04-30T16:30:00+08:00", "2 business_hours", "2025-05-06T09:30:00+08:00"), // Wed
    ("2025-04-30T15:00:00+08:00", "1 calendar_days", "2025-05-07T00:00:00+08:00"), // Wed
    ("2025-05-01T10:00:00+08:00", "1 working_days", "2025-05-06T17:30:00+08:00"), // Thu off 劳动节 Labour Day
    ("2025-05-01T10:00:00+08:00", "1 business_hours", "2025-05-06T09:30:00+08:00"), // Thu off 劳动节 Labour Day
    ("2025-05-01T10:00:00+08:00", "2 calendar_days", "2025-05-07T00:00:00+08:00"), // Thu off 劳动节 Labour Day
    ("2025-05-05T23:59:00+08:00", "1 working_days", "2025-05-06T17:30:00+08:00"), // Mon off 劳动节 Labour Day
    ("2025-05-05T10:00:00+08:00", "1 calendar_days", "2025-05-07T00:00:00+08:00"), // Mon off 劳动节 Labour Day
    ("2025-05-30T10:00:00+08:00", "1 working_days", "2025-06-03T17:30:00+08:00"), // Fri
    ("2025-05-30T16:30:00+08:00", "2 business_hours", "2025-06-03T09:30:00+08:00"), // Fri
    ("2025-05-30T15:00:00+08:00", "1 calendar_days", "2025-06-04T00:00:00+08:00"), // Fri
    ("2025-05-31T10:00:00+08:00", "1 working_days", "2025-06-03T17:30:00+08:00"), // Sat off 端午节 Dragon Boat
    ("2025-05-31T10:00:00+08:00", "1 business_hours", "2025-06-03T09:30:00+08:00"), // Sat off 端午节 Dragon Boat
    ("2025-05-31T10:00:00+08:00", "2 calendar_days", "2025-06-04T00:00:00+08:00"), // Sat off 端午节 Dragon Boat
    ("2025-06-02T23:59:00+08:00", "1 working_days", "2025-06-03T17:30:00+08:00"), // Mon off 端午节 Dragon Boat
    ("2025-06-02T10:00:00+08:00", "1 calendar_days", "2025-06-04T00:00:00+08:00"), // Mon off 端午节 Dragon Boat
    ("2025-09-30T10:00:00+08:00", "1 working_days", "2025-10-09T17:30:00+08:00"), // Tue
    ("2025-09-30T16:30:00+08:00", "2 business_hours", "2025-10-09T09:30:00+08:00"), // Tue
    ("2025-09-30T15:00:00+08:00", "1 calendar_days", "2025-10-10T00:00:00+08:00"), // Tue
    ("2025-10-01T10:00:00+08:00", "1 working_days", "2025-10-09T17:30:00+08:00"), // Wed off 国庆节、中秋节 National Day and Mid-Autumn
    ("2025-10-01T10:00:00+08:00", "1 business_hours", "2025-10-09T09:30:00+08:00"), // Wed off 国庆节、中秋节 National Day and Mid-Autumn
    ("2025-10-01T10:00:00+08:00", "2 calendar_days", "2025-10-10T00:00:00+08:00"), // Wed off 国庆节、中秋节 National Day and Mid-Autumn
    ("2025-10-08T23:59:00+08:00", "1 working_days", "2025-10-09T17:30:00+08:00"), // Wed off 国庆节、中秋节 National Day and Mid-Autumn
    ("2025-10-08T10:00:00+08:00", "1 calendar_days", "2025-10-10T00:00:00+08:00"), // Wed off 国庆节、中秋节 National Day and Mid-Autumn
    ("2025-01-25T18:00:00+08:00", "1 working_days", "2025-01-26T17:30:00+08:00"), // Sat
    ("2025-01-26T12:00:00+08:00", "1 business_hours", "2025-01-26T14:30:00+08:00"), // Sun make-up
    ("2025-01-26T10:00:00+08:00", "1 calendar_days", "2025-01-28T00:00:00+08:00"), // Sun make-up
    ("2025-02-07T18:00:00+08:00", "1 working_days", "2025-02-08T17:30:00+08:00"), // Fri
    ("2025-02-08T12:00:00+08:00", "1 business_hours", "2025-02-08T14:30:00+08:00"), // Sat make-up
    ("2025-02-08T10:00:00+08:00", "1 calendar_days", "2025-02-11T00:00:00+08:00"), // Sat make-up
    ("2025-04-26T18:00:00+08:00", "1 working_days", "2025-04-27T17:30:00+08:00"), // Sat
    ("2025-04-27T12:00:00+08:00", "1 business_hours", "2025-04-27T14:30:00+08:00"), // Sun make-up
    ("2025-04-27T10:00:00+08:00", "1 calendar_days", "2025-04-29T00:00:00+08:00"), // Sun make-up
    ("2025-09-27T18:00:00+08:00", "1 working_days", "2025-09-28T17:30:00+08:00"), // Sat
    ("2025-09-28T12:00:00+08:00", "1 business_hours", "2025-09-28T14:30:00+08:00"), // Sun make-up
    ("2025-09-28T10:00:00+08:00", "1 calendar_days", "2025-09-30T00:00:00+08:00"), // Sun make-up
    ("2025-10-10T18:00:00+08:00", "1 working_days", "2025-10-11T17:30:00+08:00"), // Fri
    ("2025-10-11T12:00:00+08:00", "1 business_hours", "2025-10-11T14:30:00+08:00"), // Sat make-up
    ("2025-10-11T10:00:00+08:00", "1 calendar_days", "2025-10-14T00:00:00+08:00"), // Sat make-up
    ("2025-12-31T10:00:00+08:00", "1 working_days", "2026-01-04T17:30:00+08:00"), // Wed
    ("2025-12-31T16:30:00+08:00", "2 business_hours", "2026-01-04T09:30:00+08:00"), // Wed
    ("2025-12-31T15:00:00+08:00", "1 calendar_days", "2026-01-05T00:00:00+08:00"), // Wed
    ("2026-01-01T10:00:00+08:00", "1 working_days", "2026-01-04T17:30:00+08:00"), // Thu off 元旦 New Year's Day
    ("2026-01-01T10:00:00+08:00", "1 business_hours", "2026-01-04T09:30:00+08:00"), // Thu off 元旦 New Year's Day
    ("2026-01-01T10:00:00+08:00", "2 calendar_days", "2026-01-05T00:00:00+08:00"), // Thu off 元旦 New Year's Day
    ("2026-01-03T23:59:00+08:00", "1 working_days", "2026-01-04T17:30:00+08:00"), // Sat off 元旦 New Year's Day
    ("2026-01-03T10:00:00+08:00", "1 calendar_days", "2026-01-05T00:00:00+08:00"), // Sat off 元旦 New Year's Day
    ("2026-02-14T10:00:00+08:00", "1 working_days", "2026-02-24T17:30:00+08:00"), // Sat make-up
    ("2026-02-14T16:30:00+08:00", "2 business_hours", "2026-02-24T09:30:00+08:00"), // Sat make-up
    ("2026-02-14T15:00:00+08:00", "1 calendar_days", "2026-02-25T00:00:00+08:00"), // Sat make-up
    ("2026-02-15T10:00:00+08:00", "1 working_days", "2026-02-24T17:30:00+08:00"), // Sun off 春节 Spring Festival
    ("2026-02-15T10:00:00+08:00", "1 business_hours", "2026-02-24T09:30:00+08:00"), // Sun off 春节 Spring Festival
    ("2026-02-15T10:00:00+08:00", "2 calendar_days", "2026-02-25T00:00:00+08:00"), // Sun off 春节 Spring Festival
    ("2026-02-23T23:59:00+08:00", "1 working_days", "2026-02-24T17:30:00+08:00"), // Mon off 春节 Spring Festival
    ("2026-02-23T10:00:00+08:00", "1 calendar_days", "2026-02-25T00:00:00+08:00"), // Mon off 春节 Spring Festival
    ("2026-04-03T10:00:00+08:00", "1 working_days", "2026-04-07T17:30:00+08:00"), // Fri
    ("2026-04-03T16:30:00+08:00", "2 business_hours", "2026-04-07T09:30:00+08:00"), // Fri
    ("2026-04-03T15:00:00+08:00", "1 calendar_days", "2026-04-08T00:00:00+08:00"), // Fri
    ("2026-04-04T10:00:00+08:00", "1 working_days", "2026-04-07T17:30:00+08:00"), // Sat off 清明节 Qingming
    ("2026-04-04T10:00:00+08:00", "1 business_hours", "2026-04-07T09:30:00+08:00"), // Sat off 清明节 Qingming
    ("2026-04-04T10:00:00+08:00", "2 calendar_days", "2026-04-08T00:00:00+08:00"), // Sat off 清明节 Qingming
    ("2026-04-06T23:59:00+08:00", "1 working_days", "2026-04-07T17:30:00+08:00"), // Mon off 清明节 Qingming
    ("2026-04-06T10:00:00+08:00", "1 calendar_days", "2026-04-08T00:00:00+08:00"), // Mon off 清明节 Qingming
    ("2026-04-30T10:00:00+08:00", "1 working_days", "2026-05-06T17:30:00+08:00"), // Thu
    ("2026-04-30T16:30:00+08:00", "2 business_hours", "2026-05-06T09:30:00+08:00"), // Thu
    ("2026-04-30T15:00:00+08:00", "1 calendar_days", "2026-05-07T00:00:00+08:00"), // Thu
    ("2026-05-01T10:00:00+08:00", "1 working_days", "2026-05-06T17:30:00+08:00"), // Fri off 劳动节 Labour Day
    ("2026-05-01T10:00:00+08:00", "1 business_hours", "2026-05-06T09:30:00+08:00"), // Fri off 劳动节 Labour Day
    ("2026-05-01T10:00:00+08:00", "2 calendar_days", "2026-05-07T00:00:00+08:00"), // Fri off 劳动节 Labour Day
    ("2026-05-05T23:59:00+08:00", "1 working_days", "2026-05-06T17:30:00+08:00"), // Tue off 劳动节 Labour Day
    ("2026-05-05T10:00:00+08:00", "1 calendar_days", "2026-05-07T00:00:00+08:00"), // Tue off 劳动节 Labour Day
    ("2026-06-18T10:00:00+08:00", "1 working_days", "2026-06-22T17:30:00+08:00"), // Thu
    ("2026-06-18T16:30:00+08:00", "2 business_hours", "2026-06-22T09:30:00+08:00"), // Thu
    ("2026-06-18T15:00:00+08:00", "1 calendar_days", "2026-06-23T00:00:00+08:00"), // Thu
    ("2026-06-19T10:00:00+08:00", "1 working_days", "2026-06-22T17:30:00+08:00"), // Fri off 端午节 Dragon Boat
    ("2026-06-19T10:00:00+08:00", "1 business_hours", "2026-06-22T09:30:00+08:00"), // Fri off 端午节 Dragon Boat
    ("2026-06-19T10:00:00+08:00", "2 calendar_days", "2026-06-23T00:00:00+08:00"), // Fri off 端午节 Dragon Boat
    ("2026-06-21T23:59:00+08:00", "1 working_days", "2026-06-22T17:30:00+08:00"), // Sun off 端午节 Dragon Boat
    ("2026-06-21T10:00:00+08:00", "1 calendar_days", "2026-06-23T00:00:00+08:00"), // Sun off 端午节 Dragon Boat
    ("2026-09-24T10:00:00+08:00", "1 working_days", "2026-09-28T17:30:00+08:00"), // Thu
    ("2026-09-24T16:30:00+08:00", "2 business_hours", "2026-09-28T09:30:00+08:00"), // Thu
    ("2026-09-24T15:00:00+08:00", "1 calendar_days", "2026-09-29T00:00:00+08:00"), // Thu
    ("2026-09-25T10:00:00+08:00", "1 working_days", "2026-09-28T17:30:00+08:00"), // Fri off 中秋节 Mid-Autumn
    ("2026-09-25T10:00:00+08:00", "1 business_hours", "2026-09-28T09:30:00+08:00"), // Fri off 中秋节 Mid-Autumn
    ("2026-09-25T10:00:00+08:00", "2 calendar_days", "2026-09-29T00:00:00+08:00"), // Fri off 中秋节 Mid-Autumn
    ("2026-09-27T23:59:00+08:00", "1 working_days", "2026-09-28T17:30:00+08:00"), // Sun off 中秋节 Mid-Autumn
    ("2026-09-27T10:00:00+08:00", "1 calendar_days", "2026-09-29T00:00:00+08:00"), // Sun off 中秋节 Mid-Autumn
    ("2026-09-30T10:00:00+08:00", "1 working_days", "2026-10-08T17:30:00+08:00"), // Wed
    ("2026-09-30T16:30:00+08:00", "2 business_hours", "2026-10-08T09:30:00+08:00"), // Wed
    ("2026-09-30T15:00:00+08:00", "1 calendar_days", "2026-10-09T00:00:00+08:00"), // Wed
    ("2026-10-01T10:00:00+08:00", "1 working_days", "2026-10-08T17:30:00+08:00"), // Thu off 国庆节 National Day
    ("2026-10-01T10:00:00+08:00", "1 business_hours", "2026-10-08T09:30:00+08:00"), // Thu off 国庆节 National Day
    ("2026-10-01T10:00:00+08:00", "2 calendar_days", "2026-10-09T00:00:00+08:00"), // Thu off 国庆节 National Day
    ("2026-10-07T23:59:00+08:00", "1 working_days", "2026-10-08T17:30:00+08:00"), // Wed off 国庆节 National Day
    ("2026-10-07T10:00:00+08:00", "1 calendar_days", "2026-10-09T00:00:00+08:00"), // Wed off 国庆节 National Day
    ("2026-01-03T18:00:00+08:00", "1 working_days", "2026-01-04T17:30:00+08:00"), // Sat off 元旦 New Year's Day
    ("2026-01-04T12:00:00+08:00", "1 business_hours", "2026-01-04T14:30:00+08:00"), // Sun make-up
    ("2026-01-04T10:00:00+08:00", "1 calendar_days", "2026-01-06T00:00:00+08:00"), // Sun make-up
    ("2026-02-13T18:00:00+08:00", "1 working_days", "2026-02-14T17:30:00+08:00"), // Fri
    ("2026-02-14T12:00:00+08:00", "1 business_hours", "2026-02-14T14:30:00+08:00"), // Sat make-up
    ("2026-02-14T10:00:00+08:00", "1 calendar_days", "2026-02-25T00:00:00+08:00"), // Sat make-up
    ("2026-02-27T18:00:00+08:00", "1 working_days", "2026-02-28T17:30:00+08:00"), // Fri
    ("2026-02-28T12:00:00+08:00", "1 business_hours", "2026-02-28T14:30:00+08:00"), // Sat make-up
    ("2026-02-28T10:00:00+08:00", "1 calendar_days", "2026-03-03T00:00:00+08:00"), // Sat make-up
    ("2026-05-08T18:00:00+08:00", "1 working_days", "2026-05-09T17:30:00+08:00"), // Fri
    ("2026-05-09T12:00:00+08:00", "1 business_hours", "2026-05-09T14:30:00+08:00"), // Sat make-up
    ("2026-05-09T10:00:00+08:00", "1 calendar_days", "2026-05-12T00:00:00+08:00"), // Sat make-up
    ("2026-09-19T18:00:00+08:00", "1 working_days", "2026-09-20T17:30:00+08:00"), // Sat
    ("2026-09-20T12:00:00+08:00", "1 business_hours", "2026-09-20T14:30:00+08:00"), // Sun make-up
    ("2026-09-20T10:00:00+08:00", "1 calendar_days", "2026-09-22T00:00:00+08:00"), // Sun make-up
    ("2026-10-09T18:00:00+08:00", "1 working_days", "2026-10-10T17:30:00+08:00"), // Fri
    ("2026-10-10T12:00:00+08:00", "1 business_hours", "2026-10-10T14:30:00+08:00"), // Sat make-up
    ("2026-10-10T10:00:00+08:00", "1 calendar_days", "2026-10-13T00:00:00+08:00"), // Sat make-up
];

#[test]
fn every_holiday_boundary_of_2025_and_2026() {
    for (from, duration, expected) in HOLIDAY_BOUNDARIES {
        let due = add_on(POLICY.calendar(), from, duration);
        assert_eq!(due.at.to_rfc3339(), *expected, "{from} + {duration}");
        let before_2025 = from.starts_with("2024") && duration.ends_with("business_hours");
        assert_eq!(
            due.warnings.len(),
            usize::from(before_2025),
            "{from} + {duration}: {:?}",
            due.warnings
        );
    }
}

#[test]
fn the_year_boundary_2025_to_2026_needs_no_warning() {
    assert_eq!(
        due("2025-12-31T17:00:00+08:00", "1 business_hours"),
        "2026-01-04T09:00:00+08:00",
        "Jan 1-3 off, Sunday Jan 4 a make-up day"
    );
    assert_eq!(
        due("2025-12-29T09:00:00+08:00", "5 working_days"),
        "2026-01-06T17:30:00+08:00",
        "Dec 30, Dec 31, Jan 4, Jan 5, Jan 6"
    );
    assert_eq!(
        due("2025-12-31T09:00:00+08:00", "1 calendar_days"),
        "2026-01-05T00:00:00+08:00",
        "Jan 1 is off; the next working day is the make-up Sunday Jan 4"
    );
}

#[test]
fn the_year_boundary_2026_to_2027_warns_in_lenient_mode_and_fails_in_strict_mode() {
    let lenient = add_on(
        POLICY.calendar(),
        "2026-12-31T10:00:00+08:00",
        "1 working_days",
    );
    assert_eq!(
        lenient.at.to_rfc3339(),
        "2027-01-01T17:30:00+08:00",
        "by the weekday rule, Friday Jan 1 2027 is a working day"
    );
    let [warning] = lenient.warnings.as_slice() else {
        panic!("one warning expected: {:?}", lenient.warnings)
    };
    assert_eq!(warning.code, "calendar_not_covered");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.path, "$.calendar.years");
    assert!(warning.message.contains("2027"), "{}", warning.message);

    let hours = add_on(
        POLICY.calendar(),
        "2026-12-31T16:30:00+08:00",
        "2 business_hours",
    );
    assert_eq!(hours.at.to_rfc3339(), "2027-01-01T09:30:00+08:00");
    assert_eq!(hours.warnings.len(), 1);

    let calendar = strict();
    let err = calendar
        .add(
            instant("2026-12-31T10:00:00+08:00"),
            "1 working_days".parse().unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::CalendarNotCovered);
    assert_eq!(err.errors[0].code, "calendar_not_covered");
    assert_eq!(err.errors[0].path, "$.calendar.years");
    assert!(err.message.contains("2027"), "{}", err.message);

    let inside = add_on(&calendar, "2026-12-31T10:00:00+08:00", "2 business_hours");
    assert_eq!(
        inside.at.to_rfc3339(),
        "2026-12-31T12:00:00+08:00",
        "a computation that stays in 2026 needs no 2027 schedule, even in strict mode"
    );
    assert!(inside.warnings.is_empty());
}

#[test]
fn a_long_span_over_several_uncovered_years_gives_one_warning_naming_them() {
    let due = add_on(
        POLICY.calendar(),
        "2026-12-01T10:00:00+08:00",
        "600 working_days",
    );
    let [warning] = due.warnings.as_slice() else {
        panic!("{:?}", due.warnings)
    };
    assert!(
        warning.message.contains("2027 to 2029"),
        "{}",
        warning.message
    );
    let before = add_on(
        POLICY.calendar(),
        "2024-06-03T10:00:00+08:00",
        "1 working_days",
    );
    assert!(before.warnings[0].message.contains("2024"));
}

#[test]
fn midnight_belongs_to_the_day_it_starts() {
    // Monday 2026-03-02.
    assert_eq!(
        due("2026-03-02T00:00:00+08:00", "1 working_days"),
        "2026-03-03T17:30:00+08:00",
        "the start day is not counted even from its first instant"
    );
    assert_eq!(
        due("2026-03-01T23:59:59+08:00", "1 working_days"),
        "2026-03-02T17:30:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T00:00:00+08:00", "1 calendar_days"),
        "2026-03-04T00:00:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T23:59:59+08:00", "1 calendar_days"),
        "2026-03-04T00:00:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T00:00:00+08:00", "1 business_hours"),
        "2026-03-02T09:30:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T00:00:00+08:00", "24 hours"),
        "2026-03-03T00:00:00+08:00"
    );
}

#[test]
fn business_hours_at_the_edges_of_the_shifts() {
    let cases = [
        ("08:29", 1, "2026-03-02T09:30:00+08:00"),
        ("08:30", 1, "2026-03-02T09:30:00+08:00"),
        ("08:30", 3, "2026-03-02T11:30:00+08:00"),
        ("09:00", 3, "2026-03-02T12:00:00+08:00"),
        ("11:00", 1, "2026-03-02T12:00:00+08:00"),
        ("11:30", 1, "2026-03-02T14:00:00+08:00"),
        ("12:00", 1, "2026-03-02T14:30:00+08:00"),
        ("12:45", 1, "2026-03-02T14:30:00+08:00"),
        ("13:30", 1, "2026-03-02T14:30:00+08:00"),
        ("13:30", 4, "2026-03-02T17:30:00+08:00"),
        ("10:00", 6, "2026-03-02T17:30:00+08:00"),
        ("10:00", 7, "2026-03-03T09:30:00+08:00"),
        ("17:29", 1, "2026-03-03T09:29:00+08:00"),
        ("17:30", 1, "2026-03-03T09:30:00+08:00"),
        ("23:00", 4, "2026-03-03T14:00:00+08:00"),
        ("08:30", 15, "2026-03-03T17:30:00+08:00"),
        ("08:30", 16, "2026-03-04T09:30:00+08:00"),
    ];
    for (time, hours, expected) in cases {
        let from = format!("2026-03-02T{time}:00+08:00");
        assert_eq!(
            due(&from, &format!("{hours} business_hours")),
            expected,
            "{from} + {hours}"
        );
    }
    assert_eq!(
        due("2026-03-06T17:30:00+08:00", "1 business_hours"),
        "2026-03-09T09:30:00+08:00",
        "Friday evening to Monday morning"
    );
    assert_eq!(
        due("2026-03-02T08:30:30.25+08:00", "1 business_hours"),
        "2026-03-02T09:30:30.250+08:00",
        "seconds and fractions are kept"
    );
}

#[test]
fn working_days_end_at_the_end_of_the_last_shift_whatever_the_start_time() {
    for time in ["00:00", "08:30", "12:00", "13:30", "17:30", "23:59"] {
        assert_eq!(
            due(&format!("2026-03-02T{time}:00+08:00"), "2 working_days"),
            "2026-03-04T17:30:00+08:00",
            "{time}"
        );
    }
}

#[test]
fn wall_clock_units_ignore_the_calendar() {
    assert_eq!(
        due("2026-02-13T18:00:00+08:00", "24 hours"),
        "2026-02-14T18:00:00+08:00"
    );
    assert_eq!(
        due("2026-02-16T09:45:00+08:00", "30 minutes"),
        "2026-02-16T10:15:00+08:00",
        "in the middle of the Spring Festival"
    );
    let far = add_on(POLICY.calendar(), "2030-01-01T00:00:00Z", "2 hours");
    assert!(far.warnings.is_empty(), "wall units need no schedule");
}

#[test]
fn a_zero_amount_is_due_at_the_start_written_in_the_calendar_offset() {
    for unit in [
        "minutes",
        "hours",
        "business_hours",
        "working_days",
        "calendar_days",
    ] {
        assert_eq!(
            due("2026-02-15T02:00:00Z", &format!("0 {unit}")),
            "2026-02-15T10:00:00+08:00",
            "{unit}"
        );
    }
}

#[test]
fn the_offset_an_instant_is_written_in_does_not_change_the_answer() {
    // 2026-02-13 18:00 in Beijing, written three ways.
    let writings = [
        "2026-02-13T18:00:00+08:00",
        "2026-02-13T10:00:00Z",
        "2026-02-13T05:00:00-05:00",
    ];
    for duration in [
        "3 working_days",
        "8 business_hours",
        "3 calendar_days",
        "24 hours",
    ] {
        let answers: Vec<String> = writings.iter().map(|w| due(w, duration)).collect();
        assert!(
            answers
                .iter()
                .all(|a| *a == answers[0] && a.ends_with("+08:00")),
            "{duration}: {answers:?}"
        );
    }
    assert_eq!(
        due("2026-02-13T10:00:00Z", "3 working_days"),
        "2026-02-25T17:30:00+08:00"
    );
}

#[test]
fn days_say_whether_they_are_worked_and_why() {
    let day = |text: &str| {
        POLICY
            .calendar()
            .day(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    };
    let festival = day("2026-02-16");
    assert!(!festival.working && festival.covered && !festival.make_up);
    assert_eq!(festival.holiday.as_deref(), Some("春节 Spring Festival"));
    let make_up = day("2026-02-14");
    assert!(make_up.working && make_up.make_up && make_up.holiday.is_none());
    let saturday = day("2026-03-07");
    assert!(!saturday.working && saturday.holiday.is_none() && saturday.covered);
    let uncovered = day("2027-01-01");
    assert!(
        uncovered.working && !uncovered.covered,
        "the weekday rule: a Friday"
    );
    assert_eq!(
        serde_json::to_value(&festival).unwrap(),
        serde_json::json!({"date": "2026-02-16", "working": false,
            "holiday": "春节 Spring Festival", "make_up": false, "covered": true})
    );
}

#[test]
fn a_calendar_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Calendar>();
    shareable::<Policy>();
}

#[test]
fn the_default_calendar_covers_2025_and_2026() {
    assert_eq!(POLICY.calendar().covered_years(), [2025, 2026]);
    assert_eq!(POLICY.summary().covered_years, [2025, 2026]);
    assert!(POLICY.calendar().warnings().is_empty());
    assert_eq!(POLICY.calendar().offset().local_minus_utc(), 8 * 3600);
    assert_eq!(POLICY.calendar().coverage(), CoverageMode::Lenient);
}

// ---------------------------------------------------------------------------------------------
// Validation of a calendar specification.

fn compile_json(
    patch: impl FnOnce(&mut serde_json::Value),
) -> Result<Calendar, Vec<caseflow_core::Diagnostic>> {
    let mut value = serde_json::to_value(default_spec()).unwrap();
    patch(&mut value);
    let spec = CalendarSpec::from_value(&value, &JsonPath::root().field("calendar")).unwrap();
    Calendar::compile(&spec, &JsonPath::root().field("calendar"))
}

fn found(diagnostics: &[caseflow_core::Diagnostic]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.path.clone()))
        .collect()
}

#[test]
fn every_problem_in_a_calendar_is_reported_at_once_with_its_path() {
    use serde_json::json;
    let errors = compile_json(|c| {
        c["utc_offset"] = json!("+8");
        c["working_hours"]["mon"] = json!(["8:30-12:00", "13:30-17:30"]);
        c["working_hours"]["tue"] = json!(["08:30-12:00", "11:00-17:30"]);
        c["working_hours"]["wed"] = json!(["13:30-17:30", "08:30-12:00"]);
        c["working_hours"]["thu"] = json!(["08:30-12:00", "13:30-24:30"]);
        c["working_hours"]["fri"] = json!(["12:00-08:30"]);
        c["make_up_day_hours"] = json!([]);
        c["years"]["26"] = json!({"off": [], "work": []});
        let y = &mut c["years"]["2026"];
        y["off"][0]["dates"][1] = json!("2026-01-32");
        y["off"][1]["dates"][0] = json!("2025-02-15");
        y["off"][2]["dates"][1] = json!("2026-02-16");
        y["off"][3]["name"] = json!(" ");
        y["work"][0] = json!("2026-01-01");
        y["work"][2] = json!("2026-02-14");
    })
    .unwrap_err();
    assert!(
        errors.iter().all(|d| d.severity == Severity::Error),
        "{errors:#?}"
    );
    let expected = [
        ("invalid_offset", "$.calendar.utc_offset"),
        ("invalid_shift", "$.calendar.working_hours.mon[0]"),
        ("overlapping_shifts", "$.calendar.working_hours.tue[1]"),
        ("overlapping_shifts", "$.calendar.working_hours.wed[1]"),
        ("invalid_time", "$.calendar.working_hours.thu[1]"),
        ("empty_shift", "$.calendar.working_hours.fri[0]"),
        ("empty_list", "$.calendar.make_up_day_hours"),
        ("invalid_date", "$.calendar.years.2026.off[0].dates[1]"),
        ("date_outside_year", "$.calendar.years.2026.off[1].dates[0]"),
        ("duplicate_date", "$.calendar.years.2026.off[2].dates[1]"),
        ("empty", "$.calendar.years.2026.off[3].name"),
        ("off_and_work", "$.calendar.years.2026.work[0]"),
        ("duplicate_date", "$.calendar.years.2026.work[2]"),
        ("invalid_year", "$.calendar.years.26"),
    ];
    let mut got = found(&errors);
    got.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
        .collect();
    want.sort();
    assert_eq!(got, want);
    assert!(
        errors
            .iter()
            .all(|d| d.message.chars().next().is_some_and(|c| !c.is_uppercase())),
        "messages are lowercase"
    );
    let overlap = errors.iter().find(|d| d.code == "off_and_work").unwrap();
    assert!(overlap.message.contains("元旦"), "{}", overlap.message);
}

#[test]
fn a_week_without_working_hours_is_refused() {
    let errors = compile_json(|c| {
        for day in ["mon", "tue", "wed", "thu", "fri"] {
            c["working_hours"][day] = serde_json::json!([]);
        }
    })
    .unwrap_err();
    assert_eq!(
        found(&errors),
        [(
            "no_working_time".to_owned(),
            "$.calendar.working_hours".to_owned()
        )]
    );
}

#[test]
fn doubtful_calendars_load_with_warnings() {
    let calendar = compile_json(|c| {
        c["years"]["2028"] = serde_json::json!({"off": [], "work": ["2028-03-01"]});
    })
    .unwrap();
    let mut got = found(calendar.warnings());
    got.sort();
    assert_eq!(
        got,
        [
            ("calendar_gap".to_owned(), "$.calendar.years".to_owned()),
            (
                "make_up_on_working_day".to_owned(),
                "$.calendar.years.2028.work[0]".to_owned()
            ),
        ]
    );
    assert!(
        calendar
            .warnings()
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
    let gap = calendar
        .warnings()
        .iter()
        .find(|w| w.code == "calendar_gap")
        .unwrap();
    assert!(gap.message.contains("not 2027"), "{}", gap.message);
    assert_eq!(calendar.covered_years(), [2025, 2026, 2028]);
    let empty = compile_json(|c| c["years"] = serde_json::json!({})).unwrap();
    assert_eq!(
        found(empty.warnings()),
        [("no_years".to_owned(), "$.calendar.years".to_owned())]
    );
}

#[test]
fn caseflow_check_reports_calendar_warnings_and_covered_years() {
    let mut policy: serde_json::Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    policy["calendar"]["years"]["2028"] = serde_json::json!({"off": [], "work": []});
    let report = Policy::check(&policy.to_string());
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(report.summary.unwrap().covered_years, [2025, 2026, 2028]);
    assert!(report.warnings.iter().any(|w| w.code == "calendar_gap"));

    policy["calendar"]["utc_offset"] = serde_json::json!("UTC+8");
    let report = Policy::check(&policy.to_string());
    assert!(!report.valid);
    assert_eq!(report.errors[0].path, "$.calendar.utc_offset");
}

#[test]
fn split_shifts_make_up_hours_and_other_offsets_are_honoured() {
    // A company in UTC-05:00 working 07:00-11:00 and 12:00-24:00 on weekdays, half days on
    // make-up days.
    let calendar = compile_json(|c| {
        c["utc_offset"] = serde_json::json!("-05:00");
        for day in ["mon", "tue", "wed", "thu", "fri"] {
            c["working_hours"][day] = serde_json::json!(["07:00-11:00", "12:00-24:00"]);
        }
        c["make_up_day_hours"] = serde_json::json!(["09:00-12:00"]);
    })
    .unwrap();
    let due = add_on(&calendar, "2026-03-02T10:00:00-05:00", "2 business_hours");
    assert_eq!(due.at.to_rfc3339(), "2026-03-02T13:00:00-05:00");
    let due = add_on(&calendar, "2026-03-02T22:00:00-05:00", "2 business_hours");
    assert_eq!(
        due.at.to_rfc3339(),
        "2026-03-03T00:00:00-05:00",
        "the end of a shift at 24:00 is the next day's 00:00"
    );
    let due = add_on(&calendar, "2026-03-02T10:00:00-05:00", "1 working_days");
    assert_eq!(due.at.to_rfc3339(), "2026-03-04T00:00:00-05:00");
    let due = add_on(&calendar, "2026-02-14T08:00:00-05:00", "4 business_hours");
    assert_eq!(
        due.at.to_rfc3339(),
        "2026-02-24T08:00:00-05:00",
        "3 hours on the make-up Saturday, then the festival, then one more"
    );
}
