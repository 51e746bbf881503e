//! Policy as data: loading, checking and compiling a policy file.
//!
//! Loading is two passes. The shape pass (`read.rs`) reads the file member by member and records
//! every malformed member (wrong type, missing, unknown, neither form of a condition or duration)
//! with its JSON path. The meaning pass checks every reference
//! and rule (unknown roles, a tier without a verifier, a negative duration, a rule that can never
//! fire, a category no rule can reach...) and compiles what the engine runs: the classifier's
//! automata, the calendar, typed routing. Both passes collect all problems before failing.
//!
//! The default policy (`core/policy/default.json`) is loaded by exactly this code path.

pub mod document;
pub(crate) mod read;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::calendar::Calendar;
use crate::calendar::duration::{Duration, DurationSpec};
use crate::classify::condition::Cond;
use crate::classify::{Classification, Classifier, EmergencyInput, Resolved};
use crate::domain::WarrantyElement;
use crate::domain::{Category, Department, EmergencyLevel, Labels, Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath, Severity};
use crate::intake::{ProjectFacts, Report};
use crate::lifecycle::CommandKind;
use crate::reader::{ObjectReader, parse_bounded};
use crate::warranty::{Warranty, WarrantyPolicy};
use document::{
    CategorySpec, ClockSpec, Duty, EmergencySpec, LifecycleSpec, Permission, PlanElement,
    PolicyDocument, RecordKind, SCHEMA_VERSION, TierSpec,
};

/// The default policy's rules (`core/policy/default.json`: everything but the model), as
/// embedded in the engine (feature `default-policy`, on by default).
#[cfg(feature = "default-policy")]
pub const DEFAULT_RULES_JSON: &str = include_str!("../../policy/default.json");

/// The default policy's learned model (`core/policy/default-model.json`, made by
/// `scripts/gen/default-model.sh`), kept in a file of its own so that the rules stay readable.
#[cfg(feature = "default-policy")]
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../policy/default-model.json");

/// The whole default policy as one JSON text: the rules with the model as its `model` member.
/// What `caseflow policy default` prints and the WebAssembly package ships.
#[cfg(feature = "default-policy")]
pub fn default_policy_json() -> String {
    match default_policy_value() {
        Ok(value) => serde_json::to_string(&value).unwrap_or_default(),
        Err(_) => DEFAULT_RULES_JSON.to_owned(),
    }
}

#[cfg(feature = "default-policy")]
fn default_policy_value() -> Result<Value, Error> {
    let mut rules = parse_bounded(DEFAULT_RULES_JSON, MAX_POLICY_BYTES, "the policy")
        .map_err(|d| invalid_policy(vec![d]))?;
    let model = parse_bounded(DEFAULT_MODEL_JSON, MAX_POLICY_BYTES, "the model")
        .map_err(|d| invalid_policy(vec![d]))?;
    if let Value::Object(members) = &mut rules {
        members.insert("model".to_owned(), model);
    }
    Ok(rules)
}

/// Largest accepted policy file, in bytes.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

/// A checked, compiled policy. Immutable and cheap to share across threads.
#[derive(Debug)]
pub struct Policy {
    document: PolicyDocument,
    classifier: Classifier,
    categories: BTreeMap<Category, CategorySpec>,
    tiers: [TierPolicy; 3],
    clocks: ClockPolicy,
    emergency: EmergencyPolicy,
    calendar: Calendar,
    lifecycle: LifecyclePolicy,
    reference: crate::lifecycle::PolicyRef,
    warranty: Option<WarrantyPolicy>,
    warnings: Vec<Diagnostic>,
}

/// Lifecycle authority, checked: the roles granted each command at each tier.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LifecyclePolicy {
    /// Roles per granted command, indexed by tier (0 for tier 1).
    permissions: BTreeMap<CommandKind, [Vec<Role>; 3]>,
    lower_tier_1: Vec<Role>,
    raise_tier_after_rejections: u32,
    tier_review_due: Option<Duration>,
}

/// Routing and deadlines of one tier, checked and typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierPolicy {
    /// The tier.
    pub tier: Tier,
    /// Chinese and English labels.
    pub labels: Labels,
    /// Who drafts the plan, what it contains, who approves it.
    pub plan: PlanPolicy,
    /// Who verifies the work.
    pub verification: VerificationPolicy,
    /// The tier's deadlines.
    pub deadlines: TierDeadlines,
    /// What must be on record before the case closes.
    pub records: Vec<RecordKind>,
    /// Duties that must be done by different people, rule by rule (see
    /// [`document::TierSpec::separation_of_duties`]).
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
    pub commander: Labels,
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

impl Policy {
    /// The built-in default policy (policy.md as data; feature `default-policy`).
    #[cfg(feature = "default-policy")]
    pub fn builtin() -> Result<Policy, Error> {
        Policy::from_value(&default_policy_value()?)
    }

    /// Loads a policy from JSON text, reporting every problem at once.
    pub fn from_json(text: &str) -> Result<Policy, Error> {
        let value = parse_bounded(text, MAX_POLICY_BYTES, "the policy")
            .map_err(|d| invalid_policy(vec![d]))?;
        Policy::from_value(&value)
    }

    /// Loads a policy from a parsed JSON value.
    pub fn from_value(value: &Value) -> Result<Policy, Error> {
        let mut diagnostics = Vec::new();
        let document = read_document(value, &mut diagnostics);
        match document {
            Some(document) if diagnostics.is_empty() => Policy::from_document(document),
            _ => Err(invalid_policy(diagnostics)),
        }
    }

    /// Checks and compiles a policy document.
    pub fn from_document(document: PolicyDocument) -> Result<Policy, Error> {
        let mut diagnostics = Vec::new();
        let policy = compile(document, &mut diagnostics);
        let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        match policy {
            Some(mut policy) if errors.is_empty() => {
                policy.warnings = warnings;
                Ok(policy)
            }
            _ => Err(invalid_policy(errors)),
        }
    }

    /// Checks a policy file and summarises it, without failing: the answer of `caseflow check`.
    pub fn check(text: &str) -> CheckReport {
        match Policy::from_json(text) {
            Ok(policy) => CheckReport {
                valid: true,
                errors: Vec::new(),
                warnings: policy.warnings.clone(),
                summary: Some(policy.summary()),
            },
            Err(error) => CheckReport {
                valid: false,
                errors: error.errors,
                warnings: Vec::new(),
                summary: None,
            },
        }
    }

    /// The document the policy was loaded from.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Warnings found while loading.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The features the policy's model reads in a report (the trainer's view of it): the same
    /// reading as the rules', whether or not the policy has a model.
    pub fn model_features(&self, report: &Report) -> Vec<String> {
        self.classifier.model_features(report)
    }

    /// The rules' answer alone, as if the policy had no model: what `caseflow evaluate` compares
    /// the model against.
    pub fn classify_by_rules(&self, report: &Report) -> Classification {
        self.classifier.classify_by_rules(report)
    }

    /// A summary of the policy.
    pub fn summary(&self) -> PolicySummary {
        let classification = &self.document.classification;
        PolicySummary {
            name: self.document.name.clone(),
            version: self.document.version.clone(),
            schema: self.document.schema,
            covered_years: self.calendar.covered_years(),
            rule_counts: BTreeMap::from([
                ("term_lists".to_owned(), classification.terms.len()),
                (
                    "category_rules".to_owned(),
                    classification.category.rules.len(),
                ),
                ("tier_rules".to_owned(), classification.tier.rules.len()),
                (
                    "emergency_triggers".to_owned(),
                    self.document.emergency.triggers.len(),
                ),
            ]),
        }
    }

    /// Classifies a report (policy.md §3).
    pub fn classify(&self, report: &Report) -> Classification {
        self.classifier.classify(report)
    }

    /// Classifies a report and answers whether it is under warranty, from one reading of it:
    /// what `classify` and `warranty` give.
    pub fn assess(&self, report: &Report) -> Result<(Classification, Option<Warranty>), Error> {
        let Some(warranty) = &self.warranty else {
            return Ok((self.classifier.classify(report), None));
        };
        let (classification, found) = self
            .classifier
            .classify_with(report, &warranty.conditions());
        let on = self.calendar.local(report.raised_at).date();
        let answer = warranty.answer(
            &report.project_facts,
            report.element,
            warranty.suggested(found),
            on,
        )?;
        Ok((classification, Some(answer)))
    }

    /// Whether a report is under warranty (policy.md §1.1), judged on the day it was raised:
    /// the clerk's element or the ones the engine finds in it, the project's acceptance date.
    /// `None` when the policy has no `warranty` section.
    pub fn warranty(&self, report: &Report) -> Result<Option<Warranty>, Error> {
        self.assess(report).map(|(_, warranty)| warranty)
    }

    /// The clerk's direct question: is `element` of a project (or, when `None`, whichever
    /// element) under warranty on day `on`? `None` when the policy has no `warranty` section.
    pub fn warranty_on(
        &self,
        project: &ProjectFacts,
        element: Option<WarrantyElement>,
        on: chrono::NaiveDate,
    ) -> Result<Option<Warranty>, Error> {
        self.warranty
            .as_ref()
            .map(|w| w.answer(project, element, Vec::new(), on))
            .transpose()
    }

    /// The routing and deadlines of a tier.
    pub fn tier(&self, tier: Tier) -> &TierPolicy {
        match tier {
            Tier::One => &self.tiers[0],
            Tier::Two => &self.tiers[1],
            Tier::Three => &self.tiers[2],
        }
    }

    /// A category's labels.
    pub fn category_labels(&self, category: Category) -> Option<&Labels> {
        self.categories.get(&category).map(|c| &c.labels)
    }

    /// A role's labels.
    pub fn role_labels(&self, role: Role) -> Option<&Labels> {
        self.document.roles.get(role.as_str())
    }

    /// Clock warnings and escalation.
    pub fn clocks(&self) -> &ClockPolicy {
        &self.clocks
    }

    /// The emergency plan's levels.
    pub fn emergency(&self) -> &EmergencyPolicy {
        &self.emergency
    }

    /// The working calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The roles that may issue `command` on a case of `tier`: the tier's drafters, approvers
    /// and verifiers for the plan and verification commands, `lifecycle.permissions` otherwise.
    pub fn roles_for(&self, command: CommandKind, tier: Tier) -> &[Role] {
        let routing = self.tier(tier);
        match command {
            CommandKind::SubmitPlan => &routing.plan.drafted_by,
            CommandKind::ApprovePlan | CommandKind::RejectPlan => &routing.plan.approved_by,
            CommandKind::Verify => &routing.verification.by,
            // A provisional tier 1 is confirmed or lowered by those who may lower a tier-1 case.
            CommandKind::ReviewTier => &self.lifecycle.lower_tier_1,
            _ => self
                .lifecycle
                .permissions
                .get(&command)
                .and_then(|per_tier| per_tier.get(usize::from(tier.number()) - 1))
                .map_or(&[], Vec::as_slice),
        }
    }

    /// The name and version every event decided under this policy records.
    pub fn reference(&self) -> &crate::lifecycle::PolicyRef {
        &self.reference
    }

    /// The roles that may lower a tier-1 case (policy.md §3.4).
    pub fn lower_tier_1_roles(&self) -> &[Role] {
        &self.lifecycle.lower_tier_1
    }

    /// How long a provisional tier 1 may wait for `review_tier` (`lifecycle.tier_review_due`).
    pub fn tier_review_due(&self) -> Option<Duration> {
        self.lifecycle.tier_review_due
    }

    /// After how many rejections by the customer a case is raised one tier (0: never).
    pub fn raise_tier_after_rejections(&self) -> u32 {
        self.lifecycle.raise_tier_after_rejections
    }
}

/// The JSON Schema of the policy format, pretty-printed (committed as
/// `schema/policy.schema.json`, printed by `caseflow policy schema`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(PolicyDocument);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

fn invalid_policy(errors: Vec<Diagnostic>) -> Error {
    Error::new(ErrorCode::InvalidPolicy, "invalid policy", errors)
}

// ---------------------------------------------------------------------------------------------
// Shape pass: read each section separately so that one bad section does not hide the others.

fn read_document(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<PolicyDocument> {
    let root = JsonPath::root();
    let Value::Object(object) = value else {
        diagnostics.push(Diagnostic::error(
            "wrong_type",
            &root,
            "a policy is a JSON object",
        ));
        return None;
    };
    let schema = read_schema(object, diagnostics)?;
    let mut reader = ObjectReader::new(value, root, diagnostics)?;
    reader.raw("schema");
    let document = <PolicyDocument as crate::reader::ReadObject>::read_members(&mut reader);
    debug_assert!(document.as_ref().is_none_or(|d| d.schema == schema));
    reader.finish();
    document
}

fn read_schema(object: &Map<String, Value>, diagnostics: &mut Vec<Diagnostic>) -> Option<u32> {
    let path = JsonPath::root().field("schema");
    match object.get("schema").and_then(Value::as_u64) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => Some(SCHEMA_VERSION),
        Some(v) => {
            diagnostics.push(Diagnostic::error(
                "unsupported_schema",
                &path,
                format!(
                    "this policy is written in format version {v}; this build of caseflow reads version {SCHEMA_VERSION}{}",
                    if v > u64::from(SCHEMA_VERSION) { ": upgrade caseflow to load it" } else { "" }
                ),
            ));
            None
        }
        None => {
            diagnostics.push(Diagnostic::error(
                "missing_field",
                &path,
                format!("`schema` is required: the policy format version, {SCHEMA_VERSION} for this build"),
            ));
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Meaning pass: check references and rules, and compile.

fn compile(document: PolicyDocument, diagnostics: &mut Vec<Diagnostic>) -> Option<Policy> {
    let root = JsonPath::root();
    let mut check = Checker { diagnostics };

    for key in document.roles.keys() {
        check.role(key, &root.field("roles").field(key));
    }
    for role in Role::ALL {
        if !document.roles.contains_key(role.as_str()) {
            check.diagnostics.push(Diagnostic::warning(
                "missing_labels",
                &root.field("roles"),
                format!("role `{role}` has no labels; its id will be shown instead"),
            ));
        }
    }

    let categories = check.categories(&document.categories, &root.field("categories"));
    let tiers = check.tiers(&document.tiers, &root.field("tiers"));
    let clocks = check.clocks(&document.clocks, &root.field("clocks"));
    let emergency_tier = check.tier_number(
        document.emergency.implies_tier,
        &root.field("emergency").field("implies_tier"),
    );

    let classifier = Classifier::compile(
        &document.classification,
        EmergencyInput {
            triggers: &document.emergency.triggers,
            implies_tier: emergency_tier.unwrap_or(Tier::One),
        },
        Resolved {
            default_tiers: categories
                .iter()
                .filter_map(|(c, spec)| Tier::from_number(spec.default_tier).map(|t| (*c, t)))
                .collect(),
        },
        document.model.as_ref(),
        &root.field("classification"),
        &root.field("emergency"),
        &root.field("model"),
        check.diagnostics,
    );
    let emergency = check.emergency(
        &document.emergency,
        &root.field("emergency"),
        classifier.as_ref(),
    );
    let lifecycle = check.lifecycle(&document.lifecycle, &root.field("lifecycle"));
    let warranty = match &document.warranty {
        Some(spec) => WarrantyPolicy::compile(
            spec,
            classifier.as_ref(),
            &root.field("warranty"),
            check.diagnostics,
        )
        .map(Some),
        None => {
            check.diagnostics.push(Diagnostic::warning(
                "no_warranty",
                &root.field("warranty"),
                "the policy has no `warranty` section, so no report is told whether it is under warranty (policy.md §1.1)",
            ));
            Some(None)
        }
    };
    let model_ref = classifier
        .as_ref()
        .and_then(|c| c.model())
        .map(|m| m.reference().clone());
    if document.model.is_some() && document.lifecycle.tier_review_due.is_none() {
        check.error(
            "missing_field",
            &root.field("lifecycle").field("tier_review_due"),
            "the policy has a `model`, whose reviews make a tier 1 provisional: `lifecycle.tier_review_due` says how long a person has to confirm or lower it",
        );
    }
    let calendar = match Calendar::compile(&document.calendar, &root.field("calendar")) {
        Ok(calendar) => {
            check.diagnostics.extend_from_slice(calendar.warnings());
            Some(calendar)
        }
        Err(mut errors) => {
            check.diagnostics.append(&mut errors);
            None
        }
    };
    Some(Policy {
        classifier: classifier?,
        categories,
        tiers: tiers?,
        clocks: clocks?,
        emergency: emergency?,
        calendar: calendar?,
        lifecycle: lifecycle?,
        warranty: warranty?,
        reference: crate::lifecycle::PolicyRef {
            name: document.name.as_str().into(),
            version: document.version.as_str().into(),
            model: model_ref,
        },
        document,
        warnings: Vec::new(),
    })
}

struct Checker<'a> {
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, code: &str, path: &JsonPath, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(code, path, message));
    }

    fn role(&mut self, name: &str, path: &JsonPath) -> Option<Role> {
        match name.parse::<Role>() {
            Ok(role) => Some(role),
            Err(e) => {
                self.error("unknown_role", path, e.to_string());
                None
            }
        }
    }

    fn roles(&mut self, names: &[String], path: &JsonPath) -> Vec<Role> {
        names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.role(n, &path.index(i)))
            .collect()
    }

    fn tier_number(&mut self, n: u8, path: &JsonPath) -> Option<Tier> {
        let tier = Tier::from_number(n);
        if tier.is_none() {
            self.error(
                "invalid_tier",
                path,
                format!("tier must be 1, 2 or 3, not {n}"),
            );
        }
        tier
    }

    fn duration(&mut self, spec: &DurationSpec, path: &JsonPath) -> Option<Duration> {
        match spec.parse() {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(e.code(), path, e.to_string());
                None
            }
        }
    }

    fn optional_duration(
        &mut self,
        spec: &Option<DurationSpec>,
        path: &JsonPath,
    ) -> Option<Option<Duration>> {
        match spec {
            None => Some(None),
            Some(spec) => self.duration(spec, path).map(Some),
        }
    }

    fn categories(
        &mut self,
        specs: &BTreeMap<String, CategorySpec>,
        path: &JsonPath,
    ) -> BTreeMap<Category, CategorySpec> {
        let mut out = BTreeMap::new();
        for (name, spec) in specs {
            let cpath = path.field(name);
            match name.parse::<Category>() {
                Ok(category) => {
                    self.tier_number(spec.default_tier, &cpath.field("default_tier"));
                    out.insert(category, spec.clone());
                }
                Err(e) => self.error("unknown_category", &cpath, e.to_string()),
            }
        }
        for category in Category::ALL {
            if !out.contains_key(category) {
                self.error(
                    "missing_category",
                    path,
                    format!("category `{category}` must be defined (policy.md §3.1 lists five)"),
                );
            }
        }
        out
    }

    fn tiers(
        &mut self,
        specs: &BTreeMap<String, TierSpec>,
        path: &JsonPath,
    ) -> Option<[TierPolicy; 3]> {
        let mut found: BTreeMap<Tier, TierPolicy> = BTreeMap::new();
        for (key, spec) in specs {
            let tpath = path.field(key);
            let Some(tier) = key.parse::<Tier>().ok() else {
                self.error(
                    "unknown_tier",
                    &tpath,
                    format!("tiers are keyed \"1\", \"2\" and \"3\", not `{key}`"),
                );
                continue;
            };
            if let Some(policy) = self.tier(tier, spec, &tpath) {
                found.insert(tier, policy);
            }
        }
        for tier in Tier::ALL {
            if !specs.contains_key(&tier.to_string()) {
                self.error("missing_tier", path, format!("tier {tier} must be defined"));
            }
        }
        let one = found.remove(&Tier::One)?;
        let two = found.remove(&Tier::Two)?;
        let three = found.remove(&Tier::Three)?;
        Some([one, two, three])
    }

    fn tier(&mut self, tier: Tier, spec: &TierSpec, path: &JsonPath) -> Option<TierPolicy> {
        let before = self.diagnostics.len();
        let ppath = path.field("plan");
        let plan = &spec.plan;
        let drafted_by = self.roles(&plan.drafted_by, &ppath.field("drafted_by"));
        if plan.drafted_by.is_empty() {
            self.error(
                "no_drafter",
                &ppath.field("drafted_by"),
                format!("tier {tier} names nobody to draft the plan"),
            );
        }
        let with = self.roles(&plan.with, &ppath.field("with"));
        let consult_departments = plan
            .consult_departments
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match d.parse::<Department>() {
                Ok(d) => Some(d),
                Err(e) => {
                    self.error(
                        "unknown_department",
                        &ppath.field("consult_departments").index(i),
                        e.to_string(),
                    );
                    None
                }
            })
            .collect();
        let approved_by = self.roles(&plan.approved_by, &ppath.field("approved_by"));
        let filed_with = plan
            .filed_with
            .as_ref()
            .and_then(|r| self.role(r, &ppath.field("filed_with")));
        match (plan.approved_by.is_empty(), plan.filed_with.is_some()) {
            (true, false) => self.error(
                "no_approver",
                &ppath,
                format!("tier {tier}'s plan is neither approved (`approved_by`) nor filed (`filed_with`)"),
            ),
            (false, true) => self.error(
                "approved_and_filed",
                &ppath.field("filed_with"),
                "a plan is either approved or only filed, not both",
            ),
            _ => {}
        }
        if plan.must_contain.is_empty() {
            self.error(
                "empty_plan",
                &ppath.field("must_contain"),
                "a plan must contain at least its measures",
            );
        }

        let vpath = path.field("verification");
        let verifiers = self.roles(&spec.verification.by, &vpath.field("by"));
        if spec.verification.by.is_empty() {
            self.error(
                "no_verifier",
                &vpath.field("by"),
                format!("tier {tier} names nobody to verify the work"),
            );
        }

        let dpath = path.field("deadlines");
        let d = &spec.deadlines;
        let deadlines = TierDeadlines {
            contact: self.duration(&d.contact, &dpath.field("contact"))?,
            commitment_cap: self
                .optional_duration(&d.commitment_cap, &dpath.field("commitment_cap"))?,
            plan: self.duration(&d.plan, &dpath.field("plan"))?,
            approval: self.optional_duration(&d.approval, &dpath.field("approval"))?,
            progress_every: self
                .optional_duration(&d.progress_every, &dpath.field("progress_every"))?,
            verification: self.duration(&d.verification, &dpath.field("verification"))?,
            customer_reply: self.duration(&d.customer_reply, &dpath.field("customer_reply"))?,
        };
        if approved_by.is_empty() != deadlines.approval.is_none() {
            self.error(
                "approval_deadline_mismatch",
                &dpath.field("approval"),
                "an approval deadline is needed exactly when the plan has approvers",
            );
        }
        for (name, duration) in [
            ("contact", Some(deadlines.contact)),
            ("progress_every", deadlines.progress_every),
        ] {
            if duration.is_some_and(|d| d.amount == 0) {
                self.error(
                    "zero_duration",
                    &dpath.field(name),
                    format!("`{name}` must be longer than zero"),
                );
            }
        }
        self.separation_of_duties(tier, spec, &approved_by, &verifiers, path);
        if spec.verification.report_required
            && !spec.records.contains(&RecordKind::VerificationReport)
        {
            self.diagnostics.push(Diagnostic::warning(
                "record_not_kept",
                &path.field("records"),
                "the verification report is required but not listed among the records kept",
            ));
        }
        // Warnings (a rule that never applies, a record not kept) leave the tier usable.
        let clean = self
            .diagnostics
            .iter()
            .skip(before)
            .all(|d| d.severity != Severity::Error);
        clean.then(|| TierPolicy {
            tier,
            labels: spec.labels.clone(),
            plan: PlanPolicy {
                drafted_by,
                with,
                consult_departments,
                must_contain: spec.plan.must_contain.clone(),
                approved_by,
                filed_with,
            },
            verification: VerificationPolicy {
                by: verifiers,
                all_must_pass: spec.verification.all_must_pass,
                report_required: spec.verification.report_required,
            },
            deadlines,
            records: spec.records.clone(),
            separation_of_duties: spec.separation_of_duties.clone(),
        })
    }

    /// A tier's separation-of-duty rules: each names a duty at most once and can bind (two
    /// duties, or `verify` where several verify); a rule that can never apply at this tier, and a
    /// tier that lets one person do what its routing gives to two, are warned about.
    fn separation_of_duties(
        &mut self,
        tier: Tier,
        spec: &TierSpec,
        approvers: &[Role],
        verifiers: &[Role],
        path: &JsonPath,
    ) {
        let spath = path.field("separation_of_duties");
        let several_verify = verifiers.len() > 1 && spec.verification.all_must_pass;
        for (i, rule) in spec.separation_of_duties.iter().enumerate() {
            let rpath = spath.index(i);
            for (j, duty) in rule.iter().enumerate() {
                if rule[..j].contains(duty) {
                    self.error(
                        "duplicate_duty",
                        &rpath.index(j),
                        format!("`{duty}` is named twice in one rule"),
                    );
                }
            }
            match rule.as_slice() {
                [] => self.error("empty_rule", &rpath, "a rule names the duties to keep apart"),
                [Duty::Verify] => {}
                [only] => self.error(
                    "single_duty",
                    &rpath,
                    format!(
                        "`{only}` is done once, so a rule of it alone binds nobody: name the duties it must be kept apart from"
                    ),
                ),
                _ => {}
            }
            let never = rule.iter().find(|duty| match duty {
                Duty::ApprovePlan => approvers.is_empty(),
                Duty::LowerTier => tier == Tier::Three,
                Duty::Verify => rule.len() == 1 && !several_verify,
                Duty::SubmitPlan => false,
            });
            if let Some(duty) = never {
                self.diagnostics.push(Diagnostic::warning(
                    "never_applies",
                    &rpath,
                    match duty {
                        Duty::ApprovePlan => {
                            format!("tier {tier} files its plans: nobody approves one")
                        }
                        Duty::LowerTier => format!("tier {tier} is the lowest: nobody lowers it"),
                        _ => format!("one verification is all tier {tier} asks for"),
                    },
                ));
            }
        }
        let keeps_apart = |a: Duty, b: Duty| {
            spec.separation_of_duties
                .iter()
                .any(|rule| rule.contains(&a) && rule.contains(&b) && (a != b || rule.len() == 1))
        };
        if !approvers.is_empty() && !keeps_apart(Duty::SubmitPlan, Duty::ApprovePlan) {
            self.diagnostics.push(Diagnostic::warning(
                "duties_not_separated",
                &spath,
                format!("at tier {tier} one person may submit and approve the same plan"),
            ));
        }
        if several_verify && !keeps_apart(Duty::Verify, Duty::Verify) {
            self.diagnostics.push(Diagnostic::warning(
                "duties_not_separated",
                &spath,
                format!(
                    "at tier {tier} one person holding several verifying roles may give every verification"
                ),
            ));
        }
    }

    fn clocks(&mut self, spec: &ClockSpec, path: &JsonPath) -> Option<ClockPolicy> {
        let before = self.diagnostics.len();
        if !(spec.at_risk_fraction > 0.0 && spec.at_risk_fraction < 1.0) {
            self.error(
                "out_of_range",
                &path.field("at_risk_fraction"),
                format!(
                    "must be between 0 and 1 (exclusive), found {}",
                    spec.at_risk_fraction
                ),
            );
        }
        let escalation_chain = self.roles(&spec.escalation_chain, &path.field("escalation_chain"));
        if spec.escalation_chain.is_empty() {
            self.error(
                "empty_list",
                &path.field("escalation_chain"),
                "breaches must escalate to someone",
            );
        }
        let tier1_breach_observers = self.roles(
            &spec.tier1_breach_observers,
            &path.field("tier1_breach_observers"),
        );
        (self.diagnostics.len() == before).then_some(ClockPolicy {
            at_risk_fraction: spec.at_risk_fraction,
            escalation_chain,
            tier1_breach_observers,
        })
    }

    fn lifecycle(&mut self, spec: &LifecycleSpec, path: &JsonPath) -> Option<LifecyclePolicy> {
        let before = self.diagnostics.len();
        let ppath = path.field("permissions");
        let mut permissions = BTreeMap::new();
        for (name, permission) in &spec.permissions {
            let cpath = ppath.field(name);
            let kind = match name.parse::<CommandKind>() {
                Ok(kind) if CommandKind::GRANTED.contains(&kind) => kind,
                Ok(kind) => {
                    self.error(
                        "granted_by_tier",
                        &cpath,
                        format!("who may `{kind}` is set by each tier's routing (tiers.N.plan, tiers.N.verification), not here"),
                    );
                    continue;
                }
                Err(message) => {
                    self.error("unknown_command", &cpath, message);
                    continue;
                }
            };
            let per_tier: [Vec<Role>; 3] = match permission {
                Permission::Everywhere(roles) => {
                    let roles = self.roles(roles, &cpath);
                    [roles.clone(), roles.clone(), roles]
                }
                Permission::PerTier(by_tier) => {
                    let mut lists: [Vec<Role>; 3] = Default::default();
                    for (key, roles) in by_tier {
                        match key.parse::<Tier>() {
                            Ok(tier) => {
                                let roles = self.roles(roles, &cpath.field(key));
                                if let Some(slot) = lists.get_mut(usize::from(tier.number()) - 1) {
                                    *slot = roles;
                                }
                            }
                            Err(_) => self.error(
                                "unknown_tier",
                                &cpath.field(key),
                                format!("tiers are keyed \"1\", \"2\" and \"3\", not `{key}`"),
                            ),
                        }
                    }
                    lists
                }
            };
            if per_tier.iter().any(Vec::is_empty) {
                self.error(
                    "empty_list",
                    &cpath,
                    format!("nobody may `{kind}` at some tier, so cases would stall there"),
                );
            }
            permissions.insert(kind, per_tier);
        }
        for kind in CommandKind::GRANTED {
            if !spec.permissions.contains_key(kind.as_str()) {
                self.error(
                    "missing_permission",
                    &ppath,
                    format!("no roles are granted `{kind}`"),
                );
            }
        }
        let lower_tier_1 = self.roles(&spec.lower_tier_1, &path.field("lower_tier_1"));
        if spec.lower_tier_1.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                "empty_list",
                &path.field("lower_tier_1"),
                "nobody may lower a tier-1 case",
            ));
        }
        let clean = self
            .diagnostics
            .iter()
            .skip(before)
            .all(|d| d.severity != Severity::Error);
        let tier_review_due = match &spec.tier_review_due {
            Some(due) => self.duration(due, &path.field("tier_review_due")),
            None => None,
        };
        let clean = clean
            && self
                .diagnostics
                .iter()
                .skip(before)
                .all(|d| d.severity != Severity::Error);
        clean.then_some(LifecyclePolicy {
            permissions,
            lower_tier_1,
            raise_tier_after_rejections: spec.raise_tier_after_rejections,
            tier_review_due,
        })
    }

    fn emergency(
        &mut self,
        spec: &EmergencySpec,
        path: &JsonPath,
        classifier: Option<&Classifier>,
    ) -> Option<EmergencyPolicy> {
        let before = self.diagnostics.len();
        let implies_tier = Tier::from_number(spec.implies_tier);
        let mut levels = BTreeMap::new();
        for (key, level_spec) in &spec.levels {
            let lpath = path.field("levels").field(key);
            let Ok(level) = key.parse::<EmergencyLevel>() else {
                self.error(
                    "unknown_level",
                    &lpath,
                    format!("levels are keyed \"I\", \"II\" and \"III\", not `{key}`"),
                );
                continue;
            };
            let commanding_role =
                self.role(&level_spec.commanding_role, &lpath.field("commanding_role"));
            let mut actions = Vec::new();
            let mut ids: Vec<&str> = Vec::new();
            for (i, action) in level_spec.actions.iter().enumerate() {
                let apath = lpath.field("actions").index(i);
                if ids.contains(&action.id.as_str()) {
                    self.error(
                        "duplicate_id",
                        &apath.field("id"),
                        format!("action `{}` is listed twice", action.id),
                    );
                }
                ids.push(&action.id);
                if let (Some(condition), Some(classifier)) = (&action.only_when, classifier) {
                    let compiled: Option<Cond> = classifier.compile_extra(
                        condition,
                        &apath.field("only_when"),
                        self.diagnostics,
                    );
                    if let Some(c) = compiled {
                        if !c.can_fire() {
                            self.error(
                                "never_fires",
                                &apath.field("only_when"),
                                "this condition is never true",
                            );
                        }
                    }
                }
                if let Some(due) = self.duration(&action.due, &apath.field("due")) {
                    actions.push(EmergencyActionPolicy {
                        id: action.id.clone(),
                        labels: action.labels.clone(),
                        due,
                        conditional: action.only_when.is_some(),
                    });
                }
            }
            let status = self.duration(
                &level_spec.status_update_every,
                &lpath.field("status_update_every"),
            );
            if let (Some(commanding_role), Some(status_update_every)) = (commanding_role, status) {
                levels.insert(
                    level,
                    EmergencyLevelPolicy {
                        commander: level_spec.commander.clone(),
                        commanding_role,
                        actions,
                        status_update_every,
                    },
                );
            }
        }
        for level in EmergencyLevel::ALL {
            if !spec.levels.contains_key(level.as_str()) {
                self.error(
                    "missing_level",
                    &path.field("levels"),
                    format!("emergency level {level} must be defined"),
                );
            }
        }
        let review_due = self.duration(&spec.review_due, &path.field("review_due"));
        let drill_interval = self.duration(&spec.drill_interval, &path.field("drill_interval"));
        (self.diagnostics.len() == before).then_some(EmergencyPolicy {
            implies_tier: implies_tier?,
            levels,
            review_due: review_due?,
            drill_interval: drill_interval?,
        })
    }
}
