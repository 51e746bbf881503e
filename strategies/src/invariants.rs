//! The lifecycle's invariants as checks over a policy and a case history.
//!
//! [`check`] records the history's report, applies each command in turn and, after each step,
//! checks what must hold whatever the policy file says — the company's rules of
//! docs/policy.md §4 ([`Requirements::company_rules`]) and the engine's own promises (a refusal
//! names its rule, time runs forward, states move only along the edges of §4, every clock is
//! due no earlier than it started, the log verifies and replays to the case). The first
//! violation stops the run and comes back as a [`Violation`]: which [`Invariant`], at which step
//! (0 is the record, `n` the history's `n`-th command), and a message.
//!
//! A policy can break the company's rules while being perfectly valid: a tier-1 plan approved
//! by the project manager, one department's verification dropped. The engine then runs that
//! policy faithfully, and these checks find the case that closes without what §4 demands.

use std::fmt;

use caseflow_core::lifecycle::{
    Action, Applied, Case, CaseState, Command, CommandKind, Event, apply, is_emergency_command,
    record, replay, verify_log,
};
use caseflow_core::{Error, Policy, Role, Tier};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::history::CaseHistory;

/// One of the lifecycle's invariants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Invariant {
    /// A refused command names the rule that refused it: at least one diagnostic, each with a
    /// JSON path (docs/policy.md §4: "a refused command changes nothing and names the rule").
    /// The case it was given stays the case the next command meets.
    RefusalNamesItsRule,
    /// An accepted command is never dated before the case's last event, and the case's
    /// `updated_at` becomes its instant (docs/policy.md §8).
    TimeMovesForward,
    /// A state changes only along the edges of docs/policy.md §4 (and §3.4, §4.7).
    AllowedTransition,
    /// An accepted command's actor holds a role the policy grants the command at the case's
    /// tier (`lifecycle.permissions` and the tier's routing; the emergency's commands are
    /// authorised by its levels and not checked here).
    Authority,
    /// No one approves a plan they submitted, and at tier 1 no one verifies twice in a round
    /// (docs/policy.md §4.3, §4.5).
    SeparationOfDuties,
    /// A case closes with its plan approved by a role the company's rules name for the tier
    /// (tier 1 company leadership, tier 2 the project manager; docs/policy.md §4.3).
    ClosureApproval,
    /// A tier-1 case closes with passed verifications by both the technical and the quality
    /// department, each with its report, by two different people (docs/policy.md §4.5); every
    /// case closes with a passed verification.
    ClosureVerification,
    /// A case closes only on the customer's satisfied answer with a signed confirmation form
    /// (docs/policy.md §4.6).
    ClosureConfirmation,
    /// Every clock is due no earlier than it started.
    ClockDueAfterStart,
    /// The event log verifies, replays to the live case, and the case's snapshot reads back as
    /// itself.
    LogReplays,
}

impl Invariant {
    /// Every invariant, in the order they are checked after a step.
    pub const ALL: &'static [Invariant] = &[
        Invariant::RefusalNamesItsRule,
        Invariant::TimeMovesForward,
        Invariant::AllowedTransition,
        Invariant::Authority,
        Invariant::SeparationOfDuties,
        Invariant::ClosureApproval,
        Invariant::ClosureVerification,
        Invariant::ClosureConfirmation,
        Invariant::ClockDueAfterStart,
        Invariant::LogReplays,
    ];

    /// The invariant's name in JSON and text: `closure_approval`.
    pub fn as_str(self) -> &'static str {
        match self {
            Invariant::RefusalNamesItsRule => "refusal_names_its_rule",
            Invariant::TimeMovesForward => "time_moves_forward",
            Invariant::AllowedTransition => "allowed_transition",
            Invariant::Authority => "authority",
            Invariant::SeparationOfDuties => "separation_of_duties",
            Invariant::ClosureApproval => "closure_approval",
            Invariant::ClosureVerification => "closure_verification",
            Invariant::ClosureConfirmation => "closure_confirmation",
            Invariant::ClockDueAfterStart => "clock_due_after_start",
            Invariant::LogReplays => "log_replays",
        }
    }
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A broken invariant: which, where, and what was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The invariant.
    pub invariant: Invariant,
    /// The step: 0 for the record, `n` for the history's `n`-th command.
    pub step: usize,
    /// What was found.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "step {}: {}: {}",
            self.step, self.invariant, self.message
        )
    }
}

impl std::error::Error for Violation {}

/// What the company's rules demand of a tier, whatever a policy file says (docs/policy.md §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierRequirements {
    /// Roles of which one must approve the plan before the case closes; empty when the plan
    /// is only filed. An approver named for a more serious tier also counts (a tier-1 plan
    /// approved by leadership stays approved when leadership lowers the tier).
    pub approvers: Vec<Role>,
    /// Roles that must each pass the work before the case closes.
    pub verifiers: Vec<Role>,
    /// Whether each passed verification carries a report.
    pub verification_report: bool,
    /// Whether the verifications of a round are by different people.
    pub distinct_verifiers: bool,
    /// Whether the approver of a plan must not be its submitter.
    pub approver_not_submitter: bool,
}

/// What the company's rules demand per tier: what [`check`] holds a policy to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirements {
    /// Tiers 1, 2 and 3, in that order.
    pub tiers: [TierRequirements; 3],
}

impl Requirements {
    /// The company's rules as docs/policy.md §4 states them from the original text: tier 1
    /// approved by company leadership, verified by the technical and the quality department
    /// (two people, each with a report); tier 2 approved by the project manager; tier 3 filed;
    /// no one approves their own plan; every case closes on a signed confirmation.
    pub fn company_rules() -> Requirements {
        Requirements {
            tiers: [
                TierRequirements {
                    approvers: vec![Role::CompanyLeadership],
                    verifiers: vec![Role::TechnicalDept, Role::QualityDept],
                    verification_report: true,
                    distinct_verifiers: true,
                    approver_not_submitter: true,
                },
                TierRequirements {
                    approvers: vec![Role::ProjectManager],
                    verifiers: Vec::new(),
                    verification_report: false,
                    distinct_verifiers: false,
                    approver_not_submitter: true,
                },
                TierRequirements {
                    approvers: Vec::new(),
                    verifiers: Vec::new(),
                    verification_report: false,
                    distinct_verifiers: false,
                    approver_not_submitter: false,
                },
            ],
        }
    }

    /// The requirements of `tier`.
    pub fn tier(&self, tier: Tier) -> &TierRequirements {
        match tier {
            Tier::One => &self.tiers[0],
            Tier::Two => &self.tiers[1],
            Tier::Three => &self.tiers[2],
        }
    }

    /// The roles whose approval counts at `tier`: its approvers and those of more serious
    /// tiers.
    fn approvers_at(&self, tier: Tier) -> Vec<Role> {
        Tier::ALL
            .iter()
            .filter(|t| **t <= tier)
            .flat_map(|t| self.tier(*t).approvers.iter().copied())
            .collect()
    }
}

impl Default for Requirements {
    fn default() -> Requirements {
        Requirements::company_rules()
    }
}

/// What a history came to when every invariant held.
#[derive(Clone, Debug)]
pub struct Run {
    /// The case at the end (`None` when its record was refused).
    pub case: Option<Case>,
    /// Its event log.
    pub events: Vec<Event>,
    /// How many commands were accepted, the record included.
    pub accepted: usize,
    /// How many were refused.
    pub refused: usize,
}

/// Runs `history` under `policy` and checks every invariant against the company's rules
/// ([`Requirements::company_rules`]).
pub fn check(policy: &Policy, history: &CaseHistory) -> Result<Run, Violation> {
    check_with(policy, &Requirements::company_rules(), history)
}

/// Runs `history` under `policy` and checks every invariant against `requirements`; the first
/// violation ends the run.
pub fn check_with(
    policy: &Policy,
    requirements: &Requirements,
    history: &CaseHistory,
) -> Result<Run, Violation> {
    let opening = Command {
        actor: history.recorded_by.clone(),
        action: Action::Record {
            report: std::sync::Arc::clone(&history.report),
        },
    };
    let mut run = Run {
        case: None,
        events: Vec::new(),
        accepted: 0,
        refused: 0,
    };
    let checker = Checker {
        policy,
        requirements,
    };
    match record(policy, &opening, history.recorded_at) {
        Ok(applied) => {
            checker.clocks(0, &applied.case, None, history.recorded_at)?;
            run.accepted += 1;
            run.events.push(applied.event);
            run.case = Some(applied.case);
        }
        Err(error) => {
            checker.refusal(0, &error)?;
            run.refused += 1;
            return Ok(run);
        }
    }
    for (i, step) in history.steps.iter().enumerate() {
        let number = i + 1;
        let Some(before) = run.case.take() else {
            break;
        };
        match apply(policy, &before, &step.command, step.at) {
            Ok(Applied { case, event, .. }) => {
                checker.accepted(number, &before, &step.command, step.at, &case)?;
                run.accepted += 1;
                run.events.push(event);
                run.case = Some(case);
            }
            Err(error) => {
                checker.refusal(number, &error)?;
                run.refused += 1;
                run.case = Some(before);
            }
        }
    }
    if let Some(case) = &run.case {
        checker.log(history.steps.len(), case, &run.events)?;
    }
    Ok(run)
}

struct Checker<'a> {
    policy: &'a Policy,
    requirements: &'a Requirements,
}

fn violation(invariant: Invariant, step: usize, message: impl Into<String>) -> Violation {
    Violation {
        invariant,
        step,
        message: message.into(),
    }
}

impl Checker<'_> {
    fn refusal(&self, step: usize, error: &Error) -> Result<(), Violation> {
        if error.errors.is_empty() {
            return Err(violation(
                Invariant::RefusalNamesItsRule,
                step,
                format!("refused with no diagnostic: {}", error.message),
            ));
        }
        if let Some(d) = error.errors.iter().find(|d| !d.path.starts_with('$')) {
            return Err(violation(
                Invariant::RefusalNamesItsRule,
                step,
                format!("a diagnostic without a JSON path: {} `{}`", d.code, d.path),
            ));
        }
        Ok(())
    }

    fn accepted(
        &self,
        step: usize,
        before: &Case,
        command: &Command,
        at: DateTime<FixedOffset>,
        after: &Case,
    ) -> Result<(), Violation> {
        let kind = command.action.kind();
        if at < before.updated_at || after.updated_at != at {
            return Err(violation(
                Invariant::TimeMovesForward,
                step,
                format!(
                    "`{kind}` at {} accepted on a case last changed at {} (now changed at {})",
                    at.to_rfc3339(),
                    before.updated_at.to_rfc3339(),
                    after.updated_at.to_rfc3339()
                ),
            ));
        }
        if !transition_allowed(before, after) {
            return Err(violation(
                Invariant::AllowedTransition,
                step,
                format!(
                    "`{kind}` moved the case from `{}` to `{}`",
                    before.state.as_str(),
                    after.state.as_str()
                ),
            ));
        }
        self.authority(step, before, command)?;
        self.separation(step, before, command, after)?;
        if after.state == CaseState::Closed && before.state != CaseState::Closed {
            self.closure(step, after)?;
        }
        self.clocks(step, after, Some(before), at)
    }

    fn authority(&self, step: usize, before: &Case, command: &Command) -> Result<(), Violation> {
        let kind = command.action.kind();
        if is_emergency_command(kind) {
            return Ok(());
        }
        let granted = match kind {
            CommandKind::UpdateFacts => CommandKind::Reclassify,
            other => other,
        };
        let roles = self.policy.roles_for(granted, before.tier);
        if !command.actor.roles.iter().any(|r| roles.contains(r)) {
            return Err(violation(
                Invariant::Authority,
                step,
                format!(
                    "`{kind}` at tier {} accepted from {} holding {}; the policy grants it to {}",
                    before.tier,
                    command.actor.id,
                    role_names(&command.actor.roles),
                    role_names(roles)
                ),
            ));
        }
        Ok(())
    }

    fn separation(
        &self,
        step: usize,
        before: &Case,
        command: &Command,
        after: &Case,
    ) -> Result<(), Violation> {
        let actor = &command.actor.id;
        let demanded = self.requirements.tier(before.tier);
        if let Action::ApprovePlan { .. } = command.action {
            let submitter = before.plan.as_ref().map(|p| p.submitted_by.as_str());
            if demanded.approver_not_submitter && submitter == Some(actor.as_str()) {
                return Err(violation(
                    Invariant::SeparationOfDuties,
                    step,
                    format!(
                        "{actor} approved the tier-{} plan they submitted",
                        before.tier
                    ),
                ));
            }
        }
        if let Action::Verify { .. } = command.action {
            let demanded = self.requirements.tier(after.tier);
            let mine = after
                .verifications
                .iter()
                .filter(|v| &v.by == actor)
                .count();
            if demanded.distinct_verifiers && mine > 1 {
                return Err(violation(
                    Invariant::SeparationOfDuties,
                    step,
                    format!(
                        "{actor} verified {mine} times in one round at tier {}",
                        after.tier
                    ),
                ));
            }
        }
        Ok(())
    }

    fn closure(&self, step: usize, case: &Case) -> Result<(), Violation> {
        let tier = case.tier;
        let demanded = self.requirements.tier(tier);
        if !demanded.approvers.is_empty() {
            let counted = self.requirements.approvers_at(tier);
            let approval = case.plan.as_ref().and_then(|p| p.approval.as_ref());
            match approval {
                Some(a) if counted.contains(&a.role) => {}
                Some(a) => {
                    return Err(violation(
                        Invariant::ClosureApproval,
                        step,
                        format!(
                            "a tier-{tier} case closed with its plan approved by {} as {}; the company's rules ask for {}",
                            a.by,
                            a.role.as_str(),
                            role_names(&demanded.approvers)
                        ),
                    ));
                }
                None => {
                    return Err(violation(
                        Invariant::ClosureApproval,
                        step,
                        format!(
                            "a tier-{tier} case closed with no approval of its plan; the company's rules ask for {}",
                            role_names(&demanded.approvers)
                        ),
                    ));
                }
            }
        }
        let passed: Vec<_> = case.verifications.iter().filter(|v| v.passed).collect();
        if passed.is_empty() {
            return Err(violation(
                Invariant::ClosureVerification,
                step,
                format!("a tier-{tier} case closed with no passed verification"),
            ));
        }
        let mut people = Vec::new();
        for role in &demanded.verifiers {
            let by_role = passed.iter().find(|v| {
                v.role == *role && (v.report_ref.is_some() || !demanded.verification_report)
            });
            match by_role {
                Some(v) => people.push(v.by.as_str()),
                None => {
                    return Err(violation(
                        Invariant::ClosureVerification,
                        step,
                        format!(
                            "a tier-{tier} case closed without a passed verification{} by {}",
                            if demanded.verification_report {
                                " with its report"
                            } else {
                                ""
                            },
                            role.as_str()
                        ),
                    ));
                }
            }
        }
        people.sort_unstable();
        people.dedup();
        if demanded.distinct_verifiers && people.len() < demanded.verifiers.len() {
            return Err(violation(
                Invariant::ClosureVerification,
                step,
                format!(
                    "a tier-{tier} case closed on verifications by {} for {}: one person for two departments",
                    people.join(", "),
                    role_names(&demanded.verifiers)
                ),
            ));
        }
        match case.customer_answers.last() {
            Some(a) if a.satisfied && a.signed_form_ref.is_some() => Ok(()),
            other => Err(violation(
                Invariant::ClosureConfirmation,
                step,
                format!(
                    "a tier-{tier} case closed without the customer's signed confirmation (last answer: {})",
                    match other {
                        None => "none".to_owned(),
                        Some(a) => format!(
                            "satisfied {}, form {}",
                            a.satisfied,
                            a.signed_form_ref.as_deref().unwrap_or("none")
                        ),
                    }
                ),
            )),
        }
    }

    /// Every clock that is new or changed since `before` is due no earlier than its start.
    fn clocks(
        &self,
        step: usize,
        case: &Case,
        before: Option<&Case>,
        at: DateTime<FixedOffset>,
    ) -> Result<(), Violation> {
        let fraction = self.policy.clocks().at_risk_fraction;
        for (kind, clock) in &case.clocks {
            if before.is_some_and(|b| b.clocks.get(kind) == Some(clock)) {
                continue;
            }
            match clock.status(self.policy.calendar(), fraction, at) {
                Ok(status) if status.due < clock.start => {
                    return Err(violation(
                        Invariant::ClockDueAfterStart,
                        step,
                        format!(
                            "the {kind:?} clock started at {} is due at {}",
                            clock.start.to_rfc3339(),
                            status.due.to_rfc3339()
                        ),
                    ));
                }
                Ok(_) => {}
                // A calendar that does not cover the year refuses to say; nothing to check.
                Err(error) if error.code == caseflow_core::ErrorCode::CalendarNotCovered => {}
                Err(error) => {
                    return Err(violation(
                        Invariant::ClockDueAfterStart,
                        step,
                        format!("the {kind:?} clock is inconsistent: {}", error.message),
                    ));
                }
            }
        }
        Ok(())
    }

    fn log(&self, step: usize, case: &Case, events: &[Event]) -> Result<(), Violation> {
        let verdict = verify_log(events);
        if !verdict.valid {
            return Err(violation(
                Invariant::LogReplays,
                step,
                format!("the log of {} events does not verify", events.len()),
            ));
        }
        match replay(self.policy, events) {
            Ok(replayed) if &replayed == case => {}
            Ok(_) => {
                return Err(violation(
                    Invariant::LogReplays,
                    step,
                    "the log replays to another case than the live one",
                ));
            }
            Err(error) => {
                return Err(violation(
                    Invariant::LogReplays,
                    step,
                    format!("the log does not replay: {}", error.message),
                ));
            }
        }
        let snapshot = serde_json::to_string(case).unwrap_or_default();
        match Case::from_json(&snapshot) {
            Ok(read) if &read == case => Ok(()),
            _ => Err(violation(
                Invariant::LogReplays,
                step,
                "the case's snapshot does not read back as itself",
            )),
        }
    }
}

fn role_names(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "no role".to_owned();
    }
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a command may move a case from `before`'s state to `after`'s (docs/policy.md §4:
/// the forward path, the loops of §4.3, §4.5 and §4.6, a raised tier's redraft (§3.4), a
/// lowered tier's reroute, a hold back to the state it held, and a withdrawal). Staying put is
/// always allowed; a closed or withdrawn case never moves.
pub fn transition_allowed(before: &Case, after: &Case) -> bool {
    use CaseState::*;
    let (from, to) = (before.state, after.state);
    if from == to {
        return true;
    }
    if from == OnHold {
        return before.hold.as_ref().is_some_and(|h| h.resume_to == to) || to == Withdrawn;
    }
    if matches!(from, Closed | Withdrawn) {
        return false;
    }
    if matches!(to, OnHold | Withdrawn) {
        return true;
    }
    // A raised tier sends anything past acceptance back to drafting (§3.4).
    if to == Planning && from != Recorded {
        return true;
    }
    matches!(
        (from, to),
        (Recorded, Planning)
            | (Planning, AwaitingApproval | InProgress)
            | (AwaitingApproval, InProgress)
            | (InProgress, AwaitingVerification)
            | (AwaitingVerification, InProgress | Verified)
            | (Verified, AwaitingConfirmation)
            | (AwaitingConfirmation, Closed)
    )
}
