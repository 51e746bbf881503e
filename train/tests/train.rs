//! Training is a deterministic function of its corpora, a corpus line without labels is named,
//! never skipped, and what is trained loads and decides as the policy says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::Policy;
use caseflow_core::policy::DEFAULT_RULES_JSON;
use caseflow_train::evaluate::compare;
use caseflow_train::{TrainOptions, read_corpus, train, with_model};

fn rules() -> Policy {
    Policy::from_json(DEFAULT_RULES_JSON).unwrap()
}

fn corpus(name: &str) -> Vec<caseflow_train::LabelledReport> {
    let path = format!("{}/../tests/data/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    read_corpus(name, &std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_same_corpora_train_the_same_model_bytes() {
    let reports = corpus("reports-3.jsonl");
    let options = TrainOptions {
        max_iterations: 60,
        ..TrainOptions::default()
    };
    let first = train(&rules(), &reports, &options, &mut |_| {}).unwrap();
    let second = train(&rules(), &reports, &options, &mut |_| {}).unwrap();
    assert_eq!(
        serde_json::to_string(&first).unwrap(),
        serde_json::to_string(&second).unwrap()
    );
    assert_eq!(first.sha256(), second.sha256());
    assert!(first.vocabulary.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_trained_model_loads_and_beats_chance_on_what_it_learned() {
    let reports = corpus("reports-3.jsonl");
    let model = train(&rules(), &reports, &TrainOptions::default(), &mut |_| {}).unwrap();
    let policy = Policy::from_value(&with_model(&rules(), &model)).unwrap();
    assert_eq!(
        policy.reference().model.as_ref().unwrap().sha256,
        model.sha256()
    );
    let scores = compare(&policy, "reports-3", &reports);
    // On its own training data a linear model fits closely; chance is a fifth.
    assert!(
        scores.policy.category * 10 >= scores.policy.categorised * 9,
        "{scores:?}"
    );
}

#[test]
fn a_corpus_line_without_labels_is_named_by_line_and_path() {
    let text = concat!(
        r#"{"report": {"id": "A", "project": "P", "channel": "phone", "description": "漏水", "raised_at": "2026-03-02T09:15:00+08:00", "location": "x", "contact": {"phone": "13800000000"}}, "expect": {"category": "quality", "tier": 2, "emergency": null}}"#,
        "\n\n",
        r#"{"report": {"id": "B", "project": "P", "channel": "phone", "description": "漏水", "raised_at": "2026-03-02T09:15:00+08:00", "location": "x", "contact": {"phone": "13800000000"}}}"#,
        "\n",
        r#"{"report": {"id": "C", "project": "P", "channel": "fax", "description": "漏水", "raised_at": "2026-03-02T09:15:00+08:00", "location": "x", "contact": {"phone": "13800000000"}}, "expect": {"category": "quality", "tier": 4, "emergency": null}}"#,
        "\n"
    );
    let errors = read_corpus("mine.jsonl", text).unwrap_err();
    let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.path.as_str())).collect();
    assert_eq!(named, [(3, "$.expect"), (4, "$.report.channel")]);
    assert!(
        errors[0]
            .to_string()
            .starts_with("mine.jsonl:3: $.expect: missing")
    );
}

#[test]
fn no_reports_no_model() {
    assert!(train(&rules(), &[], &TrainOptions::default(), &mut |_| {}).is_err());
}
