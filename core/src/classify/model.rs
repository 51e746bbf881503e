//! The learned text model a policy may carry (`model`): a linear classifier over TF-IDF features,
//! one head for the category and one for the tier.
//!
//! Features come from the same reading of the description as the rules' (`text.rs`: case, full
//! width, traditional characters, format characters dropped): character 1–3-grams of each run of
//! Chinese characters, words and word pairs of Latin script (each run of digits read as `0`), the
//! structured facts and the quantities the policy's rules read. Inference is a sparse dot product
//! and a softmax, computed in a fixed order with pure-Rust `exp` and `ln` (`libm`), so that it
//! gives the same bits natively, through the C ABI and in WebAssembly. The model is trained
//! outside the engine (`caseflow train`, crate `caseflow-train`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::text::{NormalisedText, QuantityHit, Span};
use crate::domain::{Category, Tier};
use crate::error::{Diagnostic, JsonPath};
use crate::intake::{Fact, Facts};

pub use crate::domain::provenance::ModelRef;

/// The model format this build reads.
pub const MODEL_FORMAT: u32 = 1;

/// The most features named per head in an explanation.
pub const MAX_EXPLAINED_FEATURES: usize = 6;

/// The most spans named per explained feature.
const MAX_SPANS_PER_FEATURE: usize = 4;

/// A trained model, as the policy file carries it (`model`). Weights are integers in units of
/// `1/scale`, so that the file, its hash and every answer are exact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelDocument {
    /// Format version of the model; this build reads 1.
    pub format: u32,
    /// The model's name, recorded with the policy reference of every event.
    pub name: String,
    /// Free text for people: what it was trained on, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The unit of `idf`, the biases and the weights: a stored integer `n` means `n / scale`.
    pub scale: u32,
    /// The category head's classes, by category id.
    pub categories: Vec<String>,
    /// The tier head's classes: 1, 2 and 3.
    pub tiers: Vec<u8>,
    /// The features, sorted by their UTF-8 bytes, without repeats.
    pub vocabulary: Vec<String>,
    /// Each feature's inverse document frequency.
    pub idf: Vec<u32>,
    /// The category head's bias, one per category.
    pub category_bias: Vec<i32>,
    /// The category head's weights: for each feature, one per category.
    pub category_weights: Vec<Vec<i32>>,
    /// The tier head's bias, one per tier.
    pub tier_bias: Vec<i32>,
    /// The tier head's weights: for each feature, one per tier.
    pub tier_weights: Vec<Vec<i32>>,
}

impl ModelDocument {
    /// The SHA-256 of the model as caseflow writes it (compact JSON, members in format order),
    /// in lower-case hex: what an event records of the model that decided.
    pub fn sha256(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A number rounded to four decimal places, always finite: probabilities, thresholds and
/// feature weights as results carry them, so that every binding prints the same text.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Decimal(f64);

// Always finite (the constructor and the reader make sure), so equality is an equivalence.
impl Eq for Decimal {}

impl Decimal {
    /// Rounds `value` to four decimal places; `None` for NaN or an infinity.
    pub fn new(value: f64) -> Option<Decimal> {
        value
            .is_finite()
            // Rounding is exact in IEEE 754, the same on every target: no need for libm here.
            .then(|| Decimal((value * 10_000.0).round() / 10_000.0))
    }

    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// One feature that weighed in a model's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelFeature {
    /// The feature as the model knows it: characters or words of the normalised text, or
    /// `#fact:…` / `#quantity:…`.
    pub feature: String,
    /// Its contribution to the class's score (value × weight).
    pub weight: Decimal,
    /// Where the description says it, in characters of the text as written (none for a fact).
    pub spans: Vec<TextSpan>,
}

/// A span of a description, in characters (Unicode scalar values), end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextSpan {
    /// Start.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

/// A category's probability under the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryProbability {
    /// The category.
    pub category: Category,
    /// Its probability.
    pub probability: Decimal,
}

/// A tier's probability under the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierProbability {
    /// The tier.
    pub tier: Tier,
    /// Its probability.
    pub probability: Decimal,
}

/// What the model said about a report, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelExplanation {
    /// The model that spoke.
    pub model: ModelRef,
    /// Each category's probability, most probable first.
    pub categories: Vec<CategoryProbability>,
    /// Each tier's probability, tier 1 first.
    pub tiers: Vec<TierProbability>,
    /// The policy's review threshold on the probability of tier 1.
    pub review_threshold: Decimal,
    /// The features that weighed most towards the most probable category.
    pub category_features: Vec<ModelFeature>,
    /// The features that weighed most towards tier 1.
    pub tier_1_features: Vec<ModelFeature>,
}

/// A checked, compiled model.
pub(crate) struct Model {
    vocabulary: Vec<Box<str>>,
    /// Each feature's place: an open-addressing table (FNV-1a, linear probing) of indices into
    /// `vocabulary` plus one, 0 for an empty slot. Hand-written because hashbrown costs 3.5 KB of
    /// the gzipped WebAssembly package, which has no room for it, and a binary search of the
    /// vocabulary doubled the time of a long report. Only looked up: no order reaches an answer.
    slots: Vec<u32>,
    idf: Vec<f64>,
    categories: Vec<Category>,
    tiers: Vec<Tier>,
    category_bias: Vec<f64>,
    /// Row-major: feature × category.
    category_weights: Vec<f64>,
    tier_bias: Vec<f64>,
    /// Row-major: feature × tier.
    tier_weights: Vec<f64>,
    reference: ModelRef,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("reference", &self.reference)
            .field("features", &self.vocabulary.len())
            .finish()
    }
}

/// The model's answer for one report, before the policy decides what to make of it.
pub(crate) struct Prediction {
    pub categories: Vec<CategoryProbability>,
    pub tiers: Vec<TierProbability>,
    pub category_features: Vec<ModelFeature>,
    pub tier_1_features: Vec<ModelFeature>,
}

impl Prediction {
    /// The most probable category.
    pub fn category(&self) -> Option<Category> {
        self.categories.first().map(|c| c.category)
    }

    /// The most probable tier (the more serious on a tie).
    pub fn tier(&self) -> Option<Tier> {
        let mut best: Option<&TierProbability> = None;
        for t in &self.tiers {
            if best.is_none_or(|b| t.probability > b.probability) {
                best = Some(t);
            }
        }
        best.map(|t| t.tier)
    }

    /// The probability of tier 1.
    pub fn tier_1_probability(&self) -> Decimal {
        self.tiers
            .iter()
            .find(|t| t.tier == Tier::One)
            .map_or(Decimal(0.0), |t| t.probability)
    }
}

impl Model {
    /// Checks and compiles a model; `path` is `$.model`.
    pub(crate) fn compile(
        document: &ModelDocument,
        path: &JsonPath,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Model> {
        let errors_before = diagnostics.len();
        let mut error = |code: &str, at: &JsonPath, message: String| {
            diagnostics.push(Diagnostic::error(code, at, message));
        };
        if document.format != MODEL_FORMAT {
            error(
                "unsupported_model_format",
                &path.field("format"),
                format!(
                    "this model is written in format {}; this build of caseflow reads model format {MODEL_FORMAT}",
                    document.format
                ),
            );
            return None;
        }
        if document.scale == 0 {
            error(
                "invalid_value",
                &path.field("scale"),
                "the scale must be at least 1".to_owned(),
            );
        }
        let mut categories = Vec::new();
        for (i, name) in document.categories.iter().enumerate() {
            let at = path.field("categories").index(i);
            match name.parse::<Category>() {
                Ok(c) if categories.contains(&c) => {
                    error("duplicate", &at, format!("category `{c}` is listed twice"));
                }
                Ok(c) => categories.push(c),
                Err(e) => error("unknown_category", &at, e.to_string()),
            }
        }
        if document.categories.is_empty() {
            error(
                "empty_list",
                &path.field("categories"),
                "the model names no category".to_owned(),
            );
        }
        let mut tiers = Vec::new();
        for (i, n) in document.tiers.iter().enumerate() {
            let at = path.field("tiers").index(i);
            match Tier::from_number(*n) {
                Some(t) if tiers.contains(&t) => {
                    error("duplicate", &at, format!("tier {n} is listed twice"));
                }
                Some(t) => tiers.push(t),
                None => error(
                    "invalid_tier",
                    &at,
                    format!("tier must be 1, 2 or 3, not {n}"),
                ),
            }
        }
        if !tiers.contains(&Tier::One) {
            error(
                "missing_tier",
                &path.field("tiers"),
                "the model's tier head must include tier 1: the policy's review asks its probability".to_owned(),
            );
        }
        let features = document.vocabulary.len();
        for (i, pair) in document.vocabulary.windows(2).enumerate() {
            if let [a, b] = pair {
                if a >= b {
                    error(
                        "unsorted_vocabulary",
                        &path.field("vocabulary").index(i + 1),
                        format!(
                            "`{b}` must come after `{a}`: the vocabulary is sorted by UTF-8 bytes, without repeats"
                        ),
                    );
                    break;
                }
            }
        }
        let mut lengths = |name: &str, actual: usize, expected: usize, what: &str| {
            if actual != expected {
                error(
                    "length_mismatch",
                    &path.field(name),
                    format!("`{name}` has {actual} entries; it needs {expected}, one per {what}"),
                );
            }
        };
        lengths("idf", document.idf.len(), features, "feature");
        lengths(
            "category_weights",
            document.category_weights.len(),
            features,
            "feature",
        );
        lengths(
            "tier_weights",
            document.tier_weights.len(),
            features,
            "feature",
        );
        lengths(
            "category_bias",
            document.category_bias.len(),
            document.categories.len(),
            "category",
        );
        lengths(
            "tier_bias",
            document.tier_bias.len(),
            document.tiers.len(),
            "tier",
        );
        for (name, rows, width, what) in [
            (
                "category_weights",
                &document.category_weights,
                document.categories.len(),
                "category",
            ),
            (
                "tier_weights",
                &document.tier_weights,
                document.tiers.len(),
                "tier",
            ),
        ] {
            if let Some(i) = rows.iter().position(|row| row.len() != width) {
                diagnostics.push(Diagnostic::error(
                    "length_mismatch",
                    &path.field(name).index(i),
                    format!(
                        "this row has {} weights; it needs {width}, one per {what}",
                        rows.get(i).map_or(0, Vec::len)
                    ),
                ));
            }
        }
        if diagnostics.len() > errors_before {
            return None;
        }
        // At most half full, so that a probe ends soon at an empty slot.
        let mut slots = vec![0u32; (2 * features).next_power_of_two().max(2)];
        let mask = slots.len() - 1;
        for (i, feature) in (1u32..).zip(&document.vocabulary) {
            let mut at = fnv1a(feature) & mask;
            while slots.get(at).is_some_and(|s| *s != 0) {
                at = (at + 1) & mask;
            }
            if let Some(slot) = slots.get_mut(at) {
                *slot = i;
            }
        }
        let scale = f64::from(document.scale);
        let unscale = |n: i32| f64::from(n) / scale;
        Some(Model {
            slots,
            vocabulary: document
                .vocabulary
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
            idf: document.idf.iter().map(|n| f64::from(*n) / scale).collect(),
            categories,
            tiers,
            category_bias: document
                .category_bias
                .iter()
                .copied()
                .map(unscale)
                .collect(),
            category_weights: document
                .category_weights
                .iter()
                .flatten()
                .copied()
                .map(unscale)
                .collect(),
            tier_bias: document.tier_bias.iter().copied().map(unscale).collect(),
            tier_weights: document
                .tier_weights
                .iter()
                .flatten()
                .copied()
                .map(unscale)
                .collect(),
            reference: ModelRef {
                name: document.name.clone(),
                sha256: document.sha256(),
            },
        })
    }

    /// Which model this is.
    pub(crate) fn reference(&self) -> &ModelRef {
        &self.reference
    }

    /// The model's categories.
    pub(crate) fn categories(&self) -> &[Category] {
        &self.categories
    }

    fn index_of(&self, feature: &str) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = fnv1a(feature) & mask;
        loop {
            let index = (*self.slots.get(at)? as usize).checked_sub(1)?;
            if self
                .vocabulary
                .get(index)
                .is_some_and(|f| f.as_ref() == feature)
            {
                return Some(index);
            }
            at = (at + 1) & mask;
        }
    }

    /// Reads a report's features and scores both heads.
    pub(crate) fn predict(
        &self,
        text: &NormalisedText,
        facts: &Facts,
        quantities: &[QuantityHit],
        quantity_names: &[String],
    ) -> Prediction {
        // Every occurrence of a known feature in reading order; then the features found, in index
        // order with their counts, read off the sorted indices, so that every sum runs in one
        // order. (No map and nothing the size of the vocabulary: a report costs what it says.)
        let mut occurrences: Vec<(usize, Option<TextSpan>)> = Vec::new();
        each_feature(text, facts, quantities, quantity_names, |feature, span| {
            if let Some(index) = self.index_of(feature) {
                occurrences.push((index, span));
            }
        });
        let mut indices: Vec<usize> = occurrences.iter().map(|(i, _)| *i).collect();
        indices.sort_unstable();
        let mut found: Vec<Found> = Vec::with_capacity(indices.len());
        for index in indices {
            match found.last_mut() {
                Some((last, count)) if *last == index => *count += 1,
                _ => found.push((index, 1)),
            }
        }
        let values = tf_idf(
            found
                .iter()
                .map(|(i, count)| (*count, self.idf.get(*i).copied().unwrap_or(0.0))),
        );
        let category_scores = scores(&self.category_bias, &self.category_weights, &found, &values);
        let tier_scores = scores(&self.tier_bias, &self.tier_weights, &found, &values);
        let category_probabilities = softmax(&category_scores);
        let tier_probabilities = softmax(&tier_scores);

        let mut categories: Vec<CategoryProbability> = self
            .categories
            .iter()
            .zip(&category_probabilities)
            .map(|(category, p)| CategoryProbability {
                category: *category,
                probability: Decimal::new(*p).unwrap_or(Decimal(0.0)),
            })
            .collect();
        // Stable: on equal probabilities the model's own order decides.
        categories.sort_by(|a, b| b.probability.0.total_cmp(&a.probability.0));
        let mut tiers: Vec<TierProbability> = self
            .tiers
            .iter()
            .zip(&tier_probabilities)
            .map(|(tier, p)| TierProbability {
                tier: *tier,
                probability: Decimal::new(*p).unwrap_or(Decimal(0.0)),
            })
            .collect();
        tiers.sort_by_key(|t| t.tier);

        let top = categories
            .first()
            .and_then(|c| self.categories.iter().position(|k| *k == c.category));
        let tier_1 = self.tiers.iter().position(|t| *t == Tier::One);
        let category_features = top.map_or_else(Vec::new, |c| {
            self.weighed(
                (&found, &occurrences),
                &values,
                &self.category_weights,
                self.categories.len(),
                c,
            )
        });
        let tier_1_features = tier_1.map_or_else(Vec::new, |t| {
            self.weighed(
                (&found, &occurrences),
                &values,
                &self.tier_weights,
                self.tiers.len(),
                t,
            )
        });
        Prediction {
            categories,
            tiers,
            category_features,
            tier_1_features,
        }
    }

    /// The features that weighed most towards class `class` of a head, heaviest first.
    fn weighed(
        &self,
        (found, occurrences): (&[Found], &[(usize, Option<TextSpan>)]),
        values: &[f64],
        weights: &[f64],
        width: usize,
        class: usize,
    ) -> Vec<ModelFeature> {
        // The heaviest positive contributions, heaviest first and in found order on a tie: the
        // first `MAX_EXPLAINED_FEATURES` of a sort, kept by insertion without sorting them all.
        let mut top: Vec<(f64, usize)> = Vec::with_capacity(MAX_EXPLAINED_FEATURES + 1);
        for (k, ((index, _), value)) in found.iter().zip(values).enumerate() {
            let w = weights.get(index * width + class).copied().unwrap_or(0.0);
            let contribution = value * w;
            if contribution > 0.0 {
                // Candidates come in found order, so a later one goes after an equal one.
                let at = top.partition_point(|(c, _)| c.total_cmp(&contribution).is_ge());
                if at < MAX_EXPLAINED_FEATURES {
                    top.insert(at, (contribution, k));
                    top.truncate(MAX_EXPLAINED_FEATURES);
                }
            }
        }
        top.into_iter()
            .filter_map(|(contribution, k)| {
                let (index, _) = found.get(k)?;
                let spans = occurrences
                    .iter()
                    .filter(|(i, _)| i == index)
                    .filter_map(|(_, span)| *span)
                    .take(MAX_SPANS_PER_FEATURE)
                    .collect();
                Some(ModelFeature {
                    feature: self.vocabulary.get(*index)?.to_string(),
                    weight: Decimal::new(contribution)?,
                    spans,
                })
            })
            .collect()
    }
}

/// A feature found in a report: its index and its count.
type Found = (usize, u32);

/// TF-IDF values, sublinear in the count (1 + ln tf) and scaled to unit length; the trainer
/// calls this same function.
pub fn tf_idf(counts_and_idf: impl Iterator<Item = (u32, f64)>) -> Vec<f64> {
    let mut values: Vec<f64> = counts_and_idf
        .map(|(count, idf)| {
            let tf = if count <= 1 {
                1.0
            } else {
                1.0 + libm::log(f64::from(count))
            };
            tf * idf
        })
        .collect();
    let norm = libm::sqrt(values.iter().map(|v| v * v).sum::<f64>());
    if norm > 0.0 {
        for v in &mut values {
            *v /= norm;
        }
    }
    values
}

fn scores(bias: &[f64], weights: &[f64], found: &[Found], values: &[f64]) -> Vec<f64> {
    let width = bias.len();
    let mut scores = bias.to_vec();
    for ((index, _), value) in found.iter().zip(values) {
        for (class, score) in scores.iter_mut().enumerate() {
            *score += value * weights.get(index * width + class).copied().unwrap_or(0.0);
        }
    }
    scores
}

/// Softmax, shifted by the largest score so that `exp` cannot overflow; the trainer calls this
/// same function.
pub fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = scores.iter().map(|s| libm::exp(s - max)).collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// FNV-1a, 32 bits: a feature's place in the lookup table.
fn fnv1a(text: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash as usize
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// The number of decimal digits of `n` (0 for 0): facts and quantities count by magnitude.
fn magnitude(n: u64) -> u32 {
    n.checked_ilog10().map_or(0, |d| d + 1)
}

const FACTS: [Fact; 8] = [
    Fact::SafetyHazard,
    Fact::MainStructure,
    Fact::Injuries,
    Fact::HouseholdsAffected,
    Fact::EstimatedLossCny,
    Fact::LegalActionThreatened,
    Fact::MediaAttention,
    Fact::DeliveryBlocked,
];

/// Calls `f` with every feature occurrence of a report, in text order, then the facts and
/// quantities, each with its span in the text as written (none for a structured fact).
pub(crate) fn each_feature(
    text: &NormalisedText,
    facts: &Facts,
    quantities: &[QuantityHit],
    quantity_names: &[String],
    mut f: impl FnMut(&str, Option<TextSpan>),
) {
    let chars = text.chars();
    let span = |start: usize, end: usize| {
        let s = text.original(Span { start, end });
        Some(TextSpan {
            start: s.start,
            end: s.end,
        })
    };
    // The word being read and the one before it (with where it started), for word pairs; a
    // Chinese character or the end of a clause (anything but spaces and a few joiners) breaks
    // the pair. Both buffers, and the one a pair is written in, are reused for every word.
    let mut word = String::new();
    let mut before = String::new();
    let mut before_start: Option<usize> = None;
    let mut buffer = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars.get(i).copied().unwrap_or(' ');
        if is_chinese(c) {
            before_start = None;
            let start = i;
            while chars.get(i).copied().is_some_and(is_chinese) {
                i += 1;
            }
            for a in start..i {
                for n in 1..=3 {
                    if a + n > i {
                        break;
                    }
                    // A run of Chinese characters is a slice of the normalised text.
                    if let Some(gram) = text.text_of(a, a + n) {
                        f(gram, span(a, a + n));
                    }
                }
            }
        } else if c.is_ascii_alphanumeric() {
            let start = i;
            word.clear();
            while let Some(&w) = chars.get(i).filter(|w| w.is_ascii_alphanumeric()) {
                if w.is_ascii_digit() {
                    if !word.ends_with('0')
                        || !chars
                            .get(i.wrapping_sub(1))
                            .is_some_and(char::is_ascii_digit)
                    {
                        word.push('0');
                    }
                } else {
                    word.push(w);
                }
                i += 1;
            }
            f(&word, span(start, i));
            if let Some(pair_start) = before_start {
                buffer.clear();
                buffer.push_str(&before);
                buffer.push(' ');
                buffer.push_str(&word);
                f(&buffer, span(pair_start, i));
            }
            std::mem::swap(&mut word, &mut before);
            before_start = Some(start);
        } else {
            if !matches!(c, ' ' | '\'' | '-' | '/') {
                before_start = None;
            }
            i += 1;
        }
    }
    for fact in FACTS {
        match facts.get(fact) {
            Some(value) if fact.is_boolean() && value > 0 => {
                buffer.clear();
                buffer.push_str("#fact:");
                buffer.push_str(fact.as_str());
                f(&buffer, None);
            }
            Some(_) if fact.is_boolean() => {}
            Some(value) => {
                buffer.clear();
                buffer.push_str("#fact:");
                buffer.push_str(fact.as_str());
                buffer.push(':');
                push_number(&mut buffer, magnitude(value));
                f(&buffer, None);
            }
            None => {}
        }
    }
    for hit in quantities {
        if let Some(name) = quantity_names.get(hit.quantity) {
            buffer.clear();
            buffer.push_str("#quantity:");
            buffer.push_str(name);
            buffer.push(':');
            push_number(&mut buffer, magnitude(hit.value));
            f(
                &buffer,
                Some(TextSpan {
                    start: hit.span.start,
                    end: hit.span.end,
                }),
            );
        }
    }
}

/// Appends `n` in decimal, as `format!("{n}")` would write it.
fn push_number(buffer: &mut String, n: u32) {
    if n >= 10 {
        push_number(buffer, n / 10);
    }
    if let Some(digit) = char::from_digit(n % 10, 10) {
        buffer.push(digit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str) -> Vec<(String, Option<(usize, usize)>)> {
        let text = NormalisedText::new(text);
        let mut out = Vec::new();
        each_feature(&text, &Facts::default(), &[], &[], |f, s| {
            out.push((f.to_owned(), s.map(|s| (s.start, s.end))));
        });
        out
    }

    #[test]
    fn chinese_runs_give_character_ngrams_and_latin_words_give_words_and_pairs() {
        let got = features("漏水 Water LEAKS 12x");
        let names: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "漏",
                "漏水",
                "水",
                "water",
                "leaks",
                "water leaks",
                "0x",
                "leaks 0x"
            ]
        );
        assert_eq!(got.get(1).and_then(|g| g.1), Some((0, 2)));
        assert_eq!(got.get(5).and_then(|g| g.1), Some((3, 14)));
    }

    #[test]
    fn facts_and_quantities_are_named_with_their_magnitude() {
        let facts = Facts {
            safety_hazard: Some(true),
            main_structure: Some(false),
            injuries: Some(0),
            households_affected: Some(12),
            estimated_loss_cny: Some(u64::MAX),
            ..Facts::default()
        };
        let quantities = [QuantityHit {
            quantity: 0,
            value: 0,
            span: Span { start: 1, end: 3 },
        }];
        let mut out = Vec::new();
        each_feature(
            &NormalisedText::new(""),
            &facts,
            &quantities,
            &["households".to_owned()],
            |f, s| out.push((f.to_owned(), s.map(|s| (s.start, s.end)))),
        );
        assert_eq!(
            out,
            vec![
                ("#fact:safety_hazard".to_owned(), None),
                ("#fact:injuries:0".to_owned(), None),
                ("#fact:households_affected:2".to_owned(), None),
                ("#fact:estimated_loss_cny:20".to_owned(), None),
                ("#quantity:households:0".to_owned(), Some((1, 3))),
            ]
        );
    }

    #[test]
    fn format_characters_and_traditional_forms_read_as_the_plain_text() {
        let plain = features("阳台护栏松动");
        let hidden = features("陽\u{200B}台護欄松動");
        let names = |v: &[(String, Option<(usize, usize)>)]| -> Vec<String> {
            v.iter().map(|(f, _)| f.clone()).collect()
        };
        assert_eq!(names(&plain), names(&hidden));
        // Spans are of the text as written: 陽 is 0, the zero-width space 1, 台 2.
        assert_eq!(hidden.get(1).and_then(|g| g.1), Some((0, 3)));
    }

    #[test]
    fn every_feature_of_the_vocabulary_is_found_at_its_index_and_no_other() {
        let vocabulary: Vec<String> = {
            let mut v: Vec<String> = (0..3000).map(|i| format!("f{i}")).collect();
            v.sort();
            v
        };
        let n = vocabulary.len();
        let document = ModelDocument {
            format: MODEL_FORMAT,
            name: "t".to_owned(),
            description: None,
            scale: 1,
            categories: vec!["quality".to_owned()],
            tiers: vec![1, 2, 3],
            idf: vec![1; n],
            category_bias: vec![0],
            category_weights: vec![vec![0]; n],
            tier_bias: vec![0, 0, 0],
            tier_weights: vec![vec![0, 0, 0]; n],
            vocabulary,
        };
        let model = Model::compile(&document, &JsonPath::root(), &mut Vec::new()).unwrap();
        for (i, feature) in document.vocabulary.iter().enumerate() {
            assert_eq!(model.index_of(feature), Some(i), "{feature}");
        }
        for unknown in ["", "f", "f3000", "g1", "漏水"] {
            assert_eq!(model.index_of(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn decimals_round_to_four_places_and_refuse_non_finite_numbers() {
        assert_eq!(Decimal::new(0.123_456).map(Decimal::get), Some(0.1235));
        assert_eq!(Decimal::new(f64::NAN), None);
        assert_eq!(Decimal::new(f64::INFINITY), None);
    }

    #[test]
    fn softmax_sums_to_one_and_survives_large_scores() {
        let p = softmax(&[1000.0, 999.0, -5.0]);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p.iter().all(|x| x.is_finite()));
        assert!(p.first() > p.get(1));
    }
}
