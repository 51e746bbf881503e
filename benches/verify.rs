//! Property verification (`caseflow verify`, docs/analysis.md "Property verification"): the
//! cost of one random case history under the default policy — generated (which runs the engine
//! once) and checked against every invariant (which runs it again) — and of 1,000 histories
//! through proptest's runner as `verify` runs them. Target: `verify --cases 10000` under a
//! minute on one core, i.e. under 6 ms a history.
//!
//! Run: `cargo bench --bench verify -- --warm-up-time 1 --measurement-time 10`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::Arc;

use caseflow_core::Policy;
use caseflow_strategies::history::histories;
use caseflow_strategies::invariants;
use criterion::{Criterion, criterion_group, criterion_main};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

fn bench(c: &mut Criterion) {
    let policy = Arc::new(Policy::builtin().unwrap());
    let strategy = histories(Arc::clone(&policy));
    let mut group = c.benchmark_group("verify");
    let mut generator = runner(1);
    group.bench_function("generate one history", |b| {
        b.iter(|| black_box(strategy.new_tree(&mut generator).unwrap().current()));
    });
    let pool: Vec<_> = (0..64)
        .map(|_| strategy.new_tree(&mut generator).unwrap().current())
        .collect();
    let mut next = 0;
    group.bench_function("check one history", |b| {
        b.iter(|| {
            next = (next + 1) % pool.len();
            black_box(invariants::check(&policy, &pool[next]).unwrap())
        });
    });
    group.sample_size(10);
    group.bench_function("1,000 histories through the runner", |b| {
        b.iter(|| {
            runner(1_000)
                .run(&strategy, |history| {
                    invariants::check(&policy, &history)
                        .map(|_| ())
                        .map_err(|v| proptest::test_runner::TestCaseError::fail(v.to_string()))
                })
                .unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
