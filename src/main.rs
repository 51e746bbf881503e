//! `caseflow`: the command-line face of the caseflow engine.
//!
//! Every command reads files (or `-` for standard input), writes JSON on standard output, and
//! reports errors on standard error as JSON with a non-zero exit status.

mod commands;
mod io;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// caseflow: run a construction company's customer-issue policy.
#[derive(Parser, Debug)]
#[command(name = "caseflow", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the built-in default policy (`default`) or the policy format's JSON Schema (`schema`).
    Policy(commands::policy::PolicyArgs),
    /// Check a policy file and print its diagnostics; exits non-zero when it is invalid.
    Check(commands::policy::CheckArgs),
    /// Classify and route reports: one JSON object in, one out (or one per line with --jsonl).
    Classify(commands::classify::ClassifyArgs),
    /// Run the bundled sample reports through the default policy and print a summary.
    Demo(commands::demo::DemoArgs),
    /// Compute a due instant: `--from INSTANT --add "N UNIT"` on the policy's working calendar.
    Deadline(commands::deadline::DeadlineArgs),
    /// List each date from `--from` to `--to` as a working day or a day off, with holiday names.
    Calendar(commands::calendar::CalendarArgs),
    /// Run a scenario file (a report plus timed commands) and print the case's timeline.
    Simulate(commands::simulate::SimulateArgs),
    /// Property verification: run random case histories under a policy and check the
    /// lifecycle's invariants; on a violation print the shrunk counterexample as a scenario:
    /// `--cases N --seed S [--out FILE]`.
    Verify(commands::verify::VerifyArgs),
    /// Is an element of a project still under warranty on a day? `--accepted DATE --element E
    /// --on DATE`.
    Warranty(commands::warranty::WarrantyArgs),
    /// When is the next emergency drill due? `--done DATE ... --now INSTANT`.
    Drills(commands::drills::DrillsArgs),
    /// Supervision figures over case event logs (docs/policy.md §6): `--from DATE --to DATE
    /// CASES`, as tables, `--json`, or a self-contained HTML report with `--html FILE`.
    Kpi(commands::kpi::KpiArgs),
    /// Audit case event logs for incomplete records and logs that do not replay.
    Audit(commands::kpi::AuditArgs),
    /// Draw a reproducible sample of cases per project for the quality department: `--k N
    /// --seed S CASES`.
    SpotCheck(commands::kpi::SpotCheckArgs),
    /// The impact of a change of policy: `OLD NEW [--reports FILE]` lists the differences of
    /// meaning and the past reports the two policies treat differently; exit status 0 when
    /// there is none, 1 when there are, 2 on failure.
    Diff(commands::diff::DiffArgs),
    /// Train the learned text model on labelled corpora: `--corpus FILE... --out MODEL`.
    Train(commands::learn::TrainArgs),
    /// Score a policy on labelled corpora, the rules alone beside its answer with the model;
    /// `--cross-validate` trains and scores leave-one-corpus-out.
    Evaluate(commands::learn::EvaluateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Policy(args) => commands::policy::print(&args),
        Command::Check(args) => commands::policy::check(&args),
        Command::Classify(args) => commands::classify::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
        Command::Deadline(args) => commands::deadline::run(&args),
        Command::Calendar(args) => commands::calendar::run(&args),
        Command::Simulate(args) => commands::simulate::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Warranty(args) => commands::warranty::run(&args),
        Command::Drills(args) => commands::drills::run(&args),
        Command::Kpi(args) => commands::kpi::run_kpi(&args),
        Command::Audit(args) => commands::kpi::run_audit(&args),
        Command::SpotCheck(args) => commands::kpi::run_spot_check(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Train(args) => commands::learn::run_train(&args),
        Command::Evaluate(args) => commands::learn::run_evaluate(&args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}
