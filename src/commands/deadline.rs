//! `caseflow deadline`: the instant a duration after a start, on the policy's calendar.

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::api;
use clap::Args;

use crate::io::{Failure, load_policy, print_json};

/// Arguments of `caseflow deadline`.
#[derive(Args, Debug)]
pub struct DeadlineArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The start: an RFC 3339 instant with an offset, e.g. 2026-02-13T18:00:00+08:00.
    #[arg(long)]
    from: String,
    /// The duration "N unit", unit one of minutes, hours, business_hours, working_days,
    /// calendar_days; e.g. "3 working_days".
    #[arg(long)]
    add: String,
}

/// Prints `{"from", "add", "due", "warnings"}` on one line; the due instant is written in the
/// calendar's offset.
pub fn run(args: &DeadlineArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let input = serde_json::json!({"from": args.from, "add": args.add}).to_string();
    print_json(&api::deadline(&policy, &input)?)?;
    Ok(ExitCode::SUCCESS)
}
