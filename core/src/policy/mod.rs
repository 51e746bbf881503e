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

mod check;
mod compiled;
pub mod document;
pub(crate) mod read;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::calendar::Calendar;
use crate::calendar::duration::Duration;
use crate::classify::{Classification, Classifier};
use crate::domain::CommandKind;
use crate::domain::WarrantyElement;
use crate::domain::{Category, Labels, Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath, Severity};
use crate::intake::{ProjectFacts, Report};
use crate::reader::{ObjectReader, parse_bounded};
use crate::warranty::{Warranty, WarrantyPolicy};

pub use crate::domain::limits::MAX_POLICY_BYTES;
use check::compile;
use compiled::LifecyclePolicy;
pub use compiled::{
    CheckReport, ClockPolicy, EmergencyActionPolicy, EmergencyLevelPolicy, EmergencyPolicy,
    PlanPolicy, PolicySummary, TierDeadlines, TierPolicy, VerificationPolicy,
};
use document::{CategorySpec, PolicyDocument, SCHEMA_VERSION};

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

/// A checked, compiled policy. Immutable and cheap to share across threads.
#[derive(Debug)]
pub struct Policy {
    document: PolicyDocument,
    classifier: Classifier,
    categories: BTreeMap<Category, CategorySpec>,
    tiers: [TierPolicy; 3],
    clocks: ClockPolicy,
    emergency: EmergencyPolicy,
    emergency_conditions: Vec<EmergencyCondition>,
    calendar: Calendar,
    lifecycle: LifecyclePolicy,
    reference: crate::domain::PolicyRef,
    warranty: Option<WarrantyPolicy>,
    warnings: Vec<Diagnostic>,
}

/// An emergency action's compiled `only_when`: its level, its id, the condition.
pub(crate) type EmergencyCondition = (
    crate::domain::EmergencyLevel,
    String,
    crate::classify::condition::Cond,
);

/// What the emergency triggers make of a report (docs/policy.md §7).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EmergencyReading {
    /// The most serious level a trigger declares and the first trigger (in policy order) of that
    /// level; `None` when no trigger holds.
    pub declared: Option<(crate::domain::EmergencyLevel, String)>,
    /// Every trigger that holds, as level and trigger id, in policy order.
    pub holding: Vec<(crate::domain::EmergencyLevel, String)>,
    /// The conditional actions (`only_when`) that hold, as level and action id.
    pub conditional: Vec<(crate::domain::EmergencyLevel, String)>,
}

impl Policy {
    /// The built-in default policy (docs/policy.md as data; feature `default-policy`).
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
        CheckReport::of(&Policy::from_json(text))
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
        // Inserted one by one: `BTreeMap::from` sorts its array, a sort instantiated for this
        // map alone.
        let mut rule_counts = BTreeMap::new();
        for (name, count) in [
            ("term_lists", classification.terms.len()),
            ("category_rules", classification.category.rules.len()),
            ("tier_rules", classification.tier.rules.len()),
            ("emergency_triggers", self.document.emergency.triggers.len()),
        ] {
            rule_counts.insert(name.to_owned(), count);
        }
        PolicySummary {
            name: self.document.name.clone(),
            version: self.document.version.clone(),
            schema: self.document.schema,
            covered_years: self.calendar.covered_years(),
            rule_counts,
        }
    }

    /// Reads a report against the emergency triggers and the actions' `only_when` conditions
    /// (docs/policy.md §7).
    pub fn emergency_reading(&self, report: &Report) -> EmergencyReading {
        let extra: Vec<&crate::classify::condition::Cond> = self
            .emergency_conditions
            .iter()
            .map(|(_, _, c)| c)
            .collect();
        let (classification, found) = self.classifier.classify_with(report, &extra);
        let triggers = &classification.explanation.emergency.triggers;
        let declared = triggers
            .iter()
            .map(|t| t.level)
            .min()
            .and_then(|level| triggers.iter().find(|t| t.level == level))
            .map(|t| (t.level, t.rule.clone()));
        let conditional = self
            .emergency_conditions
            .iter()
            .zip(found)
            .filter(|(_, f)| f.is_some())
            .map(|((level, id, _), _)| (*level, id.clone()))
            .collect();
        let holding = triggers.iter().map(|t| (t.level, t.rule.clone())).collect();
        EmergencyReading {
            declared,
            holding,
            conditional,
        }
    }

    /// Classifies a report (docs/policy.md §3).
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

    /// Whether a report is under warranty (docs/policy.md §1.1), judged on the day it was raised:
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
    pub fn reference(&self) -> &crate::domain::PolicyRef {
        &self.reference
    }

    /// The roles that may lower a tier-1 case (docs/policy.md §3.4).
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
///
/// Writing the schema does not fail in practice; should it ever, the caller gets an `internal`
/// error saying so, never an empty or partial schema that an editor would take as "anything
/// goes".
pub fn json_schema() -> Result<String, Error> {
    let schema = schemars::schema_for!(PolicyDocument);
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => Ok(text + "\n"),
        Err(e) => Err(Error::single(
            ErrorCode::Internal,
            "the policy's JSON Schema could not be written",
            Diagnostic::error("internal", &JsonPath::root(), e.to_string()),
        )),
    }
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

impl CheckReport {
    /// The report on a policy as loading it went: a caller that goes on to use a policy that
    /// loads (`caseflow check` analyses it) loads it once.
    pub fn of(loaded: &Result<Policy, Error>) -> CheckReport {
        match loaded {
            Ok(policy) => CheckReport {
                valid: true,
                errors: Vec::new(),
                warnings: policy.warnings.clone(),
                summary: Some(policy.summary()),
            },
            Err(error) => CheckReport {
                valid: false,
                errors: error.errors.clone(),
                warnings: Vec::new(),
                summary: None,
            },
        }
    }
}
