//! Case histories for a policy: a report recorded by someone the policy lets record it, then a
//! sequence of timed commands, each made against the case it meets (so that most are commands
//! the state allows and cases get far: plans, approvals, verifications, confirmations,
//! rejections, holds, reclassifications, emergencies).
//!
//! Time moves forward: each step is some minutes to days after the previous one. Once in
//! seventeen steps a command is dated a minute before the case's last event instead, which the
//! engine must refuse (docs/policy.md §8).
//!
//! Generating a history runs the engine once (to know each case the next command meets);
//! [`crate::invariants::check`] runs it again while checking.

use std::ops::Range;
use std::sync::Arc;

use caseflow_core::lifecycle::{Actor, Case, Command, CommandKind, apply, record};
use caseflow_core::{Policy, Report};
use chrono::{DateTime, Duration, FixedOffset};
use proptest::prelude::*;

use crate::command::{Context, StepSeed, command_for, step_seeds};

/// A recorded report and the commands that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseHistory {
    /// The report that opens the case.
    pub report: Arc<Report>,
    /// Who records it.
    pub recorded_by: Actor,
    /// When.
    pub recorded_at: DateTime<FixedOffset>,
    /// The commands, in order.
    pub steps: Vec<TimedCommand>,
}

/// A command and the instant it is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedCommand {
    /// The command's "now".
    pub at: DateTime<FixedOffset>,
    /// The command.
    pub command: Command,
}

impl CaseHistory {
    /// The same history without the steps at `drop` (indices into `steps`).
    pub fn without(&self, drop: &[usize]) -> CaseHistory {
        CaseHistory {
            steps: self
                .steps
                .iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, s)| s.clone())
                .collect(),
            ..self.clone()
        }
    }
}

/// Histories of `steps.start` to `steps.end - 1` commands (1 to 44 by default, see
/// [`histories`]).
pub fn histories_with(
    policy: Arc<Policy>,
    steps: Range<usize>,
) -> impl Strategy<Value = CaseHistory> {
    (
        crate::report::reports(Arc::clone(&policy)),
        0u32..240,
        any::<u16>(),
        prop::collection::vec(step_seeds(), steps),
    )
        .prop_map(move |(report, delay, clerk, seeds)| {
            history(&policy, report, delay, clerk, &seeds)
        })
}

/// Histories of 1 to 44 commands.
pub fn histories(policy: Arc<Policy>) -> impl Strategy<Value = CaseHistory> {
    histories_with(policy, 1..45)
}

/// The history these seeds make: the report recorded `delay` minutes after it was raised by an
/// actor holding a role the policy lets record it, then one command per seed, each made
/// against the case as it stands.
pub fn history(
    policy: &Policy,
    report: Report,
    delay: u32,
    clerk: u16,
    seeds: &[StepSeed],
) -> CaseHistory {
    let report = Arc::new(report);
    let recorded_at = report.raised_at + Duration::minutes(i64::from(delay));
    let opening = StepSeed {
        guided: 0,
        kind: 0,
        roles: 0x8000,
        granted: 0,
        minutes: 0,
        variant: clerk,
    };
    let recorded_by = crate::command::actor_for(
        policy,
        &opening,
        CommandKind::Record,
        caseflow_core::Tier::Three,
    );
    let recorded_by = Actor {
        id: "clerk".to_owned(),
        ..recorded_by
    };
    let opening = Command {
        actor: recorded_by.clone(),
        action: caseflow_core::lifecycle::Action::Record {
            report: Arc::clone(&report),
        },
    };
    let mut case: Option<Case> = record(policy, &opening, recorded_at).ok().map(|a| a.case);
    let mut now = recorded_at;
    let mut steps = Vec::with_capacity(seeds.len());
    for seed in seeds {
        let backdated = seed.variant % 17 == 0 && seed.minutes > 0;
        let at = match (&case, backdated) {
            (Some(case), true) => case.updated_at - Duration::minutes(1),
            _ => now + Duration::minutes(i64::from(seed.minutes)),
        };
        let context = match &case {
            Some(case) => Context::of(case, at),
            None => Context {
                tier: caseflow_core::Tier::Two,
                state: None,
                now: at,
                committed_deadline: None,
                review_pending: false,
            },
        };
        let command = command_for(policy, seed, &context, &report);
        if let Some(current) = &case {
            if let Ok(applied) = apply(policy, current, &command, at) {
                case = Some(applied.case);
            }
        }
        if !backdated {
            now = at;
        }
        steps.push(TimedCommand { at, command });
    }
    CaseHistory {
        report,
        recorded_by,
        recorded_at,
        steps,
    }
}
