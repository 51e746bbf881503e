//! `caseflow classify`: one report in, one result out; `--jsonl` for batches.

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::api;
use clap::Args;

use crate::io::{Failure, load_policy, print_json, print_line, read_input};

/// Arguments of `caseflow classify`.
#[derive(Args, Debug)]
pub struct ClassifyArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// One report per line in, one result per line out. A bad line yields an error object on
    /// its line (`{"line": n, "error": {...}}`) and the exit status is 1; other lines still run.
    #[arg(long)]
    jsonl: bool,
    /// The report file, or `-` for standard input.
    #[arg(default_value = "-")]
    input: PathBuf,
}

/// Runs the command.
pub fn run(args: &ClassifyArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let text = read_input(&args.input)?;
    if !args.jsonl {
        print_json(&api::classify(&policy, &text)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut failed = false;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match api::classify(&policy, line) {
            Ok(result) => print_json(&result)?,
            Err(error) => {
                failed = true;
                let line_error = serde_json::json!({"line": index + 1, "error": error});
                print_line(&line_error.to_string())?;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
