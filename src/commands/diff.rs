//! `caseflow diff OLD NEW [--reports FILE] [--json]`: the impact of a change of policy (issue
//! 14): the differences of meaning between two policies and, given past reports, each report the
//! two treat differently, with both explanations.
//!
//! Exit status: 0 when the policies mean the same and treat every report alike, 1 when they
//! differ, 2 when the comparison could not be made (a file unreadable, a policy invalid, a report
//! that does not read), with the error as JSON on standard error.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use caseflow_core::analysis::diff::{Aspect, Change, Comparison, PolicyDiff, ReportChange};
use caseflow_core::error::{Diagnostic, Error, ErrorCode, JsonPath};
use caseflow_core::intake::read_report;
use caseflow_core::reader::parse;
use caseflow_core::{Classification, Policy, Report};
use clap::Args;
use serde_json::Value;

use crate::commands::kpi::{each_line, progress_bar};
use crate::io::{Failure, print_json, print_line, read_input};

/// Arguments of `caseflow diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old policy file, or `default` for the built-in default policy.
    old: PathBuf,
    /// The new policy file, or `default` for the built-in default policy.
    new: PathBuf,
    /// Past reports to compare the two policies on: JSON lines (one report per line, as
    /// `classify --jsonl` reads) or one JSON array of reports.
    #[arg(long)]
    reports: Option<PathBuf>,
    /// Print the JSON answer (the `diff_policies` call's) instead of the listing.
    #[arg(long)]
    json: bool,
}

/// Runs the command: exit status 0 (no difference), 1 (differences) or 2 (failure).
pub fn run(args: &DiffArgs) -> Result<ExitCode, Failure> {
    match compare(args) {
        Ok(code) => Ok(code),
        Err(failure) => {
            failure.report();
            Ok(ExitCode::from(2))
        }
    }
}

fn compare(args: &DiffArgs) -> Result<ExitCode, Failure> {
    let old = load(&args.old, "old")?;
    let new = load(&args.new, "new")?;
    let mut comparison = Comparison::new(&old, &new);
    if let Some(path) = &args.reports {
        for_each_report(path, |report| {
            comparison.add(report);
        })?;
    }
    let diff = comparison.finish();
    if args.json {
        print_json(&diff)?;
    } else {
        for line in listing(&old, &new, &diff, args.reports.is_some()) {
            print_line(&line)?;
        }
    }
    Ok(match diff.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    })
}

/// A policy file, or the built-in policy for the word `default`; a policy that does not load is
/// refused with the file named in the error's message and every problem at its JSON path.
fn load(path: &Path, which: &str) -> Result<Policy, Failure> {
    if path.as_os_str() == "default" {
        return Ok(Policy::builtin()?);
    }
    let text = read_input(path)?;
    Policy::from_json(&text).map_err(|error| {
        Failure::Engine(Error {
            message: format!("the {which} policy {}: {}", path.display(), error.message),
            ..error
        })
    })
}

/// Calls `each` with every report of the file, in order: JSON lines are read one line at a
/// time, a JSON array whole. Every report that does not read is named (by line, or by its
/// index in the array) and the file refused, after all of it was read.
fn for_each_report(path: &Path, mut each: impl FnMut(&Report)) -> Result<(), Failure> {
    let name = path.display().to_string();
    let io_error = |e: std::io::Error| Failure::Io(format!("cannot read {name}: {e}"));
    let mut reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file = File::open(path).map_err(io_error)?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut bad_reports = 0usize;
    let starts_with_array = loop {
        let buffer = reader.fill_buf().map_err(io_error)?;
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => break buffer.get(at) == Some(&b'['),
            None if buffer.is_empty() => break false,
            None => {
                let all = buffer.len();
                reader.consume(all);
            }
        }
    };
    if starts_with_array {
        let mut text = String::new();
        reader.read_to_string(&mut text).map_err(io_error)?;
        let items = match parse(&text) {
            Ok(Value::Array(items)) => items,
            Ok(_) => Vec::new(),
            Err(d) => {
                return Err(Failure::Engine(Error::single(
                    ErrorCode::InvalidJson,
                    &format!("{name}: not a JSON array of reports"),
                    d,
                )));
            }
        };
        let progress = progress_bar(Some(u64::try_from(items.len()).unwrap_or(u64::MAX)));
        for (index, item) in items.iter().enumerate() {
            match read_report(item, JsonPath::root().index(index)) {
                Ok(report) if bad_reports == 0 => each(&report),
                Ok(_) => {}
                Err(error) => {
                    bad_reports += 1;
                    problems.extend(error.errors);
                }
            }
            progress.inc(1);
        }
        progress.finish_and_clear();
    } else {
        let progress = progress_bar(std::fs::metadata(path).map(|m| m.len()).ok());
        each_line(
            &mut reader,
            &progress,
            |number, line| match Report::from_json(line) {
                Ok(report) if bad_reports == 0 => each(&report),
                Ok(_) => {}
                Err(error) => {
                    bad_reports += 1;
                    problems.extend(error.errors.into_iter().map(|d| Diagnostic {
                        message: format!("{name}:{number}: {}", d.message),
                        ..d
                    }));
                }
            },
        )
        .map_err(io_error)?;
        progress.finish_and_clear();
    }
    match bad_reports {
        0 => Ok(()),
        n => Err(Failure::Engine(Error::new(
            ErrorCode::InvalidInput,
            &format!("{name}: {n} of the reports do not read"),
            problems,
        ))),
    }
}

/// The listing a person reads: the changes, then the reports treated apart.
fn listing(old: &Policy, new: &Policy, diff: &PolicyDiff, with_reports: bool) -> Vec<String> {
    let (a, b) = (old.reference(), new.reference());
    let mut lines = vec![format!(
        "{} {} → {} {}",
        a.name, a.version, b.name, b.version
    )];
    let counts = &diff.counts;
    if diff.changes.is_empty() {
        lines.push("The policies mean the same.".to_owned());
    } else {
        lines.push(format!(
            "{}: {} added, {} removed, {} changed",
            counted(counts.added + counts.removed + counts.changed, "change"),
            counts.added,
            counts.removed,
            counts.changed
        ));
        for change in &diff.changes {
            let moved = change
                .old_path
                .as_ref()
                .map(|p| format!(" (was {p})"))
                .unwrap_or_default();
            lines.push(format!(
                "  {:<7}  {}{moved}  {}{}",
                change.kind.as_str(),
                change.path,
                change.message,
                role_labels(old, new, change)
            ));
        }
    }
    if !with_reports {
        return lines;
    }
    let aspects: Vec<String> = Aspect::ALL
        .iter()
        .map(|aspect| (aspect.as_str(), counts.by_aspect.get(*aspect)))
        .filter(|(_, n)| *n > 0)
        .map(|(aspect, n)| format!("{aspect} {n}"))
        .collect();
    lines.push(format!(
        "{} compared, {} treated differently{}",
        counted(counts.reports, "report"),
        counts.reports_changed,
        match aspects.is_empty() {
            true => String::new(),
            false => format!(" ({})", aspects.join(", ")),
        }
    ));
    for report in &diff.reports {
        lines.extend(report_lines(old, new, report));
    }
    lines
}

/// The labels of the roles a change lists (` (公司领导 / Company leadership)`), when every value
/// it lists is a role of either policy; nothing otherwise.
fn role_labels(old: &Policy, new: &Policy, change: &Change) -> String {
    let Some(Value::Array(items)) = change.new.as_ref().or(change.old.as_ref()) else {
        return String::new();
    };
    let labels: Option<Vec<String>> = items
        .iter()
        .map(|item| {
            let id = item.as_str()?;
            let labels = (new.document().roles.get(id)).or_else(|| old.document().roles.get(id))?;
            Some(format!("{} / {}", labels.zh, labels.en))
        })
        .collect();
    match labels {
        Some(labels) if !labels.is_empty() => format!(" ({})", labels.join("; ")),
        _ => String::new(),
    }
}

/// One report treated apart: what changed, both explanations, the routing's differences.
fn report_lines(old: &Policy, new: &Policy, report: &ReportChange) -> Vec<String> {
    let changed: Vec<&str> = report.changed.iter().map(|a| a.as_str()).collect();
    let mut lines = vec![format!(
        "  #{} {}: {}",
        report.index + 1,
        report.report_id,
        changed.join(", ")
    )];
    if report.old == report.new {
        lines.push(format!("      both: {}", treatment(new, &report.new)));
    } else {
        lines.push(format!("      old: {}", treatment(old, &report.old)));
        lines.push(format!("      new: {}", treatment(new, &report.new)));
    }
    for change in &report.routing {
        lines.push(format!(
            "      {}: {} → {}",
            change.path,
            compact(&change.old),
            compact(&change.new)
        ));
    }
    lines
}

/// A classification on one line, with the policy's labels and why.
fn treatment(policy: &Policy, t: &Classification) -> String {
    let category = match policy.category_labels(t.category) {
        Some(l) => format!("{} ({} / {})", t.category, l.zh, l.en),
        None => t.category.to_string(),
    };
    let labels = &policy.tier(t.tier).labels;
    let emergency = t.emergency.map_or("none".to_owned(), |l| l.to_string());
    let e = &t.explanation;
    let rules: Vec<&str> = e.category.rules.iter().map(|r| r.rule.as_str()).collect();
    let triggers: Vec<&str> = e
        .emergency
        .triggers
        .iter()
        .map(|r| r.rule.as_str())
        .collect();
    let review = t
        .review
        .as_ref()
        .map(|r| {
            format!(
                " (provisional: P(tier 1) {} ≥ {}, else tier {})",
                r.tier_1_probability.get(),
                r.threshold.get(),
                r.assessed_tier
            )
        })
        .unwrap_or_default();
    format!(
        "category {category} by {}{}; tier {} ({} / {}) by {}{review}; emergency {emergency}{}",
        compact(&serde_json::to_value(e.category.decided_by).unwrap_or(Value::Null)),
        listed(" (rules fired: ", &rules),
        t.tier,
        labels.zh,
        labels.en,
        source(&serde_json::to_value(&e.tier.decided_by).unwrap_or(Value::Null)),
        listed(" (triggers: ", &triggers),
    )
}

/// `" (rules fired: a, b)"`, or nothing for no item.
fn listed(head: &str, items: &[&str]) -> String {
    match items.is_empty() {
        true => String::new(),
        false => format!("{head}{})", items.join(", ")),
    }
}

/// A tier's source (`{"by": "rule", "rule": "tier.1.x"}`) in words: `rule tier.1.x`.
fn source(value: &Value) -> String {
    let Value::Object(members) = value else {
        return compact(value);
    };
    let mut words = vec![members.get("by").map(compact).unwrap_or_default()];
    words.extend(
        members
            .iter()
            .filter(|(k, _)| k.as_str() != "by")
            .map(|(_, v)| compact(v)),
    );
    words.join(" ")
}

/// `1 change`, `2 changes`.
fn counted(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A JSON value on one line, a string without its quotes.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
