//! `caseflow policy default` and `caseflow check`.

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::analysis::{Analysis, analyze};
use caseflow_core::error::Severity;
use caseflow_core::policy::{CheckReport, Policy, default_policy_json, json_schema};
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::io::{Failure, print_line, print_pretty, read_input};

/// Which policy to print.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Which {
    /// The built-in default policy.
    Default,
    /// The JSON Schema of the policy format, for editors.
    Schema,
}

/// Arguments of `caseflow policy`.
#[derive(Args, Debug)]
pub struct PolicyArgs {
    /// The policy to print.
    which: Which,
}

/// Arguments of `caseflow check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The policy file to check, or `-` for standard input; the built-in policy when omitted.
    policy: Option<PathBuf>,
}

/// Prints the default policy (its rules with its model, as one JSON text), or the policy format's JSON Schema.
pub fn print(args: &PolicyArgs) -> Result<ExitCode, Failure> {
    match args.which {
        Which::Default => print_line(&default_policy_json())?,
        Which::Schema => print_line(json_schema()?.trim_end())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// What `caseflow check` prints: the check report and, for a policy that loads, the analysis
/// of its workflow and rules.
#[derive(Serialize)]
struct CheckOutput {
    #[serde(flatten)]
    report: CheckReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<Analysis>,
}

/// Checks a policy, analyses one that loads, and prints both; exit status 1 when it is invalid
/// or the analysis finds an error.
pub fn check(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let text = match &args.policy {
        Some(path) => read_input(path)?,
        None => default_policy_json(),
    };
    let loaded = Policy::from_json(&text);
    let report = CheckReport::of(&loaded);
    let analysis = loaded.ok().map(|policy| analyze(&policy));
    let failed = !report.valid
        || analysis.as_ref().is_some_and(|a| {
            a.findings
                .iter()
                .any(|finding| finding.severity == Severity::Error)
        });
    print_pretty(&CheckOutput { report, analysis })?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
