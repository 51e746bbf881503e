//! One scenario per path of docs/policy.md §4, loaded from `scenarios/` (the files `caseflow simulate`
//! runs and docs/lifecycle.md documents): the states, the due instants on the real calendar, and the
//! effects each step produces.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_cli::scenario::{Outcome, Scenario, Simulation, StepReport, simulate};
use caseflow_core::Policy;
use caseflow_core::lifecycle::{CaseState, replay, verify_log};
use serde_json::{Value, json};

/// The default policy, compiled once for the whole file.
fn policy() -> &'static Policy {
    static POLICY: std::sync::LazyLock<Policy> =
        std::sync::LazyLock::new(|| Policy::builtin().unwrap());
    &POLICY
}

fn run(name: &str) -> Simulation {
    let path = format!("{}/scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{path}: {e:?}"));
    simulate(policy(), &scenario)
}

/// The timeline's states, step by step.
fn states(sim: &Simulation) -> Vec<&'static str> {
    sim.timeline
        .iter()
        .map(|s| s.state.map_or("-", CaseState::as_str))
        .collect()
}

fn step(sim: &Simulation, n: usize) -> &StepReport {
    &sim.timeline[n]
}

fn accepted(sim: &Simulation, n: usize) {
    let s = step(sim, n);
    assert_eq!(
        s.outcome,
        Outcome::Accepted,
        "step {n} ({}) was refused: {:?}",
        s.action,
        s.error
    );
}

/// The refusal's diagnostic code at step `n`.
fn refused(sim: &Simulation, n: usize) -> String {
    let s = step(sim, n);
    assert_eq!(
        s.outcome,
        Outcome::Refused,
        "step {n} ({}) was accepted",
        s.action
    );
    let error = s.error.as_ref().unwrap();
    assert_eq!(error.code.as_str(), "refused");
    let d = &error.errors[0];
    assert!(
        d.message.contains("policy.md §"),
        "a refusal cites its rule: {}",
        d.message
    );
    d.code.clone()
}

/// The due instant of a clock as of step `n`.
fn due(sim: &Simulation, n: usize, clock: &str) -> String {
    let s = serde_json::to_value(step(sim, n)).unwrap();
    let found = s["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clock"] == clock)
        .unwrap_or_else(|| panic!("step {n} has no {clock} clock: {}", s["clocks"]));
    found["status"]["due"].as_str().unwrap().to_owned()
}

/// The state of a clock as of step `n`.
fn clock_state(sim: &Simulation, n: usize, clock: &str) -> String {
    let s = serde_json::to_value(step(sim, n)).unwrap();
    s["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clock"] == clock)
        .map(|c| c["status"]["state"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("step {n} has no {clock} clock"))
}

/// The effects of step `n` as JSON values.
fn effects(sim: &Simulation, n: usize) -> Vec<Value> {
    step(sim, n)
        .effects
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

/// The effects of step `n` that match every member of `pattern`.
fn matching(sim: &Simulation, n: usize, pattern: &Value) -> Vec<Value> {
    effects(sim, n)
        .into_iter()
        .filter(|e| pattern.as_object().unwrap().iter().all(|(k, v)| &e[k] == v))
        .collect()
}

fn has(sim: &Simulation, n: usize, pattern: Value) {
    assert!(
        !matching(sim, n, &pattern).is_empty(),
        "step {n} has no effect like {pattern}: {:#?}",
        effects(sim, n)
    );
}

fn lacks(sim: &Simulation, n: usize, pattern: Value) {
    assert!(
        matching(sim, n, &pattern).is_empty(),
        "step {n} has an unexpected effect like {pattern}"
    );
}

/// What holds for every scenario: each effect cites a rule, the log verifies and replays to the
/// final case, and a refused step leaves the case as the step before left it.
fn common(sim: &Simulation) {
    let policy = policy();
    for s in &sim.timeline {
        for e in &s.effects {
            let rule = serde_json::to_value(e).unwrap()["rule"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(
                rule.starts_with("policy.md §"),
                "effect without a rule: {e:?}"
            );
        }
    }
    assert!(verify_log(&sim.events).valid);
    let replayed = replay(policy, &sim.events).unwrap();
    assert_eq!(
        serde_json::to_value(&replayed).unwrap(),
        serde_json::to_value(sim.case.as_ref().unwrap()).unwrap()
    );
    let mut last = None;
    for s in &sim.timeline {
        match s.outcome {
            Outcome::Accepted => last = s.case.clone(),
            Outcome::Refused | Outcome::Ticked => {
                assert!(s.case.is_none() && s.event.is_none());
                let last = last.as_ref().unwrap();
                assert_eq!(s.state, Some(last.state));
                assert_eq!(s.tier, Some(last.tier));
            }
            other => panic!(
                "step {}: an outcome this test does not know, {other:?}",
                s.step
            ),
        }
    }
    assert_eq!(
        sim.events.len(),
        sim.timeline
            .iter()
            .filter(|s| s.outcome == Outcome::Accepted)
            .count()
    );
}

#[test]
fn tier_1_emergency_consultation_leadership_approval_and_both_departments() {
    let sim = run("tier-1-emergency");
    common(&sim);
    assert_eq!(
        states(&sim),
        [
            "recorded",
            "planning",
            "planning",
            "awaiting_approval",
            "awaiting_approval",
            "in_progress",
            "in_progress",
            "in_progress",
            "awaiting_verification",
            "awaiting_verification",
            "awaiting_verification",
            "verified",
            "awaiting_confirmation",
            "closed",
            "closed",
        ]
    );
    // Intake: the contact clock runs 24 hours from receipt; the emergency's commander is told.
    assert_eq!(
        due(&sim, 0, "contact_customer"),
        "2026-03-03T09:15:00+08:00"
    );
    has(
        &sim,
        0,
        json!({"type": "notify", "to": "project_manager", "template": "emergency_declared"}),
    );
    // Acceptance: contacted at 09:45, so the contact clock is met; the tier-1 plan is due in 48
    // hours and the experts of the three departments are asked to consult.
    accepted(&sim, 1);
    has(
        &sim,
        1,
        json!({"type": "stop_clock", "clock": "contact_customer", "met": true}),
    );
    assert_eq!(due(&sim, 1, "plan"), "2026-03-04T09:50:00+08:00");
    assert_eq!(due(&sim, 1, "commitment"), "2026-03-13T17:30:00+08:00");
    has(
        &sim,
        1,
        json!({"type": "notify", "to": "company_expert", "template": "consultation_requested",
        "params": {"case": "SC-T1", "tier": "1", "departments": "technical,quality,safety"}}),
    );
    assert_eq!(refused(&sim, 2), "consultation_incomplete");
    accepted(&sim, 3);
    assert_eq!(due(&sim, 3, "approval"), "2026-03-04T10:00:00+08:00");
    has(
        &sim,
        3,
        json!({"type": "notify", "to": "company_leadership", "template": "plan_submitted"}),
    );
    assert_eq!(refused(&sim, 4), "not_authorised");
    accepted(&sim, 5);
    assert_eq!(due(&sim, 5, "progress_update"), "2026-03-04T14:00:00+08:00");
    // Completion: verification is due in 3 working days, from both departments.
    accepted(&sim, 8);
    assert_eq!(due(&sim, 8, "verification"), "2026-03-10T17:30:00+08:00");
    for to in ["technical_dept", "quality_dept"] {
        has(
            &sim,
            8,
            json!({"type": "notify", "to": to, "template": "verification_requested"}),
        );
    }
    assert_eq!(refused(&sim, 9), "missing_field");
    accepted(&sim, 10);
    lacks(
        &sim,
        10,
        json!({"type": "stop_clock", "clock": "verification"}),
    );
    accepted(&sim, 11);
    has(
        &sim,
        11,
        json!({"type": "stop_clock", "clock": "verification", "met": true}),
    );
    // Notified on Friday 6 March at 15:00: 7 calendar days end at 24:00 on Friday 13 March.
    assert_eq!(due(&sim, 12, "customer_reply"), "2026-03-14T00:00:00+08:00");
    let case = sim.case.as_ref().unwrap();
    assert_eq!(case.state, CaseState::Closed);
    let plan = case.plan.as_ref().unwrap();
    assert_eq!(
        plan.approval.as_ref().unwrap().role.as_str(),
        "company_leadership"
    );
    assert_eq!(plan.plan.consulted.len(), 3);
    let reports: Vec<(&str, &str)> = case
        .verifications
        .iter()
        .map(|v| (v.role.as_str(), v.report_ref.as_deref().unwrap()))
        .collect();
    assert_eq!(
        reports,
        [
            ("technical_dept", "VR-2026-011"),
            ("quality_dept", "VR-2026-012")
        ]
    );
    assert_eq!(
        case.customer_answers[0].signed_form_ref.as_deref(),
        Some("CF-2026-0101")
    );
    assert!(case.breaches.is_empty(), "{:?}", case.breaches);
    // A closed case is not reminded of its handling; its emergency, never worked in this
    // scenario, runs on until its review (docs/policy.md §7): its clocks alone escalate.
    let after = effects(&sim, 14);
    assert!(!after.is_empty());
    for e in &after {
        assert_eq!(
            e["clock"], "emergency_action",
            "a closed case is not reminded: {e}"
        );
        assert_eq!(e["to"], "project_manager");
    }
}

#[test]
fn tier_2_plan_due_after_the_spring_festival() {
    let sim = run("tier-2");
    common(&sim);
    assert_eq!(
        states(&sim),
        [
            "recorded",
            "recorded",
            "planning",
            "awaiting_approval",
            "in_progress",
            "in_progress",
            "awaiting_verification",
            "verified",
            "awaiting_confirmation",
            "closed",
        ]
    );
    // The 15-working-day cap from Friday 13 February 16:00 ends on 12 March.
    assert_eq!(refused(&sim, 1), "beyond_cap");
    assert!(
        step(&sim, 1).error.as_ref().unwrap().errors[0]
            .message
            .contains("2026-03-12T17:30:00+08:00")
    );
    // Accepted on 13 February at 16:00: 14 February is a make-up working Saturday (day 1), the
    // Spring Festival runs to the 23rd, so day 3 is 25 February.
    assert_eq!(due(&sim, 2, "plan"), "2026-02-25T17:30:00+08:00");
    for to in ["project_leader", "technical_lead", "foreman"] {
        has(
            &sim,
            2,
            json!({"type": "notify", "to": to, "template": "plan_requested",
            "params": {"case": "SC-T2", "tier": "2", "plan_due": "2026-02-25T17:30:00+08:00"}}),
        );
    }
    assert_eq!(due(&sim, 3, "approval"), "2026-02-26T17:30:00+08:00");
    has(
        &sim,
        3,
        json!({"type": "notify", "to": "project_manager", "template": "plan_submitted"}),
    );
    // Progress every 3 working days; 28 February is a make-up Saturday.
    assert_eq!(due(&sim, 4, "progress_update"), "2026-02-27T17:30:00+08:00");
    assert_eq!(due(&sim, 5, "progress_update"), "2026-03-02T17:30:00+08:00");
    assert_eq!(due(&sim, 6, "verification"), "2026-03-04T17:30:00+08:00");
    // One verification by the project team suffices at tier 2; it also meets the commitment.
    has(
        &sim,
        7,
        json!({"type": "stop_clock", "clock": "commitment", "met": true}),
    );
    assert_eq!(due(&sim, 8, "customer_reply"), "2026-03-11T00:00:00+08:00");
    let case = sim.case.as_ref().unwrap();
    assert_eq!(
        case.plan
            .as_ref()
            .unwrap()
            .approval
            .as_ref()
            .unwrap()
            .role
            .as_str(),
        "project_manager"
    );
    assert!(case.breaches.is_empty());
}

#[test]
fn tier_3_plan_is_filed_without_approval() {
    let sim = run("tier-3");
    common(&sim);
    assert_eq!(
        states(&sim),
        [
            "recorded",
            "planning",
            "planning",
            "in_progress",
            "awaiting_verification",
            "verified",
            "awaiting_confirmation",
            "closed",
        ]
    );
    // Raised at 20:15 the evening before: the contact clock counts from receipt, in wall hours.
    assert_eq!(
        due(&sim, 0, "contact_customer"),
        "2026-03-03T20:15:00+08:00"
    );
    assert_eq!(due(&sim, 1, "plan"), "2026-03-05T17:30:00+08:00");
    has(
        &sim,
        1,
        json!({"type": "notify", "to": "site_manager", "template": "plan_requested"}),
    );
    assert_eq!(refused(&sim, 2), "not_authorised");
    accepted(&sim, 3);
    has(
        &sim,
        3,
        json!({"type": "notify", "to": "project_leader", "template": "plan_filed"}),
    );
    lacks(&sim, 3, json!({"type": "start_clock", "clock": "approval"}));
    lacks(
        &sim,
        3,
        json!({"type": "start_clock", "clock": "progress_update"}),
    );
    let case = sim.case.as_ref().unwrap();
    let plan = case.plan.as_ref().unwrap();
    assert!(plan.approval.is_none());
    assert_eq!(plan.filed_with.map(|r| r.as_str()), Some("project_leader"));
    assert_eq!(case.state, CaseState::Closed);
}

#[test]
fn rejected_plan_goes_back_to_drafting_with_the_reasons() {
    let sim = run("rejected-plan");
    common(&sim);
    assert_eq!(refused(&sim, 2), "not_authorised");
    accepted(&sim, 4);
    assert_eq!(step(&sim, 4).state, Some(CaseState::Planning));
    let reasons = "只处理内墙不治本：先查外墙渗漏点并做防水";
    // A new plan clock from the rejection: 3 working days from Wednesday 11 March.
    assert_eq!(due(&sim, 4, "plan"), "2026-03-16T17:30:00+08:00");
    has(
        &sim,
        4,
        json!({"type": "stop_clock", "clock": "approval", "met": true}),
    );
    has(
        &sim,
        4,
        json!({"type": "notify", "to": "project_leader", "template": "plan_rejected",
        "params": {"case": "SC-RP", "tier": "2", "plan_due": "2026-03-16T17:30:00+08:00", "reasons": reasons}}),
    );
    accepted(&sim, 5);
    let plan = step(&sim, 5).case.as_ref().unwrap().plan.clone().unwrap();
    assert_eq!(plan.round, 2);
    assert_eq!(plan.last_rejection.as_deref(), Some(reasons));
    assert_eq!(sim.case.as_ref().unwrap().state, CaseState::Closed);
}

#[test]
fn failed_verification_returns_the_work_to_implementation() {
    let sim = run("failed-verification");
    common(&sim);
    accepted(&sim, 5);
    assert_eq!(step(&sim, 5).state, Some(CaseState::InProgress));
    has(
        &sim,
        5,
        json!({"type": "notify", "to": "project_leader", "template": "verification_failed"}),
    );
    // The progress clock starts again from the failed verification (Friday 6 March 09:00).
    has(
        &sim,
        5,
        json!({"type": "start_clock", "clock": "progress_update", "due": "2026-03-11T17:30:00+08:00"}),
    );
    assert!(
        step(&sim, 5)
            .case
            .as_ref()
            .unwrap()
            .verifications
            .is_empty()
    );
    assert_eq!(refused(&sim, 6), "wrong_state");
    accepted(&sim, 9);
    assert_eq!(step(&sim, 9).state, Some(CaseState::Verified));
    assert_eq!(sim.case.as_ref().unwrap().state, CaseState::Closed);
}

#[test]
fn a_second_rejection_by_the_customer_raises_the_tier() {
    let sim = run("dissatisfied-customer");
    common(&sim);
    // First rejection: back to planning, tier unchanged, round 2.
    accepted(&sim, 6);
    let s = step(&sim, 6);
    assert_eq!(
        (s.state, s.tier.map(|t| t.number())),
        (Some(CaseState::Planning), Some(3))
    );
    has(
        &sim,
        6,
        json!({"type": "notify", "to": "project_leader", "template": "confirmation_rejected",
        "params": {"case": "SC-DC", "tier": "3", "round": "1", "reasons": "补刷处仍能看出色差"}}),
    );
    assert_eq!(s.case.as_ref().unwrap().round(), 2);
    // Second rejection: raised to tier 2 by caseflow, with the reason on record.
    accepted(&sim, 11);
    let s = step(&sim, 11);
    assert_eq!(
        (s.state, s.tier.map(|t| t.number())),
        (Some(CaseState::Planning), Some(2))
    );
    has(
        &sim,
        11,
        json!({"type": "notify", "template": "case_reclassified", "rule": "policy.md §3.4"}),
    );
    // The new tier's drafters are asked, on the new tier's deadline (3 working days).
    has(
        &sim,
        11,
        json!({"type": "notify", "to": "project_leader", "template": "plan_rejected"}),
    );
    assert_eq!(due(&sim, 11, "plan"), "2026-03-11T17:30:00+08:00");
    let case = s.case.as_ref().unwrap();
    let raise = case.reclassifications.last().unwrap();
    assert_eq!(raise.by, "caseflow");
    assert_eq!((raise.tier_from.number(), raise.tier_to.number()), (3, 2));
    assert!(raise.reason.contains("2 times"), "{}", raise.reason);
    assert_eq!(case.round(), 3);
    // Tier 2 now: the site manager may no longer submit; the plan needs the project manager.
    assert_eq!(refused(&sim, 12), "not_authorised");
    accepted(&sim, 13);
    assert_eq!(step(&sim, 13).state, Some(CaseState::AwaitingApproval));
    let case = sim.case.as_ref().unwrap();
    assert_eq!(case.state, CaseState::Closed);
    let answers: Vec<(u32, bool)> = case
        .customer_answers
        .iter()
        .map(|a| (a.round, a.satisfied))
        .collect();
    assert_eq!(answers, [(1, false), (2, false), (3, true)]);
}

#[test]
fn hold_pauses_the_resolution_clocks_but_not_the_contact_clock() {
    let sim = run("hold-resume");
    common(&sim);
    // On hold before contact: no clock pauses, the contact clock reminds and then breaches.
    accepted(&sim, 1);
    lacks(&sim, 1, json!({"type": "pause_clock"}));
    assert_eq!(clock_state(&sim, 2, "contact_customer"), "at_risk");
    has(
        &sim,
        2,
        json!({"type": "remind", "to": "project_leader", "clock": "contact_customer",
        "id": "SC-HR/contact_customer/2026-03-02T09:20:00+08:00/at_risk"}),
    );
    assert_eq!(clock_state(&sim, 3, "contact_customer"), "breached");
    has(
        &sim,
        3,
        json!({"type": "escalate", "to": "project_manager", "clock": "contact_customer"}),
    );
    // Resumed to where it was, then accepted late: the breach is kept.
    assert_eq!(step(&sim, 4).state, Some(CaseState::Recorded));
    has(
        &sim,
        5,
        json!({"type": "stop_clock", "clock": "contact_customer", "met": false}),
    );
    // On hold in progress: the commitment and progress clocks pause.
    assert_eq!(due(&sim, 7, "progress_update"), "2026-03-09T17:30:00+08:00");
    for clock in ["commitment", "progress_update"] {
        has(&sim, 8, json!({"type": "pause_clock", "clock": clock}));
        assert_eq!(clock_state(&sim, 10, clock), "paused");
    }
    assert_eq!(refused(&sim, 9), "wrong_state");
    assert!(
        effects(&sim, 10).is_empty(),
        "paused clocks are not reminded"
    );
    // Resumed after five days: back in progress, the progress clock pushed out by the paused
    // working time (3 of its 25 working hours were used before the hold).
    let s = step(&sim, 11);
    assert_eq!(s.state, Some(CaseState::InProgress));
    has(
        &sim,
        11,
        json!({"type": "resume_clock", "clock": "progress_update", "due": "2026-03-12T17:30:00+08:00"}),
    );
    has(
        &sim,
        11,
        json!({"type": "resume_clock", "clock": "commitment", "due": "2026-03-25T17:30:00+08:00"}),
    );
    assert!(s.case.as_ref().unwrap().hold.is_none());
    let case = sim.case.as_ref().unwrap();
    assert_eq!(case.state, CaseState::Closed);
    let breached: Vec<&str> = case
        .breaches
        .iter()
        .map(|b| match b.clock {
            caseflow_core::routing::ClockKind::ContactCustomer => "contact_customer",
            _ => "other",
        })
        .collect();
    assert_eq!(breached, ["contact_customer"]);
}

#[test]
fn withdrawal_ends_the_case_and_stops_every_clock() {
    let sim = run("withdrawal");
    common(&sim);
    assert_eq!(refused(&sim, 3), "not_authorised");
    accepted(&sim, 4);
    for clock in ["commitment", "approval"] {
        has(
            &sim,
            4,
            json!({"type": "stop_clock", "clock": clock, "met": true, "rule": "policy.md §4.7"}),
        );
    }
    has(
        &sim,
        4,
        json!({"type": "notify", "to": "project_leader", "template": "case_withdrawn"}),
    );
    let case = step(&sim, 4).case.as_ref().unwrap();
    assert_eq!(case.state, CaseState::Withdrawn);
    assert_eq!(case.withdrawal.as_ref().unwrap().by, "pl-02");
    assert!(case.clocks.values().all(|c| c.stopped_at.is_some()));
    assert_eq!(refused(&sim, 5), "case_ended");
    assert!(effects(&sim, 6).is_empty());
}

#[test]
fn a_breached_deadline_is_reminded_then_escalated_up_the_chain() {
    let sim = run("breached-deadline");
    common(&sim);
    assert_eq!(due(&sim, 1, "plan"), "2026-03-04T10:00:00+08:00");
    // 35 of 48 hours: nothing yet.
    assert!(effects(&sim, 2).is_empty());
    // 36 of 48 hours = 75 %: remind the drafter.
    has(
        &sim,
        3,
        json!({"type": "remind", "to": "project_leader", "clock": "plan",
        "template": "clock_at_risk", "due": "2026-03-04T10:00:00+08:00",
        "id": "SC-BD/plan/2026-03-02T10:00:00+08:00/at_risk"}),
    );
    // Breached: the next level up, and the quality department for a tier-1 case.
    let escalations = matching(&sim, 4, &json!({"type": "escalate", "clock": "plan"}));
    let to: Vec<&str> = escalations
        .iter()
        .map(|e| e["to"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["project_manager", "quality_dept"]);
    assert!(
        escalations
            .iter()
            .all(|e| e["template"] == "clock_breached")
    );
    has(
        &sim,
        5,
        json!({"type": "stop_clock", "clock": "plan", "met": false}),
    );
    // The customer's silence reminds the project leader; the case does not close by itself.
    has(
        &sim,
        14,
        json!({"type": "remind", "to": "project_leader", "clock": "customer_reply",
        "template": "customer_reply_overdue"}),
    );
    assert_eq!(step(&sim, 14).state, Some(CaseState::AwaitingConfirmation));
    let case = sim.case.as_ref().unwrap();
    assert_eq!(case.state, CaseState::Closed);
    let plan_breach = &case.breaches[0];
    assert_eq!(
        serde_json::to_value(plan_breach).unwrap(),
        json!({"clock": "plan", "due": "2026-03-04T10:00:00+08:00", "stopped_at": "2026-03-04T14:00:00+08:00"})
    );
}

/// The emergency record at the end of a scenario, as JSON.
fn emergency(sim: &Simulation) -> Value {
    serde_json::to_value(sim.case.as_ref().unwrap()).unwrap()["emergency_plan"].clone()
}

#[test]
fn emergency_level_iii_declared_by_hand_ends_only_when_every_action_is_done() {
    let sim = run("emergency-level-iii");
    common(&sim);
    accepted(&sim, 1);
    assert_eq!(step(&sim, 0).tier.map(|t| t.number()), Some(2));
    assert_eq!(step(&sim, 1).tier.map(|t| t.number()), Some(1));
    has(
        &sim,
        1,
        json!({"type": "notify", "to": "project_manager", "template": "emergency_declared"}),
    );
    assert_eq!(refused(&sim, 2), "emergency_declared");
    assert_eq!(refused(&sim, 8), "actions_open");
    assert!(
        step(&sim, 8).error.as_ref().unwrap().errors[0]
            .message
            .contains("`initial_report`")
    );
    assert_eq!(refused(&sim, 10), "not_authorised");
    has(
        &sim,
        11,
        json!({"template": "emergency_ended", "to": "project_manager"}),
    );
    has(
        &sim,
        12,
        json!({"type": "remind", "clock": "emergency_review", "action": "review"}),
    );
    let e = emergency(&sim);
    assert_eq!(e["level"], "III");
    assert_eq!(e["declared_by"], "pm-01");
    assert_eq!(e["review_due"], "2026-03-11T00:00:00+08:00");
    assert_eq!(e["review"]["by"], "pm-01");
}

#[test]
fn emergency_level_ii_is_raised_from_iii_by_new_facts_and_never_lowered() {
    let sim = run("emergency-level-ii");
    common(&sim);
    has(
        &sim,
        0,
        json!({"template": "emergency_declared", "to": "project_manager"}),
    );
    has(
        &sim,
        3,
        json!({"template": "emergency_raised", "to": "company_leadership"}),
    );
    assert_eq!(refused(&sim, 4), "not_authorised");
    assert_eq!(refused(&sim, 5), "emergency_level_lower");
    assert_eq!(refused(&sim, 6), "media_not_approved");
    accepted(&sim, 7);
    has(
        &sim,
        9,
        json!({"type": "escalate", "to": "company_leadership", "action": "safety_measures", "due": "2026-03-02T15:00:00+08:00"}),
    );
    assert_eq!(refused(&sim, 12), "not_authorised");
    let e = emergency(&sim);
    assert_eq!(
        (e["level"].as_str(), e["trigger"].as_str()),
        (Some("II"), Some("emergency.III.safety_hazard"))
    );
    assert_eq!(e["raises"][0]["by"], "engine");
    assert_eq!(e["raises"][0]["reason"], "emergency.II.media_exposure");
    assert_eq!(e["actions"][3]["outcome"]["type"], "waived");
    assert_eq!(e["media_statements"][0]["by"], "gm-01");
    assert!(e["review"].is_object());
}

#[test]
fn emergency_level_i_reports_to_the_authority_and_escalates_late_updates_and_reviews() {
    let sim = run("emergency-level-i");
    common(&sim);
    has(
        &sim,
        0,
        json!({"template": "emergency_declared", "to": "company_leadership"}),
    );
    let e0 = serde_json::to_value(step(&sim, 0).case.as_ref().unwrap()).unwrap();
    assert_eq!(e0["emergency_plan"]["trigger"], "emergency.I.injuries");
    has(
        &sim,
        4,
        json!({"type": "remind", "action": "people_on_site", "due": "2026-03-02T11:20:00+08:00"}),
    );
    has(
        &sim,
        8,
        json!({"type": "escalate", "action": "status_update#2", "due": "2026-03-03T08:00:00+08:00"}),
    );
    assert_eq!(refused(&sim, 12), "emergency_ended");
    has(
        &sim,
        13,
        json!({"type": "escalate", "clock": "emergency_review", "to": "company_leadership"}),
    );
    let e = emergency(&sim);
    let ids: Vec<&str> = e["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "notify_command",
            "people_on_site",
            "safety_measures",
            "report_authority",
            "initial_report",
            "status_update#1",
            "status_update#2"
        ],
        "the update not yet due at the end is no longer owed, and nobody waived it"
    );
    assert!(e["review"].is_object());
}

#[test]
fn every_scenario_file_reads_and_runs() {
    let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 12, "{names:?}");
    for name in names {
        let sim = run(name.trim_end_matches(".json"));
        common(&sim);
        let case = sim.case.as_ref().unwrap();
        // The emergency scenarios follow the emergency to its review, beside the handling.
        let emergency_closed = case.emergency_plan.as_ref().is_some_and(|e| e.is_closed());
        assert!(
            case.state.is_terminal() || emergency_closed,
            "{name} ends with the case closed or withdrawn, or its emergency reviewed"
        );
    }
}

#[test]
fn a_typical_tier_2_case_snapshot_fits_in_4_kb() {
    for name in ["tier-2", "rejected-plan", "failed-verification"] {
        let sim = run(name);
        let bytes = serde_json::to_string(sim.case.as_ref().unwrap())
            .unwrap()
            .len();
        println!("{name}: {bytes} bytes");
        assert!(bytes <= 4096, "{name}: {bytes} bytes");
    }
}
