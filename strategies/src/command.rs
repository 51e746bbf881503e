//! Commands for a policy: every [`CommandKind`] with a plausible payload, issued by actors who
//! hold roles the policy grants the command, often with other roles besides (one person holding
//! two roles is how duties that must stay apart meet), and now and then by someone without
//! the authority.
//!
//! A command is made from a [`StepSeed`] — a handful of random numbers — read against the case
//! it meets ([`Context`]): the seed picks the kind (mostly one the case's state allows), the
//! actor's roles and the payload's variant. Shrinking a seed shrinks the command; the same seed
//! on the same case gives the same command.

use std::collections::BTreeSet;
use std::sync::Arc;

use caseflow_core::lifecycle::{
    Action, Actor, Case, CaseState, Command, CommandKind, Consultation, Milestone, Plan,
    ResponsiblePerson, allowed_states, is_emergency_command,
};
use caseflow_core::{Category, Department, EmergencyLevel, Facts, Policy, Report, Role, Tier};
use chrono::{DateTime, Duration, FixedOffset};
use proptest::prelude::*;

/// How many people the actors are drawn from: few enough that one person often does two
/// duties.
pub const PEOPLE: u16 = 5;

/// The random numbers one command is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepSeed {
    /// Below 200 (of 256): a command the case's state allows; otherwise any command.
    pub guided: u8,
    /// Which command.
    pub kind: u8,
    /// Extra roles of the actor, one bit per role of [`Role::ALL`] (none when the top bit is
    /// set).
    pub roles: u16,
    /// Below 220 (of 256): the actor holds a role the policy grants the command.
    pub granted: u8,
    /// Minutes after the previous step.
    pub minutes: u32,
    /// The payload's variant, the actor's person and the rarer choices.
    pub variant: u16,
}

/// Step seeds: mostly minutes to hours apart, sometimes days.
pub fn step_seeds() -> impl Strategy<Value = StepSeed> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<u16>(),
        any::<u8>(),
        prop_oneof![3 => 0..120u32, 2 => 0..1_440u32, 1 => 0..5_000u32],
        any::<u16>(),
    )
        .prop_map(
            |(guided, kind, roles, granted, minutes, variant)| StepSeed {
                guided,
                kind,
                roles,
                granted,
                minutes,
                variant,
            },
        )
}

/// What a command is made against: the case's tier and state, when it is given, and the
/// committed deadline its plan's milestones aim at.
#[derive(Clone, Debug)]
pub struct Context {
    /// The case's tier.
    pub tier: Tier,
    /// The case's state; `None` for no case (any command is as likely as another).
    pub state: Option<CaseState>,
    /// When the command is given.
    pub now: DateTime<FixedOffset>,
    /// The committed deadline, once the case is accepted.
    pub committed_deadline: Option<DateTime<FixedOffset>>,
    /// Whether a provisional tier 1 awaits `review_tier`.
    pub review_pending: bool,
}

impl Context {
    /// The context of a command on `case` at `now`.
    pub fn of(case: &Case, now: DateTime<FixedOffset>) -> Context {
        Context {
            tier: case.tier,
            state: Some(case.state),
            now,
            committed_deadline: case.acceptance.as_ref().map(|a| a.committed_deadline),
            review_pending: case
                .tier_review
                .as_ref()
                .is_some_and(|r| r.decision.is_none()),
        }
    }
}

fn pick<T: Copy>(items: &[T], n: usize) -> Option<T> {
    items.get(n.checked_rem(items.len())?).copied()
}

/// The kind a seed stands for in `context`: a guided seed picks among the commands the state
/// allows, making withdrawals, holds, reclassifications, new facts and emergencies rarer than
/// the commands that move a case forward.
fn kind_of(seed: &StepSeed, context: &Context) -> CommandKind {
    let every = CommandKind::ALL;
    let any_kind = pick(every, usize::from(seed.kind)).unwrap_or(CommandKind::Accept);
    let Some(state) = context.state.filter(|_| seed.guided < 200) else {
        return any_kind;
    };
    let here: Vec<CommandKind> = every
        .iter()
        .copied()
        .filter(|k| allowed_states(*k).contains(&state))
        .filter(|k| *k != CommandKind::ReviewTier || context.review_pending)
        .collect();
    let rare = |k: CommandKind| match k {
        CommandKind::Withdraw => seed.variant % 30 != 0,
        CommandKind::RejectPlan => seed.variant % 3 != 0,
        CommandKind::Hold | CommandKind::Reclassify => seed.variant % 4 != 0,
        k if is_emergency_command(k) || k == CommandKind::UpdateFacts => seed.variant % 4 != 0,
        _ => false,
    };
    let forward: Vec<CommandKind> = here.iter().copied().filter(|k| !rare(*k)).collect();
    pick(&forward, usize::from(seed.kind))
        .or_else(|| pick(&here, usize::from(seed.kind)))
        .unwrap_or(any_kind)
}

/// The roles the policy grants `kind` at `tier`; for the emergency's commands, those who
/// command its levels and the project leader.
fn granted_roles(policy: &Policy, kind: CommandKind, tier: Tier) -> Vec<Role> {
    if is_emergency_command(kind) {
        let mut roles: Vec<Role> = policy
            .emergency()
            .levels
            .values()
            .map(|level| level.commanding_role)
            .collect();
        roles.push(Role::ProjectLeader);
        roles.sort();
        roles.dedup();
        return roles;
    }
    let granted = match kind {
        // New facts are given by those who may reclassify.
        CommandKind::UpdateFacts => CommandKind::Reclassify,
        other => other,
    };
    policy.roles_for(granted, tier).to_vec()
}

/// The actor of a seed: one of [`PEOPLE`] people, holding the seed's extra roles and, mostly,
/// a role the policy grants `kind` at `tier`.
pub fn actor_for(policy: &Policy, seed: &StepSeed, kind: CommandKind, tier: Tier) -> Actor {
    let mut roles: BTreeSet<Role> = Role::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            seed.roles & 0x8000 == 0 && u32::try_from(*i).is_ok_and(|i| seed.roles >> i & 1 == 1)
        })
        .map(|(_, r)| *r)
        .collect();
    if seed.granted < 220 || roles.is_empty() {
        let granted = granted_roles(policy, kind, tier);
        let role = pick(&granted, usize::from(seed.variant))
            .or_else(|| pick(Role::ALL, usize::from(seed.variant)));
        roles.extend(role);
    }
    Actor {
        id: format!("person-{}", seed.variant % PEOPLE),
        name: None,
        roles: roles.into_iter().collect(),
        department: None,
    }
}

/// The command a seed stands for in `context`. `report` is the report a `record` command
/// carries (a `record` is only made when the seed picks it unguided).
pub fn command_for(
    policy: &Policy,
    seed: &StepSeed,
    context: &Context,
    report: &Arc<Report>,
) -> Command {
    let kind = kind_of(seed, context);
    let actor = actor_for(policy, seed, kind, context.tier);
    Command {
        actor,
        action: action_for(policy, seed, kind, context, report),
    }
}

/// A plan for `tier` due by `deadline`, sometimes lacking a department's expert, its
/// milestones or its responsible people, or running a day past the deadline.
fn plan_for(policy: &Policy, tier: Tier, deadline: DateTime<FixedOffset>, v: usize) -> Plan {
    let mut consulted: Vec<Consultation> = Department::ALL
        .iter()
        .map(|department| Consultation {
            department: *department,
            expert: format!("{department}专家"),
        })
        .collect();
    // Only the departments the tier consults, once in three plans.
    if v % 3 == 1 {
        let wanted = &policy.tier(tier).plan.consult_departments;
        consulted.retain(|c| wanted.contains(&c.department));
    }
    let mut plan = Plan {
        measures: vec!["维修".into()],
        responsible: vec![ResponsiblePerson {
            name: "王班长".into(),
            duty: None,
        }],
        milestones: vec![Milestone {
            description: "完成".into(),
            due: if v % 13 == 0 {
                deadline + Duration::days(1)
            } else {
                deadline
            },
        }],
        consulted,
    };
    match v % 16 {
        0 => {
            plan.consulted.pop();
        }
        1 => plan.milestones.clear(),
        2 => plan.responsible.clear(),
        _ => {}
    }
    plan
}

fn action_for(
    policy: &Policy,
    seed: &StepSeed,
    kind: CommandKind,
    context: &Context,
    report: &Arc<Report>,
) -> Action {
    let v = usize::from(seed.variant);
    let now = context.now;
    // A committed deadline 2 to 13 days on, or (once in twelve) a day in the past.
    let later = |days: usize| {
        let days = if days == 0 {
            -1
        } else {
            i64::try_from(days).unwrap_or(0) + 1
        };
        now + Duration::days(days) + Duration::minutes(i64::from(seed.variant % 600))
    };
    let level = pick(EmergencyLevel::ALL, v / 3).unwrap_or(EmergencyLevel::III);
    match kind {
        CommandKind::Record => Action::Record {
            report: Arc::clone(report),
        },
        CommandKind::Accept => Action::Accept {
            committed_deadline: later(v % 12),
            contacted_at: (v % 3 == 0).then_some(now),
            note: None,
        },
        CommandKind::Reclassify => {
            let tier = pick(Tier::ALL, v / 3);
            let category = pick(Category::ALL, v / 7);
            let (tier, category) = match v % 3 {
                0 => (tier, None),
                1 => (None, category),
                _ => (tier, category),
            };
            Action::Reclassify {
                tier,
                category,
                reason: "复核".into(),
            }
        }
        CommandKind::SubmitPlan => {
            let deadline = context.committed_deadline.unwrap_or(now);
            Action::SubmitPlan {
                plan: plan_for(policy, context.tier, deadline, v).into(),
            }
        }
        CommandKind::ApprovePlan => Action::ApprovePlan { note: None },
        CommandKind::RejectPlan => Action::RejectPlan {
            reasons: "补充".into(),
        },
        CommandKind::ReportProgress => Action::ReportProgress {
            note: "进展".into(),
        },
        CommandKind::CompleteWork => Action::CompleteWork { note: None },
        CommandKind::Verify => Action::Verify {
            passed: v % 4 != 0,
            role: if v % 5 == 0 {
                None
            } else {
                pick(&policy.tier(context.tier).verification.by, v / 5)
            },
            report_ref: (v % 7 != 0).then(|| format!("VR-{}", v % 100)),
            note: None,
        },
        CommandKind::NotifyCustomer => Action::NotifyCustomer { note: None },
        CommandKind::CustomerConfirm => Action::CustomerConfirm {
            signed_form_ref: format!("CF-{}", v % 100),
            satisfaction: u8::try_from(v % 5 + 1).unwrap_or(5),
            note: None,
        },
        CommandKind::CustomerReject => Action::CustomerReject {
            reasons: "不满意".into(),
            satisfaction: (v % 2 == 0).then(|| u8::try_from(v % 3 + 1).unwrap_or(1)),
        },
        CommandKind::Hold => Action::Hold {
            reason: "等待业主".into(),
        },
        CommandKind::Resume => Action::Resume { note: None },
        CommandKind::Withdraw => Action::Withdraw {
            reason: "撤回".into(),
        },
        CommandKind::ReviewTier => Action::ReviewTier {
            tier: pick(Tier::ALL, v % 3).unwrap_or(Tier::One),
            reason: "复核".into(),
        },
        CommandKind::DeclareEmergency => Action::DeclareEmergency {
            level,
            reason: "现场情况".into(),
        },
        CommandKind::RaiseEmergency => Action::RaiseEmergency {
            level,
            reason: "事态扩大".into(),
        },
        CommandKind::CompleteEmergencyAction | CommandKind::WaiveEmergencyAction => {
            let action = emergency_action(policy, v / 3);
            if kind == CommandKind::CompleteEmergencyAction {
                Action::CompleteEmergencyAction { action, note: None }
            } else {
                Action::WaiveEmergencyAction {
                    action,
                    reason: "不适用".into(),
                }
            }
        }
        CommandKind::EmergencyStatusUpdate => Action::EmergencyStatusUpdate {
            note: "现场已控制".into(),
        },
        CommandKind::EndEmergency => Action::EndEmergency { note: None },
        CommandKind::FileEmergencyReview => Action::FileEmergencyReview {
            summary: "总结".into(),
        },
        CommandKind::ReleaseMediaStatement => Action::ReleaseMediaStatement {
            statement: "已处置".into(),
        },
        // `update_facts`, and any command newer than this generator: new facts.
        _ => {
            let mut facts = Facts::default();
            match v % 4 {
                0 => facts.injuries = Some(1),
                1 => facts.media_attention = Some(true),
                2 => facts.safety_hazard = Some(true),
                _ => facts.delivery_blocked = Some(true),
            }
            Action::UpdateFacts {
                facts,
                reason: "新情况".into(),
            }
        }
    }
}

/// An emergency action id of the policy's levels (with `#1` for a status update), or one no
/// level has.
fn emergency_action(policy: &Policy, n: usize) -> String {
    let mut ids: Vec<String> = policy
        .emergency()
        .levels
        .values()
        .flat_map(|level| level.actions.iter().map(|a| a.id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    ids.push("status_update#1".to_owned());
    ids.push("no_such_action".to_owned());
    ids.get(n % ids.len()).cloned().unwrap_or_default()
}

/// Commands of every kind with plausible payloads, on a case of any tier in any state, at an
/// instant of [`crate::report::instants`]; a `record` carries a report of
/// [`crate::report::reports`].
pub fn commands(policy: Arc<Policy>) -> impl Strategy<Value = Command> {
    (
        step_seeds(),
        prop::sample::select(Tier::ALL),
        prop::option::of(prop::sample::select(CaseState::ALL)),
        crate::report::instants(&policy),
        crate::report::reports(Arc::clone(&policy)),
    )
        .prop_map(move |(seed, tier, state, now, report)| {
            let context = Context {
                tier,
                state,
                now,
                committed_deadline: Some(now + Duration::days(5)),
                review_pending: seed.variant % 2 == 0,
            };
            command_for(&policy, &seed, &context, &Arc::new(report))
        })
}
