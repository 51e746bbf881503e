//! Classification rules as a policy author writes them (docs/policy.md §3.3, §7 triggers).
//!
//! Rules are data: term lists, negation cues, quantities read from the text, and conditions that
//! combine them with the report's structured facts. Which rule wins when several fire is declared
//! here too (`strategy`), never decided in code.

use caseflow_derive::Read;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::EmergencyLevel;
use crate::intake::Fact;

/// Classification rules. Every rule has an id that appears in explanations.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct ClassificationSpec {
    /// Named lists of words and phrases (Chinese or English; matching ignores ASCII case,
    /// full-width forms and traditional against simplified Chinese characters). Rules refer to
    /// lists by name.
    pub terms: BTreeMap<String, TermList>,
    /// How negation (无安全隐患, "no leak") is recognised.
    pub negation: NegationSpec,
    /// Quantities read from the text, such as households ("12户") or amounts ("80万元"), keyed
    /// by name; conditions test them with `{"quantity": name, "at_least": n}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quantities: BTreeMap<String, QuantitySpec>,
    /// Category rules and how the winner is chosen.
    pub category: CategoryRules,
    /// Tier rules and how the winner is chosen.
    pub tier: TierRules,
    /// How the policy's learned model (`model`) and the rules decide together. Required when
    /// the policy carries a model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(value = crate::reader::serde_value)]
    pub model_use: Option<ModelUse>,
}

/// How the learned model and the rules decide together (docs/classification.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelUse {
    /// Who chooses the category when the clerk did not: `model` or `rules`.
    pub category: CategoryDecider,
    /// What the model may do to the rules' tier: `raise` it to the model's most probable tier,
    /// or nothing (`rules`). It never lowers it.
    pub tier: TierDecider,
    /// When the model's probability of tier 1 reaches this and the answer is not tier 1, the
    /// report becomes tier 1, provisional, for a person to confirm or lower.
    pub review_threshold: super::model::Decimal,
}

/// Who chooses the category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CategoryDecider {
    /// The model's most probable category.
    Model,
    /// The category rules.
    Rules,
}

/// What the model may do to the tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierDecider {
    /// Raise the rules' tier to the model's most probable tier when that is more serious.
    Raise,
    /// Keep the rules' tier (the review threshold still applies).
    Rules,
}

/// A list of terms that signal the same thing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TermList {
    /// What the list signals, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether a negation cue before a term cancels it (true, the default). Lists that only ever
    /// lower a tier set this to false, so that adding a negation can never raise a tier.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub negatable: bool,
    /// Cues that cancel this list's terms only, with the same reach as negation cues: hedges such
    /// as 差点 or "could" before an injury term say it did not happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled_by: Vec<String>,
    /// Term lists whose matches inside a match of this list do not count: the longer phrase
    /// says what the text is about (`paint drips` hides the `drips` of a leak, `电话打不通` the
    /// `不通` of a blocked pipe).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masks: Vec<String>,
    /// The terms. An English term matches at the start of a word and may take an inflection
    /// (`crack` matches `cracks`, `cracked`, `cracking`; not `crackdown`).
    pub words: Vec<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Negation recognition: a cue before a term, in the same clause and close enough, cancels it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct NegationSpec {
    /// Negation cues: 无, 没有, 未发现, no, not, without...
    pub cues: Vec<String>,
    /// Cues that only cancel a term written right after them, such as 不 in 不漏水 (不 before
    /// anything else is too often not a negation: 不断, 不少, 不到一年).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjacent_cues: Vec<String>,
    /// Words that contain a cue but do not negate what follows: 无法, 无人, 没人...
    pub not_cues: Vec<String>,
    /// Characters and words that end a negation's scope: ，。；but, however...
    pub scope_breaks: Vec<String>,
    /// What ends a sentence (。！？; ". "): the reach of a list's own cancelling cues
    /// (`cancelled_by`), which may stand anywhere earlier in the sentence ("If this is not fixed
    /// by Friday I will go to the press").
    pub sentence_breaks: Vec<String>,
    /// How far a cue reaches: the most CJK characters between the cue and the term it cancels.
    pub max_gap: u32,
    /// How far a cue reaches in English: the most words between the cue and the term.
    pub max_gap_words: u32,
}

/// How the category is chosen.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct CategoryRules {
    /// `highest_score`: each firing rule adds its weight to its category; the highest total wins,
    /// ties go to the earlier category in `tie_break`. `first_match`: the first rule that fires
    /// decides.
    pub strategy: CategoryStrategy,
    /// Category order used to break ties.
    pub tie_break: Vec<String>,
    /// Category when no rule fires.
    pub fallback: String,
    /// The rules.
    pub rules: Vec<CategoryRule>,
}

/// How competing category rules are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Read)]
#[serde(rename_all = "snake_case")]
pub enum CategoryStrategy {
    /// The category with the highest total weight of firing rules.
    HighestScore,
    /// The category of the first rule that fires.
    FirstMatch,
}

/// A rule that votes for a category.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct CategoryRule {
    /// Unique rule id, shown in explanations.
    pub id: String,
    /// The category it votes for.
    pub category: String,
    /// How much the vote counts under `highest_score`; at least 1.
    #[serde(default = "one")]
    pub weight: u32,
    /// When the rule fires.
    pub when: Condition,
}

fn one() -> u32 {
    1
}

/// How the tier is chosen.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TierRules {
    /// `first_match`: the first rule that fires decides (docs/policy.md §3.3). `most_serious`: the
    /// most serious tier among the rules that fire.
    pub strategy: TierStrategy,
    /// The rules, in order.
    pub rules: Vec<TierRule>,
}

/// How competing tier rules are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Read)]
#[serde(rename_all = "snake_case")]
pub enum TierStrategy {
    /// The first rule in order that fires.
    FirstMatch,
    /// The most serious tier of all rules that fire.
    MostSerious,
}

/// A rule that sets the tier. When no rule fires, the category's `default_tier` applies.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct TierRule {
    /// Unique rule id, shown in explanations.
    pub id: String,
    /// The tier it sets: 1, 2 or 3.
    pub tier: u8,
    /// When the rule fires.
    pub when: Condition,
}

/// A condition on a report. Written as one of `{"any": [...]}`, `{"all": [...]}`,
/// `{"not": ...}`, `{"mentions": "list"}` / `{"mentions": ["list", ...]}`, `{"negated": "list"}`
/// (the text mentions a term of the list and negates it), `{"fact": "name"}`
/// (a yes/no fact is yes), `{"fact": "name", "at_least": n}` (a count is at least n) or
/// `{"quantity": "name", "at_least": n}` (the text states at least n).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Condition {
    /// True when any of the conditions is.
    Any(AnyOf),
    /// True when all of the conditions are.
    All(AllOf),
    /// True when the condition is not.
    Not(NotCondition),
    /// True when the description mentions a term of one of the lists, not negated.
    Mentions(Mentions),
    /// True when the description mentions a term of one of the lists and negates it: the text
    /// rules the thing out (检测单位说不存在结构问题).
    Negated(NegatedTest),
    /// True when a structured fact holds.
    Fact(FactTest),
    /// True when the text states a quantity of at least a value.
    Quantity(QuantityTest),
}

/// `{"quantity": "households", "at_least": 10}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityTest {
    /// The name of a quantity declared under `quantities`.
    pub quantity: String,
    /// The smallest value that satisfies the test.
    pub at_least: u64,
}

/// A quantity read from the text: a number followed (or preceded) by one of its unit words.
/// Numbers may be written in digits ("12", "1.5", "600,000") or Chinese numerals ("三十", "几十").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct QuantitySpec {
    /// What the quantity measures, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The unit words, tried in order.
    pub units: Vec<QuantityUnit>,
}

/// A unit word of a quantity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct QuantityUnit {
    /// The word, e.g. `户`, `万元`, `households`, `¥`.
    pub word: String,
    /// What one unit is worth (`万元` is 10000 yuan).
    #[serde(default = "one_u64", skip_serializing_if = "is_one")]
    pub multiplier: u64,
    /// Whether the word follows the number (`after`, the default: "12户") or precedes it
    /// (`before`: "¥600000").
    #[serde(default, skip_serializing_if = "UnitPosition::is_after")]
    pub position: UnitPosition,
}

fn one_u64() -> u64 {
    1
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

/// Where a unit word stands relative to its number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Read)]
#[serde(rename_all = "snake_case")]
pub enum UnitPosition {
    /// After the number: "12户".
    #[default]
    After,
    /// Before the number: "¥600000".
    Before,
}

impl UnitPosition {
    fn is_after(&self) -> bool {
        *self == UnitPosition::After
    }
}

/// `{"any": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnyOf {
    /// At least one must hold.
    pub any: Vec<Condition>,
}

/// `{"all": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllOf {
    /// Every one must hold.
    pub all: Vec<Condition>,
}

/// `{"not": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotCondition {
    /// Must not hold.
    pub not: Box<Condition>,
}

/// `{"mentions": "list"}` or `{"mentions": ["list", ...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mentions {
    /// Names of term lists.
    pub mentions: OneOrMany,
}

/// One name or a list of names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single name.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The names, in order.
    pub fn names(&self) -> &[String] {
        match self {
            OneOrMany::One(name) => std::slice::from_ref(name),
            OneOrMany::Many(names) => names,
        }
    }
}

/// `{"negated": "list"}` or `{"negated": ["list", ...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NegatedTest {
    /// Names of term lists.
    pub negated: OneOrMany,
}

/// `{"fact": "injuries", "at_least": 1}` or `{"fact": "safety_hazard"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactTest {
    /// The fact's name (docs/policy.md §3.3).
    pub fact: Fact,
    /// For a count or amount: the smallest value that satisfies the test. Omitted for yes/no facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u64>,
}

/// A condition that declares an emergency of a level.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencyTrigger {
    /// Unique rule id, shown in explanations.
    pub id: String,
    /// The level declared.
    pub level: EmergencyLevel,
    /// When the trigger holds.
    pub when: Condition,
}
