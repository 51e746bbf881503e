//! Running the `caseflow` binary as a user runs it, shared by the CLI test files.

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `caseflow ARGS` with `stdin` on standard input.
pub fn caseflow(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_caseflow"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("caseflow runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The default policy, compiled once per test binary.
pub fn policy() -> &'static caseflow_core::Policy {
    static POLICY: std::sync::LazyLock<caseflow_core::Policy> =
        std::sync::LazyLock::new(|| caseflow_core::Policy::builtin().unwrap());
    &POLICY
}

/// The event log of every scenario in `scenarios/`, in file-name order, each a JSON array of
/// events as a host stores it.
pub fn scenario_logs() -> Vec<serde_json::Value> {
    let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| scenario_log(&std::fs::read_to_string(path).unwrap()))
        .collect()
}

/// The event log of one scenario given as text.
pub fn scenario_log(text: &str) -> serde_json::Value {
    let scenario = caseflow_cli::scenario::Scenario::from_json(text).unwrap();
    serde_json::to_value(caseflow_cli::scenario::simulate(policy(), &scenario).events).unwrap()
}
