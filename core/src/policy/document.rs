//! The policy file format, version 1: the serde types a policy author writes against.
//!
//! References between parts of the file (roles, categories, term lists, departments) are plain
//! strings here and are checked when the policy loads, so that one pass can report every problem
//! with its path. [`crate::policy::Policy`] is the checked, compiled form the engine runs.
//! The JSON Schema in `schema/policy.schema.json` is generated from these types.

use caseflow_derive::Read;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::duration::DurationSpec;
use crate::calendar::spec::CalendarSpec;
use crate::classify::model::ModelDocument;
pub use crate::classify::spec::EmergencyTrigger;
use crate::classify::spec::{ClassificationSpec, Condition};
use crate::domain::Labels;
use crate::warranty::spec::WarrantySpec;

/// The format version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A complete customer-issue policy.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[schemars(title = "caseflow policy")]
#[read(values)]
pub struct PolicyDocument {
    /// The JSON Schema this file follows, for editors (e.g. `../schema/policy.schema.json`);
    /// caseflow itself ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<String>,
    /// Format version of this file. This build reads version 1.
    pub schema: u32,
    /// The policy's name.
    pub name: String,
    /// The company's own version label for this policy, e.g. `2026.1`.
    pub version: String,
    /// Free text for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Labels of the roles of docs/policy.md §4.1, keyed by role id.
    pub roles: BTreeMap<String, Labels>,
    /// The five categories of docs/policy.md §3.1, keyed by id.
    pub categories: BTreeMap<String, CategorySpec>,
    /// How reports are classified: term lists, negation, category and tier rules.
    pub classification: ClassificationSpec,
    /// Emergency triggers and levels (docs/policy.md §7).
    pub emergency: EmergencySpec,
    /// Routing and deadlines of each tier, keyed `"1"`, `"2"`, `"3"`.
    pub tiers: BTreeMap<String, TierSpec>,
    /// Warning thresholds and escalation of clocks (docs/policy.md §5.3).
    pub clocks: ClockSpec,
    /// Who may issue which lifecycle command, and re-assessment (docs/policy.md §3.4, §4).
    pub lifecycle: LifecycleSpec,
    /// The working calendar (docs/policy.md §5.2).
    pub calendar: CalendarSpec,
    /// Warranty periods by element, and the seasons they count (docs/policy.md §1.1). Without it,
    /// no report gets a warranty answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty: Option<WarrantySpec>,
    /// A learned text classifier for category and tier, trained by `caseflow train`; how it
    /// decides beside the rules is `classification.model_use`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(value = crate::reader::serde_value)]
    pub model: Option<ModelDocument>,
}

/// One category: labels and the tier it gets when no tier rule decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct CategorySpec {
    /// Chinese and English labels.
    pub labels: Labels,
    /// Tier used when no tier rule fires (docs/policy.md §3.3 rule 3).
    pub default_tier: u8,
}

/// Emergency triggers and levels (docs/policy.md §7).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencySpec {
    /// The tier every emergency case gets (docs/policy.md §3.3: every emergency is a tier-1 case).
    pub implies_tier: u8,
    /// Triggers; when several fire, the most serious level wins.
    pub triggers: Vec<EmergencyTrigger>,
    /// What each level means: who commands it and the mandated actions, keyed `"I"`, `"II"`,
    /// `"III"`.
    pub levels: BTreeMap<String, EmergencyLevelSpec>,
    /// Post-event review due after the emergency ends.
    pub review_due: DurationSpec,
    /// Longest allowed interval between emergency drills.
    pub drill_interval: DurationSpec,
}

/// Who commands an emergency level and what must be done, by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencyLevelSpec {
    /// Who commands it, e.g. the emergency leading group headed by the general manager.
    pub commander: Labels,
    /// The role that receives the commanding level's notifications.
    pub commanding_role: String,
    /// Mandated actions, each a clock from the declaration.
    pub actions: Vec<EmergencyActionSpec>,
    /// Cadence of status updates to the commanding level.
    pub status_update_every: DurationSpec,
}

/// A mandated emergency action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencyActionSpec {
    /// Unique within its level, e.g. `notify_command`.
    pub id: String,
    /// What to do.
    pub labels: Labels,
    /// Due this long after the declaration.
    pub due: DurationSpec,
    /// Only mandated when this holds (e.g. people injured); always when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_when: Option<Condition>,
}

/// Routing and deadlines of one tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TierSpec {
    /// Chinese and English labels, e.g. 一级问题 / Tier 1.
    pub labels: Labels,
    /// Who drafts the plan and what it must contain (docs/policy.md §4.3).
    pub plan: PlanSpec,
    /// Who verifies the work (docs/policy.md §4.5).
    pub verification: VerificationSpec,
    /// The tier's deadlines (docs/policy.md §4.2–4.6).
    pub deadlines: TierDeadlines,
    /// What must be on record before the case may close.
    pub records: Vec<RecordKind>,
    /// Duties that must be done by different people: each rule lists duties no one person may
    /// do two of; a rule of one duty done several times a round (`["verify"]`) asks for a
    /// different person each time. E.g. `[["submit_plan", "approve_plan"], ["verify"]]`. None
    /// when omitted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub separation_of_duties: Vec<Vec<Duty>>,
}

/// A duty that separation-of-duty rules name (docs/policy.md §4.3–4.5, §3.4).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    Read,
)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// Drafting and submitting the current plan (`submit_plan`).
    SubmitPlan,
    /// Approving the current plan (`approve_plan`).
    ApprovePlan,
    /// Verifying the current round of work (`verify`), once per verification.
    Verify,
    /// Lowering the case's tier (`reclassify` to a less serious tier).
    LowerTier,
}

impl Duty {
    /// Every duty.
    pub const ALL: &'static [Duty] = &[
        Duty::SubmitPlan,
        Duty::ApprovePlan,
        Duty::Verify,
        Duty::LowerTier,
    ];

    /// The duty's name in the policy file.
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::SubmitPlan => "submit_plan",
            Duty::ApprovePlan => "approve_plan",
            Duty::Verify => "verify",
            Duty::LowerTier => "lower_tier",
        }
    }
}

impl std::fmt::Display for Duty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who drafts, what the plan contains, and how it is approved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct PlanSpec {
    /// Roles that may submit the plan; the first one leads the drafting.
    pub drafted_by: Vec<String>,
    /// Roles that take part in drafting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// Company departments whose experts must all take part (会诊), e.g. technical, quality,
    /// safety for tier 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consult_departments: Vec<String>,
    /// What the plan must contain.
    pub must_contain: Vec<PlanElement>,
    /// Roles of which one must approve the plan; empty when the plan is only filed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approved_by: Vec<String>,
    /// The role the plan is filed with (备案) when there is no approval step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_with: Option<String>,
}

/// A part every plan of a tier must have (docs/policy.md §4.3).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    Read,
)]
#[serde(rename_all = "snake_case")]
pub enum PlanElement {
    /// 处理措施.
    Measures,
    /// 责任人员.
    ResponsiblePeople,
    /// 时间节点.
    Milestones,
}

/// Who verifies the work and what they must produce.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct VerificationSpec {
    /// Roles that verify; with `all_must_pass`, each of them must pass the work.
    pub by: Vec<String>,
    /// Whether every verifying role must pass (tier 1: technical and quality departments).
    pub all_must_pass: bool,
    /// Whether a verification report (验证报告) reference is required.
    pub report_required: bool,
}

/// Something that must be on record before a case closes.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    Read,
)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The customer was contacted and a deadline committed.
    ContactRecord,
    /// The plan, approved or filed.
    Plan,
    /// The consultation of company experts (会诊).
    ExpertConsultation,
    /// The plan's approval.
    PlanApproval,
    /// The verification record of the project team.
    VerificationRecord,
    /// The verification report (验证报告).
    VerificationReport,
    /// The customer's signed confirmation form (客户问题处理确认书).
    SignedConfirmation,
}

/// A tier's deadlines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TierDeadlines {
    /// Contact the customer after receipt (docs/policy.md §4.2: 24 hours).
    pub contact: DurationSpec,
    /// Latest handling deadline the project leader may commit, counted from acceptance; `null`
    /// for no cap.
    pub commitment_cap: Option<DurationSpec>,
    /// Plan due after acceptance.
    pub plan: DurationSpec,
    /// Approval due after the plan is submitted; `null` when the plan is only filed.
    pub approval: Option<DurationSpec>,
    /// Progress updates to the customer during the work; `null` for no cadence.
    pub progress_every: Option<DurationSpec>,
    /// Verification due after the work is completed.
    pub verification: DurationSpec,
    /// Remind the project leader when the customer has not answered this long after notification.
    pub customer_reply: DurationSpec,
}

/// Clock warnings and escalation (docs/policy.md §5.3).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct ClockSpec {
    /// Fraction of a clock's span after which the assignee is reminded (0 < f < 1).
    pub at_risk_fraction: f64,
    /// Who is notified at a breach, by level: the first entry for a first breach of the
    /// assignee's clock, and so on up the chain.
    pub escalation_chain: Vec<String>,
    /// Roles told of every tier-1 breach.
    pub tier1_breach_observers: Vec<String>,
}

/// Lifecycle authority and re-assessment (docs/policy.md §3.4, §4.1).
///
/// Who submits, approves and verifies plans is part of each tier's routing (`tiers.N.plan`,
/// `tiers.N.verification`); the other commands are granted here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct LifecycleSpec {
    /// Roles that may issue each command, keyed by command: `record`, `accept`, `reclassify`,
    /// `report_progress`, `complete_work`, `notify_customer`, `customer_confirm`,
    /// `customer_reject`, `hold`, `resume`, `withdraw`. A list applies at every tier; an object
    /// keyed `"1"`, `"2"`, `"3"` gives each tier its own list.
    pub permissions: BTreeMap<String, Permission>,
    /// Roles that may lower a tier-1 case (docs/policy.md §3.4: company leadership).
    pub lower_tier_1: Vec<String>,
    /// After this many rejections by the customer the case is raised one tier (docs/policy.md §3.4).
    pub raise_tier_after_rejections: u32,
    /// How long the roles of `lower_tier_1` have to confirm or lower a provisional tier 1 (the
    /// model's review, `classification.model_use`), from the report's receipt. Required when the
    /// policy has a model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_review_due: Option<DurationSpec>,
}

/// Roles granted a command: the same at every tier, or per tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Permission {
    /// The same roles at every tier.
    Everywhere(Vec<String>),
    /// Roles per tier, keyed `"1"`, `"2"`, `"3"`.
    PerTier(BTreeMap<String, Vec<String>>),
}
