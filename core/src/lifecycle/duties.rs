//! Who may change a case's tier, and which duties must be done by different people.
//!
//! Roles say what a person may do; they do not stop one person holding two roles from doing
//! both halves of a check: verifying as the technical and as the quality department, drafting
//! and approving a plan, approving a plan and then lowering the tier it was approved at. Each
//! tier's `separation_of_duties` (policy data) lists the duties its people must keep apart; the
//! engine compares the host's actor ids (a person is an id) with the acts on record.
//!
//! These are the functions any command that does one of these duties calls, so that a new
//! command (e.g. one that confirms or lowers a provisional tier) is held to the same rules.

use super::command::{Action, Actor};
use super::guards::refusal;
use super::{Case, role_list};
use crate::domain::Tier;
use crate::error::{Error, JsonPath};
use crate::policy::Policy;
use crate::policy::document::Duty;

/// The duty a command does on `case`, if any: a reclassification to a less serious tier lowers
/// it; plans are submitted and approved; work is verified.
pub(crate) fn duty_of(case: &Case, action: &Action) -> Option<Duty> {
    match action {
        Action::SubmitPlan { .. } => Some(Duty::SubmitPlan),
        Action::ApprovePlan { .. } => Some(Duty::ApprovePlan),
        Action::Verify { .. } => Some(Duty::Verify),
        Action::Reclassify { tier: Some(to), .. } | Action::ReviewTier { tier: to, .. }
            if case.tier.is_more_serious_than(*to) =>
        {
            Some(Duty::LowerTier)
        }
        _ => None,
    }
}

/// Refuses a change of a case's tier from `from` to `to` that the actor's roles do not allow:
/// lowering a tier-1 case needs the roles of `lifecycle.lower_tier_1` (docs/policy.md §3.4); any
/// other change needs only the `reclassify` permission, checked with the other commands'.
pub(crate) fn authorise_tier_change(
    policy: &Policy,
    actor: &Actor,
    from: Tier,
    to: Tier,
) -> Result<(), Error> {
    if from == Tier::One && to != Tier::One {
        let needed = policy.lower_tier_1_roles();
        if !actor.roles.iter().any(|r| needed.contains(r)) {
            return Err(refusal(
                "not_authorised",
                &JsonPath::root().field("actor").field("roles"),
                format!("lowering a tier-1 case needs {}", role_list(needed)),
                "policy.md §3.4; $.lifecycle.lower_tier_1",
            ));
        }
    }
    Ok(())
}

/// Refuses `duty` by `actor` when the case's tier keeps it apart from a duty the same person
/// has already done on the case (docs/policy.md §4; `tiers.N.separation_of_duties`), citing the rule.
pub(crate) fn check_separation(
    policy: &Policy,
    case: &Case,
    actor: &Actor,
    duty: Duty,
) -> Result<(), Error> {
    let rules = &policy.tier(case.tier).separation_of_duties;
    let done = acts_on_record(case, Some(duty));
    for (i, rule) in rules.iter().enumerate() {
        if !rule.contains(&duty) {
            continue;
        }
        let earlier = done
            .iter()
            .find(|(d, by)| *by == actor.id && conflict(rule, *d, duty));
        if let Some((earlier, _)) = earlier {
            let message = if *earlier == duty {
                format!(
                    "{} already did `{duty}` on this case: at tier {} each `{duty}` is done by a different person",
                    actor.id, case.tier
                )
            } else {
                format!(
                    "{} already did `{earlier}` on this case and may not also do `{duty}`: at tier {} they are done by different people",
                    actor.id, case.tier
                )
            };
            return Err(refusal(
                "separation_of_duties",
                &JsonPath::root().field("actor").field("id"),
                message,
                format!(
                    "policy.md §4; $.tiers.{}.separation_of_duties[{i}]",
                    case.tier
                ),
            ));
        }
    }
    Ok(())
}

/// Every way the acts on record break the case's tier's rules: one line per person who did two
/// duties a rule keeps apart. Closing checks it, so that a stored case edited by hand cannot
/// close on one person's word.
pub(crate) fn separation_gaps(policy: &Policy, case: &Case) -> Vec<String> {
    let done = acts_on_record(case, None);
    let mut gaps = Vec::new();
    for (i, rule) in policy
        .tier(case.tier)
        .separation_of_duties
        .iter()
        .enumerate()
    {
        let kept: Vec<&(Duty, &str)> = done.iter().filter(|(d, _)| rule.contains(d)).collect();
        for (j, (duty, by)) in kept.iter().enumerate() {
            let twice = kept
                .iter()
                .take(j)
                .find(|(first, other)| other == by && conflict(rule, *first, *duty));
            if let Some((first, _)) = twice {
                gaps.push(format!(
                    "{by} did both `{first}` and `{duty}` ($.tiers.{}.separation_of_duties[{i}])",
                    case.tier
                ));
            }
        }
    }
    gaps
}

/// Whether a rule keeps `a` and `b` apart: two of the duties it names, or, in a rule of one
/// duty (`["verify"]`), two acts of it.
fn conflict(rule: &[Duty], a: Duty, b: Duty) -> bool {
    rule.contains(&a) && rule.contains(&b) && (a != b || rule.len() == 1)
}

/// The duties done on the case that still count, with who did them: the current plan's
/// submission and approval (not when a new plan is about to replace them), this round's
/// verifications, and every lowering of the tier.
fn acts_on_record(case: &Case, next: Option<Duty>) -> Vec<(Duty, &str)> {
    let mut acts = Vec::new();
    if let Some(plan) = &case.plan {
        if next != Some(Duty::SubmitPlan) {
            acts.push((Duty::SubmitPlan, plan.submitted_by.as_str()));
            if let Some(approval) = &plan.approval {
                acts.push((Duty::ApprovePlan, approval.by.as_str()));
            }
        }
    }
    for verification in &case.verifications {
        acts.push((Duty::Verify, verification.by.as_str()));
    }
    for change in &case.reclassifications {
        if change.tier_from.is_more_serious_than(change.tier_to) {
            acts.push((Duty::LowerTier, change.by.as_str()));
        }
    }
    acts
}
