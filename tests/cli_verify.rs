//! `caseflow verify` and `caseflow simulate --check-invariants`, run as a user runs them: a
//! policy edited to break what the company's rules demand (docs/policy.md §4) is caught, its
//! shrunk counterexample is written as a scenario, and `simulate` replays that scenario to the
//! same violation at the same step; the default policy passes; the same seed gives the same
//! bytes.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::path::PathBuf;

use caseflow_cli::scenario::{Scenario, check_invariants};
use serde_json::{Value, json};
use support::{caseflow, stderr, stdout};

/// The default policy with `edit` applied, written to a file of this test's own.
fn edited_policy(name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut policy: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    edit(&mut policy);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("verify-{name}.json"));
    std::fs::write(&path, policy.to_string()).unwrap();
    path
}

fn out_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("verify-{name}-counterexample.json"))
}

/// Runs `verify` on the policy; its answer and exit status.
fn verify(
    policy: Option<&PathBuf>,
    cases: &str,
    seed: &str,
    out: Option<&PathBuf>,
) -> (Value, i32, String) {
    let mut args = vec!["verify", "--cases", cases, "--seed", seed];
    let policy_text;
    if let Some(policy) = policy {
        policy_text = policy.to_string_lossy().into_owned();
        args.extend(["--policy", &policy_text]);
    }
    let out_text;
    if let Some(out) = out {
        out_text = out.to_string_lossy().into_owned();
        args.extend(["--out", &out_text]);
    }
    let output = caseflow(&args, "");
    let answer: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    (answer, output.status.code().unwrap(), stdout(&output))
}

/// The planted violation is found, written and replayed: `verify` exits 1 naming `invariant`,
/// the scenario file it writes is the counterexample it prints, and `simulate
/// --check-invariants` on it under the same policy reports the same invariant at the same step.
fn planted(name: &str, invariant: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let policy = edited_policy(name, edit);
    let out = out_file(name);
    let _ = std::fs::remove_file(&out);
    let (answer, code, _) = verify(Some(&policy), "300", "7", Some(&out));
    assert_eq!(code, 1, "{answer:#}");
    assert_eq!(answer["holds"], false);
    let violation = &answer["violation"];
    assert_eq!(violation["invariant"], invariant, "{answer:#}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, answer["counterexample"]);
    // Shrunk: a handful of steps, not the dozens a random history has.
    let steps = written["steps"].as_array().unwrap().len();
    assert!(steps <= 12, "{steps} steps: {written:#}");

    let replay = caseflow(
        &[
            "simulate",
            "--json",
            "--check-invariants",
            "--policy",
            &policy.to_string_lossy(),
            &out.to_string_lossy(),
        ],
        "",
    );
    assert_eq!(replay.status.code(), Some(1), "{}", stderr(&replay));
    let replayed: Value = serde_json::from_str(&stdout(&replay)).unwrap();
    assert_eq!(replayed["violation"]["invariant"], violation["invariant"]);
    assert_eq!(replayed["violation"]["step"], violation["step"]);
    assert_eq!(replayed["violation"]["message"], violation["message"]);
    // The table says it too, at the end.
    let table = caseflow(
        &[
            "simulate",
            "--check-invariants",
            "--policy",
            &policy.to_string_lossy(),
            &out.to_string_lossy(),
        ],
        "",
    );
    assert_eq!(table.status.code(), Some(1));
    let last = stdout(&table).lines().last().unwrap().to_owned();
    assert!(
        last.starts_with(&format!(
            "invariant violated at step {}: {invariant}: ",
            violation["step"]
        )),
        "{last}"
    );
    // Under the default policy the same scenario keeps every invariant: the edit is the fault.
    let fine = caseflow(
        &["simulate", "--check-invariants", &out.to_string_lossy()],
        "",
    );
    assert_eq!(fine.status.code(), Some(0), "{}", stdout(&fine));
    answer
}

#[test]
fn tier_1_approved_by_the_project_manager_is_found_and_replayed() {
    let answer = planted("pm-approves-tier-1", "closure_approval", |policy| {
        policy["tiers"]["1"]["plan"]["approved_by"] = json!(["project_manager"]);
    });
    let message = answer["violation"]["message"].as_str().unwrap();
    assert!(
        message.contains("tier-1") && message.contains("project_manager"),
        "{message}"
    );
}

#[test]
fn a_dropped_department_verification_is_found_and_replayed() {
    let answer = planted("one-department", "closure_verification", |policy| {
        policy["tiers"]["1"]["verification"]["by"] = json!(["technical_dept"]);
    });
    let message = answer["violation"]["message"].as_str().unwrap();
    assert!(message.contains("quality_dept"), "{message}");
}

#[test]
fn dropped_separation_of_duties_is_found_and_replayed() {
    planted("no-separation", "separation_of_duties", |policy| {
        for tier in ["1", "2"] {
            policy["tiers"][tier]["separation_of_duties"] = json!([]);
        }
    });
}

#[test]
fn the_default_policy_keeps_every_invariant_and_the_same_seed_gives_the_same_bytes() {
    let (answer, code, first) = verify(None, "100", "42", None);
    assert_eq!(code, 0, "{answer:#}");
    assert_eq!(answer["holds"], true);
    assert_eq!(answer["cases"], 100);
    assert!(answer.get("violation").is_none());
    assert!(answer["invariants"].as_array().unwrap().len() >= 10);
    let (_, _, again) = verify(None, "100", "42", None);
    assert_eq!(first, again);
}

#[test]
fn the_same_seed_finds_the_same_counterexample() {
    let policy = edited_policy("determinism", |policy| {
        policy["tiers"]["1"]["plan"]["approved_by"] = json!(["project_manager"]);
    });
    let (first, code, first_text) = verify(Some(&policy), "300", "3", None);
    assert_eq!(code, 1);
    assert_eq!(first["seed"], 3);
    let (_, _, again) = verify(Some(&policy), "300", "3", None);
    assert_eq!(first_text, again);
}

#[test]
fn every_bundled_scenario_keeps_every_invariant() {
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let scenario = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if let Err(violation) = check_invariants(support::policy(), &scenario) {
            panic!("{}: {violation}", path.display());
        }
    }
    // As the tool says it.
    let output = caseflow(
        &[
            "simulate",
            "--check-invariants",
            "scenarios/tier-1-emergency.json",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).lines().last(), Some("invariants: all hold"));
}

#[test]
fn a_scenario_written_out_reads_back_as_itself() {
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let scenario = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let written = scenario.to_value();
        assert_eq!(
            Scenario::from_value(&written).unwrap(),
            scenario,
            "{}",
            path.display()
        );
    }
}
