//! The case lifecycle (docs/policy.md §4): states, commands, authority, effects, the event log.
//!
//! A case moves from intake to the customer's signed confirmation through pure transitions:
//! [`record`] opens a case from a report, [`apply`] takes a case, a command and "now" and returns
//! the next case, the event to store and the effects for the host to carry out — or an error that
//! says why the command was refused, leaving the case untouched. [`tick`] reports, at any "now",
//! which clocks are due, at risk or breached and whom to remind or escalate to (§5.3).
//!
//! Every accepted command becomes an [`Event`] chained to the previous one by SHA-256, so a case
//! is exactly the fold of its events ([`replay`]) and a stored history can be checked
//! ([`verify_log`]); against an [`Anchor`] and the host's [`SealKey`] ([`verify_log_with`]) the
//! check also finds a removed tail and a chain rewritten with recomputed hashes.

/// The citation of a tier's policy value as static text, e.g.
/// `docs/policy.md §4.3; $.tiers.2.deadlines.plan`: effects carry it without building a string.
macro_rules! tier_rule {
    ($tier:expr, $what:literal, $section:literal) => {
        match $tier {
            Tier::One => concat!("policy.md ", $section, "; $.tiers.1.", $what),
            Tier::Two => concat!("policy.md ", $section, "; $.tiers.2.", $what),
            Tier::Three => concat!("policy.md ", $section, "; $.tiers.3.", $what),
        }
    };
}

mod apply;
mod canonical;
mod command;
mod duties;
mod effect;
mod emergency;
mod guards;
mod handlers;
mod log;
mod seal;
mod snapshot;
mod tick;
mod transition;

use caseflow_derive::Read;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use apply::{Applied, apply, record};
// The policy analysis (crate::analysis::workflow) runs the engine's own checks and transitions.
pub(crate) use apply::{check as check_command, open, transition};
pub use command::{
    Action, Actor, Command, CommandKind, Consultation, Milestone, Plan, ResponsiblePerson,
};
pub use effect::{Effect, Template};
pub use emergency::is_emergency_command;
pub use emergency::{
    ActionOutcome, DrillStatus, ENGINE, EmergencyAction, EmergencyClockReport, EmergencyRecord,
    EmergencyReview, LevelChange, MediaStatement, drill_status,
};
pub use guards::allowed_states;
pub use log::{
    BadEvent, EVENT_FORMAT, EVENT_FORMATS_READ, Event, FURTHER_EMERGENCY_FORMAT, LogVerification,
    PolicyRef, replay, replay_with, verify_log, verify_log_with,
};
pub use seal::{Anchor, LogCheck, SealKey};
pub use tick::{ClockReport, TickReport, tick};

use crate::calendar::clock::Clock;
use crate::domain::{Category, EmergencyLevel, Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::intake::Report;
use crate::routing::ClockKind;
use crate::warranty::WarrantyAssessment;

/// The snapshot format this build reads and writes.
pub const CASE_FORMAT: u32 = 1;

/// Where a case stands (docs/policy.md §4).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CaseState {
    /// Recorded and passed to the project leader, who must contact the customer (§4.2).
    Recorded,
    /// Accepted: the plan is being drafted (§4.3).
    Planning,
    /// The plan awaits its approver (§4.3, tiers 1 and 2).
    AwaitingApproval,
    /// The work is under way (§4.4).
    InProgress,
    /// The work is done and awaits verification (§4.5).
    AwaitingVerification,
    /// Verified; the project leader must notify the customer (§4.6).
    Verified,
    /// The customer has been notified and is asked to confirm (§4.6).
    AwaitingConfirmation,
    /// Waiting on the customer; resolution clocks are paused (§4.7).
    OnHold,
    /// The customer confirmed the result with a signed form (§4.6).
    Closed,
    /// The customer withdrew the case (§4.7).
    Withdrawn,
}

impl CaseState {
    /// Every state.
    pub const ALL: &'static [CaseState] = &[
        CaseState::Recorded,
        CaseState::Planning,
        CaseState::AwaitingApproval,
        CaseState::InProgress,
        CaseState::AwaitingVerification,
        CaseState::Verified,
        CaseState::AwaitingConfirmation,
        CaseState::OnHold,
        CaseState::Closed,
        CaseState::Withdrawn,
    ];

    /// True for closed and withdrawn cases, which accept no further command.
    pub fn is_terminal(self) -> bool {
        matches!(self, CaseState::Closed | CaseState::Withdrawn)
    }

    /// The state's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Recorded => "recorded",
            CaseState::Planning => "planning",
            CaseState::AwaitingApproval => "awaiting_approval",
            CaseState::InProgress => "in_progress",
            CaseState::AwaitingVerification => "awaiting_verification",
            CaseState::Verified => "verified",
            CaseState::AwaitingConfirmation => "awaiting_confirmation",
            CaseState::OnHold => "on_hold",
            CaseState::Closed => "closed",
            CaseState::Withdrawn => "withdrawn",
        }
    }
}

/// One case: the report, its assessment, where it stands, and what is on record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Case {
    /// Snapshot format version.
    pub format: u32,
    /// The case id: the report's id.
    pub id: String,
    /// The report as recorded.
    pub report: std::sync::Arc<Report>,
    /// The current category.
    pub category: Category,
    /// The current tier.
    pub tier: Tier,
    /// The emergency level, if the case is an emergency.
    pub emergency: Option<EmergencyLevel>,
    /// What the engine suggested at intake.
    pub suggested: Assessment,
    /// Where the case stands.
    pub state: CaseState,
    /// The hold, while on hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Hold>,
    /// The contact and the committed deadline (§4.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    /// The current plan (§4.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanRecord>,
    /// Verifications of the current round of work (§4.5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verifications: Vec<Verification>,
    /// When the customer was last notified for confirmation.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<String>")]
    pub notified_at: Option<DateTime<FixedOffset>>,
    /// Each answer of the customer, in order (§4.6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_answers: Vec<CustomerAnswer>,
    /// Changes of category or tier, with who, when and why (§3.2, §3.4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reclassifications: Vec<Reclassification>,
    /// The withdrawal, if the case was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Withdrawal>,
    /// The model's review of the tier, when the case opened with a provisional tier 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_review: Option<TierReview>,
    /// The latest instance of each clock.
    #[read(value = snapshot::clocks)]
    pub clocks: BTreeMap<ClockKind, Clock>,
    /// Every clock that was stopped after its due instant, kept for supervision (§6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaches: Vec<Breach>,
    /// The facts as they stand since `update_facts`, when any were given after intake (§3.3):
    /// what the emergency triggers read instead of the report's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<crate::intake::Facts>,
    /// The emergency plan run on the case (§7), once declared: the current emergency, or the
    /// last one when it has been declared over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_plan: Option<EmergencyRecord>,
    /// The case's earlier emergencies, oldest first, each declared over: a record moves here
    /// from `emergency_plan` when a further emergency is declared on the case (§7). Empty (and
    /// absent from the JSON) for a case with at most one emergency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ended_emergencies: Vec<EmergencyRecord>,
    /// How many events the case is the fold of.
    pub events: u64,
    /// The hash of the last event.
    pub last_hash: String,
    /// When the last event happened; commands may not be older.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub updated_at: DateTime<FixedOffset>,
}

/// The engine's assessment of a report at intake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Assessment {
    /// The category the engine chose (the clerk's, when the report named one).
    pub category: Category,
    /// The tier.
    pub tier: Tier,
    /// The emergency level.
    pub emergency: Option<EmergencyLevel>,
    /// Whether the report was under warranty when recorded (docs/policy.md §1.1); absent when the
    /// policy had no warranty periods, or the case was recorded before event format 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty: Option<WarrantyAssessment>,
    /// Present when the tier is provisional: the model's review (the classification's
    /// `review`), for the roles of `lifecycle.lower_tier_1` to answer with `review_tier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(value = crate::reader::serde_value)]
    pub review: Option<crate::classify::ReviewRequest>,
}

/// A provisional tier 1 and what a person made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TierReview {
    /// Why the tier is provisional, and the tier it would otherwise have.
    #[read(value = crate::reader::serde_value)]
    pub request: crate::classify::ReviewRequest,
    /// The answer, once given: `null` while the review is pending.
    pub decision: Option<TierDecision>,
}

/// A person's answer to a tier review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TierDecision {
    /// Who (an actor id).
    pub by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// The tier decided: 1 confirms, 2 or 3 lowers.
    pub tier: Tier,
    /// Why.
    pub reason: String,
}

/// A hold (§4.7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Hold {
    /// Why the team waits.
    pub reason: String,
    /// Since when.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub since: DateTime<FixedOffset>,
    /// The state the case returns to on resume.
    pub resume_to: CaseState,
}

/// The project leader's contact with the customer and the committed deadline (§4.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Acceptance {
    /// Who accepted.
    pub by: String,
    /// When the customer was contacted.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub contacted_at: DateTime<FixedOffset>,
    /// The handling deadline committed to the customer.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub committed_deadline: DateTime<FixedOffset>,
    /// Notes of the contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The current plan and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct PlanRecord {
    /// The plan.
    pub plan: std::sync::Arc<Plan>,
    /// Who submitted it.
    pub submitted_by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub submitted_at: DateTime<FixedOffset>,
    /// Which submission this is (1 for the first; a rejection or a customer's rejection asks for
    /// another).
    pub round: u32,
    /// The tier the plan was submitted at.
    pub tier: Tier,
    /// The approval, once given (tiers with an approver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The role the plan was filed with (tiers without an approver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_with: Option<Role>,
    /// The reasons of the last rejection of a previous round, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_rejection: Option<String>,
}

/// A plan's approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Approval {
    /// Who approved.
    pub by: String,
    /// In which role.
    pub role: Role,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
}

/// One verification of the work (§4.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Verification {
    /// Who verified.
    pub by: String,
    /// In which role (e.g. the technical department).
    pub role: Role,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// Whether the work passed.
    pub passed: bool,
    /// The verification report's reference (验证报告), when one is issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_ref: Option<String>,
    /// Findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The customer's answer to a request for confirmation (§4.6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct CustomerAnswer {
    /// Which round of handling this answers (1 for the first).
    pub round: u32,
    /// Satisfied (and signed) or not.
    pub satisfied: bool,
    /// The satisfaction score, 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// The signed confirmation form's reference (客户问题处理确认书).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_form_ref: Option<String>,
    /// The customer's reasons, when not satisfied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
}

/// A change of category or tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Reclassification {
    /// Who: an actor id, or `caseflow` for automatic re-assessment.
    pub by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// The category before.
    pub category_from: Category,
    /// The category after.
    pub category_to: Category,
    /// The tier before.
    pub tier_from: Tier,
    /// The tier after.
    pub tier_to: Tier,
    /// Why.
    pub reason: String,
}

/// A withdrawal (§4.7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Withdrawal {
    /// Who recorded it.
    pub by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// Why.
    pub reason: String,
}

/// A clock that was stopped after its due instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Breach {
    /// The clock.
    #[read(value = snapshot::clock_kind)]
    pub clock: ClockKind,
    /// When it was due.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub due: DateTime<FixedOffset>,
    /// When it was stopped.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub stopped_at: DateTime<FixedOffset>,
}

impl Case {
    /// Reads a stored snapshot, refusing unknown fields and other format versions with a clear
    /// error.
    pub fn from_json(text: &str) -> Result<Case, Error> {
        let value = crate::reader::parse(text)
            .map_err(|d| Error::single(ErrorCode::InvalidJson, "invalid case snapshot", d))?;
        Case::from_value(&value, &JsonPath::root())
    }

    /// Reads a snapshot given as a JSON value at `path` inside a larger input.
    pub fn from_value(value: &serde_json::Value, path: &JsonPath) -> Result<Case, Error> {
        let format = value.get("format").and_then(serde_json::Value::as_u64);
        if format != Some(u64::from(CASE_FORMAT)) {
            let found = format.map_or_else(|| "none".to_owned(), |f| f.to_string());
            return Err(Error::single(
                ErrorCode::CorruptLog,
                "unsupported case snapshot",
                Diagnostic::error(
                    "unsupported_format",
                    &path.field("format"),
                    format!(
                        "this build reads case snapshots of format {CASE_FORMAT}, found {found}"
                    ),
                ),
            ));
        }
        let mut diagnostics = Vec::new();
        match <Case as crate::reader::ReadValue>::read(value, path, &mut diagnostics) {
            Some(case) if diagnostics.is_empty() => Ok(case),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "invalid case snapshot",
                diagnostics,
            )),
        }
    }

    /// The round of handling under way: 1 until the customer first rejects the result.
    pub fn round(&self) -> u32 {
        let rejections = self
            .customer_answers
            .iter()
            .filter(|a| !a.satisfied)
            .count();
        u32::try_from(rejections)
            .unwrap_or(u32::MAX)
            .saturating_add(1)
    }

    /// Problems that would make closing this case break the policy: for every tier, a signed
    /// confirmation; for a plan that needs approval, the approval (by an approver of this tier
    /// or of a more serious one); for a tier whose verification
    /// needs every verifier, each of them; a verification report where one is required; and no
    /// person who did two duties the tier keeps apart.
    pub fn closure_gaps(&self, policy: &crate::Policy) -> Vec<String> {
        let tier = policy.tier(self.tier);
        let mut gaps = Vec::new();
        match &self.plan {
            None => gaps.push("no plan is on record".to_owned()),
            Some(plan) => {
                if !tier.plan.approved_by.is_empty() {
                    // An approver of this tier or of a more serious one: a tier-1 plan approved
                    // by company leadership stays approved when leadership lowers the tier.
                    let approves = |role: Role| {
                        Tier::ALL
                            .iter()
                            .filter(|t| **t <= self.tier)
                            .any(|t| policy.tier(*t).plan.approved_by.contains(&role))
                    };
                    match &plan.approval {
                        Some(a) if approves(a.role) => {}
                        _ => gaps.push(format!(
                            "the plan has no approval by {}",
                            role_list(&tier.plan.approved_by)
                        )),
                    }
                }
            }
        }
        if self
            .tier_review
            .as_ref()
            .is_some_and(|r| r.decision.is_none())
        {
            gaps.push("the provisional tier 1 has not been reviewed (`review_tier`)".to_owned());
        }
        let passed: Vec<&Verification> = self.verifications.iter().filter(|v| v.passed).collect();
        let missing: Vec<Role> = tier
            .verification
            .by
            .iter()
            .copied()
            .filter(|r| !passed.iter().any(|v| v.role == *r))
            .collect();
        if tier.verification.all_must_pass && !missing.is_empty() {
            gaps.push(format!("no passed verification by {}", role_list(&missing)));
        }
        if passed.is_empty() {
            gaps.push("no passed verification is on record".to_owned());
        }
        if tier.verification.report_required && passed.iter().any(|v| v.report_ref.is_none()) {
            gaps.push("a verification lacks its verification report".to_owned());
        }
        gaps.extend(duties::separation_gaps(policy, self));
        gaps
    }
}

pub(crate) fn role_list(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}
