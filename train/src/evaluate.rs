//! Scoring a policy on labelled corpora: the rules alone beside the policy's answer (the rules
//! with its model), and leave-one-corpus-out cross-validation.

use std::collections::BTreeMap;

use caseflow_core::domain::{Category, Tier};
use caseflow_core::{Classification, Policy};
use serde::Serialize;

use crate::{LabelledReport, TrainOptions, train, with_model};

/// How one classifier did on a set of reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// Reports scored.
    pub reports: usize,
    /// Reports with a labelled category.
    pub categorised: usize,
    /// Category right, of those.
    pub category: usize,
    /// Tier right, as answered (a provisional tier 1 counts as tier 1).
    pub tier: usize,
    /// Tier right before review: the tier a person would lower a provisional tier 1 to.
    pub tier_before_review: usize,
    /// Emergency level right (including "none").
    pub emergency: usize,
    /// Reports whose expected tier is 1.
    pub tier_1: usize,
    /// Of those, answered tier 1 without review.
    pub tier_1_outright: usize,
    /// Of those, answered tier 1 provisionally, flagged for review.
    pub tier_1_flagged: usize,
    /// Reports whose expected tier is 2 or 3.
    pub others: usize,
    /// Of those, flagged for review.
    pub others_flagged: usize,
    /// Of those, answered tier 1 without review.
    pub others_tier_1: usize,
    /// Expected category → answered category → count.
    pub category_confusion: BTreeMap<Category, BTreeMap<Category, usize>>,
    /// Expected tier → answered tier (before review) → count.
    pub tier_confusion: BTreeMap<u8, BTreeMap<u8, usize>>,
    /// The expected tier-1 reports neither answered tier 1 nor flagged, as `corpus:line id`.
    pub tier_1_missed: Vec<String>,
}

impl Scores {
    /// Adds one answer.
    pub fn add(&mut self, expected: &LabelledReport, answer: &Classification) {
        let before_review = answer
            .review
            .as_ref()
            .map_or(answer.tier, |r| r.assessed_tier);
        self.reports += 1;
        if let Some(category) = expected.category {
            self.categorised += 1;
            self.category += usize::from(answer.category == category);
            *self
                .category_confusion
                .entry(category)
                .or_default()
                .entry(answer.category)
                .or_default() += 1;
        }
        self.tier += usize::from(answer.tier == expected.tier);
        self.tier_before_review += usize::from(before_review == expected.tier);
        self.emergency += usize::from(answer.emergency == expected.emergency);
        let flagged = answer.review.is_some();
        if expected.tier == Tier::One {
            self.tier_1 += 1;
            if flagged {
                self.tier_1_flagged += 1;
            } else if answer.tier == Tier::One {
                self.tier_1_outright += 1;
            } else {
                self.tier_1_missed.push(format!(
                    "{}:{} {}",
                    expected.corpus, expected.line, expected.report.id
                ));
            }
        } else {
            self.others += 1;
            self.others_flagged += usize::from(flagged);
            self.others_tier_1 += usize::from(!flagged && answer.tier == Tier::One);
        }
        *self
            .tier_confusion
            .entry(expected.tier.number())
            .or_default()
            .entry(before_review.number())
            .or_default() += 1;
    }

    /// Adds another set's scores.
    pub fn merge(&mut self, other: &Scores) {
        self.reports += other.reports;
        self.categorised += other.categorised;
        self.category += other.category;
        self.tier += other.tier;
        self.tier_before_review += other.tier_before_review;
        self.emergency += other.emergency;
        self.tier_1 += other.tier_1;
        self.tier_1_outright += other.tier_1_outright;
        self.tier_1_flagged += other.tier_1_flagged;
        self.others += other.others;
        self.others_flagged += other.others_flagged;
        self.others_tier_1 += other.others_tier_1;
        for (e, row) in &other.category_confusion {
            for (a, n) in row {
                *self
                    .category_confusion
                    .entry(*e)
                    .or_default()
                    .entry(*a)
                    .or_default() += n;
            }
        }
        for (e, row) in &other.tier_confusion {
            for (a, n) in row {
                *self
                    .tier_confusion
                    .entry(*e)
                    .or_default()
                    .entry(*a)
                    .or_default() += n;
            }
        }
        self.tier_1_missed
            .extend(other.tier_1_missed.iter().cloned());
    }
}

/// The rules alone and the policy's own answer on the same reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The corpus (or `all`).
    pub corpus: String,
    /// The rules alone.
    pub rules: Scores,
    /// The policy's answer: the rules with its model, when it has one.
    pub policy: Scores,
}

/// Scores `policy` on reports: once by its rules alone, once as it answers.
pub fn compare(policy: &Policy, corpus: &str, reports: &[LabelledReport]) -> Comparison {
    let mut comparison = Comparison {
        corpus: corpus.to_owned(),
        ..Comparison::default()
    };
    for r in reports {
        let mut report = r.report.clone();
        // The clerk's category would hide the classifier's own.
        report.category = None;
        comparison.rules.add(r, &policy.classify_by_rules(&report));
        comparison.policy.add(r, &policy.classify(&report));
    }
    comparison
}

/// Leave-one-corpus-out: for each corpus, a model trained on the others (read with `base`'s
/// rules, decided by `base`'s `model_use`) scores it. `progress` hears each fold.
pub fn cross_validate(
    base: &Policy,
    corpora: &[(String, Vec<LabelledReport>)],
    options: &TrainOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Comparison>, String> {
    let mut out = Vec::new();
    for (k, (name, held_out)) in corpora.iter().enumerate() {
        progress(&format!(
            "fold {} of {}: holding out {name}",
            k + 1,
            corpora.len()
        ));
        let training: Vec<LabelledReport> = corpora
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .flat_map(|(_, (_, r))| r.iter().cloned())
            .collect();
        let model = train(base, &training, options, &mut |_| {}).map_err(|e| e.to_string())?;
        let policy = Policy::from_value(&with_model(base, &model))
            .map_err(|e| format!("the trained model does not load: {}", e.message))?;
        out.push(compare(&policy, name, held_out));
    }
    Ok(out)
}

/// The sum of several comparisons, named `all`.
pub fn total(comparisons: &[Comparison]) -> Comparison {
    let mut all = Comparison {
        corpus: "all".to_owned(),
        ..Comparison::default()
    };
    for c in comparisons {
        all.rules.merge(&c.rules);
        all.policy.merge(&c.policy);
    }
    all
}

fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        "–".to_owned()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / of as f64)
    }
}

/// A Markdown table of comparisons, one row per corpus and classifier.
pub fn table(comparisons: &[Comparison]) -> String {
    let mut out = String::from(
        "| corpus | reports | decided by | category | tier | tier before review | emergency | tier 1: outright / flagged / missed | others flagged |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for c in comparisons {
        for (who, s) in [("rules", &c.rules), ("policy", &c.policy)] {
            out.push_str(&format!(
                "| {} | {} | {who} | {} | {} | {} | {} | {} / {} / {} of {} | {} of {} ({}) |\n",
                c.corpus,
                s.reports,
                percent(s.category, s.categorised),
                percent(s.tier, s.reports),
                percent(s.tier_before_review, s.reports),
                percent(s.emergency, s.reports),
                s.tier_1_outright,
                s.tier_1_flagged,
                s.tier_1 - s.tier_1_outright - s.tier_1_flagged,
                s.tier_1,
                s.others_flagged,
                s.others,
                percent(s.others_flagged, s.others),
            ));
        }
    }
    out
}

/// The category confusion matrix of a set of scores: rows expected, columns answered.
pub fn confusion(scores: &Scores) -> String {
    let mut out = String::from("| expected \\ answered |");
    for c in Category::ALL {
        out.push_str(&format!(" {c} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Category::ALL.len()));
    out.push('\n');
    for e in Category::ALL {
        out.push_str(&format!("| {e} |"));
        for a in Category::ALL {
            let n = scores
                .category_confusion
                .get(e)
                .and_then(|row| row.get(a))
                .copied()
                .unwrap_or(0);
            out.push_str(&format!(" {n} |"));
        }
        out.push('\n');
    }
    out
}
