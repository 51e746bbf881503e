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
    /// Each feature's place: an open-addressing table (linear probing) of each feature's hash
    /// (`hash_of`) and index into `vocabulary` plus one, 0 for an empty slot. Hand-written
    /// because hashbrown costs 3.5 KB of the gzipped WebAssembly package, which has no room for
    /// it, and a binary search of the vocabulary doubled the time of a long report. The stored
    /// hash lets a probe pass a slot without reading its feature. Only looked up: no order
    /// reaches an answer.
    slots: Vec<Slot>,
    /// `32 - log2(slots.len())`: a hash's first slot is the top bits of the hash times
    /// [`GOLDEN`] (Fibonacci hashing), which spreads even hashes that differ only in high bits.
    shift: u32,
    /// Each feature of at most three characters as one number ([`pack`]), 0 for a longer one:
    /// what a character n-gram of a report is compared with.
    packed: Vec<u64>,
    idf: Vec<f64>,
    categories: Vec<Category>,
    tiers: Vec<Tier>,
    /// Both heads' biases, in lanes ([`LANES`]).
    bias: [f64; LANES],
    /// Both heads' weights, a row of lanes for each feature: one fixed width, so that a
    /// feature's contribution to every class is a few vector operations.
    weights: Vec<[f64; LANES]>,
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
        let mut slots = vec![Slot::default(); (2 * features).next_power_of_two().max(2)];
        let mask = slots.len() - 1;
        let shift = 32u32.saturating_sub(slots.len().trailing_zeros());
        for (i, feature) in (1u32..).zip(&document.vocabulary) {
            let hash = hash_of(feature);
            let mut at = first_slot(hash, shift);
            while slots.get(at).is_some_and(|s| s.index != 0) {
                at = (at + 1) & mask;
            }
            if let Some(slot) = slots.get_mut(at) {
                *slot = Slot { hash, index: i };
            }
        }
        let scale = f64::from(document.scale);
        Some(Model {
            slots,
            shift,
            packed: document.vocabulary.iter().map(|f| pack(f)).collect(),
            vocabulary: document
                .vocabulary
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
            idf: document.idf.iter().map(|n| f64::from(*n) / scale).collect(),
            categories,
            tiers,
            bias: lanes(&document.category_bias, &document.tier_bias, scale),
            weights: document
                .category_weights
                .iter()
                .zip(&document.tier_weights)
                .map(|(category, tier)| lanes(category, tier, scale))
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

    /// The index of a feature known by its hash, if `is` says the vocabulary's feature of that
    /// index and hash is the one sought.
    fn find(&self, hash: u32, is: impl Fn(usize) -> bool) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = first_slot(hash, self.shift);
        loop {
            let slot = self.slots.get(at)?;
            let index = slot.index.checked_sub(1)?;
            if slot.hash == hash && is(index as usize) {
                return Some(index);
            }
            at = (at + 1) & mask;
        }
    }

    #[cfg(test)]
    fn index_of(&self, feature: &str) -> Option<usize> {
        self.find(hash_of(feature), |i| {
            self.vocabulary
                .get(i)
                .is_some_and(|f| f.as_ref() == feature)
        })
        .map(|i| i as usize)
    }

    /// Reads a report's features and scores both heads.
    pub(crate) fn predict(
        &self,
        text: &NormalisedText,
        facts: &Facts,
        quantities: &[QuantityHit],
        quantity_names: &[String],
    ) -> Prediction {
        // Every occurrence of a known feature, as one number: its index in the high 32 bits and
        // its number in reading order in the low, with where it was read (`places`, by that
        // number). Sorted, the occurrences give the features found in index order with their
        // counts, so that every sum runs in one order, and each feature's occurrences in reading
        // order for its spans. (No map and nothing the size of the vocabulary: a report costs
        // what it says.) Spans of the text as written are worked out only for the few features
        // an explanation names.
        // At most three n-grams start at a character (a word and a pair take two characters or
        // more): room for every occurrence, so that neither vector grows.
        let capacity = 3 * text.chars().len() + FACTS.len() + quantities.len();
        let mut reading = Occurrences {
            model: self,
            keys: Vec::with_capacity(capacity),
            places: Vec::with_capacity(capacity),
        };
        read_features(text, facts, quantities, quantity_names, &mut reading);
        let Occurrences {
            keys: mut occurrences,
            places,
            ..
        } = reading;
        sort_occurrences(&mut occurrences, self.vocabulary.len());
        let mut found: Vec<Found> = Vec::with_capacity(occurrences.len());
        for (at, key) in occurrences.iter().enumerate() {
            let index = usize::try_from(key >> 32).unwrap_or(usize::MAX);
            match found.last_mut() {
                Some(last) if last.index == index => last.count += 1,
                _ => found.push(Found {
                    index,
                    count: 1,
                    first: at,
                }),
            }
        }
        let values = tf_idf(
            found
                .iter()
                .map(|f| (f.count, self.idf.get(f.index).copied().unwrap_or(0.0))),
        );

        // One pass over the features found scores both heads (each class's sum in found order,
        // as before) and keeps the heaviest contributions towards tier 1, the class the
        // explanation names whatever the scores; those towards the most probable category wait
        // for the softmax.
        let tier_1 = self
            .tiers
            .iter()
            .position(|t| *t == Tier::One)
            .map(|t| CATEGORY_LANES + t);
        let mut scores = self.bias;
        let mut tier_1_heaviest = Heaviest::default();
        for (k, (found, value)) in found.iter().zip(&values).enumerate() {
            if let Some(row) = self.weights.get(found.index) {
                // Lanes past a head's classes weigh 0 and are never read.
                for (score, w) in scores.iter_mut().zip(row) {
                    *score += value * w;
                }
                if let Some(w) = tier_1.and_then(|lane| row.get(lane)) {
                    tier_1_heaviest.offer(value * w, k);
                }
            }
        }
        let (category_probabilities, tier_probabilities) = scores.split_at_mut(CATEGORY_LANES);
        let category_probabilities = category_probabilities
            .get_mut(..self.categories.len())
            .unwrap_or_default();
        let tier_probabilities = tier_probabilities
            .get_mut(..self.tiers.len())
            .unwrap_or_default();
        softmax_in_place(category_probabilities);
        softmax_in_place(tier_probabilities);

        let mut categories: Vec<CategoryProbability> = Vec::with_capacity(self.categories.len());
        for (category, p) in self.categories.iter().zip(category_probabilities.iter()) {
            let probability = Decimal::new(*p).unwrap_or(Decimal(0.0));
            // Most probable first, each after those as probable: on a tie the model's own order
            // decides (what a stable sort gives).
            let at =
                categories.partition_point(|c| c.probability.0.total_cmp(&probability.0).is_ge());
            categories.insert(
                at,
                CategoryProbability {
                    category: *category,
                    probability,
                },
            );
        }
        let mut tiers: Vec<TierProbability> = Vec::with_capacity(self.tiers.len());
        for (tier, p) in self.tiers.iter().zip(tier_probabilities.iter()) {
            // Tier 1 first (the model lists each tier once).
            let at = tiers.partition_point(|t| t.tier < *tier);
            tiers.insert(
                at,
                TierProbability {
                    tier: *tier,
                    probability: Decimal::new(*p).unwrap_or(Decimal(0.0)),
                },
            );
        }

        let mut category_heaviest = Heaviest::default();
        if let Some(class) = categories
            .first()
            .and_then(|c| self.categories.iter().position(|k| *k == c.category))
        {
            for (k, (found, value)) in found.iter().zip(&values).enumerate() {
                if let Some(w) = self.weights.get(found.index).and_then(|row| row.get(class)) {
                    category_heaviest.offer(value * w, k);
                }
            }
        }
        let read = Read {
            text,
            found: &found,
            occurrences: &occurrences,
            places: &places,
            quantities,
        };
        Prediction {
            categories,
            tiers,
            category_features: self.explain(&category_heaviest, &read),
            tier_1_features: self.explain(&tier_1_heaviest, &read),
        }
    }

    /// The features of `heaviest`, with their contributions and where the report says them.
    fn explain(&self, heaviest: &Heaviest, read: &Read<'_>) -> Vec<ModelFeature> {
        let mut features = Vec::with_capacity(heaviest.len);
        for (contribution, k) in heaviest.items.iter().take(heaviest.len) {
            let Some(found) = read.found.get(*k) else {
                continue;
            };
            let (Some(feature), Some(weight)) = (
                self.vocabulary.get(found.index),
                Decimal::new(*contribution),
            ) else {
                continue;
            };
            // The feature's first occurrences, in reading order; a fact has no span (and no
            // vector is allocated for it).
            let mut spans = [TextSpan { start: 0, end: 0 }; MAX_SPANS_PER_FEATURE];
            let mut n = 0;
            for key in read
                .occurrences
                .get(found.first..)
                .unwrap_or_default()
                .iter()
                .take(found.count as usize)
            {
                // The low 32 bits: the occurrence's number.
                let place = usize::try_from(key & 0xFFFF_FFFF)
                    .ok()
                    .and_then(|number| read.places.get(number));
                if let (Some(span), Some(slot)) = (
                    place.and_then(|p| p.span(read.text, read.quantities)),
                    spans.get_mut(n),
                ) {
                    *slot = span;
                    n += 1;
                }
                if n == MAX_SPANS_PER_FEATURE {
                    break;
                }
            }
            features.push(ModelFeature {
                // `str::to_owned`, not `to_string`, which would go through `Display`.
                feature: feature.as_ref().to_owned(),
                weight,
                spans: spans.get(..n).unwrap_or_default().to_vec(),
            });
        }
        features
    }
}

/// The occurrences of the model's features in a report, as `predict` reads them.
struct Occurrences<'m> {
    model: &'m Model,
    /// Each occurrence of a known feature: its index in the high 32 bits, its number (in
    /// reading order) in the low.
    keys: Vec<u64>,
    /// Where each occurrence was read, by its number.
    places: Vec<Place>,
}

impl Occurrences<'_> {
    fn push(&mut self, index: u32, place: Place) {
        // Past 2³² − 1 occurrences (a description is at most 10,000 characters, so never in
        // practice) the rest still count, without a span.
        let number = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
        self.keys.push((u64::from(index) << 32) | u64::from(number));
        if number < u32::MAX {
            self.places.push(place);
        }
    }
}

impl Features for Occurrences<'_> {
    fn chars(&mut self, hash: u32, packed: u64, start: usize, end: usize) {
        let model = self.model;
        // Compared as one number: no slice of the text, no string comparison.
        if let Some(index) = model.find(hash, |i| model.packed.get(i) == Some(&packed)) {
            self.push(index, Place::normalised(start, end));
        }
    }

    fn other(&mut self, hash: u32, gram: Gram<'_>, place: Place) {
        let model = self.model;
        let is = |i: usize| model.vocabulary.get(i).is_some_and(|f| gram.is(f));
        if let Some(index) = model.find(hash, is) {
            self.push(index, place);
        }
    }
}

/// A feature found in a report: its index, its count and where its occurrences start among the
/// sorted occurrences.
struct Found {
    index: usize,
    count: u32,
    first: usize,
}

/// What `predict` read of a report, for `explain`.
struct Read<'a> {
    text: &'a NormalisedText,
    found: &'a [Found],
    /// Index and number of every occurrence of a known feature, sorted.
    occurrences: &'a [u64],
    /// Where each occurrence was read, by its number.
    places: &'a [Place],
    /// The quantity hits a `Place::Quantity` numbers.
    quantities: &'a [QuantityHit],
}

/// The heaviest positive contributions towards one class, heaviest first and in found order on
/// a tie: the first `MAX_EXPLAINED_FEATURES` of a stable sort of them all, kept by insertion
/// without sorting them all.
#[derive(Default)]
struct Heaviest {
    /// Contribution and place among the features found; the first `len` hold.
    items: [(f64, usize); MAX_EXPLAINED_FEATURES],
    len: usize,
    /// What a contribution must exceed to enter: 0 until the list is full, then its last.
    floor: f64,
}

impl Heaviest {
    /// Considers the contribution of the `k`th feature found (offered in found order). Every
    /// contribution kept is positive (and finite), so `>` orders them as `total_cmp` would.
    fn offer(&mut self, contribution: f64, k: usize) {
        // One comparison for most candidates: past a full list, only a contribution heavier
        // than its last can enter it, and a later one goes after an equal one.
        if contribution > self.floor {
            let kept = self.items.get(..self.len).unwrap_or_default();
            let at = kept.partition_point(|(c, _)| *c >= contribution);
            // The ones after it move down a place; the last falls off a full list.
            let end = self.len.min(MAX_EXPLAINED_FEATURES - 1);
            if at <= end {
                self.items.copy_within(at..end, at + 1);
                if let Some(item) = self.items.get_mut(at) {
                    *item = (contribution, k);
                }
                self.len = end + 1;
                if self.len == MAX_EXPLAINED_FEATURES {
                    self.floor = self.items.last().map_or(0.0, |(c, _)| *c);
                }
            }
        }
    }
}

/// The lanes of a row of weights (or of the biases): the category head's classes first, the
/// tier head's from [`CATEGORY_LANES`], each weight in units of `1/scale`, 0 past a head's
/// classes. A model names each category and each tier at most once, so both fit.
const LANES: usize = CATEGORY_LANES + Tier::ALL.len();

/// The lanes of the category head: one for each category there is.
const CATEGORY_LANES: usize = Category::ALL.len();

/// A row of lanes ([`LANES`]) from the weights of each head.
fn lanes(categories: &[i32], tiers: &[i32], scale: f64) -> [f64; LANES] {
    let mut row = [0.0; LANES];
    let (category_lanes, tier_lanes) = row.split_at_mut(CATEGORY_LANES);
    for (lanes, weights) in [(category_lanes, categories), (tier_lanes, tiers)] {
        for (lane, w) in lanes.iter_mut().zip(weights) {
            *lane = f64::from(*w) / scale;
        }
    }
    row
}

/// Sorts occurrences (index in the high 32 bits, number in reading order in the low) as numbers.
/// A long report finds hundreds: a radix sort on the index's bytes, stable (so that each
/// feature's occurrences stay in reading order, as their numbers sort them), as many passes as
/// the largest index needs (two for 17,181 features), costs a third of a comparison sort; a few
/// dozen sort faster by comparison than a pass costs.
fn sort_occurrences(occurrences: &mut Vec<u64>, features: usize) {
    if occurrences.len() < 128 {
        occurrences.sort_unstable();
        return;
    }
    // Every slot is written before it is read: a copy is cheaper than zeroing (`calloc`).
    let mut scratch = occurrences.clone();
    let mut shift = 32;
    let mut rest = features.saturating_sub(1);
    while rest > 0 && shift < 64 {
        // A counting sort on one byte of the index: where each byte's run starts, then each
        // occurrence to its place, in order.
        let mut starts = [0usize; 256];
        for key in occurrences.iter() {
            if let Some(n) = starts.get_mut(byte(*key, shift)) {
                *n += 1;
            }
        }
        let mut total = 0;
        for start in &mut starts {
            let n = *start;
            *start = total;
            total += n;
        }
        for key in occurrences.iter() {
            if let Some(start) = starts.get_mut(byte(*key, shift)) {
                if let Some(slot) = scratch.get_mut(*start) {
                    *slot = *key;
                }
                *start += 1;
            }
        }
        std::mem::swap(occurrences, &mut scratch);
        shift += 8;
        rest >>= 8;
    }
}

/// The byte of `key` at bit `shift`.
fn byte(key: u64, shift: u32) -> usize {
    let [low, ..] = (key >> shift).to_le_bytes();
    usize::from(low)
}

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

/// Softmax, shifted by the largest score so that `exp` cannot overflow; the trainer calls this
/// same function.
pub fn softmax(scores: &[f64]) -> Vec<f64> {
    let mut probabilities = scores.to_vec();
    softmax_in_place(&mut probabilities);
    probabilities
}

/// [`softmax`] over the scores themselves (the same operations in the same order), sparing
/// `predict` two vectors per head.
fn softmax_in_place(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for s in scores.iter_mut() {
        *s = libm::exp(*s - max);
    }
    let sum: f64 = scores.iter().sum();
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

/// One slot of the lookup table: a feature's hash and its index plus one, 0 when empty.
#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u32,
    index: u32,
}

/// The multiplier of Fibonacci hashing: 2³² divided by the golden ratio.
const GOLDEN: u32 = 0x9E37_79B9;

/// A hash's first slot in a table of `2^(32 - shift)` slots.
fn first_slot(hash: u32, shift: u32) -> usize {
    hash.wrapping_mul(GOLDEN).checked_shr(shift).unwrap_or(0) as usize
}

/// FNV-1a's starting value.
const HASH_START: u32 = 0x811c_9dc5;

/// One step of FNV-1a, 32 bits, over a character (its scalar value, not its UTF-8 bytes): the
/// hash of a text extended by `c`. By characters, so that the reader extends a 1-gram's hash to
/// its 2-gram and 3-gram one character at a time.
fn hash_step(hash: u32, c: char) -> u32 {
    (hash ^ u32::from(c)).wrapping_mul(0x0100_0193)
}

/// A feature's hash: its place in the lookup table.
fn hash_of(text: &str) -> u32 {
    text.chars().fold(HASH_START, hash_step)
}

/// A text of at most three characters as one number (0 for a longer one): a 1 bit, then 21
/// bits for each character (a scalar value needs 21), so that only the same characters give the
/// same number, and never 0. A character n-gram of a report is compared with the vocabulary's
/// features this way, its number extended a character at a time as its hash is.
fn pack(text: &str) -> u64 {
    if text.chars().nth(3).is_some() {
        return 0;
    }
    text.chars().fold(PACK_START, pack_step)
}

/// The number of the empty text.
const PACK_START: u64 = 1;

/// The number of a text extended by `c`.
fn pack_step(packed: u64, c: char) -> u64 {
    (packed << 21) | u64::from(c)
}

/// A feature other than a character n-gram as the reader meets it in a report; a pair's text is
/// put together only when needed.
#[derive(Clone, Copy)]
enum Gram<'a> {
    /// This text.
    Text(&'a str),
    /// Two words with a space between (a word pair).
    Pair(&'a str, &'a str),
}

/// What [`read_features`] calls with each feature of a report, in reading order.
trait Features {
    /// A character n-gram: the normalised characters `start..end` (at most three), with its hash
    /// ([`hash_of`]) and its characters as one number ([`pack`]). Most of what a report says: a
    /// method of its own, called in one place, so that the reader's loop takes it in.
    fn chars(&mut self, hash: u32, packed: u64, start: usize, end: usize);
    /// Any other feature (a word, a word pair, a fact, a quantity), with its hash and where it
    /// was read.
    fn other(&mut self, hash: u32, gram: Gram<'_>, place: Place);
}

impl Gram<'_> {
    /// Whether this is `feature`.
    fn is(self, feature: &str) -> bool {
        match self {
            Gram::Text(t) => t == feature,
            Gram::Pair(a, b) => feature
                .strip_prefix(a)
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|rest| rest == b),
        }
    }
}

/// Where a feature was read: 12 bytes, as `predict` keeps one for every occurrence.
#[derive(Clone, Copy)]
enum Place {
    /// A structured fact, or a place past 2³² − 1 characters (never: a description is at most
    /// 10,000 characters): no span.
    Nowhere,
    /// The normalised characters `start..end`.
    Normalised(u32, u32),
    /// The quantity hit of this number.
    Quantity(u32),
}

impl Place {
    /// The normalised characters `start..end`.
    fn normalised(start: usize, end: usize) -> Place {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => Place::Normalised(start, end),
            _ => Place::Nowhere,
        }
    }

    /// The span of the text as written.
    fn span(self, text: &NormalisedText, quantities: &[QuantityHit]) -> Option<TextSpan> {
        match self {
            Place::Nowhere => None,
            Place::Normalised(start, end) => {
                let s = text.original(Span {
                    start: start as usize,
                    end: end as usize,
                });
                Some(TextSpan {
                    start: s.start,
                    end: s.end,
                })
            }
            Place::Quantity(hit) => quantities.get(hit as usize).map(|hit| TextSpan {
                start: hit.span.start,
                end: hit.span.end,
            }),
        }
    }
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
    f: impl FnMut(&str, Option<TextSpan>),
) {
    let mut named = Named {
        text,
        quantities,
        pair: String::new(),
        f,
    };
    read_features(text, facts, quantities, quantity_names, &mut named);
}

/// `each_feature`'s reading: each feature's text and span, for `f`.
struct Named<'t, F> {
    text: &'t NormalisedText,
    quantities: &'t [QuantityHit],
    /// A word pair's text, reused.
    pair: String,
    f: F,
}

impl<F: FnMut(&str, Option<TextSpan>)> Features for Named<'_, F> {
    fn chars(&mut self, _: u32, _: u64, start: usize, end: usize) {
        // A run of Chinese characters is a slice of the normalised text.
        if let Some(t) = self.text.text_of(start, end) {
            let span = Place::normalised(start, end).span(self.text, self.quantities);
            (self.f)(t, span);
        }
    }

    fn other(&mut self, _: u32, gram: Gram<'_>, place: Place) {
        let span = place.span(self.text, self.quantities);
        match gram {
            Gram::Text(t) => (self.f)(t, span),
            Gram::Pair(a, b) => {
                self.pair.clear();
                self.pair.push_str(a);
                self.pair.push(' ');
                self.pair.push_str(b);
                (self.f)(&self.pair, span);
            }
        }
    }
}

/// `each_feature` as the model reads it: each feature with its hash (`hash_of`), a character
/// n-gram by where it is, any other as a [`Gram`] and a [`Place`], so that a feature the model
/// does not know costs neither its text nor its span.
fn read_features(
    text: &NormalisedText,
    facts: &Facts,
    quantities: &[QuantityHit],
    quantity_names: &[String],
    f: &mut impl Features,
) {
    let chars = text.chars();
    // The word being read and the one before it (with where it started and its hash), for word
    // pairs; a Chinese character or the end of a clause (anything but spaces and a few joiners)
    // breaks the pair. Both buffers, and the one a fact is written in, are reused.
    let mut word = String::new();
    let mut before = String::new();
    let mut before_start: Option<(usize, u32)> = None;
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
                // The 1-, 2- and 3-grams from `a`, each hash and number extending the one before.
                let mut hash = HASH_START;
                let mut packed = PACK_START;
                for end in a + 1..=i.min(a + 3) {
                    let c = chars.get(end - 1).copied().unwrap_or(' ');
                    hash = hash_step(hash, c);
                    packed = pack_step(packed, c);
                    f.chars(hash, packed, a, end);
                }
            }
        } else if c.is_ascii_alphanumeric() {
            let start = i;
            word.clear();
            let mut hash = HASH_START;
            while let Some(&w) = chars.get(i).filter(|w| w.is_ascii_alphanumeric()) {
                if w.is_ascii_digit() {
                    if !word.ends_with('0')
                        || !chars
                            .get(i.wrapping_sub(1))
                            .is_some_and(char::is_ascii_digit)
                    {
                        word.push('0');
                        hash = hash_step(hash, '0');
                    }
                } else {
                    word.push(w);
                    hash = hash_step(hash, w);
                }
                i += 1;
            }
            f.other(hash, Gram::Text(&word), Place::normalised(start, i));
            if let Some((pair_start, before_hash)) = before_start {
                let pair_hash = word.chars().fold(hash_step(before_hash, ' '), hash_step);
                f.other(
                    pair_hash,
                    Gram::Pair(&before, &word),
                    Place::normalised(pair_start, i),
                );
            }
            std::mem::swap(&mut word, &mut before);
            before_start = Some((start, hash));
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
                f.other(hash_of(&buffer), Gram::Text(&buffer), Place::Nowhere);
            }
            Some(_) if fact.is_boolean() => {}
            Some(value) => {
                buffer.clear();
                buffer.push_str("#fact:");
                buffer.push_str(fact.as_str());
                buffer.push(':');
                push_number(&mut buffer, magnitude(value));
                f.other(hash_of(&buffer), Gram::Text(&buffer), Place::Nowhere);
            }
            None => {}
        }
    }
    for (number, hit) in (0u32..).zip(quantities) {
        if let Some(name) = quantity_names.get(hit.quantity) {
            buffer.clear();
            buffer.push_str("#quantity:");
            buffer.push_str(name);
            buffer.push(':');
            push_number(&mut buffer, magnitude(hit.value));
            f.other(
                hash_of(&buffer),
                Gram::Text(&buffer),
                Place::Quantity(number),
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

    /// A model whose vocabulary is every feature of `seeds`, with weights that vary by feature
    /// (and repeat, so that contributions tie).
    fn document_knowing(seeds: &[&str]) -> ModelDocument {
        let mut vocabulary = std::collections::BTreeSet::new();
        for seed in seeds {
            each_feature(
                &NormalisedText::new(seed),
                &Facts::default(),
                &[],
                &[],
                |f, _| {
                    vocabulary.insert(f.to_owned());
                },
            );
        }
        let vocabulary: Vec<String> = vocabulary.into_iter().collect();
        let n = i32::try_from(vocabulary.len()).unwrap();
        let row = |i: i32, width: i32| (0..width).map(|k| (i * (7 + k)) % 13 - 4).collect();
        ModelDocument {
            format: MODEL_FORMAT,
            name: "t".to_owned(),
            description: None,
            scale: 4,
            categories: vec!["quality".to_owned(), "service".to_owned()],
            tiers: vec![1, 2, 3],
            idf: (0..n).map(|i| u32::try_from(i % 5 + 1).unwrap()).collect(),
            category_bias: vec![1, -1],
            category_weights: (0..n).map(|i| row(i, 2)).collect(),
            tier_bias: vec![0, 2, -2],
            tier_weights: (0..n).map(|i| row(i + 3, 3)).collect(),
            vocabulary,
        }
    }

    type Explained = Vec<(String, f64, Vec<TextSpan>)>;

    /// What `predict` gives, worked out the slow way: each feature's text from `each_feature`
    /// with its span, found by a search of the vocabulary, counted in a map; the explained
    /// features by a stable sort of every contribution.
    fn slow_predict(
        document: &ModelDocument,
        text: &str,
    ) -> (Vec<f64>, Vec<f64>, Explained, Explained) {
        let normalised = NormalisedText::new(text);
        let mut occurrences: Vec<(usize, Option<TextSpan>)> = Vec::new();
        each_feature(&normalised, &Facts::default(), &[], &[], |f, span| {
            if let Ok(i) = document.vocabulary.binary_search_by(|v| v.as_str().cmp(f)) {
                occurrences.push((i, span));
            }
        });
        let mut counts = std::collections::BTreeMap::new();
        for (i, _) in &occurrences {
            *counts.entry(*i).or_insert(0u32) += 1;
        }
        let scale = f64::from(document.scale);
        let values = tf_idf(
            counts
                .iter()
                .map(|(i, c)| (*c, f64::from(document.idf[*i]) / scale)),
        );
        let head = |bias: &[i32], weights: &[Vec<i32>]| -> Vec<f64> {
            let mut scores: Vec<f64> = bias.iter().map(|b| f64::from(*b) / scale).collect();
            for ((i, _), value) in counts.iter().zip(&values) {
                for (class, score) in scores.iter_mut().enumerate() {
                    *score += value * (f64::from(weights[*i][class]) / scale);
                }
            }
            softmax(&scores)
        };
        let explain = |weights: &[Vec<i32>], class: usize| -> Explained {
            let mut all: Vec<(f64, usize)> = counts
                .keys()
                .zip(&values)
                .map(|(i, value)| (value * (f64::from(weights[*i][class]) / scale), *i))
                .filter(|(c, _)| *c > 0.0)
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0));
            all.into_iter()
                .take(MAX_EXPLAINED_FEATURES)
                .map(|(c, i)| {
                    let spans = occurrences
                        .iter()
                        .filter(|(k, _)| *k == i)
                        .filter_map(|(_, span)| *span)
                        .take(MAX_SPANS_PER_FEATURE)
                        .collect();
                    (
                        document.vocabulary[i].clone(),
                        Decimal::new(c).unwrap().get(),
                        spans,
                    )
                })
                .collect()
        };
        let categories = head(&document.category_bias, &document.category_weights);
        let tiers = head(&document.tier_bias, &document.tier_weights);
        let mut order: Vec<usize> = (0..categories.len()).collect();
        order.sort_by(|a, b| {
            let p = |k: usize| Decimal::new(categories[k]).unwrap().get();
            p(*b).total_cmp(&p(*a))
        });
        (
            categories.clone(),
            tiers,
            explain(&document.category_weights, order[0]),
            explain(&document.tier_weights, 0),
        )
    }

    proptest::proptest! {
        /// The fast reading (hashes extended a character at a time, spans of the written text
        /// worked out at the end, occurrences sorted as numbers) gives what the slow one gives.
        #[test]
        fn predict_gives_what_the_slow_way_gives(text in "[漏水陽台护欄松动裂a-c0-9 ,'\u{200B}-]{0,60}") {
            let document = document_knowing(&[
                "漏水 阳台漏水严重 护栏松动 台护栏",
                "a b c 0 ab a0 bc, c a 0 0 a-b b'c",
                "水漏 松动裂 裂水 台台",
            ]);
            let model = Model::compile(&document, &JsonPath::root(), &mut Vec::new()).unwrap();
            let normalised = NormalisedText::new(&text);
            let got = model.predict(&normalised, &Facts::default(), &[], &[]);
            let (categories, tiers, category_features, tier_1_features) =
                slow_predict(&document, &text);
            let mut want: Vec<CategoryProbability> = model
                .categories
                .iter()
                .zip(&categories)
                .map(|(c, p)| CategoryProbability { category: *c, probability: Decimal::new(*p).unwrap() })
                .collect();
            want.sort_by(|a, b| b.probability.0.total_cmp(&a.probability.0));
            proptest::prop_assert_eq!(&got.categories, &want);
            let tiers: Vec<f64> = tiers.iter().map(|p| Decimal::new(*p).unwrap().get()).collect();
            let got_tiers: Vec<f64> = got.tiers.iter().map(|t| t.probability.get()).collect();
            proptest::prop_assert_eq!(got_tiers, tiers);
            let explained = |features: &[ModelFeature]| -> Explained {
                features.iter().map(|f| (f.feature.clone(), f.weight.get(), f.spans.clone())).collect()
            };
            proptest::prop_assert_eq!(explained(&got.category_features), category_features);
            proptest::prop_assert_eq!(explained(&got.tier_1_features), tier_1_features);
        }

        /// The radix sort of a long report's occurrences gives what a comparison sort gives,
        /// whatever the vocabulary's size (one byte of index or more, or a single feature).
        #[test]
        fn occurrences_sort_as_numbers(
            indices in proptest::collection::vec(0u32..70_000, 0..700),
            features in proptest::sample::select(vec![1usize, 200, 256, 257, 17_181, 70_000]),
        ) {
            let mut keys: Vec<u64> = (0u32..)
                .zip(&indices)
                .map(|(number, index)| (u64::from(*index % u32::try_from(features).unwrap()) << 32) | u64::from(number))
                .collect();
            let mut want = keys.clone();
            want.sort_unstable();
            sort_occurrences(&mut keys, features);
            proptest::prop_assert_eq!(keys, want);
        }

        /// A feature's hash and number as the reader extends them are the hash and number of
        /// its text.
        #[test]
        fn the_readers_hashes_are_the_hashes_of_the_features(text in "[漏水陽台护欄a-c0-9 ,'\u{200B}-]{0,40}") {
            /// Each feature read, with its hash and (for a character n-gram) its number.
            struct All<'t>(&'t NormalisedText, Vec<(u32, Option<u64>, String)>);
            impl Features for All<'_> {
                fn chars(&mut self, hash: u32, packed: u64, start: usize, end: usize) {
                    let feature = self.0.text_of(start, end).unwrap().to_owned();
                    self.1.push((hash, Some(packed), feature));
                }
                fn other(&mut self, hash: u32, gram: Gram<'_>, _: Place) {
                    let feature = match gram {
                        Gram::Text(t) => t.to_owned(),
                        Gram::Pair(a, b) => format!("{a} {b}"),
                    };
                    assert!(gram.is(&feature), "{feature}");
                    self.1.push((hash, None, feature));
                }
            }
            let normalised = NormalisedText::new(&text);
            let facts = Facts { injuries: Some(3), safety_hazard: Some(true), ..Facts::default() };
            let mut read = All(&normalised, Vec::new());
            read_features(&normalised, &facts, &[], &[], &mut read);
            let mut features = Vec::new();
            each_feature(&normalised, &facts, &[], &[], |f, _| features.push(f.to_owned()));
            proptest::prop_assert_eq!(read.1.iter().map(|(_, _, f)| f.clone()).collect::<Vec<_>>(), features);
            for (hash, packed, feature) in &read.1 {
                proptest::prop_assert_eq!(*hash, hash_of(feature), "{}", feature);
                if let Some(packed) = packed {
                    proptest::prop_assert_eq!(*packed, pack(feature), "{}", feature);
                    proptest::prop_assert_ne!(*packed, 0);
                }
            }
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
