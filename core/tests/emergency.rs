//! The emergency plan (docs/policy.md §7) run on a case: every trigger of the default policy and
//! its level, each level's commander and action clocks, tick's reminders and escalations to the
//! commander, raise never lower (by hand and by new facts), the end refused while an action is
//! open, the review, media statements, refusals that change nothing, replay, and drills.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use caseflow_core::api;
use caseflow_core::lifecycle::{
    ActionOutcome, Applied, Case, Command, EVENT_FORMAT, Effect, Event, FURTHER_EMERGENCY_FORMAT,
    apply, record, replay, tick,
};
use caseflow_core::{Error, JsonPath};
use lifecycle_common::{at, policy};
use serde_json::{Value, json};

const RECORDED: &str = "2026-03-02T09:20:00+08:00";

fn actor(id: &str, role: &str) -> Value {
    json!({"id": id, "roles": [role]})
}

fn leader() -> Value {
    actor("pl-1", "project_leader")
}

fn manager() -> Value {
    actor("pm-1", "project_manager")
}

fn leadership() -> Value {
    actor("gm-1", "company_leadership")
}

fn report(description: &str, facts: Value) -> Value {
    json!({
        "id": "E-1", "project": "P-2026-017", "channel": "phone", "description": description,
        "raised_at": "2026-03-02T09:15:00+08:00", "received_at": "2026-03-02T09:15:00+08:00",
        "location": "3号楼2单元801", "contact": {"name": "业主", "phone": "13800000000"},
        "facts": facts
    })
}

fn command(value: Value) -> Command {
    Command::from_value(&value, &JsonPath::root()).unwrap()
}

/// A case recorded at [`RECORDED`], with its log.
fn open(description: &str, facts: Value) -> (Case, Vec<Event>) {
    let c = command(
        json!({"type": "record", "actor": actor("clerk-1", "intake_clerk"),
        "report": report(description, facts)}),
    );
    let applied = record(policy(), &c, at(RECORDED)).unwrap();
    (applied.case, vec![applied.event])
}

fn try_step(case: &Case, value: Value, now: &str) -> Result<Applied, Error> {
    apply(policy(), case, &command(value), at(now))
}

/// Applies an accepted command, appending its event.
fn step(case: &mut Case, log: &mut Vec<Event>, value: Value, now: &str) -> Vec<Effect> {
    let applied =
        try_step(case, value.clone(), now).unwrap_or_else(|e| panic!("{value} refused: {e:?}"));
    *case = applied.case;
    log.push(applied.event);
    applied.effects
}

/// Refuses a command, checks the case is unchanged byte for byte, and returns the codes.
fn refused(case: &Case, value: Value, now: &str) -> Vec<String> {
    let before = serde_json::to_string(case).unwrap();
    let error = try_step(case, value.clone(), now)
        .err()
        .unwrap_or_else(|| panic!("{value} was accepted"));
    assert_eq!(error.code.as_str(), "refused", "{error:?}");
    assert_eq!(serde_json::to_string(case).unwrap(), before);
    for d in &error.errors {
        assert!(d.message.contains("policy.md §"), "cites its rule: {d:?}");
    }
    error.errors.iter().map(|d| d.code.clone()).collect()
}

/// The record's actions as `id due` lines, in order.
fn actions(case: &Case) -> Vec<String> {
    case.emergency_plan
        .as_ref()
        .unwrap()
        .actions
        .iter()
        .map(|a| format!("{} {}", a.id, a.due.to_rfc3339()))
        .collect()
}

fn tick_effects(case: &Case, now: &str) -> Vec<Value> {
    tick(policy(), case, at(now))
        .unwrap()
        .effects
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(|e| e["action"].is_string())
        .collect()
}

#[test]
fn every_trigger_of_the_default_policy_declares_its_level_at_record() {
    let cases = [
        (
            "楼梯间吊顶掉落",
            json!({"injuries": 1}),
            "emergency.I.injuries",
            "I",
        ),
        ("车库顶板坍塌", json!({}), "emergency.I.collapse", "I"),
        (
            "地下室漏水",
            json!({"households_affected": 30}),
            "emergency.I.mass_complaint",
            "I",
        ),
        (
            "地下室漏水",
            json!({"households_affected": 10}),
            "emergency.II.many_households",
            "II",
        ),
        (
            "外墙渗水",
            json!({"media_attention": true}),
            "emergency.II.media_exposure",
            "II",
        ),
        (
            "阳台护栏松动",
            json!({"safety_hazard": true}),
            "emergency.III.safety_hazard",
            "III",
        ),
    ];
    let ids: Vec<String> = policy_triggers();
    assert_eq!(ids.len(), cases.len(), "one case per trigger: {ids:?}");
    for (description, facts, trigger, level) in cases {
        assert!(ids.contains(&trigger.to_owned()));
        let (case, _) = open(description, facts);
        let plan = case.emergency_plan.as_ref().unwrap();
        assert_eq!(plan.trigger.as_deref(), Some(trigger), "{description}");
        assert_eq!(plan.level.as_str(), level, "{trigger}");
        assert_eq!(case.emergency, Some(plan.level));
        assert_eq!(plan.declared_by, "engine");
        assert_eq!(plan.declared_at, at(RECORDED));
        assert_eq!(case.tier.number(), 1, "every emergency is tier 1");
        let commander = if level == "III" {
            "project_manager"
        } else {
            "company_leadership"
        };
        assert_eq!(plan.commanding_role.as_str(), commander, "{trigger}");
    }
    // No trigger, no emergency record.
    let (case, _) = open("入户门有一处划痕", json!({}));
    assert!(case.emergency_plan.is_none() && case.emergency.is_none());
}

fn policy_triggers() -> Vec<String> {
    let document: Value = serde_json::from_str(include_str!("../policy/default.json")).unwrap();
    document["emergency"]["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn each_level_names_its_commander_and_its_actions_each_due_its_time_after_the_declaration() {
    // Level I, someone hurt: the report to the authority and the safety measures apply.
    let (case, _) = open("楼梯间吊顶掉落", json!({"injuries": 1}));
    assert_eq!(
        actions(&case),
        [
            "notify_command 2026-03-02T09:50:00+08:00",
            "people_on_site 2026-03-02T11:20:00+08:00",
            "safety_measures 2026-03-02T11:20:00+08:00",
            "report_authority 2026-03-02T10:20:00+08:00",
            "initial_report 2026-03-03T09:20:00+08:00",
            "status_update#1 2026-03-02T21:20:00+08:00",
        ]
    );
    // Level II, many households, no hazard: neither conditional action.
    let (case, _) = open("地下室漏水", json!({"households_affected": 12}));
    assert_eq!(
        actions(&case),
        [
            "notify_command 2026-03-02T10:20:00+08:00",
            "people_on_site 2026-03-02T13:20:00+08:00",
            "initial_report 2026-03-03T09:20:00+08:00",
            "status_update#1 2026-03-03T09:20:00+08:00",
        ]
    );
    // Level III, a hazard: the safety measures apply.
    let (case, _) = open("阳台护栏松动", json!({"safety_hazard": true}));
    assert_eq!(
        actions(&case),
        [
            "notify_command 2026-03-02T11:20:00+08:00",
            "people_on_site 2026-03-03T09:20:00+08:00",
            "safety_measures 2026-03-03T09:20:00+08:00",
            "initial_report 2026-03-04T09:20:00+08:00",
            "status_update#1 2026-03-04T09:20:00+08:00",
        ]
    );
}

#[test]
fn the_declaration_notifies_the_commanding_level() {
    let c = command(
        json!({"type": "record", "actor": actor("clerk-1", "intake_clerk"),
        "report": report("阳台护栏松动", json!({"safety_hazard": true}))}),
    );
    let applied = record(policy(), &c, at(RECORDED)).unwrap();
    let notify: Vec<Value> = applied
        .effects
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(|e| e["template"] == "emergency_declared")
        .collect();
    assert_eq!(notify.len(), 1);
    assert_eq!(notify[0]["to"], "project_manager");
    assert_eq!(notify[0]["params"]["level"], "III");
    assert_eq!(
        notify[0]["params"]["trigger"],
        "emergency.III.safety_hazard"
    );
}

#[test]
fn each_action_clock_is_reminded_at_risk_and_escalated_to_the_commander_when_breached() {
    let (case, _) = open("楼梯间吊顶掉落", json!({"injuries": 1}));
    // Nothing is due a minute after the declaration.
    assert!(tick_effects(&case, "2026-03-02T09:21:00+08:00").is_empty());
    for a in &case.emergency_plan.as_ref().unwrap().actions {
        let span = a.due - a.started;
        let at_risk = a.started + span * 3 / 4;
        let just_before = (at_risk - chrono::Duration::minutes(1)).to_rfc3339();
        let mine = |effects: Vec<Value>| -> Vec<Value> {
            effects
                .into_iter()
                .filter(|e| e["action"] == a.id.as_str())
                .collect()
        };
        assert!(
            mine(tick_effects(&case, &just_before)).is_empty(),
            "{}",
            a.id
        );
        let risk = mine(tick_effects(&case, &at_risk.to_rfc3339()));
        assert_eq!(risk.len(), 1, "{}: {risk:?}", a.id);
        assert_eq!(
            (risk[0]["type"].as_str(), risk[0]["to"].as_str()),
            (Some("remind"), Some("company_leadership"))
        );
        let late = (a.due + chrono::Duration::minutes(1)).to_rfc3339();
        let breach = mine(tick_effects(&case, &late));
        assert_eq!(breach.len(), 1, "{}", a.id);
        assert_eq!(breach[0]["type"], "escalate");
        assert_eq!(breach[0]["to"], "company_leadership");
        assert_eq!(breach[0]["clock"], "emergency_action");
        assert_eq!(
            breach[0]["due"].as_str().unwrap(),
            a.due.to_rfc3339(),
            "{}",
            a.id
        );
    }
    // The tick reports every clock with its state.
    let report = tick(policy(), &case, at("2026-03-02T10:30:00+08:00")).unwrap();
    let states: Vec<(String, String)> = report
        .emergency
        .iter()
        .map(|c| {
            let state = serde_json::to_value(c.status.state).unwrap();
            (c.action.clone(), state.as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        states[0],
        ("notify_command".to_owned(), "breached".to_owned())
    );
    assert_eq!(
        states[3],
        ("report_authority".to_owned(), "breached".to_owned())
    );
    assert_eq!(
        states[4],
        ("initial_report".to_owned(), "running".to_owned())
    );
}

#[test]
fn a_done_action_stops_its_clock_and_a_status_update_opens_the_next() {
    let (mut case, mut log) = open("阳台护栏松动", json!({"safety_hazard": true}));
    step(
        &mut case,
        &mut log,
        json!({"type": "complete_emergency_action", "actor": manager(), "action": "notify_command"}),
        "2026-03-02T10:00:00+08:00",
    );
    let plan = case.emergency_plan.as_ref().unwrap();
    assert_eq!(
        plan.actions[0].outcome,
        Some(ActionOutcome::Done {
            by: "pm-1".to_owned(),
            at: at("2026-03-02T10:00:00+08:00")
        })
    );
    // Done: neither reminded nor escalated, however late it is now.
    assert!(
        tick_effects(&case, "2026-03-02T12:00:00+08:00")
            .iter()
            .all(|e| e["action"] != "notify_command")
    );
    // A second completion of the same action is refused.
    assert_eq!(
        refused(
            &case,
            json!({"type": "complete_emergency_action", "actor": manager(), "action": "notify_command"}),
            "2026-03-02T10:05:00+08:00"
        ),
        ["no_open_action"]
    );
    assert_eq!(
        refused(
            &case,
            json!({"type": "complete_emergency_action", "actor": manager(), "action": "status_update#1"}),
            "2026-03-02T10:05:00+08:00"
        ),
        ["no_open_action"]
    );
    // Someone who neither commands nor reports progress may not mark it done.
    assert_eq!(
        refused(
            &case,
            json!({"type": "complete_emergency_action", "actor": actor("c-1", "intake_clerk"), "action": "people_on_site"}),
            "2026-03-02T10:05:00+08:00"
        ),
        ["not_authorised"]
    );
    // The status update: #1 done, #2 due 48 hours (level III) after it.
    step(
        &mut case,
        &mut log,
        json!({"type": "emergency_status_update", "actor": leader(), "note": "围挡已设置"}),
        "2026-03-03T08:00:00+08:00",
    );
    let tail: Vec<String> = actions(&case).split_off(4);
    assert_eq!(
        tail,
        [
            "status_update#1 2026-03-04T09:20:00+08:00",
            "status_update#2 2026-03-05T08:00:00+08:00"
        ]
    );
    let plan = case.emergency_plan.as_ref().unwrap();
    assert!(matches!(
        plan.actions[4].outcome,
        Some(ActionOutcome::Done { .. })
    ));
    assert!(plan.actions[5].outcome.is_none());
    let late = tick_effects(&case, "2026-03-05T08:01:00+08:00");
    assert!(
        late.iter()
            .any(|e| e["action"] == "status_update#2" && e["type"] == "escalate")
    );
}

#[test]
fn a_level_is_raised_by_hand_or_by_new_facts_and_never_lowered() {
    let (mut case, mut log) = open("阳台护栏松动", json!({"safety_hazard": true}));
    step(
        &mut case,
        &mut log,
        json!({"type": "complete_emergency_action", "actor": manager(), "action": "notify_command"}),
        "2026-03-02T10:00:00+08:00",
    );
    for (level, codes) in [("III", "emergency_level_lower"), ("II", "not_authorised")] {
        // The same level is no raise; level II is not the project manager's to declare.
        assert_eq!(
            refused(
                &case,
                json!({"type": "raise_emergency", "actor": manager(), "level": level, "reason": "x"}),
                "2026-03-02T10:10:00+08:00"
            ),
            [codes]
        );
    }
    // New facts: the media are here, so the level II trigger holds.
    let effects = step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"media_attention": true}, "reason": "记者到场"}),
        "2026-03-02T11:00:00+08:00",
    );
    let plan = case.emergency_plan.clone().unwrap();
    assert_eq!(plan.level.as_str(), "II");
    assert_eq!(plan.commanding_role.as_str(), "company_leadership");
    assert_eq!(plan.raises.len(), 1);
    assert_eq!(
        (plan.raises[0].by.as_str(), plan.raises[0].reason.as_str()),
        ("engine", "emergency.II.media_exposure")
    );
    let raised = serde_json::to_value(&effects).unwrap();
    assert!(
        raised
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["template"] == "emergency_raised" && e["to"] == "company_leadership")
    );
    // The done action stays done; the open ones are due by the new level's times from the raise.
    assert!(matches!(
        plan.actions[0].outcome,
        Some(ActionOutcome::Done { .. })
    ));
    assert_eq!(
        actions(&case)[1..],
        [
            "people_on_site 2026-03-02T15:00:00+08:00",
            "safety_measures 2026-03-02T15:00:00+08:00",
            "initial_report 2026-03-03T11:00:00+08:00",
            "status_update#1 2026-03-03T11:00:00+08:00",
        ]
    );
    // Facts that only hold a lower level change nothing; lowering by hand is refused.
    let before = case.emergency_plan.clone();
    step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"media_attention": false}, "reason": "报道已撤"}),
        "2026-03-02T12:00:00+08:00",
    );
    assert_eq!(case.emergency_plan, before);
    assert_eq!(
        refused(
            &case,
            json!({"type": "raise_emergency", "actor": leadership(), "level": "III", "reason": "缓和"}),
            "2026-03-02T12:10:00+08:00"
        ),
        ["emergency_level_lower"]
    );
    // Someone hurt: level I by new facts, and the report to the authority is added.
    step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"injuries": 1}, "reason": "一名工人受伤"}),
        "2026-03-02T13:00:00+08:00",
    );
    let plan = case.emergency_plan.clone().unwrap();
    assert_eq!(plan.level.as_str(), "I");
    assert_eq!(case.emergency.map(|l| l.as_str()), Some("I"));
    assert!(actions(&case).contains(&"report_authority 2026-03-02T14:00:00+08:00".to_owned()));
    // Replay rebuilds the same case.
    assert_eq!(replay(policy(), &log).unwrap(), case);
}

#[test]
fn a_declaration_by_hand_needs_a_commander_and_makes_the_case_tier_1() {
    let (mut case, mut log) = open("入户门有一处划痕", json!({}));
    assert_ne!(case.tier.number(), 1);
    assert_eq!(
        refused(
            &case,
            json!({"type": "declare_emergency", "actor": leader(), "level": "III", "reason": "x"}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["not_authorised"]
    );
    assert_eq!(
        refused(
            &case,
            json!({"type": "end_emergency", "actor": manager()}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["no_emergency"]
    );
    step(
        &mut case,
        &mut log,
        json!({"type": "declare_emergency", "actor": manager(), "level": "III", "reason": "发现安全隐患"}),
        "2026-03-02T10:00:00+08:00",
    );
    let plan = case.emergency_plan.as_ref().unwrap();
    assert_eq!(
        (plan.declared_by.as_str(), plan.trigger.as_deref()),
        ("pm-1", None)
    );
    assert_eq!(plan.reason.as_deref(), Some("发现安全隐患"));
    assert_eq!(case.tier.number(), 1);
    assert_eq!(case.reclassifications.len(), 1);
    assert_eq!(
        refused(
            &case,
            json!({"type": "declare_emergency", "actor": manager(), "level": "III", "reason": "x"}),
            "2026-03-02T10:10:00+08:00"
        ),
        ["emergency_declared"]
    );
    assert_eq!(replay(policy(), &log).unwrap(), case);
}

#[test]
fn the_end_is_refused_while_an_action_is_open_then_the_review_is_due_and_closes_the_record() {
    let (mut case, mut log) = open("地下室漏水", json!({"households_affected": 12}));
    // Only the commander ends it, and every open action is named.
    assert_eq!(
        refused(
            &case,
            json!({"type": "end_emergency", "actor": leader()}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["not_authorised"]
    );
    assert_eq!(
        refused(
            &case,
            json!({"type": "end_emergency", "actor": leadership()}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["actions_open", "actions_open", "actions_open"]
    );
    let error = try_step(
        &case,
        json!({"type": "end_emergency", "actor": leadership()}),
        "2026-03-02T10:00:00+08:00",
    )
    .unwrap_err();
    for (d, id) in error
        .errors
        .iter()
        .zip(["notify_command", "people_on_site", "initial_report"])
    {
        assert!(d.message.contains(&format!("`{id}`")), "{d:?}");
    }
    step(
        &mut case,
        &mut log,
        json!({"type": "complete_emergency_action", "actor": leadership(), "action": "notify_command"}),
        "2026-03-02T10:00:00+08:00",
    );
    step(
        &mut case,
        &mut log,
        json!({"type": "complete_emergency_action", "actor": leader(), "action": "people_on_site"}),
        "2026-03-02T12:00:00+08:00",
    );
    // Only the commander waives, with a reason.
    assert_eq!(
        refused(
            &case,
            json!({"type": "waive_emergency_action", "actor": leader(), "action": "initial_report", "reason": "x"}),
            "2026-03-02T13:00:00+08:00"
        ),
        ["not_authorised"]
    );
    assert_eq!(
        refused(
            &case,
            json!({"type": "file_emergency_review", "actor": leadership(), "summary": "x"}),
            "2026-03-02T13:00:00+08:00"
        ),
        ["no_review_due"]
    );
    step(
        &mut case,
        &mut log,
        json!({"type": "waive_emergency_action", "actor": leadership(), "action": "initial_report", "reason": "现场会议纪要代替"}),
        "2026-03-02T13:00:00+08:00",
    );
    let effects = step(
        &mut case,
        &mut log,
        json!({"type": "end_emergency", "actor": leadership()}),
        "2026-03-02T14:00:00+08:00",
    );
    let ended = serde_json::to_value(&effects).unwrap();
    assert_eq!(ended[0]["template"], "emergency_ended");
    assert_eq!(ended[0]["to"], "company_leadership");
    let plan = case.emergency_plan.clone().unwrap();
    assert_eq!(plan.ended_by.as_deref(), Some("gm-1"));
    // 7 calendar days: to the end of 9 March.
    assert_eq!(plan.review_due, Some(at("2026-03-10T00:00:00+08:00")));
    assert!(!plan.is_closed());
    assert!(plan.actions.iter().all(|a| a.outcome.is_some()));
    // Over: no more updates or raises.
    assert_eq!(
        refused(
            &case,
            json!({"type": "emergency_status_update", "actor": leader(), "note": "x"}),
            "2026-03-02T15:00:00+08:00"
        ),
        ["emergency_ended"]
    );
    // The review clock: escalated to the commander once late.
    let late = tick_effects(&case, "2026-03-10T09:00:00+08:00");
    assert!(late.iter().any(|e| e["action"] == "review"
        && e["type"] == "escalate"
        && e["to"] == "company_leadership"));
    step(
        &mut case,
        &mut log,
        json!({"type": "file_emergency_review", "actor": leadership(), "summary": "排水沟加密巡检"}),
        "2026-03-10T10:00:00+08:00",
    );
    let plan = case.emergency_plan.clone().unwrap();
    assert!(plan.is_closed());
    assert!(tick_effects(&case, "2026-03-20T09:00:00+08:00").is_empty());
    assert_eq!(
        refused(
            &case,
            json!({"type": "file_emergency_review", "actor": leadership(), "summary": "x"}),
            "2026-03-10T11:00:00+08:00"
        ),
        ["no_review_due"]
    );
    // The log replays to the same case, and through the JSON API too.
    assert_eq!(replay(policy(), &log).unwrap(), case);
    let replayed = api::replay(policy(), &json!({"events": log}).to_string()).unwrap();
    assert_eq!(
        serde_json::to_string(&replayed).unwrap(),
        serde_json::to_string(&case).unwrap()
    );
}

#[test]
fn a_media_statement_needs_the_commanding_level() {
    let (mut case, mut log) = open("外墙渗水", json!({"media_attention": true}));
    assert_eq!(
        refused(
            &case,
            json!({"type": "release_media_statement", "actor": leader(), "statement": "已处置"}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["media_not_approved"]
    );
    assert_eq!(
        refused(
            &case,
            json!({"type": "release_media_statement", "actor": manager(), "statement": "已处置"}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["media_not_approved"]
    );
    step(
        &mut case,
        &mut log,
        json!({"type": "release_media_statement", "actor": leadership(), "statement": "我司已到场处置"}),
        "2026-03-02T10:00:00+08:00",
    );
    let statement = &case.emergency_plan.as_ref().unwrap().media_statements[0];
    assert_eq!(
        (statement.by.as_str(), statement.role.as_str()),
        ("gm-1", "company_leadership")
    );
    // Without an emergency there is nothing to approve.
    let (plain, _) = open("入户门有一处划痕", json!({}));
    assert_eq!(
        refused(
            &plain,
            json!({"type": "release_media_statement", "actor": leadership(), "statement": "x"}),
            "2026-03-02T10:00:00+08:00"
        ),
        ["no_emergency"]
    );
}

#[test]
fn the_emergency_record_reads_back_from_a_snapshot() {
    let (mut case, mut log) = open("楼梯间吊顶掉落", json!({"injuries": 1}));
    step(
        &mut case,
        &mut log,
        json!({"type": "waive_emergency_action", "actor": leadership(), "action": "safety_measures", "reason": "已由物业封闭"}),
        "2026-03-02T09:30:00+08:00",
    );
    let text = serde_json::to_string(&case).unwrap();
    assert!(text.contains("\"emergency_plan\""));
    assert_eq!(Case::from_json(&text).unwrap(), case);
    let waived = &serde_json::to_value(&case).unwrap()["emergency_plan"]["actions"][2]["outcome"];
    assert_eq!(waived["type"], "waived");
    assert_eq!(waived["reason"], "已由物业封闭");
    // A broken record is refused with every bad member named at its own path, as the rest of
    // the snapshot is: a misspelt outcome type, an unknown level, an instant that is not one
    // and a member the record does not have, each at once.
    let mut broken = serde_json::to_value(&case).unwrap();
    let record = &mut broken["emergency_plan"];
    record["actions"][2]["outcome"]["type"] = json!("skipped");
    record["level"] = json!("level_9");
    record["declared_at"] = json!("yesterday");
    record["colour"] = json!("red");
    let error = Case::from_json(&broken.to_string()).unwrap_err();
    let mut found: Vec<(&str, &str)> = error
        .errors
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [
            ("invalid_instant", "$.emergency_plan.declared_at"),
            ("invalid_value", "$.emergency_plan.actions[2].outcome.type"),
            ("invalid_value", "$.emergency_plan.level"),
            ("unknown_field", "$.emergency_plan.colour"),
        ]
    );
    // A case without an emergency has no member at all.
    let (plain, _) = open("入户门有一处划痕", json!({}));
    assert!(
        !serde_json::to_string(&plain)
            .unwrap()
            .contains("emergency_plan")
    );
}

#[test]
fn drill_status_says_when_the_next_drill_is_due() {
    let status = |input: Value| -> Value {
        serde_json::to_value(api::drill_status(policy(), &input.to_string()).unwrap()).unwrap()
    };
    let none = status(json!({"drills": [], "now": "2026-12-06T09:00:00+08:00"}));
    assert_eq!(none["last"], Value::Null);
    assert_eq!(
        (none["overdue"].as_bool(), none["next_due"].as_str()),
        (Some(true), Some("2026-12-06T09:00:00+08:00"))
    );
    // 365 calendar days after 1 November 2025: the end of 1 November 2026, a Sunday, so the end
    // of Monday 2 November.
    let late =
        status(json!({"drills": ["2025-03-01", "2025-11-01"], "now": "2026-12-06T09:00:00+08:00"}));
    assert_eq!(late["last"], "2025-11-01");
    assert_eq!(late["next_due"], "2026-11-03T00:00:00+08:00");
    assert_eq!(
        (late["overdue"].as_bool(), late["days_overdue"].as_i64()),
        (Some(true), Some(33))
    );
    assert_eq!(late["interval"], "365 calendar_days");
    let fine = status(json!({"drills": ["2026-11-01"], "now": "2026-12-06T09:00:00+08:00"}));
    assert_eq!(
        (fine["overdue"].as_bool(), fine["days_overdue"].as_i64()),
        (Some(false), Some(0))
    );
    let error = api::drill_status(
        policy(),
        &json!({"drills": ["2026-11-01", "2027-01-01"], "now": "2026-12-06T09:00:00+08:00"})
            .to_string(),
    )
    .unwrap_err();
    assert_eq!(
        (error.errors[0].code.as_str(), error.errors[0].path.as_str()),
        ("out_of_order", "$.drills[1]")
    );
    let error = api::drill_status(
        policy(),
        &json!({"drills": ["1 May"], "now": "2026-12-06T09:00:00+08:00"}).to_string(),
    )
    .unwrap_err();
    assert_eq!(error.errors[0].path, "$.drills[0]");
}

#[test]
fn an_emergency_command_in_an_event_of_an_earlier_format_is_refused() {
    let (mut case, mut log) = open("阳台护栏松动", json!({"safety_hazard": true}));
    step(
        &mut case,
        &mut log,
        json!({"type": "complete_emergency_action", "actor": manager(), "action": "notify_command"}),
        "2026-03-02T10:00:00+08:00",
    );
    assert!(caseflow_core::lifecycle::verify_log(&log).valid);
    assert!(
        log.iter()
            .all(|e| e.format == caseflow_core::lifecycle::EVENT_FORMAT)
    );
    // Relabelled as format 3, which predates the emergency plan.
    let mut old: Vec<Value> = log
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    for i in 0..old.len() {
        old[i]["format"] = json!(3);
        if i > 0 {
            old[i]["prev_hash"] = old[i - 1]["hash"].clone();
        }
        let event = Event::from_value(&old[i], &JsonPath::root()).unwrap();
        old[i]["hash"] = json!(event.computed_hash().unwrap());
    }
    let verdict = api::verify_log(&json!({"events": old}).to_string()).unwrap();
    let bad = verdict.first_bad.unwrap();
    assert_eq!(bad.index, 1);
    assert!(
        bad.reason.contains("predates the emergency plan"),
        "{}",
        bad.reason
    );
}

#[test]
fn new_facts_at_the_same_level_add_the_conditional_actions_that_now_hold() {
    let (mut case, mut log) = open("小区业主集体投诉", json!({"households_affected": 30}));
    assert_eq!(case.emergency.map(|l| l.as_str()), Some("I"));
    assert!(
        !actions(&case)
            .iter()
            .any(|a| a.starts_with("report_authority") || a.starts_with("safety_measures"))
    );
    // Someone hurt: still level I, and the 1-hour legal report and the safety measures are now
    // owed, each due its time from the new facts.
    step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"injuries": 1}, "reason": "一名业主受伤"}),
        "2026-03-02T11:00:00+08:00",
    );
    let plan = case.emergency_plan.clone().unwrap();
    assert_eq!(plan.level.as_str(), "I");
    assert!(plan.raises.is_empty());
    let now = actions(&case);
    assert!(
        now.contains(&"report_authority 2026-03-02T12:00:00+08:00".to_owned()),
        "{now:?}"
    );
    assert!(
        now.contains(&"safety_measures 2026-03-02T13:00:00+08:00".to_owned()),
        "{now:?}"
    );
    // The same facts again add nothing twice.
    step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"injuries": 2}, "reason": "两人受伤"}),
        "2026-03-02T11:30:00+08:00",
    );
    assert_eq!(actions(&case), now);
    assert_eq!(replay(policy(), &log).unwrap(), case);
}

/// A level II case (12 households) with every mandated action done, ended at `end`.
fn ended_at(end: &str) -> (Case, Vec<Event>) {
    let (mut case, mut log) = open("地下室漏水", json!({"households_affected": 12}));
    for id in ["notify_command", "people_on_site", "initial_report"] {
        step(
            &mut case,
            &mut log,
            json!({"type": "complete_emergency_action", "actor": leadership(), "action": id}),
            "2026-03-02T10:00:00+08:00",
        );
    }
    step(
        &mut case,
        &mut log,
        json!({"type": "end_emergency", "actor": leadership()}),
        end,
    );
    (case, log)
}

#[test]
fn the_end_waives_nothing_a_late_status_update_stays_open_and_one_not_yet_due_is_dropped() {
    // status_update#1 is due 24 hours after the declaration: 2026-03-03T09:20.
    let (case, log) = ended_at("2026-03-03T10:00:00+08:00");
    let plan = case.emergency_plan.clone().unwrap();
    let update = plan
        .actions
        .iter()
        .find(|a| a.id == "status_update#1")
        .expect("the late update stays on the record");
    assert_eq!(update.outcome, None, "late, and nobody waived it");
    assert!(
        !plan
            .actions
            .iter()
            .any(|a| matches!(a.outcome, Some(ActionOutcome::Waived { .. })))
    );
    // It is reported late, but no longer escalated: nobody can post it now.
    assert!(
        tick_effects(&case, "2026-03-04T09:00:00+08:00")
            .iter()
            .all(|e| e["action"] == "review")
    );
    assert_eq!(replay(policy(), &log).unwrap(), case);
    // Ended before it was due: it is no longer owed.
    let (case, _) = ended_at("2026-03-02T14:00:00+08:00");
    let plan = case.emergency_plan.unwrap();
    assert!(
        !plan
            .actions
            .iter()
            .any(|a| a.id.starts_with("status_update"))
    );
    assert!(plan.actions.iter().all(|a| a.outcome.is_some()));
}

#[test]
fn a_declaration_by_hand_cannot_lower_the_level_of_a_case_replayed_from_an_older_log() {
    let (_, log) = open("工人摔伤", json!({"injuries": 1}));
    // Relabelled as format 3: the replayed case is level I with no emergency record.
    let mut old = serde_json::to_value(&log[0]).unwrap();
    old["format"] = json!(3);
    let event = Event::from_value(&old, &JsonPath::root()).unwrap();
    old["hash"] = json!(event.computed_hash().unwrap());
    let event = Event::from_value(&old, &JsonPath::root()).unwrap();
    let case = replay(policy(), &[event]).unwrap();
    assert_eq!(case.emergency.map(|l| l.as_str()), Some("I"));
    assert!(case.emergency_plan.is_none());
    for level in ["III", "II"] {
        assert_eq!(
            refused(
                &case,
                json!({"type": "declare_emergency", "actor": leadership(), "level": level, "reason": "x"}),
                "2026-03-02T10:00:00+08:00"
            ),
            ["emergency_level_lower"]
        );
    }
    let applied = try_step(
        &case,
        json!({"type": "declare_emergency", "actor": leadership(), "level": "I", "reason": "补登应急预案"}),
        "2026-03-02T10:00:00+08:00",
    )
    .unwrap();
    assert_eq!(applied.case.emergency_plan.unwrap().level.as_str(), "I");
}

/// The review clocks `tick` lists at `now`: `(ended_emergency, state)` of each `review`.
fn review_clocks(case: &Case, now: &str) -> Vec<(Option<usize>, String)> {
    tick(policy(), case, at(now))
        .unwrap()
        .emergency
        .iter()
        .filter(|c| c.action == "review")
        .map(|c| {
            let state = serde_json::to_value(c.status.state).unwrap();
            (c.ended_emergency, state.as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn new_facts_after_the_end_declare_a_second_emergency_and_the_first_review_stays_due() {
    // Level II (12 households), every action done, ended on 2 March: its review is due by the
    // end of 9 March.
    let (mut case, mut log) = ended_at("2026-03-02T14:00:00+08:00");
    // The same facts, or more of the trigger that held, declare nothing again.
    step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"households_affected": 15}, "reason": "又有三户"}),
        "2026-03-03T08:00:00+08:00",
    );
    assert!(case.ended_emergencies.is_empty());
    assert!(case.emergency_plan.as_ref().unwrap().ended_at.is_some());
    assert_eq!(log.last().unwrap().format, EVENT_FORMAT);
    // Someone hurt: a trigger that did not hold declares a new, level I emergency.
    let effects = step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"injuries": 1}, "reason": "一名业主滑倒受伤"}),
        "2026-03-03T09:00:00+08:00",
    );
    assert_eq!(log.last().unwrap().format, FURTHER_EMERGENCY_FORMAT);
    assert_eq!(case.ended_emergencies.len(), 1);
    let first = &case.ended_emergencies[0];
    assert_eq!(first.level.as_str(), "II");
    assert!(first.ended_at.is_some() && first.review.is_none());
    let second = case.emergency_plan.clone().unwrap();
    assert_eq!(
        (
            second.level.as_str(),
            second.declared_by.as_str(),
            second.trigger.as_deref()
        ),
        ("I", "engine", Some("emergency.I.injuries"))
    );
    assert_eq!(second.declared_at, at("2026-03-03T09:00:00+08:00"));
    assert!(second.ended_at.is_none());
    assert_eq!(case.emergency.map(|l| l.as_str()), Some("I"));
    let declared = serde_json::to_value(&effects).unwrap();
    assert!(
        declared
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["template"] == "emergency_declared" && e["to"] == "company_leadership")
    );
    // Its actions are clocks from the new declaration, by level I's times.
    let now = actions(&case);
    for line in [
        "notify_command 2026-03-03T09:30:00+08:00",
        "report_authority 2026-03-03T10:00:00+08:00",
        "people_on_site 2026-03-03T11:00:00+08:00",
        "status_update#1 2026-03-03T21:00:00+08:00",
    ] {
        assert!(now.contains(&line.to_owned()), "{line} in {now:?}");
    }
    assert!(second.actions.iter().all(|a| a.outcome.is_none()));
    let late = tick_effects(&case, "2026-03-03T09:40:00+08:00");
    assert!(late.iter().any(|e| e["action"] == "notify_command"
        && e["type"] == "escalate"
        && e["to"] == "company_leadership"));
    // tick keeps the first emergency's review clock, named by its record.
    assert_eq!(
        review_clocks(&case, "2026-03-10T09:00:00+08:00"),
        [(Some(0), "breached".to_owned())]
    );
    assert!(
        tick_effects(&case, "2026-03-10T09:00:00+08:00")
            .iter()
            .any(|e| e["action"] == "review" && e["type"] == "escalate")
    );
    // The first review is still fileable, by its commander, and closes the first record only.
    assert_eq!(
        refused(
            &case,
            json!({"type": "file_emergency_review", "actor": manager(), "summary": "x"}),
            "2026-03-04T10:00:00+08:00"
        ),
        ["not_authorised"]
    );
    step(
        &mut case,
        &mut log,
        json!({"type": "file_emergency_review", "actor": leadership(), "summary": "排水沟加密巡检"}),
        "2026-03-04T10:00:00+08:00",
    );
    assert!(case.ended_emergencies[0].is_closed());
    assert!(!case.emergency_plan.as_ref().unwrap().is_closed());
    assert_eq!(
        review_clocks(&case, "2026-03-10T09:00:00+08:00"),
        [(Some(0), "met".to_owned())]
    );
    // The second emergency has no review due until it ends.
    assert_eq!(
        refused(
            &case,
            json!({"type": "file_emergency_review", "actor": leadership(), "summary": "x"}),
            "2026-03-04T11:00:00+08:00"
        ),
        ["no_review_due"]
    );
    // The log replays to the same case, and through the JSON API too.
    assert_eq!(replay(policy(), &log).unwrap(), case);
    let replayed = api::replay(policy(), &json!({"events": log}).to_string()).unwrap();
    assert_eq!(
        serde_json::to_string(&replayed).unwrap(),
        serde_json::to_string(&case).unwrap()
    );
    assert!(caseflow_core::lifecycle::verify_log(&log).valid);
}

#[test]
fn an_older_log_with_new_facts_after_the_end_replays_without_a_second_emergency() {
    let (mut case, mut log) = ended_at("2026-03-02T14:00:00+08:00");
    step(
        &mut case,
        &mut log,
        json!({"type": "update_facts", "actor": leader(), "facts": {"injuries": 1}, "reason": "受伤"}),
        "2026-03-03T09:00:00+08:00",
    );
    assert_eq!(case.ended_emergencies.len(), 1);
    // The same event written by a build before format 5, which took the facts without a
    // declaration: relabelled as format 4 and hashed again.
    let mut old = serde_json::to_value(log.last().unwrap()).unwrap();
    old["format"] = json!(EVENT_FORMAT);
    let event = Event::from_value(&old, &JsonPath::root()).unwrap();
    old["hash"] = json!(event.computed_hash().unwrap());
    let mut older = log.clone();
    *older.last_mut().unwrap() = Event::from_value(&old, &JsonPath::root()).unwrap();
    assert!(caseflow_core::lifecycle::verify_log(&older).valid);
    let replayed = replay(policy(), &older).unwrap();
    assert!(replayed.ended_emergencies.is_empty());
    let plan = replayed.emergency_plan.unwrap();
    assert_eq!(plan.level.as_str(), "II");
    assert!(plan.ended_at.is_some());
    assert!(replayed.facts.unwrap().injuries.is_some());
}

#[test]
fn after_the_end_a_commander_may_declare_again_by_hand_and_no_one_else() {
    let (mut case, mut log) = ended_at("2026-03-02T14:00:00+08:00");
    // Raising an ended emergency is still refused: a new one is declared.
    assert_eq!(
        refused(
            &case,
            json!({"type": "raise_emergency", "actor": leadership(), "level": "I", "reason": "x"}),
            "2026-03-03T09:00:00+08:00"
        ),
        ["emergency_ended"]
    );
    // Not a commander of level III or above: refused, the case unchanged (checked by `refused`).
    assert_eq!(
        refused(
            &case,
            json!({"type": "declare_emergency", "actor": leader(), "level": "III", "reason": "x"}),
            "2026-03-03T09:00:00+08:00"
        ),
        ["not_authorised"]
    );
    // The project manager commands level III, not level II.
    assert_eq!(
        refused(
            &case,
            json!({"type": "declare_emergency", "actor": manager(), "level": "II", "reason": "x"}),
            "2026-03-03T09:00:00+08:00"
        ),
        ["not_authorised"]
    );
    // A new emergency is its own: a lower level than the ended one is no lowering of it.
    step(
        &mut case,
        &mut log,
        json!({"type": "declare_emergency", "actor": manager(), "level": "III", "reason": "地下室再次进水，配电箱有隐患"}),
        "2026-03-03T09:00:00+08:00",
    );
    assert_eq!(log.last().unwrap().format, FURTHER_EMERGENCY_FORMAT);
    assert_eq!(case.ended_emergencies.len(), 1);
    let plan = case.emergency_plan.clone().unwrap();
    assert_eq!(
        (
            plan.level.as_str(),
            plan.declared_by.as_str(),
            plan.commanding_role.as_str()
        ),
        ("III", "pm-1", "project_manager")
    );
    assert_eq!(case.emergency.map(|l| l.as_str()), Some("III"));
    // While it runs, a second declaration is refused as before.
    assert_eq!(
        refused(
            &case,
            json!({"type": "declare_emergency", "actor": leadership(), "level": "I", "reason": "x"}),
            "2026-03-03T09:30:00+08:00"
        ),
        ["emergency_declared"]
    );
    // The first record's review is filed by its own commander, not the current one.
    assert_eq!(
        refused(
            &case,
            json!({"type": "file_emergency_review", "actor": manager(), "summary": "x"}),
            "2026-03-03T10:00:00+08:00"
        ),
        ["not_authorised"]
    );
    assert_eq!(replay(policy(), &log).unwrap(), case);
}

#[test]
fn audit_and_assess_see_every_emergency_of_the_case() {
    let (mut case, mut log) = ended_at("2026-03-02T14:00:00+08:00");
    step(
        &mut case,
        &mut log,
        json!({"type": "declare_emergency", "actor": manager(), "level": "III", "reason": "配电箱隐患"}),
        "2026-03-03T09:00:00+08:00",
    );
    step(
        &mut case,
        &mut log,
        json!({"type": "withdraw", "actor": leader(), "reason": "业主撤回"}),
        "2026-03-11T09:00:00+08:00",
    );
    let logs = [serde_json::to_value(&log).unwrap()];
    let audit = caseflow_core::supervision::audit(policy(), &logs, None);
    let records: Vec<&str> = audit
        .findings
        .iter()
        .filter(|f| serde_json::to_value(f.code).unwrap() == "emergency_without_review")
        .filter_map(|f| f.record.as_deref())
        .collect();
    // The first one's review is overdue; the second was never declared over (findings are
    // listed by record).
    assert_eq!(records, ["emergency_plan", "ended_emergencies[0]"]);
    let period = caseflow_core::supervision::Period::new(
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    )
    .unwrap();
    let kpis = caseflow_core::supervision::assess(
        policy(),
        &logs,
        period,
        at("2026-03-12T09:00:00+08:00"),
    );
    let emergencies = serde_json::to_value(&kpis.overall.emergencies).unwrap();
    assert_eq!(emergencies["by_level"], json!({"II": 1, "III": 1}));
    // The first review is judged (late, unfiled); the second's is not due.
    assert_eq!(emergencies["reviews_on_time"]["denominator"], 1);
}
