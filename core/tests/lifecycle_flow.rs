//! A tier-2 case walked from intake to closure through the JSON API, and its log replayed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::Policy;
use caseflow_core::api;
use caseflow_core::lifecycle::{Applied, CaseState};
use serde_json::{Value, json};

fn actor(id: &str, roles: &[&str]) -> Value {
    json!({"id": id, "roles": roles})
}

fn step(policy: &Policy, case: &Value, command: Value, now: &str) -> Applied {
    let input = json!({"case": case, "command": command, "now": now});
    api::apply(policy, &input.to_string()).unwrap_or_else(|e| panic!("{command}: {e:?}"))
}

#[test]
fn a_tier_2_case_runs_from_intake_to_closure_and_replays() {
    let policy = Policy::builtin().unwrap();
    let report = json!({
        "id": "S-01", "project": "P-2026-017", "channel": "phone",
        "description": "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水",
        "raised_at": "2026-03-02T09:15:00+08:00", "location": "3号楼2单元801",
        "contact": {"name": "业主", "phone": "13800000000"}
    });
    let opened = api::record(&policy, &json!({
        "command": {"type": "record", "actor": actor("clerk-1", &["intake_clerk"]), "report": report},
        "now": "2026-03-02T09:20:00+08:00"
    }).to_string()).unwrap();
    assert_eq!(opened.case.state, CaseState::Recorded);
    let mut events = vec![opened.event.clone()];
    let mut case = serde_json::to_value(&opened.case).unwrap();
    let leader = actor("pl-1", &["project_leader"]);
    let steps = [
        (
            json!({"type": "accept", "actor": leader, "committed_deadline": "2026-03-16T17:30:00+08:00"}),
            "2026-03-02T15:00:00+08:00",
            CaseState::Planning,
        ),
        (
            json!({"type": "submit_plan", "actor": leader, "plan": {"measures": ["更换排水管接口"], "responsible": [{"name": "王班长"}], "milestones": [{"description": "完成维修", "due": "2026-03-10T17:30:00+08:00"}]}}),
            "2026-03-03T10:00:00+08:00",
            CaseState::AwaitingApproval,
        ),
        (
            json!({"type": "approve_plan", "actor": actor("pm-1", &["project_manager"])}),
            "2026-03-03T16:00:00+08:00",
            CaseState::InProgress,
        ),
        (
            json!({"type": "report_progress", "actor": leader, "note": "材料已到场"}),
            "2026-03-05T10:00:00+08:00",
            CaseState::InProgress,
        ),
        (
            json!({"type": "complete_work", "actor": leader}),
            "2026-03-09T16:00:00+08:00",
            CaseState::AwaitingVerification,
        ),
        (
            json!({"type": "verify", "actor": leader, "passed": true}),
            "2026-03-10T10:00:00+08:00",
            CaseState::Verified,
        ),
        (
            json!({"type": "notify_customer", "actor": leader}),
            "2026-03-10T11:00:00+08:00",
            CaseState::AwaitingConfirmation,
        ),
        (
            json!({"type": "customer_confirm", "actor": actor("owner-801", &["customer"]), "signed_form_ref": "CF-2026-0031", "satisfaction": 5}),
            "2026-03-11T09:00:00+08:00",
            CaseState::Closed,
        ),
    ];
    for (command, now, state) in steps {
        let applied = step(&policy, &case, command, now);
        assert_eq!(applied.case.state, state);
        events.push(applied.event);
        case = serde_json::to_value(&applied.case).unwrap();
    }
    assert!(
        case["breaches"].is_null(),
        "no clock was breached: {}",
        case["breaches"]
    );
    let log = json!({"events": events}).to_string();
    let verification = api::verify_log(&log).unwrap();
    assert!(verification.valid);
    let replayed = api::replay(&policy, &log).unwrap();
    assert_eq!(serde_json::to_value(&replayed).unwrap(), case);
    println!("snapshot bytes: {}", case.to_string().len());
}
