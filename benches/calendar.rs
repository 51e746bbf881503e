//! Deadline arithmetic on the default calendar: each call should cost well under a microsecond
//! (the calendar is precomputed into per-year prefix sums; nothing walks day by day).
//!
//! Run: `cargo bench --bench calendar -- --warm-up-time 1 --measurement-time 2`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use caseflow_core::Policy;
use caseflow_core::calendar::Clock;
use caseflow_core::calendar::duration::Duration;
use caseflow_core::time::parse_instant;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_calendar(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let calendar = policy.calendar();
    let at = |text: &str| parse_instant(text).unwrap();
    let add = |c: &mut Criterion, name: &str, from: &str, duration: &str| {
        let from = at(from);
        let duration: Duration = duration.parse().unwrap();
        c.bench_function(name, |b| {
            b.iter(|| calendar.add(black_box(from), black_box(duration)).unwrap())
        });
    };
    add(
        c,
        "add 30 working_days (across the Spring Festival)",
        "2026-02-13T18:00:00+08:00",
        "30 working_days",
    );
    add(
        c,
        "add 200 business_hours (across the Spring Festival)",
        "2026-02-13T16:30:00+08:00",
        "200 business_hours",
    );
    add(
        c,
        "add 3 calendar_days (onto National Day)",
        "2026-09-28T15:00:00+08:00",
        "3 calendar_days",
    );
    add(
        c,
        "add 30 working_days into an uncovered year (warning)",
        "2026-12-20T10:00:00+08:00",
        "30 working_days",
    );
    add(c, "add 24 hours", "2026-02-13T18:00:00+08:00", "24 hours");

    let mut clock = Clock::new(
        at("2026-02-13T18:00:00+08:00"),
        "3 working_days".parse().unwrap(),
    );
    clock.pause(at("2026-02-14T10:00:00+08:00")).unwrap();
    clock.resume(at("2026-02-14T15:00:00+08:00")).unwrap();
    clock.pause(at("2026-02-24T09:00:00+08:00")).unwrap();
    clock.resume(at("2026-02-24T11:00:00+08:00")).unwrap();
    let now = at("2026-02-25T10:00:00+08:00");
    let fraction = policy.clocks().at_risk_fraction;
    c.bench_function("clock status (3 working_days, two pauses)", |b| {
        b.iter(|| {
            black_box(&clock)
                .status(calendar, fraction, black_box(now))
                .unwrap()
        })
    });
}

criterion_group!(benches, bench_calendar);
criterion_main!(benches);
