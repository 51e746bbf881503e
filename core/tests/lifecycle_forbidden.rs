//! The table of forbidden moves: every command in every state where docs/policy.md §4 does not allow
//! it, and every role the policy does not grant it (per tier), is refused with code `refused`, a
//! path and the rule behind it, and gives the host nothing to store (`refused_for_host`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use caseflow_core::lifecycle::{CaseState, Command, CommandKind, apply, record};
use caseflow_core::{Error, Role, Tier};
use chrono::Duration;
use lifecycle_common::{
    Walked, actor_json, allowed, granted, policy, refused_for_host, report, sample, walk,
};
use serde_json::json;

use CaseState::*;

/// Applies `command` through the Rust API and the JSON API, and checks both refuse it in the
/// same way with `code`, and that the host has nothing to store: no event, no effects, its
/// snapshot and log as they were.
fn assert_refused(w: &Walked, command: &Command, code: &str, context: &str) -> Error {
    let now = w.now + Duration::minutes(30);
    let error = match apply(policy(), &w.case, command, now) {
        Ok(_) => panic!("{context}: accepted"),
        Err(e) => e,
    };
    assert_eq!(
        refused_for_host(&w.case, &w.events, command, now),
        error,
        "{context}: the JSON call refuses it alike"
    );
    assert_eq!(error.code.as_str(), "refused", "{context}: {error:?}");
    let first = &error.errors[0];
    assert_eq!(first.code, code, "{context}: {error:?}");
    assert!(first.path.starts_with("$."), "{context}: a path: {first:?}");
    assert!(
        first.message.contains("(policy.md §"),
        "{context}: the rule is cited: {}",
        first.message
    );
    error
}

#[test]
fn every_command_in_every_state_where_it_is_not_allowed_is_refused() {
    let everyone = Role::ALL;
    let mut checked = 0;
    for &tier in Tier::ALL {
        for &state in CaseState::ALL {
            let Some(w) = walk(tier, state) else { continue };
            assert_eq!(w.case.state, state);
            for &kind in CommandKind::ALL {
                if allowed(kind).contains(&state) {
                    continue;
                }
                let command = sample(kind, everyone, None);
                let code = if state.is_terminal() {
                    "case_ended"
                } else {
                    "wrong_state"
                };
                let code = if kind == CommandKind::Record {
                    "wrong_state"
                } else {
                    code
                };
                assert_refused(
                    &w,
                    &command,
                    code,
                    &format!("{kind} in {state:?} at tier {tier}"),
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 250, "{checked} forbidden moves checked");
}

#[test]
fn every_role_not_granted_a_command_is_refused_in_every_state_that_allows_it() {
    let mut checked = 0;
    for &tier in Tier::ALL {
        for &state in CaseState::ALL {
            let Some(w) = walk(tier, state) else { continue };
            for &kind in CommandKind::ALL {
                // The emergency's commands answer to its levels, which depend on the case's
                // emergency: core/tests/emergency.rs checks their authority.
                if !allowed(kind).contains(&state) || lifecycle_common::is_emergency(kind) {
                    continue;
                }
                for &role in Role::ALL {
                    let context = format!("{kind} by {role} in {state:?} at tier {tier}");
                    let command = sample(kind, &[role], Some(role));
                    if granted(kind, tier).contains(&role) {
                        // Granted: never refused for authority (it may still be refused for
                        // its data, e.g. a verifier who already verified).
                        let now = w.now + Duration::minutes(30);
                        if let Err(e) = apply(policy(), &w.case, &command, now) {
                            assert_ne!(e.errors[0].code, "not_authorised", "{context}: {e:?}");
                        }
                        continue;
                    }
                    assert_refused(&w, &command, "not_authorised", &context);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked} unauthorised moves checked");
}

#[test]
fn only_the_granted_roles_may_record_a_report() {
    let now = lifecycle_common::at("2026-03-02T09:30:00+08:00");
    for &tier in Tier::ALL {
        for &role in Role::ALL {
            let command = Command::from_value(
                &json!({"type": "record", "actor": actor_json("x", &[role]), "report": report(tier)}),
                &caseflow_core::JsonPath::root(),
            )
            .unwrap();
            match record(policy(), &command, now) {
                Ok(_) => assert!(granted(CommandKind::Record, tier).contains(&role), "{role}"),
                Err(e) => {
                    assert!(
                        !granted(CommandKind::Record, tier).contains(&role),
                        "{role}: {e:?}"
                    );
                    assert_eq!(e.errors[0].code, "not_authorised");
                    assert!(
                        e.errors[0]
                            .message
                            .contains("$.lifecycle.permissions.record")
                    );
                }
            }
        }
    }
}

#[test]
fn lowering_a_tier_1_case_needs_company_leadership() {
    for state in [Recorded, Planning, InProgress, AwaitingConfirmation] {
        let w = walk(Tier::One, state).unwrap();
        for role in [Role::ProjectLeader, Role::ProjectManager, Role::QualityDept] {
            let mut command = sample(CommandKind::Reclassify, &[role], None);
            command.action = caseflow_core::lifecycle::Action::Reclassify {
                tier: Some(Tier::Two),
                category: None,
                reason: "隐患已排除".to_owned(),
            };
            let e = assert_refused(
                &w,
                &command,
                "not_authorised",
                &format!("{role} in {state:?}"),
            );
            assert!(e.errors[0].message.contains("$.lifecycle.lower_tier_1"));
            // Raising or changing the category is theirs to do.
            let ok = sample(CommandKind::Reclassify, &[role], None);
            assert!(apply(policy(), &w.case, &ok, w.now + Duration::minutes(30)).is_ok());
        }
    }
}

#[test]
fn commands_are_applied_in_time_order() {
    let w = walk(Tier::Two, InProgress).unwrap();
    let command = sample(CommandKind::ReportProgress, &[Role::ProjectLeader], None);
    let e = refused_for_host(&w.case, &w.events, &command, w.now - Duration::seconds(1));
    assert_eq!(
        (
            e.code.as_str(),
            e.errors[0].code.as_str(),
            e.errors[0].path.as_str()
        ),
        ("refused", "out_of_order", "$.now")
    );
    assert!(e.errors[0].message.contains("policy.md §5.3"));
    // The same instant in another offset is the same instant: not out of order.
    let utc = w
        .now
        .with_timezone(&chrono::FixedOffset::east_opt(0).unwrap());
    assert!(apply(policy(), &w.case, &command, utc).is_ok());
    // A report cannot be recorded before it was received.
    let opening = sample(CommandKind::Record, &[Role::IntakeClerk], None);
    let e = record(
        policy(),
        &opening,
        lifecycle_common::at("2026-03-02T08:59:00+08:00"),
    )
    .unwrap_err();
    assert_eq!(e.errors[0].code, "out_of_order");
}
