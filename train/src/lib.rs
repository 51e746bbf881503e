//! Training and evaluating caseflow's learned text model.
//!
//! Not part of the engine: the core reads and runs a model (`caseflow_core::classify::model`);
//! this crate makes one from labelled corpora and measures it. Both use the core's own feature
//! reading (`Policy::model_features`) and weighting (`model::tf_idf`), so that what is trained is
//! what runs.
//!
//! Training is a deterministic function of the corpora and the options: features are counted
//! in sorted order, the optimiser (argmin's L-BFGS) starts from zero and has no randomness, and
//! the weights are stored as integers, so the same inputs give the same model bytes.

pub mod corpus;
pub mod evaluate;

use std::collections::BTreeMap;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use caseflow_core::Policy;
use caseflow_core::classify::model::{self, MODEL_FORMAT, ModelDocument};
use caseflow_core::domain::{Category, Tier};

pub use corpus::{CorpusError, LabelledReport, read_corpus};

/// The unit of the stored integers: weights are kept to 1/10,000.
pub const SCALE: u32 = 10_000;

/// How to train.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// The model's name.
    pub name: String,
    /// Features seen in fewer reports than this are left out.
    pub min_document_frequency: u32,
    /// Inverse strength of the L2 penalty (scikit-learn's `C`): larger fits the corpora closer.
    pub c: f64,
    /// The most L-BFGS iterations per head.
    pub max_iterations: u64,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            name: "caseflow-default".to_owned(),
            min_document_frequency: 2,
            c: 30.0,
            max_iterations: 300,
        }
    }
}

/// Why training failed.
#[derive(Debug)]
pub enum TrainError {
    /// No labelled report to learn from.
    NoReports,
    /// The optimiser failed.
    Optimiser(String),
}

impl std::fmt::Display for TrainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainError::NoReports => write!(f, "the corpora hold no labelled report"),
            TrainError::Optimiser(e) => write!(f, "the optimiser failed: {e}"),
        }
    }
}

impl std::error::Error for TrainError {}

/// One report as the trainer sees it: its features (index, count), sorted by index.
type Row = Vec<(usize, u32)>;

/// Trains a model on labelled reports, reading them with `policy` (its term lists and
/// quantities; its own model, if any, is not consulted). `progress` hears what is happening.
pub fn train(
    policy: &Policy,
    reports: &[LabelledReport],
    options: &TrainOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<ModelDocument, TrainError> {
    if reports.is_empty() {
        return Err(TrainError::NoReports);
    }
    let documents: Vec<Vec<String>> = reports
        .iter()
        .map(|r| policy.model_features(&r.report))
        .collect();
    let mut frequency: BTreeMap<&str, u32> = BTreeMap::new();
    for features in &documents {
        let mut seen: Vec<&str> = features.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for f in seen {
            *frequency.entry(f).or_default() += 1;
        }
    }
    let vocabulary: Vec<String> = frequency
        .iter()
        .filter(|(_, df)| **df >= options.min_document_frequency)
        .map(|(f, _)| (*f).to_owned())
        .collect();
    let n = reports.len() as f64;
    // scikit-learn's smooth idf, stored as an integer and used as stored.
    let idf: Vec<u32> = vocabulary
        .iter()
        .map(|f| {
            let df = f64::from(frequency.get(f.as_str()).copied().unwrap_or(0));
            to_units(((1.0 + n) / (1.0 + df)).ln() + 1.0).unsigned_abs()
        })
        .collect();
    progress(&format!(
        "{} reports, {} features (of {} seen)",
        reports.len(),
        vocabulary.len(),
        frequency.len()
    ));
    let rows: Vec<Row> = documents
        .iter()
        .map(|features| {
            let mut counts: BTreeMap<usize, u32> = BTreeMap::new();
            for f in features {
                if let Ok(i) = vocabulary.binary_search(f) {
                    *counts.entry(i).or_default() += 1;
                }
            }
            counts.into_iter().collect()
        })
        .collect();
    let values: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| {
            model::tf_idf(
                row.iter()
                    .map(|(i, c)| (*c, from_units(idf.get(*i).copied().unwrap_or(0)))),
            )
        })
        .collect();
    let examples: Vec<(&Row, &Vec<f64>)> = rows.iter().zip(&values).collect();
    // The category head learns only from reports whose category is labelled.
    let categorised: Vec<(&Row, &Vec<f64>)> = examples
        .iter()
        .zip(reports)
        .filter(|(_, r)| r.category.is_some())
        .map(|(e, _)| *e)
        .collect();

    let categories: Vec<Category> = Category::ALL.to_vec();
    let tiers = [Tier::One, Tier::Two, Tier::Three];
    let category_labels: Vec<usize> = reports
        .iter()
        .filter_map(|r| r.category)
        .map(|category| categories.iter().position(|c| *c == category).unwrap_or(0))
        .collect();
    let tier_labels: Vec<usize> = reports
        .iter()
        .map(|r| tiers.iter().position(|t| *t == r.tier).unwrap_or(0))
        .collect();
    progress("training the category head");
    let (category_bias, category_weights) = fit(
        &categorised,
        &category_labels,
        categories.len(),
        vocabulary.len(),
        options,
    )?;
    progress("training the tier head");
    let (tier_bias, tier_weights) = fit(
        &examples,
        &tier_labels,
        tiers.len(),
        vocabulary.len(),
        options,
    )?;
    Ok(ModelDocument {
        format: MODEL_FORMAT,
        name: options.name.clone(),
        description: Some(format!(
            "TF-IDF over the policy's reading of {} labelled reports; multinomial logistic regression, C = {}, features in at least {} reports; trained by `caseflow train`.",
            reports.len(),
            options.c,
            options.min_document_frequency
        )),
        scale: SCALE,
        categories: categories.iter().map(|c| c.as_str().to_owned()).collect(),
        tiers: tiers.iter().map(|t| t.number()).collect(),
        vocabulary,
        idf,
        category_bias,
        category_weights,
        tier_bias,
        tier_weights,
    })
}

fn to_units(x: f64) -> i32 {
    // Weights far beyond ±200,000 never occur with an L2 penalty; saturate rather than wrap. The
    // clamp keeps the value inside i32, so the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    let units = (x * f64::from(SCALE)).round().clamp(-2.0e9, 2.0e9) as i32;
    units
}

fn from_units(n: u32) -> f64 {
    f64::from(n) / f64::from(SCALE)
}

/// Multinomial logistic regression with an L2 penalty on the weights (not the bias).
struct Problem<'a> {
    examples: &'a [(&'a Row, &'a Vec<f64>)],
    labels: &'a [usize],
    classes: usize,
    c: f64,
}

impl Problem<'_> {
    /// Parameters: `classes` biases, then `features × classes` weights, row-major.
    fn scores(&self, p: &[f64], row: &Row, values: &[f64]) -> Vec<f64> {
        let k = self.classes;
        let mut scores: Vec<f64> = p.get(..k).unwrap_or_default().to_vec();
        for ((i, _), v) in row.iter().zip(values) {
            for (class, s) in scores.iter_mut().enumerate() {
                *s += v * p.get(k + i * k + class).copied().unwrap_or(0.0);
            }
        }
        scores
    }

    fn cost_and_gradient(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let k = self.classes;
        let mut gradient = vec![0.0; p.len()];
        let mut cost = 0.0;
        for ((row, values), label) in self.examples.iter().zip(self.labels) {
            let probabilities = model::softmax(&self.scores(p, row, values));
            cost -= self.c
                * probabilities
                    .get(*label)
                    .copied()
                    .unwrap_or(1.0)
                    .max(1e-300)
                    .ln();
            for (class, prob) in probabilities.iter().enumerate() {
                let error = self.c * (prob - if class == *label { 1.0 } else { 0.0 });
                if let Some(g) = gradient.get_mut(class) {
                    *g += error;
                }
                for ((i, _), v) in row.iter().zip(values.iter()) {
                    if let Some(g) = gradient.get_mut(k + i * k + class) {
                        *g += error * v;
                    }
                }
            }
        }
        for (w, g) in p.iter().zip(gradient.iter_mut()).skip(k) {
            cost += 0.5 * w * w;
            *g += w;
        }
        (cost, gradient)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        Ok(self.cost_and_gradient(p).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.cost_and_gradient(p).1)
    }
}

type Head = (Vec<i32>, Vec<Vec<i32>>);

fn fit(
    examples: &[(&Row, &Vec<f64>)],
    labels: &[usize],
    classes: usize,
    features: usize,
    options: &TrainOptions,
) -> Result<Head, TrainError> {
    let problem = Problem {
        examples,
        labels,
        classes,
        c: options.c,
    };
    let start = vec![0.0; classes * (features + 1)];
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-6)
        .map_err(|e| TrainError::Optimiser(e.to_string()))?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(start).max_iters(options.max_iterations))
        .run()
        .map_err(|e| TrainError::Optimiser(e.to_string()))?;
    let best = result
        .state()
        .get_best_param()
        .cloned()
        .ok_or_else(|| TrainError::Optimiser("no parameters found".to_owned()))?;
    let bias = best.iter().take(classes).map(|w| to_units(*w)).collect();
    let weights = best
        .get(classes..)
        .unwrap_or_default()
        .chunks(classes)
        .map(|row| row.iter().map(|w| to_units(*w)).collect())
        .collect();
    Ok((bias, weights))
}

/// A policy with `model` in place of whatever model it had: the document as JSON, ready for
/// `Policy::from_json`, `caseflow check` or a file.
pub fn with_model(policy: &Policy, model: &ModelDocument) -> serde_json::Value {
    let mut document = policy.document().clone();
    document.model = Some(model.clone());
    serde_json::to_value(&document).unwrap_or(serde_json::Value::Null)
}
