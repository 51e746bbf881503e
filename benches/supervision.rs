//! Supervision (docs/policy.md §6): `Assessor::add` over 1,000,000 closed cases (target ≤ 1 s on
//! one core), streamed — the cases are variants of the scenarios' replayed closed cases (each
//! in 100 projects, by turns of channel), added in turn, so memory holds the
//! variants and the summary's groups, never a million cases; and the cost per case of reading,
//! verifying and replaying a log, which the 1 s does not include.
//!
//! Run: `cargo bench --bench supervision -- --warm-up-time 1 --measurement-time 10`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::Arc;

use caseflow_core::lifecycle::{Case, CaseState, replay};
use caseflow_core::supervision::{Assessor, Period, case_of_log, read_log};
use caseflow_core::time::parse_instant;
use caseflow_core::{Channel, Policy};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

#[path = "../tests/support/mod.rs"]
mod support;

const CASES: u64 = 1_000_000;

/// Closed variants of the scenarios' cases: each template in 100 projects, by turns of channel.
fn variants(policy: &Policy, logs: &[Value]) -> Vec<Case> {
    let templates: Vec<Case> = logs
        .iter()
        .map(|log| case_of_log(policy, 0, log).unwrap())
        .filter(|case| case.state == CaseState::Closed)
        .collect();
    let mut out = Vec::new();
    for project in 0..100 {
        for (t, template) in templates.iter().enumerate() {
            let mut case = template.clone();
            let mut report = (*case.report).clone();
            report.project = format!("P-{project:04}");
            report.channel = Channel::ALL[(project + t) % Channel::ALL.len()];
            report.id = format!("{}-{project}", report.id);
            case.id = report.id.clone();
            case.report = Arc::new(report);
            out.push(case);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let logs = support::scenario_logs();
    let variants = variants(&policy, &logs);
    let period = Period::new(
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    )
    .unwrap();
    let now = parse_instant("2026-06-01T00:00:00+08:00").unwrap();

    let mut group = c.benchmark_group("supervision");
    group.sample_size(10);
    group.bench_function("assess 1,000,000 closed cases", |b| {
        b.iter(|| {
            let mut assessor = Assessor::new(&policy, period, now);
            for i in 0..CASES {
                let case = &variants[usize::try_from(i).unwrap() % variants.len()];
                assessor.add(black_box(case)).unwrap();
            }
            let kpis = assessor.finish();
            assert_eq!(kpis.cases.counted, CASES);
            kpis
        });
    });
    group.finish();

    // Reading, verifying and replaying one log: the tier-2 scenario (9 events).
    let tier2 = logs
        .iter()
        .find(|log| log[0]["command"]["report"]["id"] == "SC-T2")
        .unwrap()
        .clone();
    c.bench_function("read and replay one 9-event log", |b| {
        b.iter(|| case_of_log(&policy, 0, black_box(&tier2)).unwrap());
    });
    c.bench_function("read one 9-event log", |b| {
        b.iter(|| read_log(0, black_box(&tier2)).unwrap());
    });
    let events = read_log(0, &tier2).unwrap();
    c.bench_function("replay one 9-event log", |b| {
        b.iter(|| replay(&policy, black_box(&events)).unwrap());
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
