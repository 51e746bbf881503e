//! Classifies one report of `benches/data/classify-reports.json` N times, through the typed call
//! or the JSON call: the program `scripts/profile.sh` runs under callgrind to count the
//! instructions of one classification (the count does not depend on the machine's load, which a
//! shared machine's timings do).
//!
//!     cargo run --release --example classify_calls -- short typed 100

use std::process::ExitCode;

use caseflow_core::api::{self, Call};
use caseflow_core::{Policy, Report};

const REPORTS: &str = include_str!("../benches/data/classify-reports.json");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, mode, calls] = args.as_slice() else {
        eprintln!("usage: classify_calls REPORT typed|json CALLS");
        return ExitCode::from(2);
    };
    let Ok(calls) = calls.parse::<usize>() else {
        eprintln!("CALLS must be a number, not `{calls}`");
        return ExitCode::from(2);
    };
    let reports: serde_json::Value = match serde_json::from_str(REPORTS) {
        Ok(reports) => reports,
        Err(error) => {
            eprintln!("benches/data/classify-reports.json: {error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(report) = reports
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["name"] == name.as_str())
        .map(|r| r["report"].to_string())
    else {
        eprintln!("no report named `{name}` in benches/data/classify-reports.json");
        return ExitCode::from(2);
    };
    let policy = match Policy::builtin() {
        Ok(policy) => policy,
        Err(error) => {
            eprintln!("the default policy: {error}");
            return ExitCode::FAILURE;
        }
    };
    let typed = match Report::from_json(&report) {
        Ok(typed) => typed,
        Err(error) => {
            eprintln!("the report `{name}`: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut written = 0usize;
    for _ in 0..calls {
        let answer = match mode.as_str() {
            "typed" => api::typed::classify(&policy, std::hint::black_box(&typed))
                .map(|r| r.warnings.len()),
            "json" => {
                api::call(&policy, Call::Classify, std::hint::black_box(&report)).map(|s| s.len())
            }
            _ => {
                eprintln!("the mode is `typed` or `json`, not `{mode}`");
                return ExitCode::from(2);
            }
        };
        match answer {
            Ok(n) => written += n,
            Err(error) => {
                eprintln!("classify: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{written}");
    ExitCode::SUCCESS
}
