//! The company calendar as a policy author writes it (docs/policy.md §5.2).

use caseflow_derive::Read;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The working calendar: time zone, working hours, and the official holiday schedule by year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct CalendarSpec {
    /// The company's UTC offset, `±hh:mm` (no daylight saving), e.g. `+08:00`.
    pub utc_offset: String,
    /// Working hours on each weekday as shifts `"hh:mm-hh:mm"`, e.g. `["08:30-12:00",
    /// "13:30-17:30"]`; an empty list is a day off.
    pub working_hours: WeekHours,
    /// Working hours on a make-up working day (调休上班) that falls on a weekend.
    pub make_up_day_hours: Vec<String>,
    /// What a computation does when it needs a date in a year not listed under `years`:
    /// `lenient` answers by the weekday rule and adds a warning naming the year; `strict` refuses
    /// with an error naming the year.
    pub coverage: CoverageMode,
    /// The official schedule of each covered year, keyed by the year (`"2026"`).
    pub years: BTreeMap<String, YearSpec>,
}

impl CalendarSpec {
    /// Reads a policy's `calendar` section on its own, as the policy loader reads it: every
    /// malformed member named at its path. What the members mean is checked by
    /// [`super::Calendar::compile`].
    pub fn from_value(
        value: &serde_json::Value,
        path: &crate::error::JsonPath,
    ) -> Result<CalendarSpec, crate::error::Error> {
        <CalendarSpec as crate::reader::ReadObject>::read_all(value, path).map_err(|errors| {
            crate::error::Error::new(
                crate::error::ErrorCode::InvalidPolicy,
                "invalid calendar",
                errors,
            )
        })
    }
}

/// Working hours for each day of the week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct WeekHours {
    /// Monday.
    pub mon: Vec<String>,
    /// Tuesday.
    pub tue: Vec<String>,
    /// Wednesday.
    pub wed: Vec<String>,
    /// Thursday.
    pub thu: Vec<String>,
    /// Friday.
    pub fri: Vec<String>,
    /// Saturday.
    pub sat: Vec<String>,
    /// Sunday.
    pub sun: Vec<String>,
}

/// How to treat dates in years the calendar does not cover.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Read)]
#[serde(rename_all = "snake_case")]
pub enum CoverageMode {
    /// Answer by the weekday rule, with a warning naming the uncovered year (the default: a live
    /// case must never stall because next year's schedule is not yet published).
    #[default]
    Lenient,
    /// Refuse with an error naming the uncovered year.
    Strict,
}

/// One year's official schedule (国务院办公厅关于部分节假日安排的通知).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct YearSpec {
    /// Where the schedule comes from, e.g. the notice's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Holidays: every day off in each span, weekends included.
    pub off: Vec<HolidaySpec>,
    /// Make-up working days (调休上班) that fall on weekends, as `YYYY-MM-DD`.
    pub work: Vec<String>,
}

/// A named holiday span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct HolidaySpec {
    /// The holiday's name, e.g. `春节 Spring Festival`.
    pub name: String,
    /// Every day off in the span, as `YYYY-MM-DD`.
    pub dates: Vec<String>,
}
