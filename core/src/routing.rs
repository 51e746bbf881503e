//! Routing (docs/policy.md §4.2–4.6): who drafts, who approves, who verifies, what must be on record,
//! and the deadlines a case of a tier runs against.

use std::borrow::Cow;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::duration::Duration;
use crate::domain::{EmergencyLevel, Labels, Role, Tier};
use crate::error::{Diagnostic, Error};
use crate::intake::Report;
use crate::policy::document::RecordKind;
use crate::policy::{PlanPolicy, Policy, VerificationPolicy};
use crate::time::format_instant;
use crate::warranty::{Warranty, WarrantyStatus};

pub use crate::domain::clocks::{ClockKind, ClockStart};

// What every routing of a tier repeats (labels, plan, verification, records, the deadlines'
// rules) is shared with the policy (`Arc`, `Cow::Borrowed`) rather than copied for each report;
// serde and schemars write these exactly as the owned types.
/// Where a case of a given tier goes, and the deadlines it runs against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// The tier routed.
    pub tier: Tier,
    /// The tier's labels.
    pub labels: Arc<Labels>,
    /// Who drafts, what the plan contains, who approves or receives it.
    pub plan: Arc<PlanPolicy>,
    /// True when the plan is only filed (备案), with no approval step.
    pub plan_filed_only: bool,
    /// Who verifies, and whether a verification report is required.
    pub verification: Arc<VerificationPolicy>,
    /// What must be on record before the case may close.
    pub records: Arc<[RecordKind]>,
    /// The tier's deadlines, in the order a case meets them.
    pub deadlines: Vec<DeadlineRule>,
    /// The emergency command, when the report is an emergency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<EmergencyCommand>,
    /// Set when the report is outside warranty: the case is still recorded and the customer
    /// still contacted, but it is handled as a service request (docs/policy.md §1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_request: Option<ServiceRequest>,
}

/// Why a case is a service request rather than a warranty repair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequest {
    /// The warranty answer in words: the element, its period and the day it ended.
    pub reason: String,
    /// The policy rule behind it, as a JSON path (the element's period).
    pub rule: String,
}

/// One deadline of a tier: what it is, when it starts, how long it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    /// The clock.
    pub clock: ClockKind,
    /// The event it starts from.
    pub starts: ClockStart,
    /// How long it runs.
    pub duration: Duration,
    /// True when it restarts after each occurrence (progress updates).
    pub repeats: bool,
    /// True for a cap on what the project leader may commit, rather than a clock of its own.
    pub is_cap: bool,
    /// The due instant, once its start is known (only the contact clock at intake).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The policy value behind it, as a JSON path into the policy.
    pub rule: Cow<'static, str>,
}

/// Who commands an emergency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyCommand {
    /// The level.
    pub level: EmergencyLevel,
    /// Who commands it.
    pub commander: Arc<Labels>,
    /// The role that receives the commanding level's notifications.
    pub commanding_role: Role,
}

/// The JSON paths of a tier's deadline values (`$.tiers.<tier>.deadlines.<name>`), in the
/// order [`route`] lists the deadlines. The tiers are keyed by their number, so each path is a
/// fixed text, which every routing shares rather than writes.
macro_rules! deadline_rules {
    ($tier:literal) => {
        [
            concat!("$.tiers.", $tier, ".deadlines.contact"),
            concat!("$.tiers.", $tier, ".deadlines.commitment_cap"),
            concat!("$.tiers.", $tier, ".deadlines.plan"),
            concat!("$.tiers.", $tier, ".deadlines.approval"),
            concat!("$.tiers.", $tier, ".deadlines.progress_every"),
            concat!("$.tiers.", $tier, ".deadlines.verification"),
            concat!("$.tiers.", $tier, ".deadlines.customer_reply"),
        ]
    };
}

/// See [`deadline_rules!`].
fn deadline_rules(tier: Tier) -> [&'static str; 7] {
    match tier {
        Tier::One => deadline_rules!("1"),
        Tier::Two => deadline_rules!("2"),
        Tier::Three => deadline_rules!("3"),
    }
}

/// The routing of a report classified at `tier`, with the contact deadline computed from the
/// report's receipt, and whether it is a service request by its `warranty` answer. Warnings
/// (such as an uncovered calendar year) go to `warnings`.
pub fn route(
    policy: &Policy,
    report: &Report,
    tier: Tier,
    emergency: Option<EmergencyLevel>,
    warranty: Option<&Warranty>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Routing, Error> {
    let tier_policy = policy.tier(tier);
    let d = &tier_policy.deadlines;
    let [
        contact,
        commitment_cap,
        plan,
        approval,
        progress_every,
        verification,
        customer_reply,
    ] = deadline_rules(tier);
    let contact_due = policy.calendar().add(report.received(), d.contact)?;
    warnings.extend(contact_due.warnings);

    // At most one deadline per clock.
    let mut deadlines = Vec::with_capacity(7);
    deadlines.push(DeadlineRule {
        clock: ClockKind::ContactCustomer,
        starts: ClockStart::Received,
        duration: d.contact,
        repeats: false,
        is_cap: false,
        due: Some(format_instant(&contact_due.at, policy.calendar().offset())),
        rule: Cow::Borrowed(contact),
    });
    let mut push = |clock, starts, duration: Option<Duration>, rule, repeats, is_cap| {
        if let Some(duration) = duration {
            deadlines.push(DeadlineRule {
                clock,
                starts,
                duration,
                repeats,
                is_cap,
                due: None,
                rule: Cow::Borrowed(rule),
            });
        }
    };
    push(
        ClockKind::Commitment,
        ClockStart::Accepted,
        d.commitment_cap,
        commitment_cap,
        false,
        true,
    );
    push(
        ClockKind::Plan,
        ClockStart::Accepted,
        Some(d.plan),
        plan,
        false,
        false,
    );
    push(
        ClockKind::Approval,
        ClockStart::PlanSubmitted,
        d.approval,
        approval,
        false,
        false,
    );
    push(
        ClockKind::ProgressUpdate,
        ClockStart::WorkStarted,
        d.progress_every,
        progress_every,
        true,
        false,
    );
    push(
        ClockKind::Verification,
        ClockStart::WorkCompleted,
        Some(d.verification),
        verification,
        false,
        false,
    );
    push(
        ClockKind::CustomerReply,
        ClockStart::CustomerNotified,
        Some(d.customer_reply),
        customer_reply,
        false,
        false,
    );

    let emergency = emergency.and_then(|level| {
        policy
            .emergency()
            .levels
            .get(&level)
            .map(|l| EmergencyCommand {
                level,
                commander: l.commander.clone(),
                commanding_role: l.commanding_role,
            })
    });
    Ok(Routing {
        tier,
        labels: tier_policy.labels.clone(),
        plan_filed_only: tier_policy.plan.filed_only(),
        plan: tier_policy.plan.clone(),
        verification: tier_policy.verification.clone(),
        records: tier_policy.records.clone(),
        deadlines,
        emergency,
        service_request: warranty
            .filter(|w| w.status == WarrantyStatus::Expired)
            .map(|w| ServiceRequest {
                reason: w.reason.clone(),
                rule: w.rule.clone().unwrap_or_default(),
            }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::JsonPath;

    #[test]
    fn each_deadline_rule_is_the_json_path_of_its_value() {
        let names = [
            "contact",
            "commitment_cap",
            "plan",
            "approval",
            "progress_every",
            "verification",
            "customer_reply",
        ];
        for tier in [Tier::One, Tier::Two, Tier::Three] {
            let deadlines = JsonPath::root()
                .field("tiers")
                .field(&tier.to_string())
                .field("deadlines");
            let built: Vec<String> = names
                .iter()
                .map(|name| deadlines.field(name).into())
                .collect();
            assert_eq!(deadline_rules(tier).to_vec(), built);
        }
    }
}
