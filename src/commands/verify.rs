//! `caseflow verify`: property verification of a policy. Generates random case histories under
//! the policy (the strategies of `caseflow-strategies`), checks every lifecycle invariant after
//! every step, and on a violation prints the invariant and the shrunk, minimal counterexample as
//! a scenario file that `caseflow simulate --check-invariants` replays to the same violation.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use caseflow_cli::scenario::Scenario;
use caseflow_core::Policy;
use caseflow_strategies::CaseHistory;
use caseflow_strategies::history::histories;
use caseflow_strategies::invariants::{self, Invariant, Violation};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use proptest::test_runner::{
    Config, RngAlgorithm, RngSeed, TestCaseError, TestError, TestRng, TestRunner,
};
use serde::Serialize;
use serde_json::Value;

use crate::io::{Failure, load_policy, print_pretty};

/// Arguments of `caseflow verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// How many random case histories to run.
    #[arg(long, default_value_t = 1_000)]
    cases: u32,
    /// The seed: the same seed gives the same histories and the same answer.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the counterexample scenario to this file (it is printed in the answer as well).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Most shrinking steps proptest takes on a failing history.
const MAX_SHRINK_ITERS: u32 = 4_096;

/// What `caseflow verify` prints.
#[derive(Serialize)]
struct VerifyOutput {
    policy: PolicyName,
    cases: u32,
    seed: u64,
    /// Whether every invariant held on every history.
    holds: bool,
    /// The invariants checked.
    invariants: Vec<Invariant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    violation: Option<Violation>,
    /// The minimal counterexample, as a scenario file.
    #[serde(skip_serializing_if = "Option::is_none")]
    counterexample: Option<Value>,
    /// Where the counterexample was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    written: Option<String>,
}

#[derive(Serialize)]
struct PolicyName {
    name: String,
    version: String,
}

/// Runs `--cases` histories seeded by `--seed`; exit status 0 when every invariant held, 1 on a
/// violation (or an unreadable policy), 2 when a file cannot be read or written.
pub fn run(args: &VerifyArgs) -> Result<ExitCode, Failure> {
    let policy = Arc::new(load_policy(args.policy.as_deref())?);
    let summary = policy.summary();
    let bar = progress_bar(args.cases);
    let failure = search(&policy, args.cases, args.seed, &bar);
    bar.finish_and_clear();
    let failure = failure?;
    let mut output = VerifyOutput {
        policy: PolicyName {
            name: summary.name,
            version: summary.version,
        },
        cases: args.cases,
        seed: args.seed,
        holds: failure.is_none(),
        invariants: Invariant::ALL.to_vec(),
        violation: None,
        counterexample: None,
        written: None,
    };
    if let Some((history, violation)) = failure {
        let description = format!(
            "caseflow verify --seed {} --cases {}: the shrunk counterexample of `{}` at step {}: {}",
            args.seed, args.cases, violation.invariant, violation.step, violation.message
        );
        let name = format!("counterexample: {}", violation.invariant);
        let scenario = Scenario::from_history(&name, Some(description), &history).to_value();
        if let Some(path) = &args.out {
            let text = serde_json::to_string_pretty(&scenario)
                .map_err(|e| Failure::Io(format!("cannot write the scenario: {e}")))?;
            std::fs::write(path, format!("{text}\n"))
                .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
            output.written = Some(path.display().to_string());
        }
        eprintln!(
            "caseflow verify: invariant `{}` violated: {violation}",
            violation.invariant
        );
        output.violation = Some(violation);
        output.counterexample = Some(scenario);
    }
    print_pretty(&output)?;
    Ok(if output.holds {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs the histories; the first failing one, shrunk by proptest and then by dropping steps,
/// with its violation. Fails when generation gives up (a policy none of whose generated
/// reports the reader accepts).
fn search(
    policy: &Arc<Policy>,
    cases: u32,
    seed: u64,
    bar: &ProgressBar,
) -> Result<Option<(CaseHistory, Violation)>, Failure> {
    let mut runner = runner(cases, seed);
    let result = runner.run(&histories(Arc::clone(policy)), |history| {
        bar.inc(1);
        invariants::check(policy, &history)
            .map(|_| ())
            .map_err(|violation| TestCaseError::fail(violation.to_string()))
    });
    match result {
        Ok(()) => Ok(None),
        Err(TestError::Fail(_, history)) => Ok(invariants::check(policy, &history)
            .err()
            .map(|violation| minimise(policy, history, violation))),
        Err(TestError::Abort(reason)) => Err(Failure::Io(format!(
            "no case histories could be generated under this policy: {reason}"
        ))),
    }
}

/// A runner whose every random choice comes from `seed`: no persistence file, no fork, no
/// timeout, the `PROPTEST_*` environment ignored for what decides the answer.
fn runner(cases: u32, seed: u64) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: MAX_SHRINK_ITERS,
        max_shrink_time: 0,
        max_local_rejects: 65_536,
        max_global_rejects: 1_024,
        max_flat_map_regens: 1_000_000,
        timeout: 0,
        verbose: 0,
        ..Config::default()
    };
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&seed.to_le_bytes());
    }
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Drops every step whose removal keeps the same invariant broken, until none can go: the
/// scenario keeps only what the violation needs.
fn minimise(
    policy: &Policy,
    mut history: CaseHistory,
    mut violation: Violation,
) -> (CaseHistory, Violation) {
    loop {
        let mut shorter = false;
        let mut i = history.steps.len();
        while i > 0 {
            i -= 1;
            let candidate = history.without(&[i]);
            if let Err(found) = invariants::check(policy, &candidate) {
                if found.invariant == violation.invariant {
                    history = candidate;
                    violation = found;
                    shorter = true;
                }
            }
        }
        if !shorter {
            return (history, violation);
        }
    }
}

/// A progress bar of histories on standard error when it is a terminal, hidden otherwise.
fn progress_bar(cases: u32) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::from(cases));
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {wide_bar} {pos}/{len} histories {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}
