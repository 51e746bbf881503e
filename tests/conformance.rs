//! The shared conformance corpus: inputs and the exact outputs every binding must produce.
//!
//! `tests/conformance/cases/*.json` each hold one call: `{"name", "call", "policy", "input",
//! "expect": {"ok": <result>} | {"error": <error>}}`. `policy` is `default` (the built-in policy)
//! or a file under `tests/conformance/policies/`. The Rust suite (this file), the C, C#, Java and
//! wasm suites all run every case and compare the parsed JSON they get with `expect`.
//!
//! A case may give `input_text` (a string: the input's JSON text) instead of `input`, for input no
//! parsed JSON value can hold: a member named twice, nesting beyond the limit, a number no double
//! holds. Every runner passes that text to the engine byte for byte, through its string calls
//! only (a typed tier cannot say such input).
//!
//! The cases are generated from the sources below by the engine itself: run
//! `CASEFLOW_BLESS=1 cargo test --test conformance` after an intended change of behaviour and
//! review the diff. Without it, this test fails when any committed case no longer matches.
//!
//! The files named `cases/hand-*.json` are not generated: their expected outputs were written by
//! hand from docs/policy.md and the calendar (each says how in its `derivation`), so that the corpus
//! does not only hold the engine to what it once did. Blessing never touches them; every runner
//! runs them like the others.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::Path;

use caseflow_core::Policy;
use caseflow_core::api::{Call, call};
use serde_json::{Value, json};

const DIR: &str = "tests/conformance";

struct Source {
    name: String,
    call: Call,
    policy: &'static str,
    input: Value,
    /// The input as JSON text, for an input no JSON value can hold (a member named twice,
    /// nesting beyond the limit, a number no double holds): written to the case as `input_text`,
    /// which every runner passes to the engine byte for byte, instead of `input`.
    text: Option<String>,
}

fn source(name: &str, call: Call, policy: &'static str, input: Value) -> Source {
    Source {
        name: name.to_owned(),
        call,
        policy,
        input,
        text: None,
    }
}

fn source_text(name: &str, call: Call, policy: &'static str, text: String) -> Source {
    Source {
        name: name.to_owned(),
        call,
        policy,
        input: Value::Null,
        text: Some(text),
    }
}

/// The JSON text of `root` with the object at `pointer` naming `key` a second time, as `value`,
/// after its other members.
fn with_duplicate(root: &Value, pointer: &str, key: &str, value: &Value) -> String {
    let mut root = root.clone();
    let object = root.pointer(pointer).unwrap();
    assert!(
        object.get(key).is_some(),
        "{pointer} has no `{key}` to repeat"
    );
    let text = object.to_string();
    let repeated = format!("{},{}:{value}}}", &text[..text.len() - 1], json!(key));
    *root.pointer_mut(pointer).unwrap() = json!("\u{1}mark");
    root.to_string().replace("\"\\u0001mark\"", &repeated)
}

/// The text a case gives the engine: its `input_text`, else its `input` written as JSON.
fn input_of(case: &Value) -> String {
    match case.get("input_text") {
        Some(text) => text.as_str().unwrap().to_owned(),
        None => case["input"].to_string(),
    }
}

/// The policies a case may name. The variants start from the default policy's rules without its
/// model: what they vary is not the model, and every host loads them (the default policy's own
/// cases run the model).
fn policies() -> BTreeMap<&'static str, Value> {
    let default: Value = serde_json::from_str(caseflow_core::policy::DEFAULT_RULES_JSON).unwrap();
    let mut strict = default.clone();
    strict["name"] = json!("conformance: strict calendar");
    strict["calendar"]["coverage"] = json!("strict");
    strict["tiers"]["2"]["deadlines"]["plan"] = json!("2 working_days");
    let mut no_warranty = default.clone();
    no_warranty["name"] = json!("conformance: no warranty periods");
    no_warranty.as_object_mut().unwrap().remove("warranty");
    // Deliberately broken policies for the analysis (issue 14): tier 1's plan approved by the
    // project manager instead of the leadership (§4.3), and a tier rule no report can reach
    // under first match, behind an earlier rule with the same condition.
    let mut approval_by_manager = default.clone();
    approval_by_manager["name"] = json!("conformance: tier 1 approved by the project manager");
    approval_by_manager["tiers"]["1"]["plan"]["approved_by"] = json!(["project_manager"]);
    let mut shadowed_rule = default.clone();
    shadowed_rule["name"] = json!("conformance: a tier rule behind an earlier one");
    let collapse = shadowed_rule["classification"]["tier"]["rules"][1].clone();
    let mut shadowed = collapse.clone();
    shadowed["id"] = json!("tier.3.collapse_again");
    shadowed["tier"] = json!(3);
    shadowed_rule["classification"]["tier"]["rules"]
        .as_array_mut()
        .unwrap()
        .insert(2, shadowed);
    BTreeMap::from([
        ("default", default),
        ("strict.json", strict),
        ("no-warranty.json", no_warranty),
        ("approval-by-manager.json", approval_by_manager),
        ("shadowed-rule.json", shadowed_rule),
    ])
}

fn load(policies: &BTreeMap<&'static str, Value>, name: &str) -> Policy {
    if name == "default" {
        Policy::builtin().unwrap()
    } else {
        Policy::from_value(&policies[name]).unwrap()
    }
}

fn run(policy: &Policy, source: &Source) -> Value {
    let text = source
        .text
        .clone()
        .unwrap_or_else(|| source.input.to_string());
    match call(policy, source.call, &text) {
        Ok(text) => json!({"ok": serde_json::from_str::<Value>(&text).unwrap()}),
        Err(error) => json!({"error": error}),
    }
}

fn actor(id: &str, roles: &[&str]) -> Value {
    json!({"id": id, "roles": roles})
}

fn report(id: &str, description: &str, facts: Value) -> Value {
    json!({
        "id": id, "project": "P-2026-017", "channel": "phone", "description": description,
        "raised_at": "2026-03-02T09:15:00+08:00", "received_at": "2026-03-02T09:20:00+08:00",
        "location": "3号楼2单元801", "contact": {"name": "业主", "phone": "13800000000"},
        "facts": facts,
    })
}

/// A lifecycle: record, then each step applied to the case so far (a refused step leaves it as
/// it was), then ticks, the log's verification, its replay, and a tampered copy. With a `key`
/// every event is sealed. Returns the case and its log.
fn lifecycle(
    out: &mut Vec<Source>,
    policy: &Policy,
    name: &str,
    report: Value,
    steps: &[(&str, Value)],
    ticks: &[&str],
    key: Option<&str>,
) -> (Value, Vec<Value>) {
    let keyed = |mut input: Value| {
        if let Some(key) = key {
            input["key"] = json!(key);
        }
        input
    };
    let mut sources = vec![source(
        &format!("{name}: record"),
        Call::Record,
        "default",
        keyed(
            json!({"command": {"type": "record", "actor": actor("clerk-1", &["intake_clerk"]), "report": report}, "now": "2026-03-02T09:30:00+08:00"}),
        ),
    )];
    let opened = run(policy, &sources[0]);
    let mut case = opened["ok"]["case"].clone();
    let mut events = vec![opened["ok"]["event"].clone()];
    for (i, (now, command)) in steps.iter().enumerate() {
        let step = source(
            &format!(
                "{name}: step {} {}",
                i + 1,
                command["type"].as_str().unwrap()
            ),
            Call::Apply,
            "default",
            keyed(json!({"case": case, "command": command, "now": now})),
        );
        let result = run(policy, &step);
        if let Some(ok) = result.get("ok") {
            case = ok["case"].clone();
            events.push(ok["event"].clone());
        }
        sources.push(step);
    }
    for now in ticks {
        sources.push(source(
            &format!("{name}: tick {now}"),
            Call::Tick,
            "default",
            json!({"case": case, "now": now}),
        ));
    }
    sources.push(source(
        &format!("{name}: verify log"),
        Call::VerifyLog,
        "default",
        json!({"events": events}),
    ));
    sources.push(source(
        &format!("{name}: replay"),
        Call::Replay,
        "default",
        json!({"events": events}),
    ));
    let mut tampered = events.clone();
    if let Some(event) = tampered.get_mut(1) {
        event["command"]["actor"]["id"] = json!("someone-else");
    }
    sources.push(source(
        &format!("{name}: verify tampered log"),
        Call::VerifyLog,
        "default",
        json!({"events": tampered}),
    ));
    sources.push(source(
        &format!("{name}: replay tampered log"),
        Call::Replay,
        "default",
        json!({"events": tampered}),
    ));
    out.extend(sources);
    (case, events)
}

/// The chain from `from` on recomputed, as anyone who knows the public scheme can do; seals are
/// left as they were, for want of the key.
fn rehash(events: &mut [Value], from: usize) {
    for i in from..events.len() {
        if i > 0 {
            events[i]["prev_hash"] = events[i - 1]["hash"].clone();
        }
        let event = caseflow_core::lifecycle::Event::from_value(
            &events[i],
            &caseflow_core::JsonPath::root(),
        )
        .unwrap();
        events[i]["hash"] = json!(event.computed_hash().unwrap());
    }
}

/// Each tampering of issue 11 on a sealed, closed tier-1 log, verified alone, against its
/// anchor (the snapshot, or a count and hash the host stores) and with the key; and replayed.
fn tamper_evidence(out: &mut Vec<Source>, case: &Value, events: &[Value], key: &str) {
    let anchor = json!({"events": case["events"], "last_hash": case["last_hash"]});
    let mut verify = |name: &str, log: &[Value], extra: Value| {
        let mut input = json!({"events": log});
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        out.push(source(
            &format!("tamper: {name}"),
            if name.starts_with("replay") {
                Call::Replay
            } else {
                Call::VerifyLog
            },
            "default",
            input,
        ));
    };
    verify(
        "verify with its key and snapshot",
        events,
        json!({"case": case, "key": key}),
    );
    verify(
        "verify with another key",
        events,
        json!({"key": "00".repeat(32)}),
    );
    verify(
        "verify with a key too short",
        events,
        json!({"key": "00".repeat(16)}),
    );
    let mut removed = events.to_vec();
    removed.remove(3);
    verify("verify with an event removed", &removed, json!({}));
    let truncated = &events[..events.len() - 1];
    verify("verify truncated, alone", truncated, json!({"key": key}));
    verify(
        "verify truncated, against its anchor",
        truncated,
        json!({"anchor": anchor}),
    );
    verify(
        "verify truncated, against its snapshot",
        truncated,
        json!({"case": case}),
    );
    verify(
        "replay truncated, against its anchor",
        truncated,
        json!({"anchor": anchor}),
    );
    let mut reordered = events.to_vec();
    reordered.swap(4, 5);
    verify("verify reordered", &reordered, json!({}));
    let approval = events
        .iter()
        .position(|e| e["command"]["type"] == "approve_plan")
        .unwrap();
    let mut edited = events.to_vec();
    edited[approval]["command"]["actor"]["id"] = json!("pl-1");
    verify("verify with an edited field", &edited, json!({}));
    rehash(&mut edited, approval);
    verify("verify a recomputed chain, alone", &edited, json!({}));
    verify(
        "verify a recomputed chain, with the key",
        &edited,
        json!({"key": key}),
    );
    verify(
        "replay a recomputed chain, with the key",
        &edited,
        json!({"key": key}),
    );
    let mut stripped = edited.clone();
    for event in &mut stripped {
        event.as_object_mut().unwrap().remove("seal");
    }
    verify(
        "verify a recomputed chain without seals, with the key",
        &stripped,
        json!({"key": key}),
    );
}

fn sources() -> Vec<Source> {
    let policy = Policy::builtin().unwrap();
    let mut out = Vec::new();

    // Classification: the public samples, reports in English and mixed text, a clerk's category,
    // and refused reports.
    let samples = std::fs::read_to_string("tests/data/samples.jsonl").unwrap();
    for line in samples.lines() {
        let sample: Value = serde_json::from_str(line).unwrap();
        let id = sample["report"]["id"].as_str().unwrap().to_owned();
        out.push(source(
            &format!("classify {id}"),
            Call::Classify,
            "default",
            sample["report"].clone(),
        ));
    }
    let mut clerk = report("X-clerk", "卫生间漏水", json!({}));
    clerk["category"] = json!("service");
    out.push(source(
        "classify with a clerk's category",
        Call::Classify,
        "default",
        clerk,
    ));
    out.push(source(
        "classify english with negation",
        Call::Classify,
        "default",
        report(
            "X-en",
            "There is no structural damage, but the balcony railing is loose and unsafe",
            json!({}),
        ),
    ));
    out.push(source(
        "classify traditional characters",
        Call::Classify,
        "default",
        report(
            "X-zh-hant",
            "樓上漏水三個月了，已寄律師函，沒有人受傷",
            json!({}),
        ),
    ));
    out.push(source("classify refused: every bad field", Call::Classify, "default",
        json!({"id": "", "channel": "fax", "raised_at": "yesterday", "contact": {}, "colour": "red"})));
    out.push(source(
        "classify refused: not an object",
        Call::Classify,
        "default",
        json!([1, 2, 3]),
    ));
    out.push(source(
        "classify across the calendar's end, strict",
        Call::Classify,
        "strict.json",
        {
            let mut r = report("X-2027", "卫生间漏水", json!({}));
            r["raised_at"] = json!("2026-12-31T09:00:00+08:00");
            r["received_at"] = json!("2026-12-31T09:00:00+08:00");
            r
        },
    ));

    // Deadlines: the examples of docs/policy.md §5.1, any offset, an uncovered year, bad input.
    for (name, from, add) in [
        (
            "working days over the Spring Festival",
            "2026-02-13T18:00:00+08:00",
            json!("3 working_days"),
        ),
        (
            "business hours into a make-up Saturday",
            "2026-02-13T16:30:00+08:00",
            json!("8 business_hours"),
        ),
        (
            "calendar days onto National Day",
            "2026-09-28T15:00:00+08:00",
            json!("3 calendar_days"),
        ),
        ("hours from UTC", "2026-02-13T10:00:00Z", json!("24 hours")),
        (
            "structured duration from New York",
            "2026-04-30T05:00:00-04:00",
            json!({"amount": 2, "unit": "working_days"}),
        ),
        (
            "into an uncovered year",
            "2026-12-30T10:00:00+08:00",
            json!("5 working_days"),
        ),
        (
            "refused: negative",
            "2026-03-02T09:00:00+08:00",
            json!("-3 hours"),
        ),
        (
            "refused: no offset",
            "2026-03-02T09:00:00",
            json!("3 hours"),
        ),
    ] {
        out.push(source(
            &format!("deadline {name}"),
            Call::Deadline,
            "default",
            json!({"from": from, "add": add}),
        ));
    }
    out.push(source(
        "deadline into an uncovered year, strict",
        Call::Deadline,
        "strict.json",
        json!({"from": "2026-12-30T10:00:00+08:00", "add": "5 working_days"}),
    ));
    out.push(source(
        "calendar days of the Spring Festival",
        Call::CalendarDays,
        "default",
        json!({"from": "2026-02-12", "to": "2026-03-01"}),
    ));
    out.push(source(
        "calendar days refused: backwards",
        Call::CalendarDays,
        "default",
        json!({"from": "2026-03-01", "to": "2026-02-01"}),
    ));
    out.push(source(
        "clock status paused",
        Call::ClockStatus,
        "default",
        json!({
        "clock": {"start": "2026-03-02T09:00:00+08:00", "duration": "3 working_days",
                  "pauses": [{"from": "2026-03-03T09:00:00+08:00"}]},
        "now": "2026-03-04T09:00:00+08:00"}),
    ));
    out.push(source(
        "clock status at risk",
        Call::ClockStatus,
        "default",
        json!({
        "clock": {"start": "2026-03-02T09:00:00+08:00", "duration": "8 business_hours"},
        "now": "2026-03-02T16:00:00+08:00"}),
    ));

    // Lifecycles, each with refusals along the way.
    let leader = actor("pl-1", &["project_leader"]);
    let customer = actor("owner-801", &["customer"]);
    let (tier_2, tier_2_log) = lifecycle(
        &mut out,
        &policy,
        "tier 2",
        report(
            "L-2",
            "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水",
            json!({}),
        ),
        &[
            (
                "2026-03-02T15:00:00+08:00",
                json!({"type": "accept", "actor": actor("fm-1", &["foreman"]), "committed_deadline": "2026-03-16T17:30:00+08:00"}),
            ),
            (
                "2026-03-02T15:00:00+08:00",
                json!({"type": "accept", "actor": leader, "committed_deadline": "2026-06-30T17:30:00+08:00"}),
            ),
            (
                "2026-03-02T15:00:00+08:00",
                json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-16T17:30:00+08:00"}),
            ),
            (
                "2026-03-03T10:00:00+08:00",
                json!({"type": "submit_plan", "actor": leader, "plan": {"measures": ["更换排水管接口"]}}),
            ),
            (
                "2026-03-03T10:00:00+08:00",
                json!({"type": "submit_plan", "actor": leader, "plan": {"measures": ["更换排水管接口"], "responsible": [{"name": "王班长"}], "milestones": [{"description": "完成维修", "due": "2026-03-10T17:30:00+08:00"}]}}),
            ),
            (
                "2026-03-03T16:00:00+08:00",
                json!({"type": "approve_plan", "actor": leader}),
            ),
            (
                "2026-03-03T16:00:00+08:00",
                json!({"type": "approve_plan", "actor": actor("pm-1", &["project_manager"])}),
            ),
            (
                "2026-03-09T16:00:00+08:00",
                json!({"type": "complete_work", "actor": leader}),
            ),
            (
                "2026-03-10T10:00:00+08:00",
                json!({"type": "verify", "actor": leader, "passed": true}),
            ),
            (
                "2026-03-10T11:00:00+08:00",
                json!({"type": "notify_customer", "actor": leader}),
            ),
            (
                "2026-03-11T09:00:00+08:00",
                json!({"type": "customer_confirm", "actor": customer, "signed_form_ref": "CF-2026-0031", "satisfaction": 7}),
            ),
            (
                "2026-03-11T09:00:00+08:00",
                json!({"type": "customer_confirm", "actor": customer, "signed_form_ref": "CF-2026-0031", "satisfaction": 5}),
            ),
            (
                "2026-03-12T09:00:00+08:00",
                json!({"type": "report_progress", "actor": leader, "note": "closed already"}),
            ),
        ],
        &["2026-03-12T09:00:00+08:00"],
        None,
    );
    let experts = json!([
        {"department": "technical", "expert": "技术部 李工"},
        {"department": "quality", "expert": "质量部 张工"},
        {"department": "safety", "expert": "安全部 赵工"}
    ]);
    let plan_1 = json!({"measures": ["拆除松动护栏", "按图重新安装并做拉拔试验"], "responsible": [{"name": "项目负责人 陈"}], "milestones": [{"description": "完成更换", "due": "2026-03-06T17:30:00+08:00"}], "consulted": experts});
    lifecycle(
        &mut out,
        &policy,
        "tier 1 emergency",
        report("L-1", "阳台护栏松动，存在安全隐患", json!({})),
        &[
            (
                "2026-03-02T11:00:00+08:00",
                json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-13T17:30:00+08:00"}),
            ),
            (
                "2026-03-02T16:00:00+08:00",
                json!({"type": "submit_plan", "actor": leader, "plan": {"measures": ["更换护栏"], "responsible": [{"name": "陈"}], "milestones": [{"description": "完成", "due": "2026-03-06T17:30:00+08:00"}]}}),
            ),
            (
                "2026-03-02T16:00:00+08:00",
                json!({"type": "submit_plan", "actor": leader, "plan": plan_1}),
            ),
            (
                "2026-03-03T09:00:00+08:00",
                json!({"type": "approve_plan", "actor": actor("pm-1", &["project_manager"])}),
            ),
            (
                "2026-03-03T09:00:00+08:00",
                json!({"type": "reject_plan", "actor": actor("gm-1", &["company_leadership"]), "reasons": "先做临时防护"}),
            ),
            (
                "2026-03-03T14:00:00+08:00",
                json!({"type": "submit_plan", "actor": leader, "plan": plan_1}),
            ),
            (
                "2026-03-03T15:00:00+08:00",
                json!({"type": "approve_plan", "actor": actor("gm-1", &["company_leadership"])}),
            ),
            (
                "2026-03-04T10:00:00+08:00",
                json!({"type": "report_progress", "actor": leader, "note": "临时防护已设置"}),
            ),
            (
                "2026-03-05T16:00:00+08:00",
                json!({"type": "complete_work", "actor": leader}),
            ),
            (
                "2026-03-06T10:00:00+08:00",
                json!({"type": "verify", "actor": actor("td-1", &["technical_dept"]), "passed": true}),
            ),
            (
                "2026-03-06T10:00:00+08:00",
                json!({"type": "verify", "actor": actor("td-1", &["technical_dept"]), "passed": true, "report_ref": "VR-2026-007"}),
            ),
            (
                "2026-03-06T11:00:00+08:00",
                json!({"type": "verify", "actor": actor("qd-1", &["quality_dept"]), "passed": false, "report_ref": "VR-2026-008", "note": "拉拔力不足"}),
            ),
            (
                "2026-03-09T16:00:00+08:00",
                json!({"type": "complete_work", "actor": leader}),
            ),
            (
                "2026-03-10T10:00:00+08:00",
                json!({"type": "verify", "actor": actor("td-1", &["technical_dept"]), "passed": true, "report_ref": "VR-2026-009"}),
            ),
            (
                "2026-03-10T11:00:00+08:00",
                json!({"type": "verify", "actor": actor("qd-1", &["quality_dept"]), "passed": true, "report_ref": "VR-2026-010"}),
            ),
            (
                "2026-03-10T15:00:00+08:00",
                json!({"type": "notify_customer", "actor": leader}),
            ),
            (
                "2026-03-11T09:00:00+08:00",
                json!({"type": "customer_reject", "actor": customer, "reasons": "护栏颜色与原来不一致", "satisfaction": 2}),
            ),
            (
                "2026-03-11T09:30:00+08:00",
                json!({"type": "reclassify", "actor": leader, "tier": 2, "reason": "隐患已消除"}),
            ),
        ],
        &["2026-03-12T09:00:00+08:00", "2026-03-20T09:00:00+08:00"],
        None,
    );
    lifecycle(
        &mut out,
        &policy,
        "tier 3 hold and withdrawal",
        report("L-3", "入户门有一处划痕，踢脚线有色差", json!({})),
        &[
            (
                "2026-03-02T10:00:00+08:00",
                json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-06T17:30:00+08:00"}),
            ),
            (
                "2026-03-02T14:00:00+08:00",
                json!({"type": "hold", "actor": leader, "reason": "业主出差，无法入户"}),
            ),
            (
                "2026-03-03T14:00:00+08:00",
                json!({"type": "submit_plan", "actor": actor("sm-1", &["site_manager"]), "plan": {"measures": ["补漆"]}}),
            ),
            (
                "2026-03-09T09:00:00+08:00",
                json!({"type": "resume", "actor": leader}),
            ),
            (
                "2026-03-09T10:00:00+08:00",
                json!({"type": "submit_plan", "actor": actor("sm-1", &["site_manager"]), "plan": {"measures": ["门面补漆", "更换踢脚线"]}}),
            ),
            (
                "2026-03-09T11:00:00+08:00",
                json!({"type": "withdraw", "actor": leader, "reason": "业主自行处理"}),
            ),
            (
                "2026-03-09T12:00:00+08:00",
                json!({"type": "resume", "actor": leader}),
            ),
        ],
        &["2026-03-09T12:00:00+08:00"],
        None,
    );
    separation_of_duties(&mut out, &policy, &plan_1);
    warranty(&mut out, &policy);
    tier_review(&mut out, &policy);
    hostile(&mut out, &tier_2, &tier_2_log);
    let emergency_log = emergency(&mut out, &policy);
    drills(&mut out);
    supervision(&mut out, &policy, &tier_2_log, &emergency_log);
    // New cases go last, so that the cases before keep their numbers.
    further_emergency(&mut out, &policy, &emergency_log);
    analysis(&mut out);
    out
}

/// A second emergency on a case whose emergency is over (docs/policy.md §7): the emergency
/// corpus's case, ended with its review pending, gets new facts (35 households) under which
/// triggers hold that did not: a new level I emergency is declared, in event format 5; the first
/// review is then filed (the oldest pending); `tick` lists both records' clocks; the log replays.
fn further_emergency(out: &mut Vec<Source>, policy: &Policy, emergency_log: &[Value]) {
    let leader = actor("pl-1", &["project_leader"]);
    let leadership = actor("gm-1", &["company_leadership"]);
    // The log up to the end, before the review was filed.
    let mut events = emergency_log[..emergency_log.len() - 1].to_vec();
    let replayed = call(policy, Call::Replay, &json!({"events": events}).to_string()).unwrap();
    let mut case: Value = serde_json::from_str(&replayed).unwrap();
    let steps = [
        (
            "second emergency: new facts after the end declare it",
            "2026-03-03T09:00:00+08:00",
            json!({"type": "update_facts", "actor": leader, "facts": {"households_affected": 35}, "reason": "整栋楼停水停电"}),
        ),
        (
            "second emergency: the first one's review is filed",
            "2026-03-03T09:20:00+08:00",
            json!({"type": "file_emergency_review", "actor": leadership, "summary": "吊顶排查"}),
        ),
    ];
    for (name, now, command) in steps {
        let input = json!({"case": case, "command": command, "now": now});
        let applied: Value =
            serde_json::from_str(&call(policy, Call::Apply, &input.to_string()).unwrap()).unwrap();
        case = applied["case"].clone();
        events.push(applied["event"].clone());
        out.push(source(name, Call::Apply, "default", input));
    }
    out.push(source(
        "second emergency: tick lists both records' clocks",
        Call::Tick,
        "default",
        json!({"case": case, "now": "2026-03-03T09:40:00+08:00"}),
    ));
    out.push(source(
        "second emergency: replay",
        Call::Replay,
        "default",
        json!({"events": events}),
    ));
}

/// The analysis of a policy before it goes live (issue 14): the default policy's findings (none)
/// and how much of its workflow was explored; a tier-1 approval moved to the project manager,
/// found with its counterexample path; a tier rule no report can reach; an input the call does
/// not take; the changes from the default policy to the strict one and the sample reports they
/// treat apart; a policy against itself; an older policy that does not load.
fn analysis(out: &mut Vec<Source>) {
    let policies = policies();
    out.push(source(
        "analyze the default policy",
        Call::AnalyzePolicy,
        "default",
        json!({}),
    ));
    out.push(source(
        "analyze: tier 1 approved by the project manager",
        Call::AnalyzePolicy,
        "approval-by-manager.json",
        json!({}),
    ));
    out.push(source(
        "analyze: a tier rule behind an earlier one",
        Call::AnalyzePolicy,
        "shadowed-rule.json",
        json!({}),
    ));
    out.push(source(
        "analyze: an unknown member is refused",
        Call::AnalyzePolicy,
        "default",
        json!({"depth": 3}),
    ));
    let samples: Vec<Value> = std::fs::read_to_string("tests/data/samples.jsonl")
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["report"].clone())
        .collect();
    out.push(source(
        "diff the default rules against the strict policy, on the samples",
        Call::DiffPolicies,
        "strict.json",
        json!({"old": policies["default"], "reports": samples}),
    ));
    out.push(source(
        "diff: a policy against itself is empty",
        Call::DiffPolicies,
        "strict.json",
        json!({"old": policies["strict.json"], "reports": samples}),
    ));
    let mut broken = policies["strict.json"].clone();
    broken["tiers"]["1"]["plan"]["approved_by"] = json!(["nobody"]);
    out.push(source(
        "diff: an older policy that does not load is refused under $.old",
        Call::DiffPolicies,
        "strict.json",
        json!({"old": broken}),
    ));
}

/// The emergency plan (docs/policy.md §7) through `record`, `apply`, `tick` and `replay`: a level
/// II emergency declared by the engine, an action done, a lowering and an unapproved media
/// statement refused, new facts that raise it to level I, the end refused while actions are
/// open, a waiver, the end, a late review escalated, and the review.
fn emergency(out: &mut Vec<Source>, policy: &Policy) -> Vec<Value> {
    let leader = actor("pl-1", &["project_leader"]);
    let leadership = actor("gm-1", &["company_leadership"]);
    let steps = [
        (
            "2026-03-02T09:50:00+08:00",
            json!({"type": "complete_emergency_action", "actor": leadership, "action": "notify_command"}),
        ),
        (
            "2026-03-02T10:00:00+08:00",
            json!({"type": "raise_emergency", "actor": leadership, "level": "III", "reason": "缓和"}),
        ),
        (
            "2026-03-02T10:00:00+08:00",
            json!({"type": "release_media_statement", "actor": leader, "statement": "已处置"}),
        ),
        (
            "2026-03-02T10:05:00+08:00",
            json!({"type": "release_media_statement", "actor": leadership, "statement": "我司已到场处置"}),
        ),
        (
            "2026-03-02T11:00:00+08:00",
            json!({"type": "update_facts", "actor": leader, "facts": {"injuries": 1}, "reason": "一名住户受伤"}),
        ),
        (
            "2026-03-02T11:30:00+08:00",
            json!({"type": "emergency_status_update", "actor": leader, "note": "伤者已送医"}),
        ),
        (
            "2026-03-02T11:40:00+08:00",
            json!({"type": "end_emergency", "actor": leadership}),
        ),
        (
            "2026-03-02T11:45:00+08:00",
            json!({"type": "waive_emergency_action", "actor": leader, "action": "people_on_site", "reason": "x"}),
        ),
        (
            "2026-03-02T12:00:00+08:00",
            json!({"type": "complete_emergency_action", "actor": leader, "action": "people_on_site"}),
        ),
        (
            "2026-03-02T12:05:00+08:00",
            json!({"type": "complete_emergency_action", "actor": leader, "action": "safety_measures"}),
        ),
        (
            "2026-03-02T12:10:00+08:00",
            json!({"type": "complete_emergency_action", "actor": leadership, "action": "report_authority"}),
        ),
        (
            "2026-03-02T12:20:00+08:00",
            json!({"type": "waive_emergency_action", "actor": leadership, "action": "initial_report", "reason": "现场会议纪要代替"}),
        ),
        (
            "2026-03-02T13:00:00+08:00",
            json!({"type": "end_emergency", "actor": leadership}),
        ),
        (
            "2026-03-10T09:00:00+08:00",
            json!({"type": "file_emergency_review", "actor": leadership, "summary": "吊顶排查"}),
        ),
    ];
    let (before_review, mut events) = lifecycle(
        out,
        policy,
        "emergency raised by new facts",
        report(
            "E-1",
            "外墙瓷砖脱落，网上已有视频",
            json!({"media_attention": true}),
        ),
        &steps[..13],
        &["2026-03-02T10:30:00+08:00", "2026-03-10T09:00:00+08:00"],
        None,
    );
    let review = &steps[13];
    let input = json!({"case": before_review, "command": review.1, "now": review.0});
    let reviewed = call(policy, Call::Apply, &input.to_string()).unwrap();
    let reviewed: Value = serde_json::from_str(&reviewed).unwrap();
    events.push(reviewed["event"].clone());
    out.push(source(
        "emergency raised by new facts: file the review",
        Call::Apply,
        "default",
        input,
    ));
    events
}

/// Supervision (docs/policy.md §6) over the corpus's own logs: the figures of a month, a log
/// tampered with left out with a finding naming its case and event, a period that ends before it
/// starts refused, the merge of two shards' summaries, a spot check and an audit.
fn supervision(out: &mut Vec<Source>, policy: &Policy, tier_2: &[Value], emergency: &[Value]) {
    let mut tampered = tier_2.to_vec();
    // A later committed deadline written into the stored acceptance: its hash no longer holds.
    tampered[1]["command"]["committed_deadline"] = json!("2026-03-31T17:30:00+08:00");
    let now = "2026-04-01T09:00:00+08:00";
    let month = |cases: Value| json!({"cases": cases, "from": "2026-03-01", "to": "2026-03-31", "now": now});
    let both = month(json!([tier_2, emergency]));
    out.push(source(
        "assess a month of cases",
        Call::Assess,
        "default",
        both.clone(),
    ));
    out.push(source(
        "assess: a tampered log is left out with a finding",
        Call::Assess,
        "default",
        month(json!([tier_2, tampered, emergency])),
    ));
    let mut backwards = both.clone();
    backwards["from"] = json!("2026-04-01");
    out.push(source(
        "assess: a period ending before it starts is refused",
        Call::Assess,
        "default",
        backwards,
    ));
    let shard = |cases: Value| -> Value {
        serde_json::from_str(&call(policy, Call::Assess, &month(cases).to_string()).unwrap())
            .unwrap()
    };
    out.push(source(
        "merge the summaries of two shards",
        Call::MergeAssessments,
        "default",
        json!({"summaries": [shard(json!([tier_2])), shard(json!([emergency]))]}),
    ));
    let mut other_period = shard(json!([emergency]));
    other_period["period"]["to"] = json!("2026-03-30");
    out.push(source(
        "merge: summaries of different periods are refused",
        Call::MergeAssessments,
        "default",
        json!({"summaries": [shard(json!([tier_2])), other_period]}),
    ));
    out.push(source(
        "spot check one case per project",
        Call::SpotCheck,
        "default",
        json!({"cases": [tier_2, emergency, tampered], "k": 1, "seed": 20261206}),
    ));
    out.push(source(
        "audit the corpus's cases",
        Call::Audit,
        "default",
        json!({"cases": [tier_2, emergency, tampered]}),
    ));
}

/// Emergency drills (docs/policy.md §7): the next is due `drill_interval` after the latest; none
/// at all is due now; a drill dated after "now" is refused at its index.
fn drills(out: &mut Vec<Source>) {
    let cases = [
        (
            "drill status: the last drill within the interval",
            json!({"drills": ["2025-12-01", "2026-06-15"], "now": "2026-09-01T09:00:00+08:00"}),
        ),
        (
            "drill status: overdue, the drills in any order",
            json!({"drills": ["2025-06-30", "2024-06-01"], "now": "2026-09-01T09:00:00+08:00"}),
        ),
        (
            "drill status: no drill held yet",
            json!({"drills": [], "now": "2026-09-01T09:00:00+08:00"}),
        ),
        (
            "drill status: a drill after now is refused",
            json!({"drills": ["2026-03-01", "2026-10-01"], "now": "2026-09-01T09:00:00+08:00"}),
        ),
        (
            "drill status: a day that is not a date is refused",
            json!({"drills": ["2026-02-30"], "now": "2026-09-01T09:00:00+08:00"}),
        ),
    ];
    for (name, input) in cases {
        out.push(source(name, Call::DrillStatus, "default", input));
    }
}

/// Hostile and odd input (issue 15), so that every binding proves it passes such text to the
/// engine unchanged and gets the same refusal: a member named twice (in a report, in the command
/// of an `apply`, in a logged event), nesting beyond the limit, numbers no count can hold, an
/// over-long description. Each names the path of the value at fault.
fn hostile(out: &mut Vec<Source>, case: &Value, events: &[Value]) {
    let base = report("X-dup", "卫生间漏水", json!({}));
    out.push(source_text(
        "hostile: a report naming its id twice",
        Call::Classify,
        "default",
        with_duplicate(&base, "", "id", &json!("X-other")),
    ));
    let apply = json!({
        "case": case,
        "command": {"type": "report_progress", "actor": actor("pl-1", &["project_leader"]), "note": "已联系业主"},
        "now": "2026-03-20T10:00:00+08:00",
    });
    out.push(source_text(
        "hostile: apply with the command's actor named twice",
        Call::Apply,
        "default",
        with_duplicate(&apply, "/command/actor", "id", &json!("gm-1")),
    ));
    let log = json!({"events": events});
    out.push(source_text(
        "hostile: verify a log whose event names its actor twice",
        Call::VerifyLog,
        "default",
        with_duplicate(&log, "/events/1/command/actor", "id", &json!("pl-2")),
    ));
    let deep = 200;
    out.push(source_text(
        "hostile: a duration nested beyond the limit",
        Call::Deadline,
        "default",
        format!(
            r#"{{"from": "2026-03-02T09:00:00+08:00", "add": {}3{}}}"#,
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    ));
    let last = events.last().unwrap()["hash"].clone();
    let anchored =
        json!({"events": events, "anchor": {"events": 1, "last_hash": last}}).to_string();
    assert!(anchored.contains(r#""events":1,"#));
    for (name, number) in [
        ("1e400", "1e400"),
        ("2^64", "18446744073709551616"),
        ("a negative", "-1"),
        ("a fractional", "2.5"),
    ] {
        out.push(source_text(
            &format!("hostile: a log's anchor counting {name} events"),
            Call::VerifyLog,
            "default",
            anchored.replace(r#""events":1,"#, &format!(r#""events":{number},"#)),
        ));
    }
    out.push(source_text(
        "hostile: a warranty for 2^64 years of service life",
        Call::Warranty,
        "default",
        r#"{"project_facts": {"accepted_on": "2020-06-30", "design_service_life_years": 18446744073709551616}, "on": "2026-03-02"}"#.to_owned(),
    ));
    out.push(source(
        "hostile: a description of 10,001 characters",
        Call::Classify,
        "default",
        report("X-long", &"渗".repeat(10_001), json!({})),
    ));

    // Years far outside the calendar's: answered with a warning naming the year or the member,
    // or refused at the member when the answer could not be written (after 9999-12-31).
    let mut old = report("X-1900", "卫生间漏水", json!({}));
    old["raised_at"] = json!("1900-03-02T09:15:00+08:00");
    out.push(source(
        "far years: a report raised in 1900",
        Call::Classify,
        "default",
        old,
    ));
    for (name, from, add) in [
        ("from 1900", "1900-03-02T09:00:00+08:00", "5 working_days"),
        ("from 9999", "9999-03-02T09:00:00+08:00", "5 working_days"),
        (
            "refused: due after 9999",
            "9999-12-31T20:00:00+08:00",
            "24 hours",
        ),
        (
            "refused: from after 9999 in the calendar's offset",
            "9999-12-31T17:00:00Z",
            "1 hours",
        ),
    ] {
        out.push(source(
            &format!("far years: deadline {name}"),
            Call::Deadline,
            "default",
            json!({"from": from, "add": add}),
        ));
    }
    out.push(source(
        "far years: tick a case in 1900, before its report was received",
        Call::Tick,
        "default",
        json!({"case": case, "now": "1900-03-02T09:00:00+08:00"}),
    ));
    out.push(source(
        "far years: a warranty accepted in 9999",
        Call::Warranty,
        "default",
        json!({"project_facts": {"accepted_on": "9999-06-30"}, "element": "waterproofing", "on": "9999-07-01"}),
    ));
}

/// The model's review: a report the model is unsure about (S-08) opens as tier 1, provisional;
/// a reclassification and the wrong role are refused; the leadership lowers it; a second answer
/// is refused; and its clock is ticked past. Every host runs the model's arithmetic here.
fn tier_review(out: &mut Vec<Source>, policy: &Policy) {
    let gm = actor("gm-1", &["company_leadership"]);
    lifecycle(
        out,
        policy,
        "tier review",
        report("R-1", "现场施工人员态度恶劣，对业主出言不逊", json!({})),
        &[
            (
                "2026-03-02T10:00:00+08:00",
                json!({"type": "reclassify", "actor": gm, "tier": 3, "reason": "只是态度问题"}),
            ),
            (
                "2026-03-02T10:30:00+08:00",
                json!({"type": "review_tier", "actor": actor("pl-1", &["project_leader"]), "tier": 3, "reason": "只是态度问题"}),
            ),
            (
                "2026-03-02T11:00:00+08:00",
                json!({"type": "review_tier", "actor": gm, "tier": 3, "reason": "核实为服务态度问题，无安全隐患"}),
            ),
            (
                "2026-03-02T11:30:00+08:00",
                json!({"type": "review_tier", "actor": gm, "tier": 1, "reason": "再议"}),
            ),
        ],
        &["2026-03-03T12:00:00+08:00"],
        None,
    );
    lifecycle(
        out,
        policy,
        "tier review overdue",
        report("R-2", "现场施工人员态度恶劣，对业主出言不逊", json!({})),
        &[],
        &["2026-03-02T22:00:00+08:00", "2026-03-03T10:00:00+08:00"],
        None,
    );
}

/// The key the sealed lifecycles use: a host's secret, 32 bytes in hex.
const KEY: &str = "8f1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff0";

/// One person holding two roles tries both halves of a check (refused, citing
/// `tiers.N.separation_of_duties`), in a sealed tier-1 case whose log is then tampered with;
/// and a tier lowered while its plan awaits approval.
fn separation_of_duties(out: &mut Vec<Source>, policy: &Policy, plan: &Value) {
    let leader = actor("pl-1", &["project_leader"]);
    let (case, events) = lifecycle(
        out,
        policy,
        "tier 1 sealed, one person in two roles",
        report("L-1S", "阳台护栏松动，存在安全隐患", json!({})),
        &[
            (
                "2026-03-02T11:00:00+08:00",
                json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-13T17:30:00+08:00"}),
            ),
            (
                "2026-03-02T16:00:00+08:00",
                json!({"type": "submit_plan", "actor": actor("pl-gm", &["project_leader", "company_leadership"]), "plan": plan}),
            ),
            (
                "2026-03-03T09:00:00+08:00",
                json!({"type": "approve_plan", "actor": actor("pl-gm", &["project_leader", "company_leadership"])}),
            ),
            (
                "2026-03-03T09:30:00+08:00",
                json!({"type": "approve_plan", "actor": actor("gm-1", &["company_leadership"])}),
            ),
            (
                "2026-03-03T10:00:00+08:00",
                json!({"type": "reclassify", "actor": actor("gm-1", &["company_leadership"]), "tier": 2, "reason": "隐患已消除"}),
            ),
            (
                "2026-03-05T16:00:00+08:00",
                json!({"type": "complete_work", "actor": leader}),
            ),
            (
                "2026-03-06T10:00:00+08:00",
                json!({"type": "verify", "actor": actor("td-qd", &["technical_dept", "quality_dept"]), "role": "technical_dept", "passed": true, "report_ref": "VR-2026-021"}),
            ),
            (
                "2026-03-06T11:00:00+08:00",
                json!({"type": "verify", "actor": actor("td-qd", &["technical_dept", "quality_dept"]), "role": "quality_dept", "passed": true, "report_ref": "VR-2026-022"}),
            ),
            (
                "2026-03-06T11:30:00+08:00",
                json!({"type": "verify", "actor": actor("qd-1", &["quality_dept"]), "passed": true, "report_ref": "VR-2026-023"}),
            ),
            (
                "2026-03-06T15:00:00+08:00",
                json!({"type": "notify_customer", "actor": leader}),
            ),
            (
                "2026-03-07T09:00:00+08:00",
                json!({"type": "customer_confirm", "actor": actor("owner-601", &["customer"]), "signed_form_ref": "CF-2026-0040", "satisfaction": 5}),
            ),
        ],
        &[],
        Some(KEY),
    );
    assert_eq!(case["state"], "closed", "the sealed tier-1 case closes");
    tamper_evidence(out, &case, &events, KEY);

    let pl_pm = actor("pl-pm", &["project_leader", "project_manager"]);
    lifecycle(
        out,
        policy,
        "tier 2 lowered while its plan awaits approval",
        report(
            "L-2L",
            "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水",
            json!({}),
        ),
        &[
            (
                "2026-03-02T15:00:00+08:00",
                json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-16T17:30:00+08:00"}),
            ),
            (
                "2026-03-03T10:00:00+08:00",
                json!({"type": "submit_plan", "actor": pl_pm, "plan": {"measures": ["更换排水管接口"], "responsible": [{"name": "王班长"}], "milestones": [{"description": "完成维修", "due": "2026-03-10T17:30:00+08:00"}]}}),
            ),
            (
                "2026-03-03T11:00:00+08:00",
                json!({"type": "approve_plan", "actor": pl_pm}),
            ),
            (
                "2026-03-03T11:30:00+08:00",
                json!({"type": "reclassify", "actor": pl_pm, "tier": 3, "reason": "影响较小"}),
            ),
            (
                "2026-03-03T14:00:00+08:00",
                json!({"type": "submit_plan", "actor": pl_pm, "plan": {"measures": ["更换排水管接口"]}}),
            ),
            (
                "2026-03-03T15:00:00+08:00",
                json!({"type": "submit_plan", "actor": actor("sm-1", &["site_manager"]), "plan": {"measures": ["更换排水管接口"]}}),
            ),
        ],
        &[],
        None,
    );
}

/// Warranty (docs/policy.md §1.1): every element's last day within and first day outside, leap
/// years, seasons across a year end, a project not yet accepted, an element the engine cannot
/// tell, the clerk's element, several elements, a record outside warranty, and bad input.
fn warranty(out: &mut Vec<Source>, policy: &Policy) {
    let ask = |accepted: Option<&str>, element: Option<&str>, on: &str| {
        let mut input = json!({"on": on});
        if let Some(accepted) = accepted {
            input["project_facts"] = json!({"accepted_on": accepted});
        }
        if let Some(element) = element {
            input["element"] = json!(element);
        }
        input
    };
    // Accepted 2024-06-30: the last day within and the first day outside of each element.
    for (element, last, first_out) in [
        ("foundations_and_structure", "2074-06-30", "2074-07-01"),
        ("waterproofing", "2029-06-30", "2029-07-01"),
        ("heating", "2026-03-15", "2026-03-16"),
        ("cooling", "2026-09-30", "2026-10-01"),
        ("installations", "2026-06-30", "2026-07-01"),
        ("decoration", "2026-06-30", "2026-07-01"),
        ("other", "2026-06-30", "2026-07-01"),
    ] {
        for (day, what) in [(last, "last day within"), (first_out, "first day outside")] {
            out.push(source(
                &format!("warranty {element}: {what}"),
                Call::Warranty,
                "default",
                ask(Some("2024-06-30"), Some(element), day),
            ));
        }
    }
    for (name, input) in [
        (
            "accepted on 29 February: the last day is 28 February",
            ask(Some("2024-02-29"), Some("decoration"), "2026-02-28"),
        ),
        (
            "accepted on 29 February: 1 March is outside",
            ask(Some("2024-02-29"), Some("decoration"), "2026-03-01"),
        ),
        (
            "heating seasons across the year end, accepted mid-season: last day",
            ask(Some("2025-12-01"), Some("heating"), "2028-03-15"),
        ),
        (
            "heating seasons across the year end, accepted mid-season: the day after",
            ask(Some("2025-12-01"), Some("heating"), "2028-03-16"),
        ),
        (
            "heating, accepted the day before a season starts",
            ask(Some("2025-11-14"), Some("heating"), "2027-03-16"),
        ),
        (
            "the project's design service life",
            json!({"project_facts": {"started_on": "1998-03-01", "accepted_on": "2000-01-01", "design_service_life_years": 100}, "element": "foundations_and_structure", "on": "2060-01-01"}),
        ),
        (
            "no acceptance date: within scope",
            ask(None, Some("decoration"), "2026-03-02"),
        ),
        (
            "an acceptance still to come: within scope",
            ask(Some("2026-12-31"), Some("decoration"), "2026-03-02"),
        ),
        (
            "no element: unknown, not the shortest period",
            ask(Some("2016-03-01"), None, "2026-03-02"),
        ),
        (
            "no element: every period has ended",
            ask(Some("1960-01-01"), None, "2026-03-02"),
        ),
        (
            "no element: every period runs",
            ask(Some("2026-01-05"), None, "2026-03-02"),
        ),
        (
            "refused: acceptance before the start, unknown element, impossible date",
            json!({"project_facts": {"started_on": "2024-05-01", "accepted_on": "2024-04-30"}, "element": "attic", "on": "2026-02-30"}),
        ),
        (
            "refused: no day, a zero service life, an unknown member",
            json!({"project_facts": {"accepted_on": "2024-04-30", "design_service_life_years": 0}, "element": "other", "colour": "red"}),
        ),
    ] {
        out.push(source(
            &format!("warranty {name}"),
            Call::Warranty,
            "default",
            input,
        ));
    }
    out.push(source(
        "warranty refused: the policy has no warranty periods",
        Call::Warranty,
        "no-warranty.json",
        ask(Some("2024-06-30"), Some("other"), "2026-03-02"),
    ));

    // Through classification: the element from the text, the clerk's, several, none.
    let with_project = |id: &str, description: &str, project: Value| {
        let mut r = report(id, description, json!({}));
        r["project_facts"] = project;
        r
    };
    let mut clerk = with_project(
        "W-clerk",
        "卫生间顶棚渗水",
        json!({"accepted_on": "2023-01-01"}),
    );
    clerk["element"] = json!("decoration");
    for (name, input) in [
        (
            "within warranty: waterproofing found in the text",
            with_project(
                "W-in",
                "卫生间顶棚渗水",
                json!({"started_on": "2021-04-01", "accepted_on": "2023-01-01"}),
            ),
        ),
        (
            "outside warranty: a service request",
            with_project(
                "W-out",
                "客厅墙砖空鼓，踢脚线开裂",
                json!({"accepted_on": "2020-06-30"}),
            ),
        ),
        ("the clerk's element honoured", clerk),
        (
            "several elements: the latest-ending governs",
            with_project(
                "W-several",
                "卫生间渗水导致吊顶装修损坏",
                json!({"accepted_on": "2023-01-01"}),
            ),
        ),
        (
            "negation: no seepage, only the tiles",
            with_project(
                "W-negated",
                "卫生间没有渗水，但是墙砖空鼓",
                json!({"accepted_on": "2025-06-30"}),
            ),
        ),
        (
            "no element found: unknown",
            with_project(
                "W-unknown",
                "小区门口的路灯一直不亮",
                json!({"accepted_on": "2016-03-01"}),
            ),
        ),
        (
            "not yet accepted",
            with_project(
                "W-started",
                "The radiators in the living room stay cold",
                json!({"started_on": "2025-01-10"}),
            ),
        ),
        (
            "refused: acceptance before the start",
            with_project(
                "W-bad",
                "卫生间顶棚渗水",
                json!({"started_on": "2024-05-01", "accepted_on": "2024-04-30"}),
            ),
        ),
    ] {
        out.push(source(
            &format!("classify with warranty: {name}"),
            Call::Classify,
            "default",
            input,
        ));
    }
    out.push(source(
        "classify with a policy without warranty periods",
        Call::Classify,
        "no-warranty.json",
        with_project(
            "W-none",
            "卫生间顶棚渗水",
            json!({"accepted_on": "2016-03-01"}),
        ),
    ));

    // Recorded outside warranty: the event stores the answer; the log replays it.
    let record = source(
        "warranty: record outside warranty",
        Call::Record,
        "default",
        json!({"command": {"type": "record", "actor": actor("clerk-1", &["intake_clerk"]), "report": with_project("W-rec", "客厅墙砖空鼓", json!({"accepted_on": "2020-06-30"}))}, "now": "2026-03-02T09:30:00+08:00"}),
    );
    let event = run(policy, &record)["ok"]["event"].clone();
    out.push(record);
    out.push(source(
        "warranty: replay a record outside warranty",
        Call::Replay,
        "default",
        json!({"events": [event]}),
    ));
    out.push(source(
        "warranty: record refused, acceptance before the start",
        Call::Record,
        "default",
        json!({"command": {"type": "record", "actor": actor("clerk-1", &["intake_clerk"]), "report": with_project("W-rec-bad", "客厅墙砖空鼓", json!({"started_on": "2024-05-01", "accepted_on": "2024-04-30"}))}, "now": "2026-03-02T09:30:00+08:00"}),
    ));
}

fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

fn generate() -> BTreeMap<String, String> {
    let policies = policies();
    let mut loaded: BTreeMap<&str, Policy> = BTreeMap::new();
    let mut files = BTreeMap::new();
    for (name, policy) in &policies {
        if *name != "default" {
            files.insert(
                format!("policies/{name}"),
                serde_json::to_string_pretty(policy).unwrap() + "\n",
            );
        }
    }
    for (i, source) in sources().into_iter().enumerate() {
        let policy = loaded
            .entry(source.policy)
            .or_insert_with(|| load(&policies, source.policy));
        let expect = run(policy, &source);
        let mut case = json!({
            "name": source.name,
            "call": source.call.as_str(),
            "policy": source.policy,
            "expect": expect,
        });
        match source.text {
            Some(text) => case["input_text"] = json!(text),
            None => case["input"] = source.input,
        }
        files.insert(
            format!("cases/{:03}-{}.json", i + 1, slug(&source.name)),
            serde_json::to_string_pretty(&case).unwrap() + "\n",
        );
    }
    files
}

/// The prefix of the hand-written cases, which the generator leaves alone.
const HAND_WRITTEN: &str = "cases/hand-";

fn committed() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for sub in ["cases", "policies"] {
        let dir = Path::new(DIR).join(sub);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = format!("{sub}/{}", path.file_name().unwrap().to_string_lossy());
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    files
}

#[test]
fn the_conformance_corpus_matches_what_the_engine_does() {
    let generated = generate();
    if std::env::var_os("CASEFLOW_BLESS").is_some() {
        for name in committed().keys() {
            if !name.starts_with(HAND_WRITTEN) {
                std::fs::remove_file(Path::new(DIR).join(name)).unwrap();
            }
        }
        for sub in ["cases", "policies"] {
            std::fs::create_dir_all(Path::new(DIR).join(sub)).unwrap();
        }
        for (name, text) in &generated {
            std::fs::write(Path::new(DIR).join(name), text).unwrap();
        }
        return;
    }
    let committed = committed();
    let stale: Vec<&String> = generated
        .keys()
        .filter(|k| committed.get(*k) != generated.get(*k))
        .collect();
    let extra: Vec<&String> = committed
        .keys()
        .filter(|k| !generated.contains_key(*k) && !k.starts_with(HAND_WRITTEN))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "the conformance corpus is out of date (run CASEFLOW_BLESS=1 cargo test --test conformance and review the diff)\nchanged or missing: {stale:?}\nno longer generated: {extra:?}"
    );
}

#[test]
fn every_committed_case_replays_through_the_generic_call() {
    if std::env::var_os("CASEFLOW_BLESS").is_some() {
        return; // the other test is rewriting the files
    }
    let policies = policies();
    let mut loaded: BTreeMap<String, Policy> = BTreeMap::new();
    for (name, text) in committed()
        .into_iter()
        .filter(|(n, _)| n.starts_with("cases/"))
    {
        let case: Value = serde_json::from_str(&text).unwrap();
        let policy_name = case["policy"].as_str().unwrap().to_owned();
        let policy = loaded
            .entry(policy_name.clone())
            .or_insert_with(|| load(&policies, &policy_name));
        let call_name: Call = case["call"].as_str().unwrap().parse().unwrap();
        let got = match call(policy, call_name, &input_of(&case)) {
            Ok(text) => json!({"ok": serde_json::from_str::<Value>(&text).unwrap()}),
            Err(error) => json!({"error": error}),
        };
        assert_eq!(got, case["expect"], "{name}");
    }
}

#[test]
fn the_hand_written_cases_are_there_and_say_how_they_were_derived() {
    let hand: Vec<(String, Value)> = committed()
        .into_iter()
        .filter(|(name, _)| name.starts_with(HAND_WRITTEN))
        .map(|(name, text)| (name, serde_json::from_str(&text).unwrap()))
        .collect();
    assert!(hand.len() >= 8, "{} hand-written cases", hand.len());
    for (name, case) in &hand {
        assert!(
            case["derivation"].as_str().is_some_and(|d| d.len() > 40),
            "{name}: says how its expected output was worked out"
        );
        assert!(
            case["expect"].get("ok").is_some() != case["expect"].get("error").is_some(),
            "{name}"
        );
    }
}
