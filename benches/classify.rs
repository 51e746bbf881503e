//! Classification as every binding runs it: `api::call(Classify, json)`, a report's JSON text in
//! and the answer's JSON text out, on the reports of `benches/data/classify-reports.json`; and
//! `api::classify` on the same reports (`<name> (typed)`), which reads the report's JSON text but
//! returns the answer as a Rust value, without writing it (the typed call on a report already
//! read, `api::typed::classify`, is timed beside ZEN in `peers/zen/benches/zen.rs`). The
//! Node benchmark (`bindings/js/bench.mjs`) times the wasm package on the same reports and reads
//! these figures to compare (BENCHMARKS.md records both).
//!
//! Run: `cargo bench --bench classify -- --warm-up-time 1 --measurement-time 3`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use caseflow_core::Policy;
use caseflow_core::api::{Call, call, classify};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

fn bench_classify(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let reports: Vec<Value> =
        serde_json::from_str(include_str!("data/classify-reports.json")).unwrap();
    let mut group = c.benchmark_group("classify");
    for entry in &reports {
        let name = entry["name"].as_str().unwrap();
        let text = entry["report"].to_string();
        // The fixture must classify, or the bench would time the refusal path.
        call(&policy, Call::Classify, &text).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| call(&policy, Call::Classify, black_box(&text)).unwrap())
        });
        // The same work without writing the answer as JSON.
        group.bench_function(format!("{name} (typed)"), |b| {
            b.iter(|| classify(&policy, black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_classify);
criterion_main!(benches);
