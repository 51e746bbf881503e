//! Classification and assessment (分类与评估, docs/policy.md §3 and the triggers of §7).
//!
//! A report's description is read once (`text.rs`); the policy's conditions are then evaluated on
//! what was found and on the report's structured facts. Every firing rule is reported with its
//! evidence (the matched span or the fact), so a result always explains itself, and the same code
//! path produces the decision and its explanation.

pub(crate) mod condition;
pub mod model;
pub mod spec;
pub(crate) mod text;
mod traditional;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::{Category, EmergencyLevel, Tier};
use crate::error::{Diagnostic, JsonPath};
use crate::intake::{Fact, Report};
use condition::{Cond, Context, compile_condition};
use model::{Decimal, Model, ModelDocument, ModelExplanation};
use spec::{
    CategoryDecider, CategoryStrategy, ClassificationSpec, ModelUse, TierDecider, TierStrategy,
};
use text::{NormalisedText, TextMatcher};

/// The engine's answer for one report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The category: the clerk's when the report names one, otherwise the engine's.
    pub category: Category,
    /// The tier: 1 (most serious), 2 or 3.
    pub tier: Tier,
    /// The emergency level, or `null` when the report is not an emergency.
    pub emergency: Option<EmergencyLevel>,
    /// Present when the tier is provisional: the engine raised it to tier 1 because it was
    /// unsure, and a person should confirm or lower it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewRequest>,
    /// Why: every rule that fired, with its evidence.
    pub explanation: Explanation,
}

/// Why a tier is provisional, and what it would have been.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// Why a person should look.
    pub reason: ReviewReason,
    /// The model's probability of tier 1.
    pub tier_1_probability: Decimal,
    /// The policy's review threshold (`classification.model_use.review_threshold`).
    pub threshold: Decimal,
    /// The tier the report would have had without the review: what a person may lower it to.
    pub assessed_tier: Tier,
}

/// Why a tier is provisional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReviewReason {
    /// The model's probability of tier 1 reached the review threshold, and neither the rules nor
    /// the model's most probable tier said tier 1.
    ModelTier1,
}

/// Why a report was classified as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// How the category was chosen.
    pub category: CategoryExplanation,
    /// How the tier was chosen.
    pub tier: TierExplanation,
    /// Which emergency triggers held.
    pub emergency: EmergencyExplanation,
    /// Terms the description mentions but negates (无安全隐患, "no leak"); they did not count.
    pub negated: Vec<NegatedTerm>,
    /// What the policy's learned model said, when the policy has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelExplanation>,
}

/// How the category was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryExplanation {
    /// `clerk` (the report named it), `model` (the learned model chose it), `rules` (the
    /// category rules chose it) or `fallback` (no rule fired).
    pub decided_by: CategorySource,
    /// What the engine would choose on its own.
    pub engine_choice: Category,
    /// The clerk's category, when the report names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk_choice: Option<Category>,
    /// True when the clerk named a category and the engine would have chosen differently.
    pub disagrees_with_clerk: bool,
    /// The total weight of firing rules per category, highest first.
    pub scores: Vec<CategoryScore>,
    /// The category rules that fired, in policy order.
    pub rules: Vec<CategoryRuleHit>,
}

/// Where a category came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CategorySource {
    /// The clerk named it in the report.
    Clerk,
    /// The policy's learned model chose it.
    Model,
    /// The category rules chose it.
    Rules,
    /// No category rule fired; the policy's fallback applies.
    Fallback,
}

/// A category's total score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryScore {
    /// The category.
    pub category: Category,
    /// The sum of the weights of its firing rules.
    pub score: u64,
}

/// A category rule that fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRuleHit {
    /// The rule's id in the policy.
    pub rule: String,
    /// The category it voted for.
    pub category: Category,
    /// Its weight.
    pub weight: u32,
    /// What made it fire.
    pub evidence: Vec<Evidence>,
}

/// How the tier was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierExplanation {
    /// What decided the tier.
    pub decided_by: TierSource,
    /// Every tier rule that fired, in policy order.
    pub rules: Vec<TierRuleHit>,
}

/// What decided a tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TierSource {
    /// A tier rule.
    Rule {
        /// The rule's id.
        rule: String,
    },
    /// No tier rule fired: the category's default tier.
    CategoryDefault {
        /// The category whose default applied.
        category: Category,
    },
    /// The report is an emergency, and every emergency has the policy's emergency tier.
    Emergency {
        /// The emergency's level.
        level: EmergencyLevel,
    },
    /// The learned model's most probable tier, more serious than the rules' (`model_use.tier:
    /// raise`).
    Model {
        /// The tier the rules gave.
        rules_tier: Tier,
    },
    /// Tier 1, provisional: the model's probability of tier 1 reached the review threshold
    /// (see the classification's `review`).
    Review {
        /// The tier the report would have had.
        assessed_tier: Tier,
    },
}

/// A tier rule that fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierRuleHit {
    /// The rule's id in the policy.
    pub rule: String,
    /// The tier it sets.
    pub tier: Tier,
    /// What made it fire.
    pub evidence: Vec<Evidence>,
}

/// Which emergency triggers held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyExplanation {
    /// Every trigger that held, in policy order; the most serious level among them applies.
    pub triggers: Vec<EmergencyTriggerHit>,
}

/// An emergency trigger that held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyTriggerHit {
    /// The trigger's id in the policy.
    pub rule: String,
    /// The level it declares.
    pub level: EmergencyLevel,
    /// What made it hold.
    pub evidence: Vec<Evidence>,
}

/// What made a condition true.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Evidence {
    /// A term of a list, found in the description.
    Text {
        /// The term list.
        list: String,
        /// The text as the customer wrote it.
        text: String,
        /// Start of the span, in characters (Unicode scalar values) from the description's start.
        start: usize,
        /// End of the span (exclusive), in characters.
        end: usize,
    },
    /// A structured fact of the report.
    Fact {
        /// The fact.
        fact: Fact,
        /// Its value.
        value: FactValue,
    },
    /// A quantity stated in the description.
    Quantity {
        /// The quantity's name in the policy.
        quantity: String,
        /// The value read.
        value: u64,
        /// The text as the customer wrote it.
        text: String,
        /// Start of the span, in characters.
        start: usize,
        /// End of the span (exclusive), in characters.
        end: usize,
    },
}

/// A fact's value: yes/no or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum FactValue {
    /// A yes/no fact.
    Flag(bool),
    /// A count or amount.
    Count(u64),
}

/// A term the description mentions but negates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NegatedTerm {
    /// The lists the term belongs to.
    pub lists: Vec<String>,
    /// The term as written.
    pub text: String,
    /// Start of the term, in characters.
    pub start: usize,
    /// End of the term (exclusive), in characters.
    pub end: usize,
    /// The negation cue as written.
    pub cue: String,
    /// Start of the cue, in characters.
    pub cue_start: usize,
}

/// The most evidence items reported per rule; a long description repeating a term does not make
/// explanations unbounded.
pub const MAX_EVIDENCE_PER_RULE: usize = 16;

struct CategoryRule {
    id: String,
    category: Category,
    weight: u32,
    when: Cond,
}

struct TierRule {
    id: String,
    tier: Tier,
    when: Cond,
}

struct EmergencyRule {
    id: String,
    level: EmergencyLevel,
    when: Cond,
}

/// The compiled classification rules of a policy.
pub(crate) struct Classifier {
    matcher: TextMatcher,
    list_names: Vec<String>,
    list_negatable: Vec<bool>,
    empty_lists: Vec<bool>,
    quantity_names: Vec<String>,
    category_strategy: CategoryStrategy,
    tie_break: Vec<Category>,
    fallback: Category,
    category_rules: Vec<CategoryRule>,
    tier_strategy: TierStrategy,
    tier_rules: Vec<TierRule>,
    emergency_rules: Vec<EmergencyRule>,
    emergency_tier: Tier,
    default_tiers: BTreeMap<Category, Tier>,
    /// The learned model and how it decides beside the rules, when the policy has one.
    model: Option<(Model, ModelUse)>,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classifier")
            .field("lists", &self.list_names.len())
            .field("category_rules", &self.category_rules.len())
            .field("tier_rules", &self.tier_rules.len())
            .field("emergency_rules", &self.emergency_rules.len())
            .finish()
    }
}

/// The emergency triggers as the classifier needs them, checked by the policy loader.
pub(crate) struct EmergencyInput<'a> {
    pub triggers: &'a [spec::EmergencyTrigger],
    pub implies_tier: Tier,
}

/// Where the category reference checks of the policy loader put their results.
pub(crate) struct Resolved {
    pub default_tiers: BTreeMap<Category, Tier>,
}

impl Classifier {
    /// Checks and compiles the classification section. `path` is `$.classification`;
    /// `emergency_path` is `$.emergency`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn compile(
        spec: &ClassificationSpec,
        emergency: EmergencyInput<'_>,
        resolved: Resolved,
        model: Option<&ModelDocument>,
        path: &JsonPath,
        emergency_path: &JsonPath,
        model_path: &JsonPath,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Classifier> {
        let model = compile_model(spec, model, path, model_path, diagnostics);
        let list_names: Vec<String> = spec.terms.keys().cloned().collect();
        let list_negatable = spec.terms.values().map(|l| l.negatable).collect();
        let quantity_names: Vec<String> = spec.quantities.keys().cloned().collect();
        let terms_path = path.field("terms");
        let mut lists: Vec<Vec<String>> = Vec::new();
        for (name, list) in &spec.terms {
            let list_path = terms_path.field(name);
            if list.words.is_empty() {
                diagnostics.push(Diagnostic::error(
                    "empty_list",
                    &list_path.field("words"),
                    format!(
                        "term list `{name}` has no words, so rules mentioning it can never fire"
                    ),
                ));
            }
            for (i, word) in list.words.iter().enumerate() {
                if word.trim().is_empty() {
                    diagnostics.push(Diagnostic::error(
                        "blank_term",
                        &list_path.field("words").index(i),
                        "a blank term would match everywhere",
                    ));
                }
            }
            lists.push(
                list.words
                    .iter()
                    .filter(|w| !w.trim().is_empty())
                    .cloned()
                    .collect(),
            );
        }
        let empty_lists: Vec<bool> = lists.iter().map(Vec::is_empty).collect();
        for (i, word) in spec.negation.cues.iter().enumerate() {
            if word.trim().is_empty() {
                diagnostics.push(Diagnostic::error(
                    "blank_term",
                    &path.field("negation").field("cues").index(i),
                    "a blank negation cue would negate everything",
                ));
            }
        }
        let quantity_specs: Vec<spec::QuantitySpec> = spec.quantities.values().cloned().collect();
        for (name, quantity) in &spec.quantities {
            let qpath = path.field("quantities").field(name);
            if quantity.units.is_empty() {
                diagnostics.push(Diagnostic::error(
                    "empty_list",
                    &qpath.field("units"),
                    format!("quantity `{name}` has no unit words, so it can never be read"),
                ));
            }
            for (i, unit) in quantity.units.iter().enumerate() {
                if unit.word.trim().is_empty() || unit.multiplier == 0 {
                    diagnostics.push(Diagnostic::error(
                        "invalid_unit",
                        &qpath.field("units").index(i),
                        "a unit needs a word and a multiplier of at least 1",
                    ));
                }
            }
        }
        let names = condition::Names {
            lists: &list_names,
            empty_lists: &empty_lists,
            quantities: &quantity_names,
        };

        let category_path = path.field("category");
        let tie_break = resolve_categories(
            &spec.category.tie_break,
            &category_path.field("tie_break"),
            diagnostics,
        );
        let missing: Vec<&str> = Category::ALL
            .iter()
            .filter(|c| !tie_break.contains(c))
            .map(|c| c.as_str())
            .collect();
        if !missing.is_empty() {
            diagnostics.push(Diagnostic::error(
                "incomplete_tie_break",
                &category_path.field("tie_break"),
                format!(
                    "the tie-break order must list every category; missing: {}",
                    missing.join(", ")
                ),
            ));
        }
        let fallback = parse_category(
            &spec.category.fallback,
            &category_path.field("fallback"),
            diagnostics,
        );
        let mut ids = RuleIds::default();
        let mut category_rules = Vec::new();
        for (i, rule) in spec.category.rules.iter().enumerate() {
            let rpath = category_path.field("rules").index(i);
            ids.check(&rule.id, &rpath, diagnostics);
            let category = parse_category(&rule.category, &rpath.field("category"), diagnostics);
            if rule.weight == 0 {
                diagnostics.push(Diagnostic::error(
                    "never_fires",
                    &rpath.field("weight"),
                    format!(
                        "rule `{}` has weight 0, so it can never count towards a category",
                        rule.id
                    ),
                ));
            }
            let when = compile_condition(&rule.when, &rpath.field("when"), &names, diagnostics);
            if let (Some(category), Some(when)) = (category, when) {
                check_can_fire(&when, &rule.id, &rpath, diagnostics);
                category_rules.push(CategoryRule {
                    id: rule.id.clone(),
                    category,
                    weight: rule.weight,
                    when,
                });
            }
        }
        if let Some(fallback) = fallback {
            for category in Category::ALL {
                let reachable = *category == fallback
                    || category_rules
                        .iter()
                        .any(|r| r.category == *category && r.weight > 0 && r.when.can_fire());
                if !reachable {
                    diagnostics.push(Diagnostic::error(
                        "unreachable_category",
                        &category_path.field("rules"),
                        format!(
                            "no rule can choose category `{category}` and it is not the fallback"
                        ),
                    ));
                }
            }
        }

        let tier_path = path.field("tier");
        let mut tier_rules = Vec::new();
        let mut always_fired: Option<String> = None;
        for (i, rule) in spec.tier.rules.iter().enumerate() {
            let rpath = tier_path.field("rules").index(i);
            ids.check(&rule.id, &rpath, diagnostics);
            let tier = Tier::from_number(rule.tier);
            if tier.is_none() {
                diagnostics.push(Diagnostic::error(
                    "invalid_tier",
                    &rpath.field("tier"),
                    format!("tier must be 1, 2 or 3, not {}", rule.tier),
                ));
            }
            let when = compile_condition(&rule.when, &rpath.field("when"), &names, diagnostics);
            if let Some(earlier) = &always_fired {
                if spec.tier.strategy == TierStrategy::FirstMatch {
                    diagnostics.push(Diagnostic::error(
                        "unreachable_rule",
                        &rpath,
                        format!(
                            "rule `{}` can never decide: `{earlier}` before it always fires",
                            rule.id
                        ),
                    ));
                }
            }
            if let (Some(tier), Some(when)) = (tier, when) {
                check_can_fire(&when, &rule.id, &rpath, diagnostics);
                if when.always_true() && always_fired.is_none() {
                    always_fired = Some(rule.id.clone());
                }
                tier_rules.push(TierRule {
                    id: rule.id.clone(),
                    tier,
                    when,
                });
            }
        }

        let mut emergency_rules = Vec::new();
        for (i, trigger) in emergency.triggers.iter().enumerate() {
            let rpath = emergency_path.field("triggers").index(i);
            ids.check(&trigger.id, &rpath, diagnostics);
            if let Some(when) =
                compile_condition(&trigger.when, &rpath.field("when"), &names, diagnostics)
            {
                check_can_fire(&when, &trigger.id, &rpath, diagnostics);
                emergency_rules.push(EmergencyRule {
                    id: trigger.id.clone(),
                    level: trigger.level,
                    when,
                });
            }
        }

        let cancels: Vec<Vec<String>> = spec
            .terms
            .values()
            .map(|l| l.cancelled_by.clone())
            .collect();
        let mut masks = Vec::new();
        for (name, list) in &spec.terms {
            let mut masked = Vec::new();
            for (i, other) in list.masks.iter().enumerate() {
                match list_names.iter().position(|n| n == other) {
                    Some(index) => masked.push(index),
                    None => diagnostics.push(Diagnostic::error(
                        "unknown_term_list",
                        &terms_path.field(name).field("masks").index(i),
                        format!("no term list is named `{other}` under classification.terms"),
                    )),
                }
            }
            masks.push(masked);
        }
        let compiled = TextMatcher::compile(
            &lists,
            &cancels,
            masks,
            &spec.negation,
            &quantity_specs,
            path,
        );
        let matcher = match compiled {
            Ok(m) => Some(m),
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                None
            }
        };
        Some(Classifier {
            matcher: matcher?,
            list_names,
            list_negatable,
            empty_lists,
            quantity_names,
            category_strategy: spec.category.strategy,
            tie_break,
            fallback: fallback?,
            category_rules,
            tier_strategy: spec.tier.strategy,
            tier_rules,
            emergency_rules,
            emergency_tier: emergency.implies_tier,
            default_tiers: resolved.default_tiers,
            model: model?,
        })
    }

    /// Classifies a report by the rules alone, as if the policy had no model.
    pub(crate) fn classify_by_rules(&self, report: &Report) -> Classification {
        self.classify_inner(report, &[], false).0
    }

    /// The model the classifier consults, if any.
    pub(crate) fn model(&self) -> Option<&Model> {
        self.model.as_ref().map(|(m, _)| m)
    }

    /// The features the model reads in a report, in order, as the trainer sees them.
    pub(crate) fn model_features(&self, report: &Report) -> Vec<String> {
        let text = NormalisedText::new(&report.description);
        let facts = self.matcher.read_text(&text);
        let mut out = Vec::new();
        model::each_feature(
            &text,
            &report.facts,
            &facts.quantities,
            &self.quantity_names,
            |f, _| out.push(f.to_owned()),
        );
        out
    }

    /// Checks and compiles a condition used elsewhere in the policy (emergency actions), against
    /// the same term lists and quantities.
    pub(crate) fn compile_extra(
        &self,
        condition: &spec::Condition,
        path: &JsonPath,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Cond> {
        let names = condition::Names {
            lists: &self.list_names,
            empty_lists: &self.empty_lists,
            quantities: &self.quantity_names,
        };
        compile_condition(condition, path, &names, diagnostics)
    }

    /// Classifies a report.
    pub(crate) fn classify(&self, report: &Report) -> Classification {
        self.classify_with(report, &[]).0
    }

    /// Classifies a report and evaluates `extra` conditions (compiled by
    /// [`Classifier::compile_extra`]: the warranty's elements) on the same reading of it: the
    /// evidence of each extra condition that holds, `None` for each that does not.
    pub(crate) fn classify_with(
        &self,
        report: &Report,
        extra: &[&Cond],
    ) -> (Classification, Vec<Option<Vec<Evidence>>>) {
        self.classify_inner(report, extra, true)
    }

    fn classify_inner(
        &self,
        report: &Report,
        extra: &[&Cond],
        with_model: bool,
    ) -> (Classification, Vec<Option<Vec<Evidence>>>) {
        let normalised = NormalisedText::new(&report.description);
        let text = self.matcher.read_text(&normalised);
        let context = Context::new(
            &text,
            &report.description,
            &report.facts,
            &self.list_names,
            &self.list_negatable,
            &self.quantity_names,
        );

        // Scratch space for the evidence of one rule, reused by every rule; room for what a rule
        // reports at most, so that it seldom grows.
        let mut found = Vec::with_capacity(MAX_EVIDENCE_PER_RULE);
        let category_hits: Vec<CategoryRuleHit> = self
            .category_rules
            .iter()
            .filter_map(|rule| {
                context
                    .evaluate(&rule.when, &mut found)
                    .map(|evidence| CategoryRuleHit {
                        rule: rule.id.clone(),
                        category: rule.category,
                        weight: rule.weight,
                        evidence,
                    })
            })
            .collect();
        let scores = self.scores(&category_hits);
        let (engine_choice, engine_source) = match self.category_strategy {
            CategoryStrategy::HighestScore => match scores.first() {
                Some(top) => (top.category, CategorySource::Rules),
                None => (self.fallback, CategorySource::Fallback),
            },
            CategoryStrategy::FirstMatch => match category_hits.first() {
                Some(hit) => (hit.category, CategorySource::Rules),
                None => (self.fallback, CategorySource::Fallback),
            },
        };
        let prediction = self
            .model
            .as_ref()
            .filter(|_| with_model)
            .map(|(model, _)| {
                model.predict(
                    &normalised,
                    &report.facts,
                    &text.quantities,
                    &self.quantity_names,
                )
            });
        let model_use = self.model.as_ref().filter(|_| with_model).map(|(_, u)| u);
        let (engine_choice, engine_source) = match (&prediction, model_use) {
            (Some(p), Some(u)) if u.category == CategoryDecider::Model => {
                p.category().map_or((engine_choice, engine_source), |c| {
                    (c, CategorySource::Model)
                })
            }
            _ => (engine_choice, engine_source),
        };
        let (category, decided_by) = match report.category {
            Some(clerk) => (clerk, CategorySource::Clerk),
            None => (engine_choice, engine_source),
        };

        let tier_hits: Vec<TierRuleHit> = self
            .tier_rules
            .iter()
            .filter_map(|rule| {
                context
                    .evaluate(&rule.when, &mut found)
                    .map(|evidence| TierRuleHit {
                        rule: rule.id.clone(),
                        tier: rule.tier,
                        evidence,
                    })
            })
            .collect();
        let decisive = match self.tier_strategy {
            TierStrategy::FirstMatch => tier_hits.first(),
            TierStrategy::MostSerious => tier_hits.iter().min_by_key(|h| h.tier),
        };
        let (mut tier, mut tier_source) = match decisive {
            Some(hit) => (
                hit.tier,
                TierSource::Rule {
                    rule: hit.rule.clone(),
                },
            ),
            None => (
                self.default_tiers
                    .get(&category)
                    .copied()
                    .unwrap_or(Tier::Two),
                TierSource::CategoryDefault { category },
            ),
        };

        let triggers: Vec<EmergencyTriggerHit> = self
            .emergency_rules
            .iter()
            .filter_map(|rule| {
                context
                    .evaluate(&rule.when, &mut found)
                    .map(|evidence| EmergencyTriggerHit {
                        rule: rule.id.clone(),
                        level: rule.level,
                        evidence,
                    })
            })
            .collect();
        let emergency = triggers.iter().map(|t| t.level).min();
        if let Some(level) = emergency {
            if self.emergency_tier.is_more_serious_than(tier) {
                tier = self.emergency_tier;
                tier_source = TierSource::Emergency { level };
            }
        }
        // The rules' tier is a floor: the model may raise it, never lower it.
        let mut review = None;
        if let (Some(p), Some(u)) = (&prediction, model_use) {
            if u.tier == TierDecider::Raise {
                if let Some(model_tier) = p.tier().filter(|t| t.is_more_serious_than(tier)) {
                    tier_source = TierSource::Model { rules_tier: tier };
                    tier = model_tier;
                }
            }
            let tier_1 = p.tier_1_probability();
            if tier != Tier::One && tier_1 >= u.review_threshold {
                review = Some(ReviewRequest {
                    reason: ReviewReason::ModelTier1,
                    tier_1_probability: tier_1,
                    threshold: u.review_threshold,
                    assessed_tier: tier,
                });
                tier_source = TierSource::Review {
                    assessed_tier: tier,
                };
                tier = Tier::One;
            }
        }
        let model_explanation = match (prediction, self.model.as_ref().filter(|_| with_model)) {
            (Some(p), Some((model, u))) => Some(ModelExplanation {
                model: model.reference().clone(),
                categories: p.categories,
                tiers: p.tiers,
                review_threshold: u.review_threshold,
                category_features: p.category_features,
                tier_1_features: p.tier_1_features,
            }),
            _ => None,
        };

        let extra = extra
            .iter()
            .map(|c| context.evaluate(c, &mut found))
            .collect();
        let classification = Classification {
            category,
            tier,
            emergency,
            review,
            explanation: Explanation {
                category: CategoryExplanation {
                    decided_by,
                    engine_choice,
                    clerk_choice: report.category,
                    disagrees_with_clerk: report.category.is_some_and(|c| c != engine_choice),
                    scores,
                    rules: category_hits,
                },
                tier: TierExplanation {
                    decided_by: tier_source,
                    rules: tier_hits,
                },
                emergency: EmergencyExplanation { triggers },
                negated: context.negated_terms(),
                model: model_explanation,
            },
        };
        (classification, extra)
    }

    /// Category totals, highest first; ties in the policy's tie-break order, then in category
    /// order.
    fn scores(&self, hits: &[CategoryRuleHit]) -> Vec<CategoryScore> {
        // Few categories fire: a vector searched in line is cheaper than a map.
        let mut scores: Vec<CategoryScore> = Vec::new();
        for hit in hits {
            let weight = u64::from(hit.weight);
            match scores.iter_mut().find(|s| s.category == hit.category) {
                Some(total) => total.score += weight,
                None => scores.push(CategoryScore {
                    category: hit.category,
                    score: weight,
                }),
            }
        }
        let rank = |c: &Category| {
            self.tie_break
                .iter()
                .position(|t| t == c)
                .unwrap_or(usize::MAX)
        };
        // A total order (each category appears once), so the unstable sort gives the same
        // order, faster and with less code.
        scores.sort_unstable_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| rank(&a.category).cmp(&rank(&b.category)))
                .then_with(|| a.category.cmp(&b.category))
        });
        scores
    }
}

/// Checks and compiles the policy's model with the `model_use` that says how it decides.
/// `Some(None)` when the policy has no model; `None` when something is wrong.
fn compile_model(
    spec: &ClassificationSpec,
    model: Option<&ModelDocument>,
    path: &JsonPath,
    model_path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Option<(Model, ModelUse)>> {
    let use_path = path.field("model_use");
    if let Some(u) = &spec.model_use {
        let t = u.review_threshold.get();
        // Four decimal places at most, like every probability the engine writes: the threshold
        // is stored in events, and a longer number might not read back to the same bits.
        if !(t > 0.0 && t <= 1.0) || model::Decimal::new(t).map(model::Decimal::get) != Some(t) {
            diagnostics.push(Diagnostic::error(
                "invalid_value",
                &use_path.field("review_threshold"),
                format!(
                    "the review threshold is a probability above 0 and at most 1, with at most four decimal places, not {t}"
                ),
            ));
            return None;
        }
    }
    match (model, &spec.model_use) {
        (None, None) => Some(None),
        (None, Some(_)) => {
            diagnostics.push(Diagnostic::warning(
                "no_model",
                &use_path,
                "`model_use` says how the policy's model decides, but the policy has no `model`; the rules decide alone",
            ));
            Some(None)
        }
        (Some(_), None) => {
            diagnostics.push(Diagnostic::error(
                "missing_field",
                &use_path,
                "the policy has a `model`, so `classification.model_use` must say how it decides beside the rules",
            ));
            None
        }
        (Some(document), Some(u)) => {
            let model = Model::compile(document, model_path, diagnostics)?;
            if u.category == CategoryDecider::Model {
                let missing: Vec<&str> = Category::ALL
                    .iter()
                    .filter(|c| !model.categories().contains(c))
                    .map(|c| c.as_str())
                    .collect();
                if !missing.is_empty() {
                    diagnostics.push(Diagnostic::warning(
                        "model_lacks_category",
                        &model_path.field("categories"),
                        format!(
                            "the model never chooses {}, and `model_use.category` is `model`",
                            missing.join(", ")
                        ),
                    ));
                }
            }
            Some(Some((model, u.clone())))
        }
    }
}

fn parse_category(
    name: &str,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Category> {
    match name.parse::<Category>() {
        Ok(c) => Some(c),
        Err(e) => {
            diagnostics.push(Diagnostic::error("unknown_category", path, e.to_string()));
            None
        }
    }
}

fn resolve_categories(
    names: &[String],
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(c) = parse_category(name, &path.index(i), diagnostics) {
            if out.contains(&c) {
                diagnostics.push(Diagnostic::error(
                    "duplicate",
                    &path.index(i),
                    format!("category `{c}` is listed twice"),
                ));
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Refuses a condition no report can make true; `path` is the object holding its `when`.
pub(crate) fn check_can_fire(
    when: &Cond,
    id: &str,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !when.can_fire() {
        diagnostics.push(Diagnostic::error(
            "never_fires",
            &path.field("when"),
            format!("rule `{id}` can never fire: its condition is never true"),
        ));
    }
}

/// Rule ids must be unique across category, tier and emergency rules: explanations cite them.
#[derive(Default)]
struct RuleIds(BTreeMap<String, JsonPath>);

impl RuleIds {
    fn check(&mut self, id: &str, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) {
        if id.trim().is_empty() {
            diagnostics.push(Diagnostic::error(
                "empty",
                &path.field("id"),
                "a rule needs an id",
            ));
        } else if let Some(first) = self.0.get(id) {
            diagnostics.push(Diagnostic::error(
                "duplicate_id",
                &path.field("id"),
                format!("rule id `{id}` is already used at {first}"),
            ));
        } else {
            self.0.insert(id.to_owned(), path.clone());
        }
    }
}
