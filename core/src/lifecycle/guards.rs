//! The guards every command passes before it changes a case: the states that allow it, the roles
//! that may give it, and the refusal that names what is wrong and the rule behind it.

use std::fmt;

use super::command::{Action, Actor, CommandKind};
use super::duties;
use super::{CaseState, role_list};
use crate::domain::Tier;
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::Policy;

/// The states in which each command is allowed (docs/policy.md §4): what a host offers a user,
/// and what the property strategies pick commands from.
pub fn allowed_states(kind: CommandKind) -> &'static [CaseState] {
    use CaseState::*;
    const ACTIVE: &[CaseState] = &[
        Recorded,
        Planning,
        AwaitingApproval,
        InProgress,
        AwaitingVerification,
        Verified,
        AwaitingConfirmation,
    ];
    const OPEN: &[CaseState] = &[
        Recorded,
        Planning,
        AwaitingApproval,
        InProgress,
        AwaitingVerification,
        Verified,
        AwaitingConfirmation,
        OnHold,
    ];
    match kind {
        CommandKind::Record => &[],
        CommandKind::Accept => &[Recorded],
        CommandKind::Reclassify
        | CommandKind::Hold
        | CommandKind::ReviewTier
        | CommandKind::UpdateFacts
        // A declaration makes the case tier 1, a change of tier like `reclassify`'s.
        | CommandKind::DeclareEmergency => ACTIVE,
        CommandKind::SubmitPlan => &[Planning],
        CommandKind::ApprovePlan | CommandKind::RejectPlan => &[AwaitingApproval],
        CommandKind::ReportProgress | CommandKind::CompleteWork => &[InProgress],
        CommandKind::Verify => &[AwaitingVerification],
        CommandKind::NotifyCustomer => &[Verified],
        CommandKind::CustomerConfirm | CommandKind::CustomerReject => &[AwaitingConfirmation],
        CommandKind::Resume => &[OnHold],
        CommandKind::Withdraw => OPEN,
        // The emergency runs beside the handling, and may outlive it (its end and review).
        CommandKind::RaiseEmergency
        | CommandKind::CompleteEmergencyAction
        | CommandKind::WaiveEmergencyAction
        | CommandKind::EmergencyStatusUpdate
        | CommandKind::EndEmergency
        | CommandKind::FileEmergencyReview
        | CommandKind::ReleaseMediaStatement => CaseState::ALL,
    }
}

/// Refuses a command the actor's roles do not allow at this tier. A reclassification that lowers
/// a tier-1 case needs the roles of `lifecycle.lower_tier_1` as well (docs/policy.md §3.4;
/// [`duties::authorise_tier_change`]).
pub(super) fn authorise(
    policy: &Policy,
    actor: &Actor,
    kind: CommandKind,
    tier: Tier,
    action: Option<&Action>,
) -> Result<(), Error> {
    // New facts are a re-assessment: those who may reclassify may give them.
    let granted = match kind {
        CommandKind::UpdateFacts => CommandKind::Reclassify,
        other => other,
    };
    let roles = policy.roles_for(granted, tier);
    if !actor.roles.iter().any(|r| roles.contains(r)) {
        let rule = match kind {
            CommandKind::SubmitPlan => tier_rule!(tier, "plan.drafted_by", "§4.3").to_string(),
            CommandKind::ApprovePlan | CommandKind::RejectPlan => {
                tier_rule!(tier, "plan.approved_by", "§4.3").to_string()
            }
            CommandKind::Verify => tier_rule!(tier, "verification.by", "§4.5").to_string(),
            CommandKind::ReviewTier => "policy.md §3.4; $.lifecycle.lower_tier_1: a provisional tier 1 is reviewed by those who may lower tier 1".to_owned(),
            _ => format!("policy.md §4.1; $.lifecycle.permissions.{granted}"),
        };
        return Err(refusal(
            "not_authorised",
            &JsonPath::root().field("actor").field("roles"),
            format!(
                "`{kind}` at tier {tier} needs {}; {} holds {}",
                role_list(roles),
                actor.id,
                if actor.roles.is_empty() {
                    "no role".to_owned()
                } else {
                    role_list(&actor.roles).replace(" or ", ", ")
                }
            ),
            &rule,
        ));
    }
    if let Some(Action::Reclassify {
        tier: Some(new), ..
    }) = action
    {
        duties::authorise_tier_change(policy, actor, tier, *new)?;
    }
    Ok(())
}

/// Why commands are applied in time order: clocks run forward from their start events, and the
/// host, not the engine, says what time it is.
pub(super) const TIME_ORDER_RULE: &str =
    "policy.md §5.3, §8: clocks run forward and the host passes \"now\"";

/// A refusal of a command, with the path of what is wrong and the rule behind it, cited at the
/// end of the message.
pub(crate) fn refusal(
    code: &str,
    path: &JsonPath,
    message: impl Into<String>,
    rule: impl fmt::Display,
) -> Error {
    let message = format!("{} ({rule})", message.into());
    Error::single(
        ErrorCode::Refused,
        "command refused",
        Diagnostic::error(code, path, message),
    )
}

/// The section of docs/policy.md that says when a command may be given.
pub(super) fn section(kind: CommandKind) -> &'static str {
    match kind {
        CommandKind::Record => "policy.md §2",
        CommandKind::Accept => "policy.md §4.2",
        CommandKind::Reclassify => "policy.md §3.2, §3.4",
        CommandKind::SubmitPlan | CommandKind::ApprovePlan | CommandKind::RejectPlan => {
            "policy.md §4.3"
        }
        CommandKind::ReportProgress | CommandKind::CompleteWork => "policy.md §4.4",
        CommandKind::Verify => "policy.md §4.5",
        CommandKind::NotifyCustomer
        | CommandKind::CustomerConfirm
        | CommandKind::CustomerReject => "policy.md §4.6",
        CommandKind::Hold | CommandKind::Resume | CommandKind::Withdraw => "policy.md §4.7",
        CommandKind::ReviewTier => "policy.md §3.4; $.classification.model_use",
        _ => "policy.md §7",
    }
}
