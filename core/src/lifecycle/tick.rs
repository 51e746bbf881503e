//! `tick`: where a case's clocks stand at "now", and whom to remind or escalate to (§5.3).
//!
//! A tick changes nothing; it may be called as often as the host likes. Reminders and
//! escalations carry stable ids, so a host that sends each id once sends each message once.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, Offset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::effect::{Effect, Template};
use super::{Case, CaseState};
use crate::calendar::clock::{ClockState, ClockStatus};
use crate::domain::{Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::Policy;
use crate::routing::ClockKind;
use crate::time::format_instant;

/// The answer of [`tick`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TickReport {
    /// The case.
    pub case: String,
    /// Its state.
    pub state: CaseState,
    /// The instant asked about.
    pub at: String,
    /// Every clock of the case, running or stopped.
    pub clocks: Vec<ClockReport>,
    /// The emergency's action clocks and its review, when the case has an emergency (§7).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emergency: Vec<super::EmergencyClockReport>,
    /// Reminders and escalations due now.
    pub effects: Vec<Effect>,
    /// Warnings, such as an uncovered calendar year.
    pub warnings: Vec<Diagnostic>,
}

/// One clock at the instant asked about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockReport {
    /// The clock.
    pub clock: ClockKind,
    /// Who must act before it runs out.
    pub assignee: Role,
    /// True once the awaited event happened.
    pub stopped: bool,
    /// Its status.
    pub status: ClockStatus,
}

/// Reports the case's clocks at `now` and the reminders (at risk) and escalations (breached) due.
///
/// A `now` before the case's report was received is refused (`out_of_order` at `$.now`): the
/// case did not exist then, and its clocks (stopped ones too) would read "running" at 0 %.
pub fn tick(policy: &Policy, case: &Case, now: DateTime<FixedOffset>) -> Result<TickReport, Error> {
    if now < case.report.received() {
        return Err(Error::single(
            ErrorCode::InvalidInput,
            "invalid input",
            Diagnostic::error(
                "out_of_order",
                &JsonPath::root().field("now"),
                format!(
                    "now ({}) is before the case's report was received ({}): a case's clocks cannot be read before it exists",
                    format_instant(&now, now.offset().fix()),
                    format_instant(&case.report.received(), policy.calendar().offset())
                ),
            ),
        ));
    }
    let offset = policy.calendar().offset();
    let mut clocks = Vec::new();
    let mut effects = Vec::new();
    let mut warnings = Vec::new();
    for (kind, clock) in &case.clocks {
        let status = clock.status(policy.calendar(), policy.clocks().at_risk_fraction, now)?;
        warnings.extend(status.warnings.iter().cloned());
        let assignee = assignee(policy, case, *kind);
        let stopped = clock.stopped_at.is_some();
        if !stopped && !case.state.is_terminal() {
            let id = |what: &str| {
                format!(
                    "{}/{}/{}/{what}",
                    case.id,
                    kind_name(*kind),
                    format_instant(&clock.start, offset)
                )
            };
            let due = format_instant(&status.due, offset);
            let rule = "policy.md §5.3; $.clocks";
            match (status.state, kind) {
                (ClockState::AtRisk, ClockKind::CustomerReply) => {}
                (ClockState::AtRisk, _) => effects.push(Effect::Remind {
                    id: id("at_risk"),
                    to: assignee,
                    clock: *kind,
                    action: None,
                    due,
                    template: Template::ClockAtRisk,
                    rule: Cow::Owned(format!("{rule}.at_risk_fraction")),
                }),
                (ClockState::Breached, ClockKind::CustomerReply) => effects.push(Effect::Remind {
                    id: id("customer_reply"),
                    to: Role::ProjectLeader,
                    clock: *kind,
                    action: None,
                    due,
                    template: Template::CustomerReplyOverdue,
                    rule: Cow::Borrowed("policy.md §4.6: the case does not close by itself"),
                }),
                (ClockState::Breached, _) => {
                    effects.push(Effect::Escalate {
                        id: id("breached"),
                        to: next_level(policy, assignee),
                        clock: *kind,
                        action: None,
                        due: due.clone(),
                        template: Template::ClockBreached,
                        rule: Cow::Owned(format!("{rule}.escalation_chain")),
                    });
                    if case.tier == Tier::One {
                        for observer in &policy.clocks().tier1_breach_observers {
                            effects.push(Effect::Escalate {
                                id: id(&format!("breached/{observer}")),
                                to: *observer,
                                clock: *kind,
                                action: None,
                                due: due.clone(),
                                template: Template::ClockBreached,
                                rule: Cow::Owned(format!("{rule}.tier1_breach_observers")),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        clocks.push(ClockReport {
            clock: *kind,
            assignee,
            stopped,
            status,
        });
    }
    let (emergency, more) = super::emergency::emergency_clocks(policy, case, now)?;
    effects.extend(more);
    warnings.dedup();
    Ok(TickReport {
        case: case.id.clone(),
        state: case.state,
        at: format_instant(&now, offset),
        clocks,
        emergency,
        effects,
        warnings,
    })
}

fn kind_name(kind: ClockKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Who must act before a clock runs out.
pub(crate) fn assignee(policy: &Policy, case: &Case, kind: ClockKind) -> Role {
    let tier = policy.tier(case.tier);
    let first = |roles: &[Role]| roles.first().copied().unwrap_or(Role::ProjectLeader);
    match kind {
        ClockKind::Plan => first(&tier.plan.drafted_by),
        ClockKind::Approval => first(&tier.plan.approved_by),
        ClockKind::Verification => tier
            .verification
            .by
            .iter()
            .copied()
            .find(|r| !case.verifications.iter().any(|v| v.role == *r))
            .unwrap_or_else(|| first(&tier.verification.by)),
        ClockKind::TierReview => first(policy.lower_tier_1_roles()),
        ClockKind::EmergencyAction | ClockKind::EmergencyReview => case
            .emergency_plan
            .as_ref()
            .map_or(Role::CompanyLeadership, |e| e.commanding_role),
        ClockKind::ContactCustomer
        | ClockKind::Commitment
        | ClockKind::ProgressUpdate
        | ClockKind::CustomerReply => Role::ProjectLeader,
    }
}

/// The next level up from `role` in the escalation chain; roles outside the chain, and its top,
/// escalate to its top (§5.3).
pub(crate) fn next_level(policy: &Policy, role: Role) -> Role {
    let chain = &policy.clocks().escalation_chain;
    let top = chain.last().copied().unwrap_or(Role::CompanyLeadership);
    match chain.iter().position(|r| *r == role) {
        Some(i) => chain.get(i + 1).copied().unwrap_or(top),
        None => top,
    }
}
