//! `caseflow warranty`: the clerk's direct question, is this element still under warranty?

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_core::api;
use clap::Args;

use crate::io::{Failure, load_policy, print_json};

/// Arguments of `caseflow warranty`.
#[derive(Args, Debug)]
pub struct WarrantyArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The day the project's completion acceptance passed, YYYY-MM-DD.
    #[arg(long)]
    accepted: String,
    /// The element: foundations_and_structure, waterproofing, heating, cooling, installations,
    /// decoration or other.
    #[arg(long)]
    element: String,
    /// The day asked about (when the defect was reported), YYYY-MM-DD.
    #[arg(long)]
    on: String,
    /// The day work on the project started, YYYY-MM-DD (checked against the acceptance).
    #[arg(long)]
    started: Option<String>,
    /// The design service life of the main structure in years, when the design documents give
    /// one (the policy's default otherwise).
    #[arg(long)]
    design_service_life: Option<u32>,
}

/// Prints the warranty answer on one line: `{"status", "decided_by", "element", "period",
/// "ends_on", "rule", "reason", ...}`.
pub fn run(args: &WarrantyArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let mut project = serde_json::Map::new();
    project.insert("accepted_on".to_owned(), serde_json::json!(args.accepted));
    if let Some(started) = &args.started {
        project.insert("started_on".to_owned(), serde_json::json!(started));
    }
    if let Some(years) = args.design_service_life {
        project.insert(
            "design_service_life_years".to_owned(),
            serde_json::json!(years),
        );
    }
    let project = serde_json::Value::Object(project);
    let input =
        serde_json::json!({"project_facts": project, "element": args.element, "on": args.on});
    print_json(&api::warranty(&policy, &input.to_string())?)?;
    Ok(ExitCode::SUCCESS)
}
