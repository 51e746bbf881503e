//! The workflow analysis (issue 14, item 1): the default policy has no workflow finding; each
//! deliberately broken policy gives its finding at its path, and each counterexample, replayed
//! through the public `apply`, really goes where the finding says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::Policy;
use caseflow_core::analysis::workflow::{self, Exploration};
use caseflow_core::analysis::{Finding, PathStep};
use caseflow_core::error::Severity;
use caseflow_core::lifecycle::{Case, CaseState, Command, apply};
use serde_json::{Value, json};

fn default_value() -> Value {
    serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap()
}

fn load(value: &Value) -> Policy {
    Policy::from_value(value).unwrap_or_else(|e| panic!("the edited policy must load: {e:?}"))
}

fn run(policy: &Policy) -> (Vec<Finding>, Exploration) {
    workflow::check(policy)
}

fn with_code<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// Replays a counterexample: the opening case its `record` step names, then every later step
/// through the public `apply`, at the report's receipt; each step must land in the state the
/// path says. Returns the case at the end.
fn replay(policy: &Policy, steps: &[PathStep]) -> Case {
    let record = &steps[0];
    assert_eq!(record.command.as_str(), "record");
    let id = record.input["report"]["id"].as_str().unwrap();
    let mut case = workflow::openings(policy)
        .into_iter()
        .map(|o| workflow::opening(policy, o).unwrap())
        .find(|c| c.id == id)
        .expect("the counterexample opens one of the analysis's cases");
    let now = case.report.received();
    for step in &steps[1..] {
        let command = Command::from_value(&step.input, &caseflow_core::error::JsonPath::root())
            .unwrap_or_else(|e| panic!("the step's input is a command: {e:?}"));
        assert_eq!(command.action.kind(), step.command);
        assert_eq!(command.actor.roles, step.by);
        case = apply(policy, &case, &command, now)
            .unwrap_or_else(|e| panic!("step {:?} is accepted: {e:?}", step.command))
            .case;
        assert_eq!(case.state, step.state, "after {:?}", step.command);
    }
    case
}

#[test]
fn the_default_policy_has_no_workflow_finding() {
    let policy = Policy::builtin().unwrap();
    let (findings, exploration) = run(&policy);
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(exploration.complete);
    // Every tier, and the provisional tier 1 of a policy with a model, was searched.
    let openings: Vec<(u8, bool)> = exploration
        .openings
        .iter()
        .map(|o| (o.tier, o.provisional))
        .collect();
    assert_eq!(openings, [(1, false), (2, false), (3, false), (1, true)]);
    for o in &exploration.openings {
        assert!(
            o.complete && o.states > 10 && o.edges >= o.states - 1,
            "{o:?}"
        );
        assert!(o.states < o.bound);
    }
    assert_eq!(
        exploration.states,
        exploration.openings.iter().map(|o| o.states).sum::<u64>()
    );
    assert!(exploration.transitions >= exploration.edges);
    // And the whole analysis, rules included, says nothing about the workflow.
    let analysis = caseflow_core::analysis::analyze(&policy);
    assert_eq!(analysis.workflow, exploration);
}

#[test]
fn the_exploration_is_deterministic() {
    let policy = Policy::builtin().unwrap();
    let mut broken = default_value();
    broken["tiers"]["1"]["plan"]["approved_by"] = json!(["project_manager"]);
    let broken = load(&broken);
    for policy in [&policy, &broken] {
        let a = run(policy);
        let b = run(policy);
        assert_eq!(a, b);
    }
}

#[test]
fn a_tier_1_plan_approved_by_the_project_manager_skips_leadership_approval() {
    let mut value = default_value();
    value["tiers"]["1"]["plan"]["approved_by"] = json!(["project_manager"]);
    let policy = load(&value);
    let (findings, _) = run(&policy);
    let found = with_code(&findings, "tier1_path_skips_approval");
    assert!(!found.is_empty(), "{findings:#?}");
    let f = found[0];
    assert_eq!(f.path, "$.tiers.1.plan.approved_by");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.tier.map(|t| t.number()), Some(1));
    let case = replay(&policy, &f.counterexample);
    assert_eq!(case.state, CaseState::Closed);
    assert_eq!(case.tier.number(), 1);
    let approval = case.plan.as_ref().unwrap().approval.as_ref().unwrap();
    assert_eq!(approval.role.as_str(), "project_manager");
    // The shortest such path: record, accept, submit, approve, complete, two verifications,
    // notify, confirm.
    assert_eq!(f.counterexample.len(), 9, "{:#?}", f.counterexample);
    // Nothing else is wrong with that policy.
    assert!(
        findings
            .iter()
            .all(|f| f.code == "tier1_path_skips_approval"),
        "{findings:#?}"
    );
}

#[test]
fn tier_1_verified_by_one_department_skips_the_other() {
    let mut value = default_value();
    value["tiers"]["1"]["verification"]["by"] = json!(["technical_dept"]);
    let policy = load(&value);
    let (findings, _) = run(&policy);
    let found = with_code(&findings, "tier1_path_skips_verification");
    assert_eq!(found.len(), 1, "{findings:#?}");
    let f = found[0];
    assert_eq!(f.path, "$.tiers.1.verification.by");
    assert!(f.message.contains("quality_dept"), "{}", f.message);
    let case = replay(&policy, &f.counterexample);
    assert_eq!(case.state, CaseState::Closed);
    assert!(
        case.verifications
            .iter()
            .all(|v| v.role.as_str() != "quality_dept")
    );

    // Both departments listed, but either one's pass enough.
    let mut value = default_value();
    value["tiers"]["1"]["verification"]["all_must_pass"] = json!(false);
    let policy = load(&value);
    let (findings, _) = run(&policy);
    let found = with_code(&findings, "tier1_path_skips_verification");
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!(found[0].path, "$.tiers.1.verification.all_must_pass");
    let case = replay(&policy, &found[0].counterexample);
    assert_eq!(case.state, CaseState::Closed);
    assert_eq!(case.verifications.len(), 1);
}

#[test]
fn a_confirmation_the_project_leader_may_give_skips_the_customers() {
    let mut value = default_value();
    value["lifecycle"]["permissions"]["customer_confirm"] = json!(["customer", "project_leader"]);
    let policy = load(&value);
    let (findings, _) = run(&policy);
    let found = with_code(&findings, "tier1_path_skips_confirmation");
    assert_eq!(found.len(), 1, "{findings:#?}");
    let f = found[0];
    assert_eq!(f.path, "$.lifecycle.permissions.customer_confirm");
    let last = f.counterexample.last().unwrap();
    assert_eq!(last.command.as_str(), "customer_confirm");
    assert_eq!(
        last.by.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        ["project_leader"]
    );
    let case = replay(&policy, &f.counterexample);
    assert_eq!(case.state, CaseState::Closed);
}

#[test]
fn a_tier_2_plan_only_filed_skips_the_project_managers_review() {
    let mut value = default_value();
    let tier = &mut value["tiers"]["2"];
    tier["plan"]["approved_by"] = json!([]);
    tier["plan"]["filed_with"] = json!("project_leader");
    tier["deadlines"]["approval"] = Value::Null;
    tier["separation_of_duties"] = json!([]);
    let policy = load(&value);
    let (findings, _) = run(&policy);
    let found = with_code(&findings, "tier2_path_skips_review");
    assert_eq!(found.len(), 1, "{findings:#?}");
    let f = found[0];
    assert_eq!(f.path, "$.tiers.2.plan.approved_by");
    assert_eq!(f.tier.map(|t| t.number()), Some(2));
    let case = replay(&policy, &f.counterexample);
    assert_eq!(case.state, CaseState::Closed);
    assert_eq!(case.tier.number(), 2);
    assert!(case.plan.as_ref().unwrap().approval.is_none());
    // A tier that files its plans never awaits approval, by design: not an unreachable state.
    assert!(
        with_code(&findings, "unreachable_state").is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn a_commitment_cap_shorter_than_the_steps_is_unmeetable() {
    let mut value = default_value();
    // Plan 3 + approval 2 + verification 2 working days cannot fit in 4.
    value["tiers"]["2"]["deadlines"]["commitment_cap"] = json!("4 working_days");
    let policy = load(&value);
    let (findings, _) = run(&policy);
    let found = with_code(&findings, "deadlines_unmeetable");
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!(found[0].path, "$.tiers.2.deadlines.commitment_cap");
    assert_eq!(found[0].severity, Severity::Error);
    // Exactly enough is fine.
    value["tiers"]["2"]["deadlines"]["commitment_cap"] = json!("7 working_days");
    let (findings, _) = run(&load(&value));
    assert!(
        with_code(&findings, "deadlines_unmeetable").is_empty(),
        "{findings:#?}"
    );
    // Mixed units are compared on the calendar: 48 hours of planning and 3 working days of
    // verification do not fit in 3 working days at tier 3.
    let mut value = default_value();
    value["tiers"]["3"]["deadlines"]["plan"] = json!("48 hours");
    value["tiers"]["3"]["deadlines"]["verification"] = json!("3 working_days");
    value["tiers"]["3"]["deadlines"]["commitment_cap"] = json!("3 working_days");
    let (findings, _) = run(&load(&value));
    let found = with_code(&findings, "deadlines_unmeetable");
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!(found[0].path, "$.tiers.3.deadlines.commitment_cap");
}

#[test]
fn nobody_to_review_a_provisional_tier_1_is_a_deadlock() {
    let mut value = default_value();
    value["lifecycle"]["lower_tier_1"] = json!([]);
    let policy = load(&value);
    let (findings, _) = run(&policy);

    let roles = with_code(&findings, "command_without_role");
    assert_eq!(roles.len(), 1, "{findings:#?}");
    assert_eq!(roles[0].path, "$.lifecycle.lower_tier_1");
    // The policy has a model, whose reviews cannot then be answered: an error.
    assert_eq!(roles[0].severity, Severity::Error);

    let stuck = with_code(&findings, "closure_unreachable");
    assert_eq!(stuck.len(), 1, "{findings:#?}");
    let f = stuck[0];
    assert_eq!(f.path, "$.lifecycle.lower_tier_1");
    assert_eq!(f.severity, Severity::Error);
    // The path leads a provisional case to the customer, who cannot close it.
    let case = replay(&policy, &f.counterexample);
    assert_eq!(case.state, CaseState::AwaitingConfirmation);
    assert!(case.tier_review.as_ref().unwrap().decision.is_none());
    let confirm: Command = Command::from_value(
        &json!({"type": "customer_confirm", "actor": {"id": "c", "roles": ["customer"]},
                "signed_form_ref": "F-1", "satisfaction": 5}),
        &caseflow_core::error::JsonPath::root(),
    )
    .unwrap();
    let refused = apply(&policy, &case, &confirm, case.report.received()).unwrap_err();
    assert_eq!(refused.errors[0].code, "records_missing");
}

#[test]
fn without_a_model_nobody_to_lower_tier_1_is_a_warning() {
    let mut value = default_value();
    value["lifecycle"]["lower_tier_1"] = json!([]);
    value.as_object_mut().unwrap().remove("model");
    let policy = load(&value);
    let (findings, exploration) = run(&policy);
    assert_eq!(exploration.openings.len(), 3);
    let roles = with_code(&findings, "command_without_role");
    assert_eq!(roles.len(), 1, "{findings:#?}");
    assert_eq!(roles[0].severity, Severity::Warning);
    assert!(with_code(&findings, "closure_unreachable").is_empty());
}

#[test]
fn a_zero_commitment_cap_stops_every_case_at_recording() {
    let mut value = default_value();
    for tier in ["1", "2", "3"] {
        value["tiers"][tier]["deadlines"]["commitment_cap"] = json!("0 working_days");
    }
    let policy = load(&value);
    let (findings, _) = run(&policy);
    // Each opening is stuck where it was recorded: nobody can commit a deadline.
    let stuck = with_code(&findings, "closure_unreachable");
    assert_eq!(stuck.len(), 4, "{findings:#?}");
    for f in &stuck {
        let t = f.tier.unwrap().number();
        assert_eq!(f.path, format!("$.tiers.{t}.deadlines.commitment_cap"));
        assert_eq!(f.counterexample.len(), 1);
        let case = replay(&policy, &f.counterexample);
        assert_eq!(case.state, CaseState::Recorded);
    }
    // Every state past recording is out of reach, at every tier; on hold and withdrawn are not.
    let unreachable = with_code(&findings, "unreachable_state");
    for tier in 1..=3u8 {
        let states: Vec<&str> = unreachable
            .iter()
            .filter(|f| f.tier.unwrap().number() == tier)
            .map(|f| {
                f.message
                    .split(" reaches ")
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
            })
            .collect();
        let mut expected = vec![
            "planning",
            "in_progress",
            "awaiting_verification",
            "verified",
            "awaiting_confirmation",
            "closed",
        ];
        if tier != 3 {
            expected.insert(1, "awaiting_approval");
        }
        assert_eq!(states, expected, "tier {tier}: {unreachable:#?}");
    }
    let planning = unreachable
        .iter()
        .find(|f| f.tier.unwrap().number() == 2 && f.message.contains("reaches planning"))
        .unwrap();
    assert_eq!(planning.path, "$.tiers.2.deadlines.commitment_cap");
    assert!(unreachable.iter().all(|f| f.severity == Severity::Error));
    assert_eq!(with_code(&findings, "deadlines_unmeetable").len(), 3);
}

#[test]
fn a_search_stopped_at_its_bound_says_so_and_judges_nothing_it_missed() {
    let policy = Policy::builtin().unwrap();
    let (findings, exploration) = workflow::check_bounded(&policy, Some(20));
    assert!(!exploration.complete);
    assert!(
        exploration
            .openings
            .iter()
            .all(|o| !o.complete && o.states == 20)
    );
    let incomplete = with_code(&findings, "exploration_incomplete");
    assert_eq!(incomplete.len(), 4, "{findings:#?}");
    assert!(incomplete.iter().all(|f| f.severity == Severity::Warning));
    assert_eq!(findings.len(), 4, "{findings:#?}");
}

#[test]
fn an_emptied_permission_list_never_reaches_the_analysis() {
    // The loader refuses it (`empty_list` at the permission), so `command_without_role` can only
    // come from the members the loader lets be empty: `lifecycle.lower_tier_1` (above).
    let mut value = default_value();
    value["lifecycle"]["permissions"]["hold"] = json!([]);
    let refused = Policy::from_value(&value).unwrap_err();
    assert!(
        refused
            .errors
            .iter()
            .any(|d| d.code == "empty_list" && d.path.as_str() == "$.lifecycle.permissions.hold"),
        "{refused:?}"
    );
}
