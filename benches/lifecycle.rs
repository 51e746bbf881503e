//! The case lifecycle: applying one command to a mid-life case (target ≤ 2 µs median),
//! replaying a 20-event log (target ≤ 20 µs), and a tick. The policy is compiled once and passed
//! by reference, as a host does.
//!
//! Run: `cargo bench --bench lifecycle -- --warm-up-time 1 --measurement-time 2`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use caseflow_core::lifecycle::{Case, Command, Event, apply, record, replay, tick};
use caseflow_core::time::parse_instant;
use caseflow_core::{JsonPath, Policy};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn command(value: Value) -> Command {
    Command::from_value(&value, &JsonPath::root()).unwrap()
}

/// A tier-2 case with its log, built one command at a time.
struct Built {
    case: Case,
    events: Vec<Event>,
}

fn build(policy: &Policy, steps: &[(&str, Value)]) -> Built {
    let report = json!({
        "id": "B-1", "project": "P-2026-017", "channel": "phone",
        "description": "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水",
        "raised_at": "2026-03-02T09:15:00+08:00", "location": "3号楼2单元801",
        "contact": {"name": "业主", "phone": "13800000000"}
    });
    let opened = record(
        policy,
        &command(json!({"type": "record", "actor": {"id": "clerk", "roles": ["intake_clerk"]}, "report": report})),
        parse_instant("2026-03-02T09:20:00+08:00").unwrap(),
    )
    .unwrap();
    let mut built = Built {
        case: opened.case,
        events: vec![opened.event],
    };
    for (now, value) in steps {
        let applied = apply(
            policy,
            &built.case,
            &command(value.clone()),
            parse_instant(now).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{value}: {e:?}"));
        built.case = applied.case;
        built.events.push(applied.event);
    }
    built
}

fn bench_lifecycle(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let leader = json!({"id": "pl-1", "roles": ["project_leader"]});
    let manager = json!({"id": "pm-1", "roles": ["project_manager"]});
    let plan = json!({"measures": ["更换排水管接口"], "responsible": [{"name": "王班长"}], "milestones": [{"description": "完成维修", "due": "2026-03-20T17:30:00+08:00"}]});
    let progress = |note: &str| json!({"type": "report_progress", "actor": leader, "note": note});
    let mut steps: Vec<(&str, Value)> = vec![
        (
            "2026-03-02T15:00:00+08:00",
            json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-20T17:30:00+08:00"}),
        ),
        (
            "2026-03-03T10:00:00+08:00",
            json!({"type": "submit_plan", "actor": leader, "plan": plan}),
        ),
        (
            "2026-03-03T16:00:00+08:00",
            json!({"type": "reject_plan", "actor": manager, "reasons": "先做闭水试验"}),
        ),
        (
            "2026-03-04T10:00:00+08:00",
            json!({"type": "submit_plan", "actor": leader, "plan": plan}),
        ),
        (
            "2026-03-04T16:00:00+08:00",
            json!({"type": "approve_plan", "actor": manager}),
        ),
        ("2026-03-05T10:00:00+08:00", progress("材料到场")),
    ];
    let mid_life = build(&policy, &steps);
    let now = parse_instant("2026-03-06T10:00:00+08:00").unwrap();
    let next = command(progress("管道已更换"));
    let complete = command(json!({"type": "complete_work", "actor": leader}));

    c.bench_function("apply report_progress to a mid-life tier-2 case", |b| {
        b.iter(|| apply(&policy, black_box(&mid_life.case), black_box(&next), now).unwrap())
    });
    c.bench_function("apply complete_work to a mid-life tier-2 case", |b| {
        b.iter(|| {
            apply(
                &policy,
                black_box(&mid_life.case),
                black_box(&complete),
                now,
            )
            .unwrap()
        })
    });
    let opening = mid_life.events[0].command.clone();
    c.bench_function("record a report (classifies it)", |b| {
        b.iter(|| record(&policy, black_box(&opening), now).unwrap())
    });
    c.bench_function("tick a mid-life tier-2 case", |b| {
        b.iter(|| tick(&policy, black_box(&mid_life.case), now).unwrap())
    });

    steps.extend([
        ("2026-03-06T10:00:00+08:00", progress("管道已更换")),
        ("2026-03-06T16:00:00+08:00", progress("闭水试验中")),
        ("2026-03-09T10:00:00+08:00", progress("闭水试验完成")),
        ("2026-03-09T16:00:00+08:00", json!({"type": "complete_work", "actor": leader})),
        ("2026-03-10T10:00:00+08:00", json!({"type": "verify", "actor": leader, "passed": false, "note": "仍有渗水"})),
        ("2026-03-11T10:00:00+08:00", progress("返工中")),
        ("2026-03-12T10:00:00+08:00", progress("返工完成")),
        ("2026-03-12T11:00:00+08:00", progress("已请业主查看")),
        ("2026-03-12T16:00:00+08:00", json!({"type": "complete_work", "actor": leader})),
        ("2026-03-13T10:00:00+08:00", json!({"type": "verify", "actor": leader, "passed": true})),
        ("2026-03-13T11:00:00+08:00", json!({"type": "notify_customer", "actor": leader})),
        ("2026-03-14T09:00:00+08:00", json!({"type": "customer_reject", "actor": {"id": "owner", "roles": ["customer"]}, "reasons": "顶棚颜色不一致"})),
        ("2026-03-16T10:00:00+08:00", json!({"type": "withdraw", "actor": leader, "reason": "业主自行处理"})),
    ]);
    let full = build(&policy, &steps);
    assert_eq!(full.events.len(), 19 + 1, "a 20-event log");
    c.bench_function("replay a 20-event log", |b| {
        b.iter(|| replay(&policy, black_box(&full.events)).unwrap())
    });
    c.bench_function("write a mid-life snapshot as JSON", |b| {
        b.iter(|| serde_json::to_string(black_box(&mid_life.case)).unwrap())
    });
}

criterion_group!(benches, bench_lifecycle);
criterion_main!(benches);
