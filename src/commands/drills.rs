//! `caseflow drills`: when the next emergency drill is due (docs/policy.md §7).

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::api;
use clap::Args;

use crate::io::{Failure, load_policy, print_json};

/// Arguments of `caseflow drills`.
#[derive(Args, Debug)]
pub struct DrillsArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// A day a drill was held, YYYY-MM-DD; repeat for each drill.
    #[arg(long = "done")]
    done: Vec<String>,
    /// The instant asked about, RFC 3339.
    #[arg(long)]
    now: String,
}

/// Prints `{"last", "next_due", "overdue", "days_overdue", "interval", "rule"}` on one line.
pub fn run(args: &DrillsArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let input = serde_json::json!({"drills": args.done, "now": args.now});
    print_json(&api::drill_status(&policy, &input.to_string())?)?;
    Ok(ExitCode::SUCCESS)
}
