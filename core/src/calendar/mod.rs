//! The company's working calendar and deadline arithmetic (docs/policy.md §5).
//!
//! A [`Calendar`] is compiled once from the policy's [`CalendarSpec`]: its UTC offset, the working
//! hours of each weekday (split shifts allowed), the hours of a make-up working day (调休上班), and
//! the official schedule of each covered year. [`Calendar::add`] computes a due instant in any of
//! the units of [`Unit`], with exactly the semantics of docs/policy.md §5.1:
//!
//! - `minutes`, `hours`: wall-clock time.
//! - `business_hours`: only time inside working hours counts; the due instant is the earliest
//!   instant at which that much working time has passed, so it can be 17:30 but never the next
//!   morning's 08:30. A start outside working hours starts counting at the next working period.
//! - `working_days`: the period starts the day after the start instant (民法典 Art. 201); due at
//!   the end of the last shift of the Nth working day.
//! - `calendar_days`: the period starts the day after the start instant; due at 24:00 of the Nth
//!   day, or, when that day is a day off (a weekend or holiday that is not a make-up working day),
//!   at 24:00 of the next working day (民法典 Art. 203).
//!
//! A working day is a day with working hours: a weekday with shifts under `working_hours`, or a
//! make-up day, unless the schedule lists it as a day off. All arithmetic happens in the
//! calendar's offset; instants may arrive in any offset and results are written in the calendar's.
//!
//! Coverage: a computation that needs a date in a year without an official schedule never guesses
//! silently. In `lenient` mode (the default) it answers by the weekday rule and adds a
//! `calendar_not_covered` warning naming the year; in `strict` mode it fails with
//! [`ErrorCode::CalendarNotCovered`] naming the year. Wall-clock units need no date and never warn.
//!
//! Cost: each year is precomputed into prefix sums of working days and working minutes (see
//! `table.rs`), so adding 30 working days or 200 business hours is a binary search or two, not a
//! walk day by day. Uncovered years use precomputed weekday-rule templates and cost the same.

pub mod clock;
mod compile;
pub mod duration;
pub mod spec;
mod table;

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
pub use clock::{Clock, ClockState, ClockStatus, Pause};
use duration::{Duration, Unit};
use spec::{CalendarSpec, CoverageMode};
use table::{
    DayKind, Hours, NS_PER_MINUTE, YearTable, at_time, date_of, days_in_year, jan1_weekday,
    ns_of_day, time_when_worked, worked_by,
};

/// A due instant and any warnings the computation produced (e.g. an uncovered year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// The due instant, in the calendar's offset.
    pub at: DateTime<FixedOffset>,
    /// Warnings, such as a date in a year the calendar does not cover (lenient mode).
    pub warnings: Vec<Diagnostic>,
}

/// What the calendar says about one date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayInfo {
    /// The date, `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// True when the date has working hours.
    pub working: bool,
    /// The holiday's name when the schedule lists the date as a day off, e.g.
    /// `春节 Spring Festival`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holiday: Option<String>,
    /// True for a make-up working day (调休上班).
    pub make_up: bool,
    /// True when the date's year has an official schedule; otherwise the weekday rule answered.
    pub covered: bool,
}

/// The compiled calendar: immutable, cheap to query, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Calendar {
    offset: FixedOffset,
    hours: Hours,
    coverage: CoverageMode,
    /// Covered years, in order.
    years: Vec<(i32, YearTable)>,
    /// Weekday-rule years, indexed by January 1st's weekday (Monday 0) times two, plus one for
    /// a leap year.
    templates: [YearTable; 14],
    /// Holiday names, indexed by [`DayKind::Off`].
    holidays: Vec<String>,
    /// Where a missing year would be added, for coverage diagnostics.
    years_path: JsonPath,
    warnings: Vec<Diagnostic>,
}

/// A working day found by counting.
struct WorkingDay {
    date: NaiveDate,
    kind: DayKind,
}

impl Calendar {
    /// Checks and compiles a calendar specification; `path` locates it for diagnostics.
    ///
    /// Every problem is reported at once: a bad offset, a malformed, empty, overlapping or
    /// out-of-order shift, a week without working hours, empty make-up hours, a year key that is
    /// not a year, a date that does not parse or is not in its year, a date listed twice or both
    /// off and working. On success, warnings (a make-up day that is already a working day, a gap
    /// between covered years, no covered year) are kept in [`Calendar::warnings`].
    pub fn compile(spec: &CalendarSpec, path: &JsonPath) -> Result<Calendar, Vec<Diagnostic>> {
        compile::compile(spec, path)
    }

    /// The calendar's UTC offset; results are written in it.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// What happens when a computation needs a year the calendar does not cover.
    pub fn coverage(&self) -> CoverageMode {
        self.coverage
    }

    /// The years with an official schedule, in order.
    pub fn covered_years(&self) -> Vec<i32> {
        self.years.iter().map(|(year, _)| *year).collect()
    }

    /// Warnings found while compiling (the calendar is usable).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The instant `duration` after `start` (docs/policy.md §5.1), in the calendar's offset. An amount
    /// of zero is due at `start` itself.
    ///
    /// Fails only in strict mode when a date in an uncovered year is needed
    /// ([`ErrorCode::CalendarNotCovered`]), or when the due instant falls outside the years 0000
    /// to 9999 (`out_of_range`), which RFC 3339 cannot write.
    pub fn add(&self, start: DateTime<FixedOffset>, duration: Duration) -> Result<Due, Error> {
        let mut probe = Probe::new(self);
        let at = self.due(&mut probe, start, duration)?;
        Ok(Due {
            at,
            warnings: probe.into_warnings(),
        })
    }

    /// What the calendar says about `date`. Dates in uncovered years follow the weekday rule and
    /// are marked `covered: false`; see [`Calendar::check_years`] for the warning or error.
    pub fn day(&self, date: NaiveDate) -> DayInfo {
        let covered = self.covered(date.year());
        let table = covered.unwrap_or_else(|| self.template(date.year()));
        let kind = table.kind(date.ordinal0() as usize);
        DayInfo {
            date,
            working: !self.hours.shifts(kind, date.weekday()).is_empty(),
            holiday: match kind {
                DayKind::Off(i) => self.holidays.get(i as usize).cloned(),
                _ => None,
            },
            make_up: kind == DayKind::MakeUp,
            covered: covered.is_some(),
        }
    }

    /// Applies the coverage mode to a range of years: the warnings for the uncovered ones
    /// (lenient), or an error naming the first uncovered one (strict).
    pub fn check_years(&self, years: RangeInclusive<i32>) -> Result<Vec<Diagnostic>, Error> {
        let mut probe = Probe::new(self);
        for year in years {
            probe.table(year)?;
        }
        Ok(probe.into_warnings())
    }

    // -----------------------------------------------------------------------------------------
    // Arithmetic, shared with clocks. A `Probe` records the uncovered years a computation reads.

    /// The due instant of `duration` from `start`, refused (`out_of_range`) when it falls outside
    /// the years RFC 3339 can write ([`crate::time::MAX_YEAR`]): such a due instant could be
    /// written but never read back, by caseflow or most hosts.
    pub(crate) fn due(
        &self,
        probe: &mut Probe<'_>,
        start: DateTime<FixedOffset>,
        duration: Duration,
    ) -> Result<DateTime<FixedOffset>, Error> {
        let due = self.due_any(probe, start, duration)?;
        if crate::time::writable_instant(&due) {
            Ok(due)
        } else {
            Err(out_of_range())
        }
    }

    fn due_any(
        &self,
        probe: &mut Probe<'_>,
        start: DateTime<FixedOffset>,
        duration: Duration,
    ) -> Result<DateTime<FixedOffset>, Error> {
        if duration.amount == 0 {
            return Ok(start.with_timezone(&self.offset));
        }
        let amount = i64::from(duration.amount);
        let local = self.local(start);
        let due = match duration.unit {
            Unit::Minutes => return self.wall(start, amount * NS_PER_MINUTE),
            Unit::Hours => return self.wall(start, amount * 60 * NS_PER_MINUTE),
            Unit::BusinessHours => self.add_working(probe, local, amount * 60 * NS_PER_MINUTE)?,
            Unit::WorkingDays => {
                let first = local.date().succ_opt().ok_or_else(out_of_range)?;
                let day = self.nth_working_day(probe, first, duration.amount)?;
                let end = self
                    .hours
                    .shifts(day.kind, day.date.weekday())
                    .last()
                    .ok_or_else(|| internal("a working day has no shift"))?
                    .end;
                at_time(day.date, i64::from(end) * NS_PER_MINUTE).ok_or_else(out_of_range)?
            }
            Unit::CalendarDays => {
                let nth = local
                    .date()
                    .checked_add_days(Days::new(u64::from(duration.amount)))
                    .ok_or_else(out_of_range)?;
                let day = self.nth_working_day(probe, nth, 1)?;
                day.date
                    .checked_add_days(Days::new(1))
                    .ok_or_else(out_of_range)?
                    .and_time(chrono::NaiveTime::MIN)
            }
        };
        self.instant(due)
    }

    /// `t` as a local date and time in the calendar's offset.
    pub(crate) fn local(&self, t: DateTime<FixedOffset>) -> NaiveDateTime {
        t.with_timezone(&self.offset).naive_local()
    }

    /// The instant of a local date and time.
    pub(crate) fn instant(&self, local: NaiveDateTime) -> Result<DateTime<FixedOffset>, Error> {
        self.offset
            .from_local_datetime(&local)
            .single()
            .ok_or_else(out_of_range)
    }

    fn wall(&self, start: DateTime<FixedOffset>, ns: i64) -> Result<DateTime<FixedOffset>, Error> {
        start
            .checked_add_signed(chrono::TimeDelta::nanoseconds(ns))
            .map(|t| t.with_timezone(&self.offset))
            .ok_or_else(out_of_range)
    }

    /// The earliest local time by which `ns > 0` nanoseconds of working time have passed since
    /// `from`.
    pub(crate) fn add_working(
        &self,
        probe: &mut Probe<'_>,
        from: NaiveDateTime,
        ns: i64,
    ) -> Result<NaiveDateTime, Error> {
        let (mut year, position) = self.position(probe, from)?;
        let mut table = probe.table(year)?;
        let mut target = position + ns;
        while target > table.worked_in_year() {
            target -= table.worked_in_year();
            year = next_year(year)?;
            table = probe.table(year)?;
        }
        let day = table.day_when_worked(target);
        let date = date_of(year, day).ok_or_else(out_of_range)?;
        let shifts = self.hours.shifts(table.kind(day), date.weekday());
        let time = time_when_worked(shifts, target - table.worked_before(day))
            .ok_or_else(|| internal("working time not found in its day"))?;
        at_time(date, time).ok_or_else(out_of_range)
    }

    /// Working time between two local times `from <= to`, in nanoseconds.
    pub(crate) fn working_between(
        &self,
        probe: &mut Probe<'_>,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<i128, Error> {
        let (first, a) = self.position(probe, from)?;
        let (last, b) = self.position(probe, to)?;
        let mut total = i128::from(b) - i128::from(a);
        let mut year = first;
        while year < last {
            total += i128::from(probe.table(year)?.worked_in_year());
            year += 1;
        }
        Ok(total)
    }

    /// The year of `t` and the working time in that year before `t`.
    fn position(&self, probe: &mut Probe<'_>, t: NaiveDateTime) -> Result<(i32, i64), Error> {
        let date = t.date();
        let table = probe.table(date.year())?;
        let day = date.ordinal0() as usize;
        let shifts = self.hours.shifts(table.kind(day), date.weekday());
        Ok((
            date.year(),
            table.worked_before(day) + worked_by(shifts, ns_of_day(t)),
        ))
    }

    /// The `n`th working day (`n >= 1`) counting from `first` itself.
    fn nth_working_day(
        &self,
        probe: &mut Probe<'_>,
        first: NaiveDate,
        n: u32,
    ) -> Result<WorkingDay, Error> {
        let mut year = first.year();
        let mut table = probe.table(year)?;
        let mut target = table.working_days_before(first.ordinal0() as usize) + n;
        while target > table.working_days() {
            target -= table.working_days();
            year = next_year(year)?;
            table = probe.table(year)?;
        }
        let day = table.nth_working_day(target);
        Ok(WorkingDay {
            date: date_of(year, day).ok_or_else(out_of_range)?,
            kind: table.kind(day),
        })
    }

    fn covered(&self, year: i32) -> Option<&YearTable> {
        self.years
            .binary_search_by_key(&year, |(y, _)| *y)
            .ok()
            .and_then(|i| self.years.get(i))
            .map(|(_, table)| table)
    }

    fn template(&self, year: i32) -> &YearTable {
        let index = jan1_weekday(year).num_days_from_monday() as usize * 2
            + usize::from(days_in_year(year) == 366);
        let [first, ..] = &self.templates;
        self.templates.get(index).unwrap_or(first)
    }

    fn not_covered(&self, year: i32) -> Error {
        Error::single(
            ErrorCode::CalendarNotCovered,
            "calendar year not covered",
            Diagnostic::error(
                "calendar_not_covered",
                &self.years_path,
                format!(
                    "the calendar does not cover {year}: add the {year} schedule to the policy, or set `coverage` to \"lenient\" to follow the weekday rule"
                ),
            ),
        )
    }
}

/// The years a computation read, so that uncovered ones are warned about (lenient) or refused
/// (strict) exactly once.
pub(crate) struct Probe<'c> {
    calendar: &'c Calendar,
    uncovered: Vec<i32>,
}

impl<'c> Probe<'c> {
    pub(crate) fn new(calendar: &'c Calendar) -> Probe<'c> {
        Probe {
            calendar,
            uncovered: Vec::new(),
        }
    }

    fn table(&mut self, year: i32) -> Result<&'c YearTable, Error> {
        let calendar = self.calendar;
        if let Some(table) = calendar.covered(year) {
            return Ok(table);
        }
        if calendar.coverage == CoverageMode::Strict {
            return Err(calendar.not_covered(year));
        }
        if self.uncovered.last() != Some(&year) && !self.uncovered.contains(&year) {
            self.uncovered.push(year);
        }
        Ok(calendar.template(year))
    }

    /// One warning per run of consecutive uncovered years read.
    pub(crate) fn into_warnings(mut self) -> Vec<Diagnostic> {
        self.uncovered.sort_unstable();
        let mut runs: Vec<(i32, i32)> = Vec::new();
        for year in self.uncovered {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == year => *last = year,
                _ => runs.push((year, year)),
            }
        }
        runs.into_iter()
            .map(|(first, last)| {
                let years = compile::year_span(first, last);
                Diagnostic::warning(
                    "calendar_not_covered",
                    &self.calendar.years_path,
                    format!(
                        "the calendar does not cover {years}: dates in {} follow the weekday rule, without holidays or make-up days; add the schedule to the policy",
                        if first == last { years.as_str() } else { "those years" }
                    ),
                )
            })
            .collect()
    }
}

fn next_year(year: i32) -> Result<i32, Error> {
    year.checked_add(1)
        .filter(|y| *y <= crate::time::MAX_YEAR)
        .ok_or_else(out_of_range)
}

fn out_of_range() -> Error {
    Error::single(
        ErrorCode::InvalidInput,
        "deadline out of range",
        Diagnostic::error(
            "out_of_range",
            &JsonPath::root(),
            "the due instant falls outside the years 0000 to 9999, the only ones an RFC 3339 instant can be written in",
        ),
    )
}

fn internal(what: &str) -> Error {
    Error::single(
        ErrorCode::Internal,
        "internal error in the calendar",
        Diagnostic::error("internal", &JsonPath::root(), what),
    )
}
