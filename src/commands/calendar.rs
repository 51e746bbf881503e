//! `caseflow calendar`: the working days and days off of a range of dates.

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::api;
use caseflow_core::calendar::DayInfo;
use clap::Args;

use crate::io::{Failure, load_policy, print_json, print_line};

/// Arguments of `caseflow calendar`.
#[derive(Args, Debug)]
pub struct CalendarArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The first date, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// The last date, YYYY-MM-DD (at most 3660 days after the first).
    #[arg(long)]
    to: String,
    /// Print the JSON answer (`{"days": [...], "warnings": [...]}`) instead of one line per date.
    #[arg(long)]
    json: bool,
}

/// Prints one line per date (`2026-02-15 off 春节 Spring Festival`, `2026-02-14 work 调休
/// make-up day`), warnings about uncovered years on standard error; or the JSON answer.
pub fn run(args: &CalendarArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let input = serde_json::json!({"from": args.from, "to": args.to}).to_string();
    let result = api::calendar_days(&policy, &input)?;
    if args.json {
        print_json(&result)?;
        return Ok(ExitCode::SUCCESS);
    }
    for warning in &result.warnings {
        eprintln!("{warning}");
    }
    for day in &result.days {
        print_line(&line(day))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn line(day: &DayInfo) -> String {
    let mut line = format!("{} {}", day.date, if day.working { "work" } else { "off" });
    if let Some(holiday) = &day.holiday {
        line.push(' ');
        line.push_str(holiday);
    }
    if day.make_up {
        line.push_str(" 调休 make-up day");
    }
    line
}
