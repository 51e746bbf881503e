//! The meaning pass: every reference and rule of a well-shaped policy document checked (unknown
//! roles, a tier without a verifier, a negative duration, a rule that can never fire, a category no
//! rule can reach...), and the engine's compiled policy built from it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::calendar::Calendar;
use crate::calendar::duration::{Duration, DurationSpec};
use crate::classify::condition::Cond;
use crate::classify::{Classifier, EmergencyInput, Resolved};
use crate::domain::CommandKind;
use crate::domain::{Category, Department, EmergencyLevel, Role, Tier};
use crate::error::{Diagnostic, JsonPath, Severity};
use crate::warranty::WarrantyPolicy;

use super::Policy;
use super::compiled::{
    ClockPolicy, EmergencyActionPolicy, EmergencyLevelPolicy, EmergencyPolicy, LifecyclePolicy,
    PlanPolicy, TierDeadlines, TierPolicy, VerificationPolicy,
};
use super::document::{
    CategorySpec, ClockSpec, Duty, EmergencySpec, LifecycleSpec, Permission, PolicyDocument,
    RecordKind, TierSpec,
};

// ---------------------------------------------------------------------------------------------
// Meaning pass: check references and rules, and compile.

pub(super) fn compile(
    document: PolicyDocument,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Policy> {
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

    // Inserted one by one, in the categories' order: collecting into a map sorts what it
    // collects, a sort instantiated for this map alone.
    let mut default_tiers = BTreeMap::new();
    for (category, spec) in &categories {
        if let Some(tier) = Tier::from_number(spec.default_tier) {
            default_tiers.insert(*category, tier);
        }
    }
    let classifier = Classifier::compile(
        &document.classification,
        EmergencyInput {
            triggers: &document.emergency.triggers,
            implies_tier: emergency_tier.unwrap_or(Tier::One),
        },
        Resolved { default_tiers },
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
    let (emergency, emergency_conditions) = match emergency {
        Some((e, c)) => (Some(e), c),
        None => (None, Vec::new()),
    };
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
        emergency_conditions,
        calendar: calendar?,
        lifecycle: lifecycle?,
        warranty: warranty?,
        reference: crate::domain::PolicyRef {
            name: document.name.as_str().into(),
            version: document.version.as_str().into(),
            model: model_ref,
        },
        document,
        warnings: Vec::new(),
    })
}

pub(super) struct Checker<'a> {
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
            labels: Arc::new(spec.labels.clone()),
            plan: Arc::new(PlanPolicy {
                drafted_by,
                with,
                consult_departments,
                must_contain: spec.plan.must_contain.clone(),
                approved_by,
                filed_with,
            }),
            verification: Arc::new(VerificationPolicy {
                by: verifiers,
                all_must_pass: spec.verification.all_must_pass,
                report_required: spec.verification.report_required,
            }),
            deadlines,
            records: spec.records.as_slice().into(),
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
                if rule.iter().take(j).any(|d| d == duty) {
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
    ) -> Option<(EmergencyPolicy, Vec<super::EmergencyCondition>)> {
        let mut conditions = Vec::new();
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
                        conditions.push((level, action.id.clone(), c));
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
                        commander: Arc::new(level_spec.commander.clone()),
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
        (self.diagnostics.len() == before).then_some((
            EmergencyPolicy {
                implies_tier: implies_tier?,
                levels,
                review_due: review_due?,
                drill_interval: drill_interval?,
            },
            conditions,
        ))
    }
}
