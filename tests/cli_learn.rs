//! `caseflow train` and `caseflow evaluate`, run as a user runs them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use serde_json::Value;
use support::{caseflow, stderr, stdout};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("caseflow-learn-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn train_writes_a_model_and_a_policy_that_check_accepts_and_evaluate_scores() {
    let dir = scratch("train");
    let model = dir.join("model.json");
    let policy = dir.join("policy.json");
    let output = caseflow(
        &[
            "train",
            "--policy",
            "core/policy/default.json",
            "--corpus",
            "tests/data/corpus/reports-3.jsonl",
            "--out",
            model.to_str().unwrap(),
            "--policy-out",
            policy.to_str().unwrap(),
        ],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("150 reports"), "progress is told");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(written["format"], 1);
    let check = caseflow(&["check", policy.to_str().unwrap()], "");
    assert!(check.status.success(), "{}", stdout(&check));

    let output = caseflow(
        &[
            "evaluate",
            "--json",
            "--policy",
            policy.to_str().unwrap(),
            "--corpus",
            "tests/data/corpus/reports-3.jsonl",
        ],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let scores: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(scores[0]["policy"]["reports"], 150);
    assert_eq!(scores[0]["rules"]["reports"], 150);
    assert!(scores[0]["policy"]["tier_1"].as_u64().unwrap() > 0);
}

#[test]
fn evaluate_names_every_unusable_corpus_line_and_scores_nothing() {
    let dir = scratch("bad");
    let corpus = dir.join("bad.jsonl");
    let good = std::fs::read_to_string("tests/data/samples.jsonl").unwrap();
    let first = good.lines().next().unwrap();
    let unlabelled = {
        let mut v: Value = serde_json::from_str(first).unwrap();
        v.as_object_mut().unwrap().remove("expect");
        v.to_string()
    };
    std::fs::write(&corpus, format!("{first}\n{unlabelled}\nnot json\n")).unwrap();
    let output = caseflow(&["evaluate", "--corpus", corpus.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("2 unusable corpus line(s)"), "{message}");
    assert!(message.contains("bad.jsonl:2: $.expect"), "{message}");
    assert!(message.contains("bad.jsonl:3: $: not JSON"), "{message}");
    assert!(stdout(&output).is_empty());
}
