//! The policy analysis (issue 14) on the default policy: `analyze` runs in every `caseflow check`
//! and in the browser form when a policy is loaded, so it must stay well under a second
//! (issue 14: `caseflow check` on the default policy in under one second).
//!
//! Run: `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 5`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use caseflow_core::Policy;
use caseflow_core::analysis::{analyze, workflow};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_analysis(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let mut group = c.benchmark_group("analysis");
    group.sample_size(20);
    // The workflow's state space, every tier and the provisional tier 1 (default policy).
    group.bench_function("workflow::check (default policy)", |b| {
        b.iter(|| workflow::check(black_box(&policy)))
    });
    group.bench_function("analyze (default policy)", |b| {
        b.iter(|| analyze(black_box(&policy)))
    });
    group.finish();
}

criterion_group!(benches, bench_analysis);
criterion_main!(benches);
