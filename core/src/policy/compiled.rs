//! What a checked policy compiles to: typed routing, deadlines, clocks and the emergency plan
//! per tier and level, as the engine runs them, and the report `check` gives.

use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::duration::Duration;
use crate::domain::CommandKind;
use crate::domain::{Department, EmergencyLevel, Labels, Role, Tier};
use crate::error::Diagnostic;

use super::document::{Duty, PlanElement, RecordKind};

/// Lifecycle authority, checked: the roles granted each command at each tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LifecyclePolicy {
    /// Roles per granted command, indexed by tier (0 for tier 1).
    pub(super) permissions: BTreeMap<CommandKind, [Vec<Role>; 3]>,
    pub(super) lower_tier_1: Vec<Role>,
    pub(super) raise_tier_after_rejections: u32,
    pub(super) tier_review_due: Option<Duration>,
}

// The parts every routing of the tier repeats are shared (`Arc`): a routing holds them without
// copying (docs/policy.md §4.2–4.6).
/// Routing and deadlines of one tier, checked and typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierPolicy {
    /// The tier.
    pub tier: Tier,
    /// Chinese and English labels.
    pub labels: Arc<Labels>,
    /// Who drafts the plan, what it contains, who approves it.
    pub plan: Arc<PlanPolicy>,
    /// Who verifies the work.
    pub verification: Arc<VerificationPolicy>,
    /// The tier's deadlines.
    pub deadlines: TierDeadlines,
    /// What must be on record before the case closes.
    pub records: Arc<[RecordKind]>,
    /// Duties that must be done by different people, rule by rule (see
    /// [`crate::policy::document::TierSpec::separation_of_duties`]).
    pub separation_of_duties: Vec<Vec<Duty>>,
}

/// Who drafts a plan, what it contains, and who approves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanPolicy {
    /// Roles that may submit the plan; the first leads the drafting.
    pub drafted_by: Vec<Role>,
    /// Roles that take part in drafting.
    pub with: Vec<Role>,
    /// Departments whose experts must all take part (会诊).
    pub consult_departments: Vec<Department>,
    /// What the plan must contain.
    pub must_contain: Vec<PlanElement>,
    /// Roles of which one must approve the plan; empty when the plan is only filed.
    pub approved_by: Vec<Role>,
    /// The role the plan is filed with (备案) when it is not approved.
    pub filed_with: Option<Role>,
}

impl PlanPolicy {
    /// True when the plan is only filed, with no approval step (tier 3).
    pub fn filed_only(&self) -> bool {
        self.approved_by.is_empty()
    }
}

/// Who verifies, and what they must produce.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationPolicy {
    /// Roles that verify.
    pub by: Vec<Role>,
    /// Whether each verifying role must pass the work.
    pub all_must_pass: bool,
    /// Whether a verification report reference is required.
    pub report_required: bool,
}

/// A tier's deadlines, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierDeadlines {
    /// Contact the customer after receipt.
    pub contact: Duration,
    /// Latest committed handling deadline, from acceptance; `None` for no cap.
    pub commitment_cap: Option<Duration>,
    /// Plan due after acceptance.
    pub plan: Duration,
    /// Approval due after submission; `None` when the plan is only filed.
    pub approval: Option<Duration>,
    /// Progress update cadence during the work; `None` for none.
    pub progress_every: Option<Duration>,
    /// Verification due after completion.
    pub verification: Duration,
    /// Remind the project leader when the customer has not answered this long after notification.
    pub customer_reply: Duration,
}

/// Clock warnings and escalation, checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockPolicy {
    /// Fraction of a clock's span after which it is at risk.
    pub at_risk_fraction: f64,
    /// Who is notified at a breach, level by level.
    pub escalation_chain: Vec<Role>,
    /// Roles told of every tier-1 breach.
    pub tier1_breach_observers: Vec<Role>,
}

/// The emergency plan's levels, checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyPolicy {
    /// The tier every emergency case gets.
    pub implies_tier: Tier,
    /// Each level's commander and actions.
    pub levels: BTreeMap<EmergencyLevel, EmergencyLevelPolicy>,
    /// Post-event review due after the end.
    pub review_due: Duration,
    /// Longest interval between drills.
    pub drill_interval: Duration,
}

/// One emergency level, checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyLevelPolicy {
    /// Who commands it.
    pub commander: Arc<Labels>,
    /// The role that receives the commanding level's notifications.
    pub commanding_role: Role,
    /// Mandated actions.
    pub actions: Vec<EmergencyActionPolicy>,
    /// Status update cadence.
    pub status_update_every: Duration,
}

/// A mandated emergency action, checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyActionPolicy {
    /// Unique within its level.
    pub id: String,
    /// What to do.
    pub labels: Labels,
    /// Due after the declaration.
    pub due: Duration,
    /// Whether a condition limits when the action is mandated.
    pub conditional: bool,
}

/// What `caseflow check` reports about a policy file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckReport {
    /// True when the policy loads.
    pub valid: bool,
    /// Every problem that prevents loading.
    pub errors: Vec<Diagnostic>,
    /// Things that load but deserve a look.
    pub warnings: Vec<Diagnostic>,
    /// A summary of a valid policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<PolicySummary>,
}

/// A valid policy at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySummary {
    /// The policy's name.
    pub name: String,
    /// The company's version label.
    pub version: String,
    /// The file format version.
    pub schema: u32,
    /// Calendar years with an official schedule.
    pub covered_years: Vec<i32>,
    /// How many term lists, category rules, tier rules and emergency triggers.
    pub rule_counts: BTreeMap<String, usize>,
}
