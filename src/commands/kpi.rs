//! `caseflow kpi`, `caseflow audit` and `caseflow spot-check`: supervision over a file of case
//! event logs (docs/policy.md §6).
//!
//! CASES is a file (or `-`) holding either one JSON array of event logs (`[[event, ...], ...]`)
//! or JSON lines, one event log per line (`[event, ...]`). JSON lines are read one line at a
//! time, so a file of any size is assessed in memory that grows with the projects, not the cases.
//! A line that is not JSON, or a log that does not replay, is left out of the figures with a
//! `bad_log` finding naming the case and the event.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use caseflow_core::Policy;
use caseflow_core::error::{Diagnostic, Error, ErrorCode, JsonPath};
use caseflow_core::reader::parse;
use caseflow_core::supervision::{
    Assessor, AuditReport, Finding, FindingCode, Period, SpotCheckSampler, audit_case, case_of_log,
};
use chrono::{DateTime, FixedOffset};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::io::{Failure, load_policy, print_json, print_line};

/// Arguments of `caseflow kpi`.
#[derive(Args, Debug)]
pub struct KpiArgs {
    /// Policy file; the built-in default policy when omitted. The cases must have been decided
    /// under it.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The first date of the period, YYYY-MM-DD: cases received on it or later (in the
    /// calendar's offset).
    #[arg(long)]
    from: String,
    /// The last date of the period, YYYY-MM-DD, included.
    #[arg(long)]
    to: String,
    /// The instant open cases are judged at (RFC 3339); the current time when omitted.
    #[arg(long)]
    now: Option<String>,
    /// Print the JSON summary (the `assess` call's answer) instead of the tables.
    #[arg(long)]
    json: bool,
    /// Also write the monthly report as one self-contained HTML page to this file.
    #[arg(long)]
    html: Option<PathBuf>,
    /// The case event logs: a JSON array of logs, or JSON lines (one log per line), or `-`.
    cases: PathBuf,
}

/// Arguments of `caseflow audit`.
#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Print the JSON answer (the `audit` call's) instead of one line per finding.
    #[arg(long)]
    json: bool,
    /// The instant a missing post-event review is judged overdue at (RFC 3339); each case's last
    /// event when omitted.
    #[arg(long)]
    now: Option<String>,
    /// The case event logs: a JSON array of logs, or JSON lines (one log per line), or `-`.
    cases: PathBuf,
}

/// Arguments of `caseflow spot-check`.
#[derive(Args, Debug)]
pub struct SpotCheckArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// At most this many cases per project.
    #[arg(long)]
    k: u64,
    /// The seed: the same cases and seed give the same sample on every platform.
    #[arg(long)]
    seed: u64,
    /// Print the JSON answer (the `spot_check` call's) instead of one line per project.
    #[arg(long)]
    json: bool,
    /// The case event logs: a JSON array of logs, or JSON lines (one log per line), or `-`.
    cases: PathBuf,
}

/// Runs `caseflow kpi`.
pub fn run_kpi(args: &KpiArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let period = period_arg(&args.from, &args.to)?;
    let now = match now_arg(args.now.as_deref())? {
        Some(now) => now,
        None => system_now(&policy),
    };
    let mut assessor = Assessor::new(&policy, period, now);
    for_each_log(&args.cases, |index, read| match read {
        Ok(log) => assessor.add_log(index, &log),
        Err(finding) => assessor.leave_out(finding),
    })?;
    let kpis = assessor.finish();
    if let Some(path) = &args.html {
        let page = caseflow_cli::report::html(&policy, &kpis);
        std::fs::write(path, page)
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        print_json(&kpis)?;
    } else {
        for line in caseflow_cli::report::table(&policy, &kpis) {
            print_line(&line)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseflow audit`: exit status 0 whatever is found (the findings are the answer).
pub fn run_audit(args: &AuditArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let now = now_arg(args.now.as_deref())?;
    let mut report = AuditReport {
        cases: 0,
        audited: 0,
        findings: Vec::new(),
    };
    for_each_log(&args.cases, |index, read| {
        report.cases += 1;
        match read.and_then(|log| case_of_log(&policy, index, &log).map_err(|f| *f)) {
            Ok(case) => {
                report.audited += 1;
                report
                    .findings
                    .extend(audit_case(&policy, index, &case, now));
            }
            Err(finding) => report.findings.push(finding),
        }
    })?;
    report.findings.sort_by(Finding::order);
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_line(&format!(
        "{} cases, {} audited, {} findings",
        report.cases,
        report.audited,
        report.findings.len()
    ))?;
    for finding in &report.findings {
        print_line(&finding_line(finding))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseflow spot-check`.
pub fn run_spot_check(args: &SpotCheckArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    if args.k > caseflow_core::api::MAX_SPOT_CHECK_K {
        return Err(Failure::Engine(Error::single(
            ErrorCode::InvalidInput,
            "invalid --k",
            Diagnostic::error(
                "out_of_range",
                &JsonPath::root().field("k"),
                format!(
                    "{} is more than the limit of {}",
                    args.k,
                    caseflow_core::api::MAX_SPOT_CHECK_K
                ),
            ),
        )));
    }
    let mut sampler = SpotCheckSampler::new(args.k, args.seed);
    let mut left_out = Vec::new();
    for_each_log(&args.cases, |index, read| match read {
        Ok(log) => sampler.add_log(&policy, index, &log),
        Err(finding) => left_out.push(finding),
    })?;
    let mut sample = sampler.finish();
    sample.left_out.extend(left_out);
    sample.left_out.sort_by(Finding::order);
    if args.json {
        print_json(&sample)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (project, drawn) in &sample.projects {
        let ids: Vec<&str> = drawn.cases.iter().map(|c| c.id.as_str()).collect();
        print_line(&format!(
            "{project} ({} of {}): {}",
            ids.len(),
            drawn.population,
            ids.join(" ")
        ))?;
    }
    for finding in &sample.left_out {
        print_line(&finding_line(finding))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One finding on one line: `code case X (#3) event 2 at $.events[2].hash: message`.
pub fn finding_line(f: &Finding) -> String {
    let code = serde_json::to_value(f.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("{code} {}", caseflow_cli::report::finding_text(f))
}

/// The period of `--from` and `--to`, read as the `assess` call reads them: a bad date is named
/// at `$.from` or `$.to`, and a `to` before `from` is refused at `$.to`.
fn period_arg(from: &str, to: &str) -> Result<Period, Failure> {
    use caseflow_core::reader::ReadObject;
    let value = serde_json::json!({"from": from, "to": to});
    let period = Period::read_all(&value, &JsonPath::root())
        .map_err(|d| Error::new(ErrorCode::InvalidInput, "invalid period", d))?;
    Ok(Period::new(period.from, period.to)?)
}

/// The instant of `--now`, read as the calls read `now` (a bad one is named at `$.now`).
fn now_arg(text: Option<&str>) -> Result<Option<DateTime<FixedOffset>>, Failure> {
    text.map(|text| {
        caseflow_core::time::parse_instant(text).map_err(|message| {
            Failure::Engine(Error::single(
                ErrorCode::InvalidInput,
                "invalid --now",
                Diagnostic::error("invalid_instant", &JsonPath::root().field("now"), message),
            ))
        })
    })
    .transpose()
}

/// The current time, in the calendar's offset: the host reads the clock, the engine never does.
fn system_now(policy: &Policy) -> DateTime<FixedOffset> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let utc = DateTime::from_timestamp(seconds, 0).unwrap_or_default();
    utc.with_timezone(&policy.calendar().offset())
}

/// A log read from the file, or the finding for a line that is not JSON.
type ReadLog = Result<Value, Finding>;

/// Calls `each` with every case log of the file at `path`, in order, with its position: one
/// line at a time for JSON lines. Progress goes to standard error when it is a terminal.
fn for_each_log(path: &Path, mut each: impl FnMut(u64, ReadLog)) -> Result<(), Failure> {
    let name = path.display().to_string();
    let mut reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file = File::open(path).map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let size = std::fs::metadata(path).map(|m| m.len()).ok();
    let progress = progress_bar(size);
    let io_error = |e: std::io::Error| Failure::Io(format!("cannot read {name}: {e}"));
    // The form is whether the whole input is one JSON value (an array of logs) or a log per line.
    // Only an input starting `[[` or `[]` can be either: when its first line is a complete value
    // it is the whole input if only blanks follow, else the first of the JSON lines (so a bad
    // first log is one finding); when not, the input is read whole, and if it is not one JSON
    // value but a later line is a log on its own (a non-empty array: a pretty-printed array never
    // holds one on a single line), it is read as JSON lines too.
    let head = first_two_tokens(&mut reader).map_err(io_error)?;
    if matches!(head, Some(('[', '[' | ']'))) {
        let mut text = String::new();
        reader.read_line(&mut text).map_err(io_error)?;
        if let Ok(value) = parse(&text) {
            let mut next = String::new();
            loop {
                next.clear();
                if reader.read_line(&mut next).map_err(io_error)? == 0 {
                    each_in_array(value, &progress, &mut each);
                    return Ok(());
                }
                text.push_str(&next);
                if !next.trim().is_empty() {
                    break;
                }
            }
            reader = Box::new(std::io::Cursor::new(text.into_bytes()).chain(reader));
        } else {
            reader.read_to_string(&mut text).map_err(io_error)?;
            match parse(&text) {
                Ok(value) => {
                    each_in_array(value, &progress, &mut each);
                    return Ok(());
                }
                Err(d) if !text.lines().skip(1).any(is_a_log_line) => {
                    return Err(Failure::Engine(Error::single(
                        ErrorCode::InvalidJson,
                        &format!("{name}: not a JSON array of case logs"),
                        d,
                    )));
                }
                Err(_) => reader = Box::new(std::io::Cursor::new(text.into_bytes())),
            }
        }
    }
    let mut index = 0u64;
    each_line(&mut reader, &progress, |number, line| {
        let log = parse(line).map_err(|d| Finding {
            code: FindingCode::BadLog,
            case_index: index,
            case_id: None,
            event: None,
            record: Some(d.path.clone()),
            message: format!("{name}:{number}: {}: {}", d.code, d.message),
        });
        each(index, log);
        index += 1;
    })
    .map_err(io_error)?;
    progress.finish_and_clear();
    Ok(())
}

/// Calls `each` with every line of `reader` that is not blank and its number (from 1),
/// advancing `progress` by the bytes read.
pub(crate) fn each_line(
    reader: &mut dyn BufRead,
    progress: &ProgressBar,
    mut each: impl FnMut(u64, &str),
) -> std::io::Result<()> {
    let mut line = String::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader.read_line(&mut line)?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        progress.inc(u64::try_from(read).unwrap_or(0));
        if !line.trim().is_empty() {
            each(number, &line);
        }
    }
}

/// Calls `each` with every log of an array of logs, in order.
fn each_in_array(value: Value, progress: &ProgressBar, each: &mut impl FnMut(u64, ReadLog)) {
    let logs = match value {
        Value::Array(logs) => logs,
        _ => Vec::new(),
    };
    progress.set_length(u64::try_from(logs.len()).unwrap_or(u64::MAX));
    for (index, log) in (0..).zip(logs) {
        each(index, Ok(log));
        progress.inc(1);
    }
    progress.finish_and_clear();
}

/// Whether a line holds a case log on its own: a non-empty JSON array.
fn is_a_log_line(line: &str) -> bool {
    matches!(parse(line), Ok(Value::Array(events)) if !events.is_empty())
}

/// Peeks at the first two non-blank characters without consuming anything but leading blanks.
fn first_two_tokens(reader: &mut Box<dyn BufRead>) -> std::io::Result<Option<(char, char)>> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(None);
        }
        let blanks = buffer
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if blanks == buffer.len() {
            reader.consume(blanks);
            continue;
        }
        reader.consume(blanks);
        let buffer = reader.fill_buf()?;
        let mut tokens = buffer
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .map(char::from);
        return Ok(match (tokens.next(), tokens.next()) {
            (Some(a), Some(b)) => Some((a, b)),
            (Some(a), None) => Some((a, ' ')),
            _ => None,
        });
    }
}

/// A progress bar on standard error when it is a terminal (bytes for JSON lines, cases for an
/// array), hidden otherwise so that pipes and logs stay clean.
pub(crate) fn progress_bar(bytes: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes.unwrap_or(0));
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {wide_bar} {percent:>3}% {elapsed} read")
    {
        bar.set_style(style);
    }
    bar
}
