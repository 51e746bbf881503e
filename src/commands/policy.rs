//! `caseflow policy default` and `caseflow check`.

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::policy::{Policy, default_policy_json, json_schema};
use clap::{Args, ValueEnum};

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

/// Checks a policy and prints the report; exit status 1 when it is invalid.
pub fn check(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let text = match &args.policy {
        Some(path) => read_input(path)?,
        None => default_policy_json(),
    };
    let report = Policy::check(&text);
    print_pretty(&report)?;
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
