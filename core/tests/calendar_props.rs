//! Properties of deadline arithmetic and clocks (proptest), on the default calendar, with start
//! instants from mid-2024 to mid-2027 so that uncovered years are crossed too.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::Policy;
use caseflow_core::calendar::duration::{Duration, Unit};
use caseflow_core::calendar::{Calendar, Clock, Pause};
use chrono::{DateTime, FixedOffset, TimeDelta, Timelike};
use proptest::prelude::*;

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());

fn calendar() -> &'static Calendar {
    POLICY.calendar()
}

fn add(start: DateTime<FixedOffset>, amount: u32, unit: Unit) -> DateTime<FixedOffset> {
    calendar()
        .add(start, Duration::new(amount, unit))
        .unwrap()
        .at
}

/// 2024-06-01T00:00Z to 2027-06-30T00:00Z, at any second.
fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (1_717_200_000i64..1_814_313_600, offset()).prop_map(|(secs, offset)| {
        DateTime::from_timestamp(secs, 0)
            .unwrap()
            .with_timezone(&offset)
    })
}

fn offset() -> impl Strategy<Value = FixedOffset> {
    prop_oneof![
        Just(8 * 3600),
        Just(0),
        Just(-5 * 3600),
        Just(5 * 3600 + 45 * 60),
        Just(-(9 * 3600 + 30 * 60)),
    ]
    .prop_map(|s| FixedOffset::east_opt(s).unwrap())
}

fn unit() -> impl Strategy<Value = Unit> {
    prop::sample::select(Unit::ALL.to_vec())
}

/// Seconds after local midnight in the calendar's offset.
fn seconds_of(t: DateTime<FixedOffset>) -> u32 {
    t.with_timezone(&calendar().offset())
        .num_seconds_from_midnight()
}

const MORNING: (u32, u32) = (8 * 3600 + 1800, 12 * 3600);
const AFTERNOON: (u32, u32) = (13 * 3600 + 1800, 17 * 3600 + 1800);

proptest! {
    #[test]
    fn a_due_instant_is_never_before_its_start(start in instant(), unit in unit(), amount in 0u32..400) {
        prop_assert!(add(start, amount, unit) >= start);
    }

    #[test]
    fn adding_n_then_m_working_days_is_adding_n_plus_m(start in instant(), n in 0u32..40, m in 0u32..40) {
        let stepwise = add(add(start, n, Unit::WorkingDays), m, Unit::WorkingDays);
        prop_assert_eq!(stepwise, add(start, n + m, Unit::WorkingDays));
    }

    #[test]
    fn business_hours_fall_due_inside_working_time_or_at_the_end_of_a_shift(
        start in instant(), amount in 1u32..300,
    ) {
        let due = add(start, amount, Unit::BusinessHours);
        let day = calendar().day(due.with_timezone(&calendar().offset()).date_naive());
        prop_assert!(day.working, "{due} is on a day off");
        // The default shifts, make-up days alike; the earliest instant is never a shift's start.
        let s = seconds_of(due);
        let inside = |(from, to): (u32, u32)| from < s && s <= to;
        prop_assert!(inside(MORNING) || inside(AFTERNOON), "{due} is outside working time");
        let s = seconds_of(start);
        let start_inside = (MORNING.0..MORNING.1).contains(&s) || (AFTERNOON.0..AFTERNOON.1).contains(&s);
        if start_inside && calendar().day(start.with_timezone(&calendar().offset()).date_naive()).working {
            prop_assert_eq!(due.second(), start.second(), "seconds are kept from a start inside a shift");
        } else {
            prop_assert_eq!(due.second(), 0, "counting starts at a shift's start");
        }
    }

    #[test]
    fn working_days_fall_due_at_the_end_of_a_working_day(start in instant(), amount in 1u32..100) {
        let due = add(start, amount, Unit::WorkingDays);
        let day = calendar().day(due.with_timezone(&calendar().offset()).date_naive());
        prop_assert!(day.working);
        prop_assert_eq!(seconds_of(due), AFTERNOON.1);
    }

    #[test]
    fn more_time_never_gives_an_earlier_due(start in instant(), unit in unit(), amount in 0u32..200) {
        prop_assert!(add(start, amount + 1, unit) >= add(start, amount, unit));
    }

    #[test]
    fn a_later_start_never_gives_an_earlier_due(
        start in instant(), unit in unit(), amount in 0u32..100, later in 0i64..200_000,
    ) {
        let second = start + TimeDelta::minutes(later);
        prop_assert!(add(second, amount, unit) >= add(start, amount, unit));
    }

    #[test]
    fn the_answer_does_not_depend_on_the_offset_the_start_was_written_in(
        start in instant(), other in offset(), unit in unit(), amount in 0u32..200,
    ) {
        let a = calendar().add(start, Duration::new(amount, unit)).unwrap();
        let b = calendar().add(start.with_timezone(&other), Duration::new(amount, unit)).unwrap();
        prop_assert_eq!(a.at.to_rfc3339(), b.at.to_rfc3339());
        prop_assert_eq!(a.warnings, b.warnings);
    }

    #[test]
    fn pausing_never_makes_a_clock_due_earlier(
        start in instant(),
        unit in unit(),
        amount in 1u32..30,
        pauses in prop::collection::vec((0i64..3000, 0i64..3000), 0..5),
        open in any::<bool>(),
        now_after in 0i64..100_000,
    ) {
        let duration = Duration::new(amount, unit);
        let plain = Clock::new(start, duration);
        let mut paused = plain.clone();
        let mut at = start;
        for (gap, length) in &pauses {
            at += TimeDelta::minutes(*gap);
            paused.pause(at).unwrap();
            at += TimeDelta::minutes(*length);
            paused.resume(at).unwrap();
        }
        if open {
            paused.pause(at + TimeDelta::minutes(1)).unwrap();
        }
        let now = start + TimeDelta::minutes(now_after);
        let without = plain.status(calendar(), 0.75, now).unwrap();
        let with = paused.status(calendar(), 0.75, now).unwrap();
        prop_assert!(with.due >= without.due, "{} < {}", with.due, without.due);
        prop_assert!(with.fraction_elapsed <= without.fraction_elapsed);
        prop_assert!(without.fraction_elapsed >= 0.0);

        // One more pause never makes it earlier either.
        let mut more = paused.clone();
        if more.pauses.last().is_some_and(|p: &Pause| p.to.is_none()) {
            more.resume(now.max(at + TimeDelta::minutes(1))).unwrap();
        }
        let last = more.pauses.last().and_then(|p| p.to).unwrap_or(start);
        if more.pause(last + TimeDelta::minutes(30)).is_ok() {
            let again = more.status(calendar(), 0.75, now).unwrap();
            let closed = {
                let mut c = more.clone();
                c.pauses.pop();
                c.status(calendar(), 0.75, now).unwrap()
            };
            prop_assert!(again.due >= closed.due);
        }
    }
}
