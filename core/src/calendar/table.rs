//! The compiled calendar: one precomputed table per year, so that every deadline costs a couple of
//! binary searches instead of a walk day by day.
//!
//! A year's table holds each day's kind and two prefix sums over the year: working days before
//! each day, and working minutes before each day. Counting N working days or N working minutes
//! from any instant is then a `partition_point` over at most 366 entries, per year crossed.
//! Years without an official schedule share one of fourteen weekday-rule templates (seven
//! weekdays for January 1st, leap or not), so they are as fast as covered years.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

/// Nanoseconds in a minute: working time is counted in nanoseconds so that instants with seconds
/// or fractions keep them exactly.
pub(crate) const NS_PER_MINUTE: i64 = 60_000_000_000;

/// One working period of a day, in minutes since midnight; `start < end <= 1440`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shift {
    pub(crate) start: u16,
    pub(crate) end: u16,
}

impl Shift {
    fn start_ns(self) -> i64 {
        i64::from(self.start) * NS_PER_MINUTE
    }

    fn len_ns(self) -> i64 {
        i64::from(self.end.saturating_sub(self.start)) * NS_PER_MINUTE
    }
}

/// What the official schedule says about one date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DayKind {
    /// No override: the weekday's working hours apply.
    Regular,
    /// A make-up working day (调休上班): the make-up hours apply.
    MakeUp,
    /// A day off, with the index of its holiday's name.
    Off(u32),
}

/// The working hours of every kind of day.
#[derive(Clone, Debug)]
pub(crate) struct Hours {
    /// Monday first.
    pub(crate) week: [Vec<Shift>; 7],
    pub(crate) make_up: Vec<Shift>,
}

impl Hours {
    pub(crate) fn shifts(&self, kind: DayKind, weekday: Weekday) -> &[Shift] {
        match kind {
            DayKind::Off(_) => &[],
            DayKind::MakeUp => &self.make_up,
            DayKind::Regular => self
                .week
                .get(weekday.num_days_from_monday() as usize)
                .map_or(&[], Vec::as_slice),
        }
    }

    fn minutes(&self, kind: DayKind, weekday: Weekday) -> u32 {
        self.shifts(kind, weekday)
            .iter()
            .map(|s| u32::from(s.end.saturating_sub(s.start)))
            .sum()
    }
}

/// Working time in a day up to `ns` nanoseconds after midnight.
pub(crate) fn worked_by(shifts: &[Shift], ns: i64) -> i64 {
    shifts
        .iter()
        .map(|s| (ns - s.start_ns()).clamp(0, s.len_ns()))
        .sum()
}

/// The earliest time of day (nanoseconds after midnight) by which `ns > 0` nanoseconds of the
/// day's working time have passed, or `None` when the day has less working time than that.
pub(crate) fn time_when_worked(shifts: &[Shift], ns: i64) -> Option<i64> {
    let mut rest = ns;
    for shift in shifts {
        if rest <= shift.len_ns() {
            return Some(shift.start_ns() + rest);
        }
        rest -= shift.len_ns();
    }
    None
}

/// One year, precomputed.
#[derive(Clone, Debug)]
pub(crate) struct YearTable {
    kinds: Box<[DayKind]>,
    /// `working_days_before[i]`: working days among the first `i` days; one entry per day, plus
    /// the year's total.
    working_days_before: Box<[u16]>,
    /// `minutes_before[i]`: working minutes in the first `i` days, plus the year's total.
    minutes_before: Box<[u32]>,
}

impl YearTable {
    /// Builds the table of a year whose January 1st falls on `jan1` from each day's kind.
    pub(crate) fn build(jan1: Weekday, kinds: Vec<DayKind>, hours: &Hours) -> YearTable {
        let mut working_days_before = Vec::with_capacity(kinds.len() + 1);
        let mut minutes_before = Vec::with_capacity(kinds.len() + 1);
        let (mut days, mut minutes) = (0u16, 0u32);
        let mut weekday = jan1;
        for kind in &kinds {
            working_days_before.push(days);
            minutes_before.push(minutes);
            let m = hours.minutes(*kind, weekday);
            minutes += m;
            days += u16::from(m > 0);
            weekday = weekday.succ();
        }
        working_days_before.push(days);
        minutes_before.push(minutes);
        YearTable {
            kinds: kinds.into_boxed_slice(),
            working_days_before: working_days_before.into_boxed_slice(),
            minutes_before: minutes_before.into_boxed_slice(),
        }
    }

    /// The weekday-rule table of a year of `len` days starting on `jan1`.
    pub(crate) fn template(jan1: Weekday, len: usize, hours: &Hours) -> YearTable {
        YearTable::build(jan1, vec![DayKind::Regular; len], hours)
    }

    /// The kind of the day `ordinal0` (0 for January 1st).
    pub(crate) fn kind(&self, ordinal0: usize) -> DayKind {
        self.kinds
            .get(ordinal0)
            .copied()
            .unwrap_or(DayKind::Regular)
    }

    /// Working days before the day `ordinal0`.
    pub(crate) fn working_days_before(&self, ordinal0: usize) -> u32 {
        self.working_days_before
            .get(ordinal0)
            .map_or(0, |d| u32::from(*d))
    }

    /// Working days in the year.
    pub(crate) fn working_days(&self) -> u32 {
        self.working_days_before.last().map_or(0, |d| u32::from(*d))
    }

    /// Working time before the day `ordinal0`, in nanoseconds.
    pub(crate) fn worked_before(&self, ordinal0: usize) -> i64 {
        self.minutes_before
            .get(ordinal0)
            .map_or(0, |m| i64::from(*m) * NS_PER_MINUTE)
    }

    /// Working time in the year, in nanoseconds.
    pub(crate) fn worked_in_year(&self) -> i64 {
        self.minutes_before
            .last()
            .map_or(0, |m| i64::from(*m) * NS_PER_MINUTE)
    }

    /// The day (ordinal0) on which the `n`th working day of the year falls, `1 <= n <=
    /// working_days()`.
    pub(crate) fn nth_working_day(&self, n: u32) -> usize {
        self.working_days_before
            .get(1..)
            .map_or(0, |after| after.partition_point(|d| u32::from(*d) < n))
    }

    /// The day (ordinal0) by whose end `ns > 0` nanoseconds of the year's working time have
    /// passed, `ns <= worked_in_year()`: the day on which that much working time is reached.
    pub(crate) fn day_when_worked(&self, ns: i64) -> usize {
        self.minutes_before.get(1..).map_or(0, |after| {
            after.partition_point(|m| i64::from(*m) * NS_PER_MINUTE < ns)
        })
    }
}

/// The date of day `ordinal0` of `year`.
pub(crate) fn date_of(year: i32, ordinal0: usize) -> Option<NaiveDate> {
    let ordinal = u32::try_from(ordinal0).ok()?.checked_add(1)?;
    NaiveDate::from_yo_opt(year, ordinal)
}

/// The local date and time `ns` nanoseconds after the midnight starting `date` (24:00 is the
/// next day's 00:00).
pub(crate) fn at_time(date: NaiveDate, ns: i64) -> Option<NaiveDateTime> {
    date.and_time(NaiveTime::MIN)
        .checked_add_signed(TimeDelta::nanoseconds(ns))
}

/// Nanoseconds after midnight of a local time (a leap second counts as the second before it).
pub(crate) fn ns_of_day(t: NaiveDateTime) -> i64 {
    use chrono::Timelike;
    i64::from(t.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(t.nanosecond())
}

/// Days in `year` (365 or 366).
pub(crate) fn days_in_year(year: i32) -> usize {
    if NaiveDate::from_yo_opt(year, 366).is_some() {
        366
    } else {
        365
    }
}

/// The weekday of January 1st of `year`.
pub(crate) fn jan1_weekday(year: i32) -> Weekday {
    NaiveDate::from_yo_opt(year, 1).map_or(Weekday::Mon, |d| d.weekday())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_hours() -> Hours {
        let day = vec![
            Shift {
                start: 510,
                end: 720,
            },
            Shift {
                start: 810,
                end: 1050,
            },
        ];
        Hours {
            week: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                Vec::new(),
                Vec::new(),
            ],
            make_up: day,
        }
    }

    #[test]
    fn worked_time_counts_only_inside_shifts() {
        let hours = default_hours();
        let shifts = hours.shifts(DayKind::Regular, Weekday::Mon);
        let h = |hh: i64, mm: i64| (hh * 60 + mm) * NS_PER_MINUTE;
        assert_eq!(worked_by(shifts, h(8, 0)), 0);
        assert_eq!(worked_by(shifts, h(12, 45)), h(3, 30));
        assert_eq!(worked_by(shifts, h(18, 0)), h(7, 30));
        assert_eq!(time_when_worked(shifts, h(3, 30)), Some(h(12, 0)));
        assert_eq!(time_when_worked(shifts, h(3, 31)), Some(h(13, 31)));
        assert_eq!(time_when_worked(shifts, h(7, 30)), Some(h(17, 30)));
        assert_eq!(time_when_worked(shifts, h(7, 31)), None);
    }

    #[test]
    fn prefix_sums_find_the_nth_working_day() {
        // 2026 starts on a Thursday.
        let table = YearTable::template(Weekday::Thu, 365, &default_hours());
        assert_eq!(table.working_days(), 261);
        assert_eq!(table.nth_working_day(1), 0);
        assert_eq!(table.nth_working_day(3), 4, "Thu, Fri, then Monday the 5th");
        assert_eq!(table.working_days_before(5), 3);
        assert_eq!(table.worked_in_year(), 261 * 450 * NS_PER_MINUTE);
        assert_eq!(table.day_when_worked(450 * NS_PER_MINUTE), 0);
        assert_eq!(table.day_when_worked(450 * NS_PER_MINUTE + 1), 1);
    }
}
