//! caseflow and GoRules ZEN on the same reports, in the same process: caseflow's JSON call
//! (`api::call(Classify)`, the report's text in, the answer's text out), caseflow's typed call
//! (`api::typed::classify`, a read `Report` in, the result struct out), and ZEN's `evaluate` of
//! the generated graph (`graph/default.json`; the report as a ZEN `Variable` in, a `Variable`
//! out). The reports: `benches/data/classify-reports.json` one by one, and the 20 samples of
//! `tests/data/samples.jsonl` as one pass.
//!
//! caseflow's calls also route the report, write deadlines and explain every rule; ZEN's answers
//! the category and the tier only (see the crate's documentation for what the graph cannot
//! express).
//!
//! Run (in `peers/zen`): `cargo bench --bench zen -- --warm-up-time 1 --measurement-time 3`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use caseflow_core::api::{Call, call, typed};
use caseflow_core::{Policy, Report};
use caseflow_peer_zen::{DEFAULT_GRAPH_PATH, caseflow_answer, decision, zen_answer};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use zen_engine::Variable;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

struct Prepared {
    text: String,
    report: Report,
    variable: Variable,
}

fn prepare(raw: &Value) -> Prepared {
    Prepared {
        text: raw.to_string(),
        report: Report::from_value(raw).unwrap(),
        variable: raw.clone().into(),
    }
}

fn bench_side_by_side(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let graph = std::fs::read_to_string(DEFAULT_GRAPH_PATH).unwrap();
    let zen = decision(&graph).unwrap();

    let fixtures: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(format!("{ROOT}/benches/data/classify-reports.json")).unwrap(),
    )
    .unwrap();
    for entry in &fixtures {
        let name = entry["name"].as_str().unwrap();
        let raw = &entry["report"];
        let p = prepare(raw);
        // Both engines must answer, or the bench would time a refusal.
        call(&policy, Call::Classify, &p.text).unwrap();
        zen_answer(&zen, raw).unwrap();
        caseflow_answer(&policy, &p.report, true).unwrap();
        let mut group = c.benchmark_group(format!("zen/{name}"));
        group.bench_function("caseflow api::call (JSON)", |b| {
            b.iter(|| call(&policy, Call::Classify, black_box(&p.text)).unwrap())
        });
        group.bench_function("caseflow typed", |b| {
            b.iter(|| typed::classify(&policy, black_box(&p.report)).unwrap())
        });
        group.bench_function("ZEN evaluate", |b| {
            b.iter(|| pollster::block_on(zen.evaluate(black_box(p.variable.clone()))).unwrap())
        });
        group.finish();
    }

    let samples: Vec<Prepared> =
        std::fs::read_to_string(format!("{ROOT}/tests/data/samples.jsonl"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let entry: Value = serde_json::from_str(l).unwrap();
                prepare(&entry["report"])
            })
            .collect();
    let mut group = c.benchmark_group(format!("zen/samples ({} reports per pass)", samples.len()));
    group.bench_function("caseflow api::call (JSON)", |b| {
        b.iter(|| {
            for p in &samples {
                black_box(call(&policy, Call::Classify, black_box(&p.text)).unwrap());
            }
        })
    });
    group.bench_function("caseflow typed", |b| {
        b.iter(|| {
            for p in &samples {
                black_box(typed::classify(&policy, black_box(&p.report)).unwrap());
            }
        })
    });
    group.bench_function("ZEN evaluate", |b| {
        b.iter(|| {
            for p in &samples {
                black_box(pollster::block_on(zen.evaluate(p.variable.clone())).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_side_by_side);
criterion_main!(benches);
