//! Clocks (docs/policy.md §5.3): a deadline that starts at an instant, runs for a [`Duration`], may be
//! paused and resumed, and may be stopped.
//!
//! A clock never reads the system time: [`Clock::status`] is asked "as of `now`". Everything
//! recorded after `now` (a pause not yet begun, a resume or a stop still to come) is ignored, so
//! the status of a past instant is what it was then.
//!
//! **Measure.** Each clock counts in its own measure: working time for `business_hours` and
//! `working_days`, wall time for `minutes`, `hours` and `calendar_days`. The clock's span is the
//! measure between its start and its unpaused due instant ([`Calendar::add`]).
//!
//! **Pauses** push the due instant out by the paused time in that measure: for `business_hours`
//! and `working_days` only the working time inside a pause counts (a pause over a weekend moves
//! nothing); for the wall units every paused second counts, so a paused `calendar_days` clock may
//! fall due at another time of day than 24:00. Formally the due instant is the earliest instant
//! at which the clock's active (unpaused) time reaches its span. A pause that begins at or after
//! the due instant (the clock had already breached) does not count and does not rescue it.
//! An open pause, or one that ends after `now`, counts up to `now`: the due instant is reported
//! as if the clock resumed at `now`.
//!
//! **States**, first match wins:
//! 1. stopped at or before `now`: `met` when stopped at or before the due instant, else
//!    `breached`;
//! 2. paused at `now` (by a pause that counts): `paused`;
//! 3. `now` at or after the due instant: `breached`;
//! 4. fraction elapsed at or above the at-risk fraction: `at_risk`;
//! 5. otherwise `running` (also before the start).
//!
//! **Fraction elapsed** = active time from the start to `now` (or to the stop) divided by the
//! span, in the clock's measure, rounded to 4 decimals (the at-risk test uses the exact value).
//! It is 0 before the start, is not clamped and exceeds 1 after the due instant. A clock of amount 0 is due at its start; its fraction is
//! 0 before the start and 1 from the start on.

use caseflow_derive::Read;
use chrono::{DateTime, FixedOffset, SecondsFormat};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::duration::{Duration, Unit};
use super::{Calendar, Probe};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};

/// A deadline clock: start, duration, pauses and an optional stop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Clock {
    /// When the clock starts.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub start: DateTime<FixedOffset>,
    /// How long it runs, e.g. `"3 working_days"`.
    pub duration: Duration,
    /// Pauses in order, without overlaps; only the last may be open.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// When the clock was stopped (the awaited event happened), if it was.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub stopped_at: Option<DateTime<FixedOffset>>,
}

/// An interval during which a clock does not run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Pause {
    /// When the pause began.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub from: DateTime<FixedOffset>,
    /// When the clock resumed; absent while the pause lasts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub to: Option<DateTime<FixedOffset>>,
}

/// Where a clock stands at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClockState {
    /// Running, below the at-risk fraction.
    Running,
    /// Running, at or above the at-risk fraction: remind the assignee.
    AtRisk,
    /// Past its due instant without being stopped in time: escalate.
    Breached,
    /// Stopped at or before its due instant.
    Met,
    /// Paused now.
    Paused,
}

/// A clock's status at a given instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockStatus {
    /// The due instant, pushed out by the pauses, in the calendar's offset.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub due: DateTime<FixedOffset>,
    /// Active time elapsed over the clock's span, rounded to 4 decimals; above 1 after the due.
    pub fraction_elapsed: f64,
    /// The state.
    pub state: ClockState,
    /// Warnings, such as a date in a year the calendar does not cover.
    pub warnings: Vec<Diagnostic>,
}

impl Clock {
    /// Reads a clock as it is stored (a case snapshot's `clocks`), naming every malformed member
    /// at its path. Whether its times are consistent is checked when it is used ([`Clock::status`]).
    pub fn from_value(value: &serde_json::Value, path: &JsonPath) -> Result<Clock, Error> {
        <Clock as crate::reader::ReadObject>::read_all(value, path)
            .map_err(|errors| Error::new(ErrorCode::InvalidInput, "invalid clock", errors))
    }

    /// A running clock without pauses.
    pub fn new(start: DateTime<FixedOffset>, duration: Duration) -> Clock {
        Clock {
            start,
            duration,
            pauses: Vec::new(),
            stopped_at: None,
        }
    }

    /// Pauses the clock at `at`. Refused (clock unchanged) when the clock is stopped, already
    /// paused, or `at` is before the start or before the previous pause ended.
    pub fn pause(&mut self, at: DateTime<FixedOffset>) -> Result<(), Error> {
        if let Some(stop) = self.stopped_at {
            return Err(refused(
                "clock_stopped",
                format!("the clock stopped at {}: it cannot be paused", text(&stop)),
            ));
        }
        if at < self.start {
            return Err(before_start("pause", &at, &self.start));
        }
        match self.pauses.last() {
            Some(Pause { from, to: None }) => {
                return Err(refused(
                    "already_paused",
                    format!("the clock is already paused since {}", text(from)),
                ));
            }
            Some(Pause { to: Some(to), .. }) if at < *to => {
                return Err(refused(
                    "out_of_order",
                    format!(
                        "cannot pause at {}, before the previous pause ended at {}",
                        text(&at),
                        text(to)
                    ),
                ));
            }
            _ => {}
        }
        self.pauses.push(Pause { from: at, to: None });
        Ok(())
    }

    /// Resumes a paused clock at `at`. Refused (clock unchanged) when the clock is not paused or
    /// `at` is before the pause began.
    pub fn resume(&mut self, at: DateTime<FixedOffset>) -> Result<(), Error> {
        let Some(open) = self.pauses.last_mut().filter(|p| p.to.is_none()) else {
            return Err(refused("not_paused", "the clock is not paused".to_owned()));
        };
        if at < open.from {
            return Err(refused(
                "out_of_order",
                format!(
                    "cannot resume at {}, before the pause began at {}",
                    text(&at),
                    text(&open.from)
                ),
            ));
        }
        open.to = Some(at);
        Ok(())
    }

    /// Stops the clock at `at`; a pause still open ends there too. Refused (clock unchanged)
    /// when the clock is already stopped, or `at` is before the start or before the last pause
    /// began or ended.
    pub fn stop(&mut self, at: DateTime<FixedOffset>) -> Result<(), Error> {
        if let Some(stop) = self.stopped_at {
            return Err(refused(
                "already_stopped",
                format!("the clock already stopped at {}", text(&stop)),
            ));
        }
        if at < self.start {
            return Err(before_start("stop", &at, &self.start));
        }
        if let Some(last) = self.pauses.last() {
            let latest = last.to.unwrap_or(last.from);
            if at < latest {
                return Err(refused(
                    "out_of_order",
                    format!(
                        "cannot stop at {}, before the last pause {} at {}",
                        text(&at),
                        if last.to.is_some() { "ended" } else { "began" },
                        text(&latest)
                    ),
                ));
            }
        }
        if let Some(open) = self.pauses.last_mut().filter(|p| p.to.is_none()) {
            open.to = Some(at);
        }
        self.stopped_at = Some(at);
        Ok(())
    }

    /// Problems with a clock built elsewhere (e.g. read from JSON), each with its path under
    /// `path`: a pause before the start, ending before it begins, overlapping the previous one,
    /// open but not last; a stop before the start or before the last pause ends, or with a
    /// pause still open. Empty when the clock is consistent.
    pub fn check(&self, path: &JsonPath) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut previous_end: Option<DateTime<FixedOffset>> = None;
        let count = self.pauses.len();
        for (i, pause) in self.pauses.iter().enumerate() {
            let at = path.field("pauses").index(i);
            if pause.from < self.start {
                problems.push(Diagnostic::error(
                    "before_start",
                    &at.field("from"),
                    "a pause cannot begin before the clock starts",
                ));
            }
            if previous_end.is_some_and(|end| pause.from < end) {
                problems.push(Diagnostic::error(
                    "overlapping_pauses",
                    &at.field("from"),
                    "a pause cannot begin before the previous one ends",
                ));
            }
            match pause.to {
                Some(to) if to < pause.from => problems.push(Diagnostic::error(
                    "out_of_order",
                    &at.field("to"),
                    "a pause cannot end before it begins",
                )),
                None if i + 1 < count => problems.push(Diagnostic::error(
                    "open_pause",
                    &at.field("to"),
                    "only the last pause may be open",
                )),
                _ => {}
            }
            previous_end = Some(pause.to.unwrap_or(pause.from));
        }
        if let Some(stop) = self.stopped_at {
            let at = path.field("stopped_at");
            if stop < self.start {
                problems.push(Diagnostic::error(
                    "before_start",
                    &at,
                    "a clock cannot stop before it starts",
                ));
            }
            if previous_end.is_some_and(|end| stop < end) {
                problems.push(Diagnostic::error(
                    "out_of_order",
                    &at,
                    "a clock cannot stop before its last pause ends",
                ));
            }
            if self.pauses.last().is_some_and(|p| p.to.is_none()) {
                problems.push(Diagnostic::error(
                    "open_pause",
                    &at,
                    "a stopped clock cannot have a pause still open",
                ));
            }
        }
        problems
    }

    /// The clock's status as of `now` (see the module documentation for the exact rules).
    /// `at_risk_fraction` is the policy's `clocks.at_risk_fraction`, above 0 and at most 1.
    ///
    /// Fails when the clock is inconsistent ([`Clock::check`]) or the fraction out of range
    /// ([`ErrorCode::InvalidInput`]), or when the calendar refuses an uncovered year (strict).
    pub fn status(
        &self,
        calendar: &Calendar,
        at_risk_fraction: f64,
        now: DateTime<FixedOffset>,
    ) -> Result<ClockStatus, Error> {
        if !(at_risk_fraction > 0.0 && at_risk_fraction <= 1.0) {
            return Err(invalid(
                "invalid at-risk fraction",
                "out_of_range",
                format!(
                    "the at-risk fraction must be above 0 and at most 1, found {at_risk_fraction}"
                ),
            ));
        }
        let problems = self.check(&JsonPath::root());
        if !problems.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "invalid clock",
                problems,
            ));
        }
        let mut probe = Probe::new(calendar);
        let measure = Measure::of(self.duration.unit);
        let unpaused_due = calendar.due(&mut probe, self.start, self.duration)?;
        let span = measure.between(calendar, &mut probe, self.start, unpaused_due)?;

        let stopped = self.stopped_at.filter(|stop| *stop <= now);
        let horizon = stopped.unwrap_or(now);
        let mut cursor = self.start;
        let mut remaining = span;
        let mut elapsed = 0i128;
        let mut paused_now = false;
        for pause in &self.pauses {
            if pause.from >= horizon {
                break;
            }
            let active = measure.between(calendar, &mut probe, cursor, pause.from)?;
            if active >= remaining {
                break;
            }
            remaining -= active;
            elapsed += active;
            match pause.to {
                Some(to) if to <= horizon => cursor = to,
                _ => {
                    cursor = horizon;
                    paused_now = true;
                    break;
                }
            }
        }
        if !paused_now && horizon > cursor {
            elapsed += measure.between(calendar, &mut probe, cursor, horizon)?;
        }
        let due = if cursor == self.start && remaining == span {
            unpaused_due
        } else {
            measure.advance(calendar, &mut probe, cursor, remaining)?
        };

        let fraction = if span > 0 {
            elapsed as f64 / span as f64
        } else if horizon >= self.start {
            1.0
        } else {
            0.0
        };
        let state = match stopped {
            Some(stop) if stop <= due => ClockState::Met,
            Some(_) => ClockState::Breached,
            None if paused_now => ClockState::Paused,
            None if now >= due => ClockState::Breached,
            None if fraction >= at_risk_fraction => ClockState::AtRisk,
            None => ClockState::Running,
        };
        Ok(ClockStatus {
            due,
            fraction_elapsed: round4(fraction),
            state,
            warnings: probe.into_warnings(),
        })
    }
}

/// What a clock counts: working time or wall time, in nanoseconds.
#[derive(Clone, Copy)]
enum Measure {
    Wall,
    Working,
}

impl Measure {
    fn of(unit: Unit) -> Measure {
        match unit {
            Unit::BusinessHours | Unit::WorkingDays => Measure::Working,
            Unit::Minutes | Unit::Hours | Unit::CalendarDays => Measure::Wall,
        }
    }

    /// The measure from `a` to `b`; zero when `b` is not after `a`.
    fn between(
        self,
        calendar: &Calendar,
        probe: &mut Probe<'_>,
        a: DateTime<FixedOffset>,
        b: DateTime<FixedOffset>,
    ) -> Result<i128, Error> {
        if b <= a {
            return Ok(0);
        }
        match self {
            Measure::Wall => {
                let d = b.signed_duration_since(a);
                Ok(i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos()))
            }
            Measure::Working => {
                calendar.working_between(probe, calendar.local(a), calendar.local(b))
            }
        }
    }

    /// The earliest instant at which `ns > 0` of the measure have passed since `from`.
    fn advance(
        self,
        calendar: &Calendar,
        probe: &mut Probe<'_>,
        from: DateTime<FixedOffset>,
        ns: i128,
    ) -> Result<DateTime<FixedOffset>, Error> {
        let ns = i64::try_from(ns).map_err(|_| beyond_range())?;
        match self {
            Measure::Wall => from
                .checked_add_signed(chrono::TimeDelta::nanoseconds(ns))
                .map(|t| t.with_timezone(&calendar.offset()))
                .ok_or_else(beyond_range),
            Measure::Working => {
                let local = calendar.add_working(probe, calendar.local(from), ns)?;
                calendar.instant(local)
            }
        }
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn text(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn refused(code: &str, message: String) -> Error {
    invalid("clock operation refused", code, message)
}

fn invalid(what: &str, code: &str, message: String) -> Error {
    Error::single(
        ErrorCode::InvalidInput,
        what,
        Diagnostic::error(code, &JsonPath::root(), message),
    )
}

fn beyond_range() -> Error {
    invalid(
        "deadline out of range",
        "out_of_range",
        "the due instant is beyond the dates caseflow can represent".to_owned(),
    )
}

fn before_start(what: &str, at: &DateTime<FixedOffset>, start: &DateTime<FixedOffset>) -> Error {
    refused(
        "before_start",
        format!(
            "cannot {what} at {}, before the clock starts at {}",
            text(at),
            text(start)
        ),
    )
}
