//! Separation of duties (policy data: `tiers.N.separation_of_duties`): each attack of issue 11
//! by one person holding two roles is refused with the rule's path, and a tier change while a
//! plan awaits approval sends the plan through the approval the new tier requires.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use caseflow_core::lifecycle::{Action, Case, CaseState, Command, CommandKind, apply};
use caseflow_core::routing::ClockKind;
use caseflow_core::{Error, Policy, Role, Tier, api};
use chrono::Duration;
use lifecycle_common::{Walked, policy, sample, walk};
use serde_json::{Value, json};

/// `kind` by the person `id` holding `roles`.
fn by(id: &str, roles: &[Role], kind: CommandKind) -> Command {
    let mut command = sample(kind, roles, None);
    command.actor.id = id.to_owned();
    command
}

fn verify_as(id: &str, roles: &[Role], role: Role) -> Command {
    let mut command = sample(CommandKind::Verify, roles, Some(role));
    command.actor.id = id.to_owned();
    command
}

fn lower(id: &str, roles: &[Role], to: Tier) -> Command {
    let mut command = by(id, roles, CommandKind::Reclassify);
    command.action = Action::Reclassify {
        tier: Some(to),
        category: None,
        reason: "复核后降级".into(),
    };
    command
}

/// `command` refused as a host sees it through the JSON call (see `refused_for_host`).
fn refused_through_json(w: &Walked, command: &Command) -> Error {
    lifecycle_common::refused_for_host(&w.case, &w.events, command, w.now + Duration::minutes(30))
}

fn assert_separated(error: &Error, rule: &str) {
    let d = &error.errors[0];
    assert_eq!(
        (d.code.as_str(), d.path.as_str()),
        ("separation_of_duties", "$.actor.id"),
        "{error:?}"
    );
    assert!(d.message.contains(rule), "{rule}: {}", d.message);
}

#[test]
fn one_person_holding_both_departments_cannot_verify_twice() {
    let both = [Role::TechnicalDept, Role::QualityDept];
    let mut w = walk(Tier::One, CaseState::AwaitingVerification).unwrap();
    w.step(verify_as("dept-1", &both, Role::TechnicalDept));
    let error = refused_through_json(&w, &verify_as("dept-1", &both, Role::QualityDept));
    assert_separated(&error, "$.tiers.1.separation_of_duties[1]");
    // Another person of the quality department completes it.
    w.step(verify_as("qd-9", &[Role::QualityDept], Role::QualityDept));
    assert_eq!(w.case.state, CaseState::Verified);
}

#[test]
fn the_drafter_of_a_plan_cannot_approve_it() {
    for (tier, approver, rule) in [
        (
            Tier::One,
            Role::CompanyLeadership,
            "$.tiers.1.separation_of_duties[0]",
        ),
        (
            Tier::Two,
            Role::ProjectManager,
            "$.tiers.2.separation_of_duties[0]",
        ),
    ] {
        let mut w = walk(tier, CaseState::Planning).unwrap();
        let roles = [Role::ProjectLeader, approver];
        w.step(by("pl-and-approver", &roles, CommandKind::SubmitPlan));
        let error =
            refused_through_json(&w, &by("pl-and-approver", &roles, CommandKind::ApprovePlan));
        assert_separated(&error, rule);
        // Rejecting is not approving: the plan goes back to its drafter.
        w.step(by("pl-and-approver", &roles, CommandKind::RejectPlan));
        assert_eq!(w.case.state, CaseState::Planning);
        // A plan drafted by someone else is theirs to approve.
        w.step(by("pl-2", &[Role::ProjectLeader], CommandKind::SubmitPlan));
        w.step(by("pl-and-approver", &roles, CommandKind::ApprovePlan));
        assert_eq!(w.case.state, CaseState::InProgress);
    }
}

#[test]
fn the_approver_at_a_tier_cannot_lower_it() {
    let mut w = walk(Tier::One, CaseState::Planning).unwrap();
    w.step(by("pl-1", &[Role::ProjectLeader], CommandKind::SubmitPlan));
    w.step(by(
        "gm-1",
        &[Role::CompanyLeadership],
        CommandKind::ApprovePlan,
    ));
    let error = refused_through_json(&w, &lower("gm-1", &[Role::CompanyLeadership], Tier::Two));
    assert_separated(&error, "$.tiers.1.separation_of_duties[2]");
    // Another leader may lower it.
    w.step(lower("gm-2", &[Role::CompanyLeadership], Tier::Two));
    assert_eq!(w.case.tier, Tier::Two);
    // The other order: who lowered the tier may not then approve at the lower one.
    let mut w = walk(Tier::One, CaseState::Planning).unwrap();
    let both = [Role::CompanyLeadership, Role::ProjectManager];
    w.step(lower("gm-pm", &both, Tier::Two));
    w.step(by("pl-1", &[Role::ProjectLeader], CommandKind::SubmitPlan));
    let error = refused_through_json(&w, &by("gm-pm", &both, CommandKind::ApprovePlan));
    assert_separated(&error, "$.tiers.2.separation_of_duties[1]");
}

fn running(case: &Case, kind: ClockKind) -> bool {
    case.clocks
        .get(&kind)
        .is_some_and(|c| c.stopped_at.is_none())
}

#[test]
fn lowering_a_tier_while_its_plan_awaits_approval_never_files_it_unreviewed() {
    // The attack: the project leader lowers a tier-2 case to tier 3 while the plan
    // awaits the project manager.
    let mut w = walk(Tier::Two, CaseState::AwaitingApproval).unwrap();
    w.step(lower("pl-1", &[Role::ProjectLeader], Tier::Three));
    assert_eq!(
        (w.case.tier, w.case.state),
        (Tier::Three, CaseState::Planning)
    );
    let plan = w.case.plan.as_ref().unwrap();
    assert!(plan.filed_with.is_none() && plan.approval.is_none());
    assert!(!running(&w.case, ClockKind::Approval) && running(&w.case, ClockKind::Plan));
    // The project leader cannot file it: tier 3's drafters submit (and file) it.
    let error = refused_through_json(
        &w,
        &by("pl-1", &[Role::ProjectLeader], CommandKind::SubmitPlan),
    );
    assert_eq!(error.errors[0].code, "not_authorised");
    w.step(by("sm-1", &[Role::SiteManager], CommandKind::SubmitPlan));
    assert_eq!(w.case.state, CaseState::InProgress);
    assert_eq!(
        w.case.plan.as_ref().unwrap().filed_with,
        Some(Role::ProjectLeader)
    );

    // Lowered from tier 1 to tier 2, the plan goes to tier 2's approver on tier 2's deadline.
    let mut w = walk(Tier::One, CaseState::AwaitingApproval).unwrap();
    let command = lower("gm-1", &[Role::CompanyLeadership], Tier::Two);
    let now = w.now + Duration::minutes(30);
    let applied = apply(policy(), &w.case, &command, now).unwrap();
    assert_eq!(applied.case.state, CaseState::AwaitingApproval);
    let clock = &applied.case.clocks[&ClockKind::Approval];
    assert_eq!((clock.start, clock.stopped_at), (now, None));
    assert_eq!(
        clock.duration,
        policy().tier(Tier::Two).deadlines.approval.unwrap()
    );
    let notified: Vec<String> = applied
        .effects
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(|e| e["template"] == "plan_submitted")
        .map(|e| e["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(notified, ["project_manager"]);
    w.case = applied.case;
    w.now = now;
    w.step(by(
        "pm-1",
        &[Role::ProjectManager],
        CommandKind::ApprovePlan,
    ));
    assert_eq!(w.case.state, CaseState::InProgress);
}

#[test]
fn a_stored_case_edited_to_merge_two_verifiers_cannot_close() {
    let mut w = walk(Tier::One, CaseState::AwaitingConfirmation).unwrap();
    let first = w.case.verifications[0].by.clone();
    w.case.verifications[1].by = first;
    // Edited, the snapshot is no longer its log's fold: sent as it is, through the JSON call.
    let command = by("owner", &[Role::Customer], CommandKind::CustomerConfirm);
    let now = (w.now + Duration::hours(1)).to_rfc3339();
    let input = json!({"case": w.case, "command": command, "now": now});
    let error = api::apply(policy(), &input.to_string()).unwrap_err();
    assert_eq!(error.errors[0].code, "records_missing");
    assert!(
        error.errors[0].message.contains("separation_of_duties[1]"),
        "{error:?}"
    );
}

fn check_with(edit: impl FnOnce(&mut Value)) -> caseflow_core::policy::CheckReport {
    let mut policy: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    edit(&mut policy["tiers"]);
    Policy::check(&policy.to_string())
}

fn codes_at(diagnostics: &[caseflow_core::Diagnostic]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.path.clone()))
        .collect()
}

#[test]
fn check_names_every_bad_rule_by_its_path() {
    let report = check_with(|tiers| {
        tiers["1"]["separation_of_duties"] = json!([
            ["submit_plan", "sign_off"],
            ["approve_plan", "approve_plan"],
            ["lower_tier"],
            []
        ]);
        tiers["2"]["separation_of_duties"] = json!("submit_plan");
    });
    assert!(!report.valid);
    assert_eq!(
        codes_at(&report.errors),
        [
            (
                "invalid_value".into(),
                "$.tiers.1.separation_of_duties[0][1]".into()
            ),
            ("wrong_type".into(), "$.tiers.2.separation_of_duties".into()),
        ]
    );
    assert!(
        report.errors[0]
            .message
            .contains("submit_plan, approve_plan, verify, lower_tier")
    );
    let report = check_with(|tiers| {
        tiers["1"]["separation_of_duties"] =
            json!([["approve_plan", "approve_plan"], ["lower_tier"], []]);
    });
    assert_eq!(
        codes_at(&report.errors),
        [
            (
                "duplicate_duty".into(),
                "$.tiers.1.separation_of_duties[0][1]".into()
            ),
            (
                "single_duty".into(),
                "$.tiers.1.separation_of_duties[1]".into()
            ),
            (
                "empty_rule".into(),
                "$.tiers.1.separation_of_duties[2]".into()
            ),
        ]
    );
    // Rules that can never bind, and tiers that let one person do what their routing gives two,
    // load with warnings.
    let report = check_with(|tiers| {
        tiers["3"]["separation_of_duties"] = json!([
            ["approve_plan", "submit_plan"],
            ["lower_tier", "verify"],
            ["verify"]
        ]);
        tiers["1"]
            .as_object_mut()
            .unwrap()
            .remove("separation_of_duties");
    });
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(
        codes_at(&report.warnings),
        [
            (
                "duties_not_separated".into(),
                "$.tiers.1.separation_of_duties".into()
            ),
            (
                "duties_not_separated".into(),
                "$.tiers.1.separation_of_duties".into()
            ),
            (
                "never_applies".into(),
                "$.tiers.3.separation_of_duties[0]".into()
            ),
            (
                "never_applies".into(),
                "$.tiers.3.separation_of_duties[1]".into()
            ),
            (
                "never_applies".into(),
                "$.tiers.3.separation_of_duties[2]".into()
            ),
        ]
    );
    assert!(
        Policy::check(&caseflow_core::policy::default_policy_json())
            .warnings
            .is_empty()
    );
}

#[test]
fn a_stored_log_in_which_one_person_did_two_separated_duties_no_longer_replays() {
    // Written by a policy of the same name and version but without the rules, as a build before
    // them would have accepted it.
    let mut document: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    for tier in ["1", "2"] {
        document["tiers"][tier]
            .as_object_mut()
            .unwrap()
            .remove("separation_of_duties");
    }
    let lax = Policy::from_value(&document).unwrap();
    let w = walk(Tier::One, CaseState::AwaitingVerification).unwrap();
    let both = [Role::TechnicalDept, Role::QualityDept];
    let mut case = w.case.clone();
    let mut events = w.events.clone();
    let mut now = w.now;
    for role in both {
        now += Duration::minutes(30);
        let applied = apply(&lax, &case, &verify_as("dept-1", &both, role), now).unwrap();
        case = applied.case;
        events.push(applied.event);
    }
    assert_eq!(case.state, CaseState::Verified);
    assert!(caseflow_core::lifecycle::verify_log(&events).valid);
    let error = caseflow_core::lifecycle::replay(policy(), &events).unwrap_err();
    assert_eq!(error.code.as_str(), "corrupt_log");
    let d = &error.errors[0];
    assert_eq!(
        (d.code.as_str(), d.path.clone()),
        (
            "invalid_transition",
            format!("$.events[{}]", events.len() - 1)
        )
    );
    assert!(
        d.message.contains("separation_of_duties[1]"),
        "{}",
        d.message
    );
}
