//! The strategies reach what the invariants are about, and the invariants catch a policy that
//! breaks the company's rules — checked through the crate's public API, as a host uses it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::sync::Arc;

use caseflow_core::lifecycle::{CaseState, CommandKind};
use caseflow_core::{Policy, Role, Tier};
use caseflow_strategies::command::commands;
use caseflow_strategies::history::histories;
use caseflow_strategies::invariants::{self, Invariant, Requirements};
use caseflow_strategies::report::reports;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

fn default_policy() -> Arc<Policy> {
    Arc::new(Policy::builtin().unwrap())
}

fn edited(edit: impl FnOnce(&mut Value)) -> Arc<Policy> {
    let mut document: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    edit(&mut document);
    Arc::new(Policy::from_value(&document).unwrap())
}

fn sample<S: Strategy>(strategy: &S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// Generated histories close cases at every tier, reach every state, and keep every invariant
/// under the default policy; with many refusals among them.
#[test]
fn histories_reach_every_state_and_tier_and_keep_the_invariants() {
    let policy = default_policy();
    let mut states = BTreeSet::new();
    let mut closed = BTreeSet::new();
    let mut refused = 0;
    for history in sample(&histories(Arc::clone(&policy)), 400) {
        let run = invariants::check(&policy, &history).unwrap_or_else(|v| panic!("{v}"));
        refused += run.refused;
        if let Some(last) = run.case {
            states.insert(last.state);
            if last.state == CaseState::Closed {
                closed.insert(last.tier);
            }
        }
    }
    assert_eq!(closed.len(), 3, "closed at tiers {closed:?}");
    for state in [
        CaseState::Planning,
        CaseState::InProgress,
        CaseState::AwaitingVerification,
        CaseState::AwaitingConfirmation,
        CaseState::Closed,
        CaseState::Withdrawn,
        CaseState::OnHold,
    ] {
        assert!(states.contains(&state), "no history ended in {state:?}");
    }
    assert!(refused > 400, "only {refused} refusals");
}

/// Reports hit every tier of the policy; commands cover every kind, with actors holding
/// several roles.
#[test]
fn reports_reach_every_tier_and_commands_every_kind() {
    let policy = default_policy();
    let tiers: BTreeSet<Tier> = sample(&reports(Arc::clone(&policy)), 300)
        .iter()
        .map(|r| policy.classify(r).tier)
        .collect();
    assert_eq!(tiers.len(), 3, "{tiers:?}");
    let commands = sample(&commands(Arc::clone(&policy)), 2_000);
    let kinds: BTreeSet<CommandKind> = commands.iter().map(|c| c.action.kind()).collect();
    let missing: Vec<_> = CommandKind::ALL
        .iter()
        .filter(|k| !kinds.contains(k))
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
    assert!(commands.iter().any(|c| c.actor.roles.len() > 1));
}

/// A policy that lets the project manager approve tier-1 plans runs faithfully — and the
/// invariants find the tier-1 case that closed without leadership's approval.
#[test]
fn a_policy_that_breaks_the_company_rules_is_caught() {
    let policy = edited(|d| d["tiers"]["1"]["plan"]["approved_by"] = json!(["project_manager"]));
    let mut runner = TestRunner::new(Config {
        cases: 500,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&histories(Arc::clone(&policy)), |history| {
        invariants::check(&policy, &history)
            .map(|_| ())
            .map_err(|v| proptest::test_runner::TestCaseError::fail(v.to_string()))
    });
    let Err(proptest::test_runner::TestError::Fail(_, history)) = result else {
        panic!("no violation found: {result:?}");
    };
    let violation = invariants::check(&policy, &history).unwrap_err();
    assert_eq!(violation.invariant, Invariant::ClosureApproval);
    // The same history keeps the invariants under the default policy: it is the edit.
    assert!(invariants::check(&default_policy(), &history).is_ok());
    // And under requirements that accept the project manager at tier 1, it passes too.
    let mut lenient = Requirements::company_rules();
    lenient.tiers[0].approvers.push(Role::ProjectManager);
    assert!(invariants::check_with(&policy, &lenient, &history).is_ok());
}
