//! Scale curves (issue 15): how classification grows with the description's length (100, 1,000
//! and 10,000 characters) and with the policy's size (the default, and 10× and 100× its term
//! lists and rules), and how `replay` and `verify_log` grow with the log's length (20, 100,
//! 1,000 and 10,000 events). Each curve should be linear or better: `scripts/bench.sh` writes
//! each point's time per unit (per character, per event) to BENCHMARKS.md, where a super-linear
//! step shows as a growing cost per unit.
//!
//! Run: `cargo bench --bench scale -- --warm-up-time 1 --measurement-time 2`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cell::OnceCell;
use std::hint::black_box;

use caseflow_core::api::{Call, call};
use caseflow_core::lifecycle::{Command, Event, apply, record, replay, verify_log};
use caseflow_core::policy::default_policy_json;
use caseflow_core::time::parse_instant;
use caseflow_core::{JsonPath, Policy};
use chrono::{Duration, FixedOffset};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};

const SAMPLES: &str = include_str!("../tests/data/samples.jsonl");

fn samples() -> Vec<Value> {
    SAMPLES
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["report"].clone())
        .collect()
}

/// A description of exactly `chars` characters: the samples' descriptions one after another,
/// repeated, cut at `chars`.
fn description(chars: usize) -> String {
    let mut text = String::new();
    let descriptions: Vec<String> = samples()
        .iter()
        .map(|r| r["description"].as_str().unwrap().to_owned())
        .collect();
    while text.chars().count() < chars {
        for d in &descriptions {
            text.push_str(d);
            text.push(' ');
        }
    }
    text.chars().take(chars).collect()
}

fn report_with(description: &str) -> String {
    let mut report = samples()[0].clone();
    report["description"] = json!(description);
    report.to_string()
}

fn bench_description_length(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let mut group = c.benchmark_group("scale/description");
    for chars in [100, 1_000, 10_000] {
        let text = report_with(&description(chars));
        call(&policy, Call::Classify, &text).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(chars), &text, |b, text| {
            b.iter(|| call(&policy, Call::Classify, black_box(text)).unwrap())
        });
    }
    group.finish();
}

/// The default policy with `times` × its term lists and its category and tier rules: each copy
/// of a list has the list's words with the copy's number appended (so the words are distinct
/// and the automaton grows), each copy of a rule reads the copies of its lists, with the same
/// category and weight or tier, after the default's rules.
pub fn scaled_policy(times: usize) -> Value {
    let mut policy: Value = serde_json::from_str(&default_policy_json()).unwrap();
    let classification = &mut policy["classification"];
    let terms = classification["terms"].as_object().unwrap().clone();
    let rename = |name: &str, copy: usize| format!("{name}_x{copy}");
    let mut more_terms = Map::new();
    for copy in 1..times {
        for (name, list) in &terms {
            let mut list = list.clone();
            let words: Vec<Value> = list["words"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| json!(format!("{}{copy}", w.as_str().unwrap())))
                .collect();
            list["words"] = json!(words);
            if let Some(Value::Array(masks)) = list.get_mut("masks") {
                for m in masks.iter_mut() {
                    *m = json!(rename(m.as_str().unwrap(), copy));
                }
            }
            more_terms.insert(rename(name, copy), list);
        }
    }
    classification["terms"]
        .as_object_mut()
        .unwrap()
        .extend(more_terms);
    for section in ["category", "tier"] {
        let rules = classification[section]["rules"].as_array().unwrap().clone();
        let mut all = rules.clone();
        for copy in 1..times {
            for rule in &rules {
                let mut rule = rule.clone();
                rule["id"] = json!(format!("{}.x{copy}", rule["id"].as_str().unwrap()));
                rename_lists(&mut rule["when"], copy);
                all.push(rule);
            }
        }
        classification[section]["rules"] = json!(all);
    }
    policy
}

/// Renames every term list a condition reads to its `copy`.
fn rename_lists(condition: &mut Value, copy: usize) {
    match condition {
        Value::Object(members) => {
            for (key, value) in members.iter_mut() {
                match (key.as_str(), &mut *value) {
                    ("mentions" | "negated", Value::String(s)) => *s = format!("{s}_x{copy}"),
                    ("mentions" | "negated", Value::Array(names)) => {
                        for n in names.iter_mut() {
                            *n = json!(format!("{}_x{copy}", n.as_str().unwrap()));
                        }
                    }
                    _ => rename_lists(value, copy),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rename_lists(i, copy)),
        _ => {}
    }
}

fn bench_policy_size(c: &mut Criterion) {
    let reports: Vec<String> = samples().iter().map(Value::to_string).collect();
    let mut group = c.benchmark_group("scale/policy");
    group.sample_size(10);
    for times in [1, 10, 100] {
        // Built when the benchmark runs (not when a filter skips it), once.
        let policy = OnceCell::new();
        let value = OnceCell::new();
        group.bench_function(BenchmarkId::new("compile", format!("{times}x")), |b| {
            let value = value.get_or_init(|| scaled_policy(times));
            b.iter(|| Policy::from_value(black_box(value)).unwrap())
        });
        group.bench_function(
            BenchmarkId::new("classify the 20 samples", format!("{times}x")),
            |b| {
                let policy =
                    policy.get_or_init(|| Policy::from_value(&scaled_policy(times)).unwrap());
                b.iter(|| {
                    for r in &reports {
                        black_box(call(policy, Call::Classify, black_box(r)).unwrap());
                    }
                })
            },
        );
    }
    group.finish();
}

fn command(value: Value) -> Command {
    Command::from_value(&value, &JsonPath::root()).unwrap()
}

/// A tier-2 case's log of `events` events: recorded, accepted, a plan submitted and approved,
/// then progress reported every ten minutes.
pub fn long_log(policy: &Policy, events: usize) -> Vec<Event> {
    let leader = json!({"id": "pl-1", "roles": ["project_leader"]});
    let manager = json!({"id": "pm-1", "roles": ["project_manager"]});
    let plan = json!({"measures": ["更换排水管接口"], "responsible": [{"name": "王班长"}], "milestones": [{"description": "完成维修", "due": "2026-03-20T17:30:00+08:00"}]});
    let start = parse_instant("2026-03-02T09:20:00+08:00").unwrap();
    let at = |minutes: i64| {
        (start + Duration::minutes(minutes))
            .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
    };
    let opened = record(
        policy,
        &command(json!({"type": "record", "actor": {"id": "clerk", "roles": ["intake_clerk"]}, "report": samples()[0]})),
        start,
    )
    .unwrap();
    let mut case = opened.case;
    let mut log = vec![opened.event];
    let steps = [
        json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-20T17:30:00+08:00"}),
        json!({"type": "submit_plan", "actor": leader, "plan": plan}),
        json!({"type": "approve_plan", "actor": manager}),
    ];
    let mut minute = 0;
    for i in 1..events {
        minute += 10;
        let next = match steps.get(i - 1) {
            Some(step) => step.clone(),
            None => {
                json!({"type": "report_progress", "actor": leader, "note": format!("进度 {i}")})
            }
        };
        let applied = apply(policy, &case, &command(next), at(minute)).unwrap();
        case = applied.case;
        log.push(applied.event);
    }
    log
}

fn bench_log_length(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let mut group = c.benchmark_group("scale/log");
    group.sample_size(10);
    for events in [20, 100, 1_000, 10_000] {
        let log = OnceCell::new();
        let built = || {
            log.get_or_init(|| {
                let log = long_log(&policy, events);
                assert_eq!(log.len(), events);
                assert!(verify_log(&log).valid);
                log
            })
        };
        group.bench_function(BenchmarkId::new("replay", events), |b| {
            let log = built();
            b.iter(|| replay(&policy, black_box(log)).unwrap())
        });
        group.bench_function(BenchmarkId::new("verify_log", events), |b| {
            let log = built();
            b.iter(|| verify_log(black_box(log)))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_description_length,
    bench_policy_size,
    bench_log_length
);
criterion_main!(benches);
