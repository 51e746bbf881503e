//! `caseflow simulate` and `caseflow demo`, run as a user runs them.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{caseflow, stderr, stdout};

use serde_json::{Value, json};

fn scenario_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn simulate_prints_a_timeline_table() {
    let output = caseflow(&["simulate", "scenarios/tier-1-emergency.json"], "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("scenario: tier 1: a loose balcony railing"));
    let header = text.lines().find(|l| l.contains("action / actor")).unwrap();
    for column in ["step", "time (+08:00)", "result", "state", "tier"] {
        assert!(header.contains(column), "{column}");
    }
    // Step rows: number, local time, command and actor, result, state, tier.
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("5  "))
        .unwrap();
    assert!(
        row.contains("2026-03-03 14:00")
            && row.contains("approve_plan gm-01 [company_leadership]")
            && row.contains("accepted")
            && row.contains("in_progress"),
        "{row}"
    );
    // A refusal with its reason and rule, and the run goes on.
    assert!(text.contains("REFUSED"));
    assert!(text.contains(
        "refused:  not_authorised at $.actor.roles: `approve_plan` at tier 1 needs company_leadership"
    ));
    // Running clocks with their due instants, effects with their rules.
    assert!(text.contains("plan due 2026-03-04 09:50 (running, 0%)"));
    assert!(text.contains(
        "notify company_expert consultation_requested (departments=technical,quality,safety) — policy.md §4.3; $.tiers.1.plan.consult_departments"
    ));
    assert!(
        text.lines()
            .any(|l| l.contains("customer_confirm") && l.contains("closed"))
    );
}

#[test]
fn simulate_json_is_one_document_with_the_full_results() {
    let output = caseflow(
        &["simulate", "--json", "scenarios/breached-deadline.json"],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1);
    let sim: Value = serde_json::from_str(&out).unwrap();
    let scenario: Value =
        serde_json::from_str(&std::fs::read_to_string("scenarios/breached-deadline.json").unwrap())
            .unwrap();
    let timeline = sim["timeline"].as_array().unwrap();
    assert_eq!(
        timeline.len(),
        scenario["steps"].as_array().unwrap().len() + 1
    );
    assert_eq!(timeline[0]["action"], "record");
    assert_eq!(timeline[0]["at"], "2026-03-02T08:40:00+08:00");
    let breach = &timeline[4];
    assert_eq!(
        (breach["action"].as_str(), breach["outcome"].as_str()),
        (Some("tick"), Some("ticked"))
    );
    let to: Vec<&str> = breach["effects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "escalate")
        .map(|e| e["to"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["project_manager", "quality_dept"]);
    let accepted = timeline
        .iter()
        .filter(|s| s["outcome"] == "accepted")
        .count();
    assert_eq!(sim["events"].as_array().unwrap().len(), accepted);
    assert!(
        timeline
            .iter()
            .filter(|s| s["outcome"] == "accepted")
            .all(|s| s["case"].is_object() && s["event"].is_object())
    );
    assert_eq!(sim["case"]["state"], "closed");
    // Deterministic: the same bytes every run.
    let again = caseflow(
        &["simulate", "--json", "scenarios/breached-deadline.json"],
        "",
    );
    assert_eq!(stdout(&again), out);
}

#[test]
fn every_bundled_scenario_runs_to_its_end() {
    for file in scenario_files() {
        let output = caseflow(&["simulate", "--json", &file], "");
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
        let sim: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let state = sim["case"]["state"].as_str().unwrap();
        // The emergency scenarios follow the emergency to its review, beside the handling.
        let reviewed = sim["case"]["emergency_plan"]["review"].is_object();
        assert!(
            state == "closed" || state == "withdrawn" || reviewed,
            "{file}: {state}"
        );
    }
}

#[test]
fn refusals_do_not_stop_a_scenario_or_fail_the_run() {
    let scenario = json!({
        "name": "refusals",
        "report": {"id": "R-1", "project": "P", "channel": "phone", "description": "入户门有一处划痕",
                   "raised_at": "2026-03-02T09:00:00+08:00", "location": "1-101", "contact": {"phone": "13800000000"}},
        "recorded_by": {"id": "clerk", "roles": ["intake_clerk"]},
        "recorded_at": "2026-03-02T09:10:00+08:00",
        "steps": [
            {"at": "2026-03-02T10:00:00+08:00", "command": {"type": "complete_work", "actor": {"id": "pl", "roles": ["project_leader"]}}},
            {"at": "2026-03-02T09:00:00+08:00", "command": {"type": "accept", "actor": {"id": "pl", "roles": ["project_leader"]}, "committed_deadline": "2026-03-06T17:30:00+08:00"}},
            {"at": "2026-03-02T11:00:00+08:00", "command": {"type": "accept", "actor": {"id": "pl", "roles": ["project_leader"]}, "committed_deadline": "2026-03-06T17:30:00+08:00"}}
        ]
    });
    let output = caseflow(&["simulate", "--json", "-"], &scenario.to_string());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sim: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let codes: Vec<Value> = sim["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["error"]["errors"][0]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            Value::Null,
            json!("wrong_state"),
            json!("out_of_order"),
            Value::Null
        ]
    );
    assert_eq!(sim["case"]["state"], "planning");
}

#[test]
fn an_invalid_scenario_is_refused_with_every_bad_field_named() {
    let dir = std::env::temp_dir().join(format!("caseflow-simulate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    let scenario = json!({
        "name": "broken",
        "actors": {"leader": {"id": "pl", "roles": ["project_leader"]}},
        "report": {"id": "R-1", "project": "P", "channel": "fax", "description": "划痕",
                   "raised_at": "2026-03-02T09:00:00+08:00", "location": "1-101", "contact": {"phone": "13800000000"}},
        "recorded_by": "clerk",
        "recorded_at": "yesterday",
        "steps": [
            {"at": "2026-03-02T10:00:00+08:00", "command": {"type": "accept", "actor": "leader"}},
            {"at": "2026-03-02T11:00:00+08:00", "command": {"type": "hold", "actor": "nobody", "reason": "x"}},
            {"at": "2026-03-02T12:00:00+08:00", "tick": true, "command": {"type": "resume", "actor": "leader"}},
            {"at": "2026-03-02T13:00:00+08:00", "wait": 3}
        ]
    });
    std::fs::write(&path, scenario.to_string()).unwrap();
    let output = caseflow(&["simulate", path.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["code"], "invalid_input");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with(path.to_str().unwrap())
    );
    let paths: Vec<&str> = error["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for expected in [
        "$.report.channel",
        "$.recorded_by",
        "$.recorded_at",
        "$.steps[0].command.committed_deadline",
        "$.steps[1].command.actor",
        "$.steps[2]",
        "$.steps[3]",
        "$.steps[3].wait",
    ] {
        assert!(paths.contains(&expected), "{expected} in {paths:?}");
    }
    let missing = caseflow(&["simulate", "/no/such/scenario.json"], "");
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn demo_walks_cases_of_every_tier_from_intake_to_closure_in_both_languages() {
    let output = caseflow(&["demo"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    // The sample summary stays first.
    assert!(text.starts_with("caseflow demo — sample reports under the default policy"));
    for scenario in [
        "tier-1-emergency",
        "tier-2",
        "tier-3",
        "rejected-plan",
        "failed-verification",
        "dissatisfied-customer",
        "breached-deadline",
    ] {
        assert!(
            text.contains(&format!("(scenarios/{scenario}.json)")),
            "{scenario}"
        );
    }
    for label in [
        // tiers, categories, states, roles
        "一级问题 Tier 1",
        "二级问题 Tier 2",
        "三级问题 Tier 3",
        "质量问题 Quality",
        "已登记 recorded",
        "方案制定中 planning",
        "待审批 awaiting approval",
        "处理实施中 in progress",
        "待验证 awaiting verification",
        "验证通过 verified",
        "待客户确认 awaiting confirmation",
        "已关闭 closed",
        "项目负责人 Project leader",
        "公司领导 Company leadership",
        "公司质量部门 Quality department",
        "客户 Customer",
        // the loops and the breach
        "驳回方案 reject_plan",
        "verification_failed",
        "客户不满意 customer_reject",
        "逾期 breached",
        "上报 escalate to 项目经理 Project manager",
    ] {
        assert!(text.contains(label), "{label}");
    }
    assert_eq!(
        text.matches("→ 已关闭 closed").count(),
        7,
        "each case closes"
    );
    let again = caseflow(&["demo"], "");
    assert_eq!(stdout(&again), text, "the demo is deterministic");
}
