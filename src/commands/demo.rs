//! `caseflow demo`: the bundled sample reports through the default policy.

use std::process::ExitCode;

use caseflow_core::api;
use caseflow_core::{Policy, Report};
use clap::Args;

use crate::io::{Failure, print_line};

/// The sample reports bundled with the tool (the public samples of the policy).
const SAMPLES: &str = include_str!("../../tests/data/samples.jsonl");

/// Arguments of `caseflow demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {}

/// Runs the demo.
pub fn run(_args: &DemoArgs) -> Result<ExitCode, Failure> {
    let policy = Policy::builtin()?;
    print_line("caseflow demo — sample reports under the default policy / 默认制度下的示例问题")?;
    print_line("")?;
    for line in SAMPLES.lines().filter(|l| !l.trim().is_empty()) {
        let sample: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Failure::Io(format!("bundled sample is not JSON: {e}")))?;
        let report = Report::from_value(&sample["report"])?;
        let result = api::classify_report(&policy, &report)?;
        let labels = policy.category_labels(result.category);
        let tier = &result.routing.labels;
        let emergency = result
            .emergency
            .map(|l| format!(" · 应急 {l} 级 / emergency level {l}"))
            .unwrap_or_default();
        print_line(&format!(
            "{}  {} / {}  ·  {} / {}{}",
            report.id,
            labels.map(|l| l.zh.as_str()).unwrap_or(""),
            labels.map(|l| l.en.as_str()).unwrap_or(""),
            tier.zh,
            tier.en,
            emergency
        ))?;
        print_line(&format!("    {}", report.description))?;
    }
    Ok(ExitCode::SUCCESS)
}
