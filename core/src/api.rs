//! The engine's calls as JSON in, JSON out: the one surface the CLI, the C ABI and the wasm
//! package all use, so every host gets byte-identical answers for the same input.
//!
//! Each call takes JSON text, returns a typed result (serialisable with serde) or an [`Error`]
//! naming every problem with its JSON path. [`to_json`] writes results deterministically.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::duration::{Duration, DurationError};
use crate::calendar::{Clock, ClockStatus, DayInfo, Pause};
use crate::classify::{Explanation, ReviewRequest};
use crate::domain::{Category, EmergencyLevel, Tier, WarrantyElement};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::intake::Report;
use crate::lifecycle;
use crate::policy::Policy;
use crate::reader::{ObjectReader, kind_of, parse_bounded};
use crate::routing::{Routing, route};
use crate::warranty::Warranty;
use serde_json::Value;

/// The answer to `classify`: the classification of one report, its routing, and warnings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyResult {
    /// The report's id, echoed.
    pub report_id: String,
    /// `technical`, `schedule`, `quality`, `service` or `other`.
    pub category: Category,
    /// 1, 2 or 3.
    pub tier: Tier,
    /// `null`, `"I"`, `"II"` or `"III"`.
    pub emergency: Option<EmergencyLevel>,
    /// Present when the tier is provisional (tier 1 until a person confirms or lowers it with
    /// `review_tier`): why, and the tier it would otherwise have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewRequest>,
    /// Why.
    pub explanation: Explanation,
    /// Who drafts, approves and verifies, what is kept on record, and the deadlines; outside
    /// warranty, that the case is a service request.
    pub routing: Routing,
    /// Whether the report is under warranty (policy.md §1.1); `null` when the policy has no
    /// `warranty` section.
    pub warranty: Option<Warranty>,
    /// Warnings, such as a deadline computed in a year the calendar does not cover.
    pub warnings: Vec<Diagnostic>,
}

/// Classifies and routes one report given as JSON text.
pub fn classify(policy: &Policy, report_json: &str) -> Result<ClassifyResult, Error> {
    let report = Report::from_json(report_json)?;
    classify_report(policy, &report)
}

/// Classifies and routes one report.
pub fn classify_report(policy: &Policy, report: &Report) -> Result<ClassifyResult, Error> {
    let (classification, warranty) = policy.assess(report)?;
    let mut warnings = Vec::new();
    let routing = route(
        policy,
        report,
        classification.tier,
        classification.emergency,
        warranty.as_ref(),
        &mut warnings,
    )?;
    Ok(ClassifyResult {
        report_id: report.id.clone(),
        category: classification.category,
        tier: classification.tier,
        emergency: classification.emergency,
        review: classification.review,
        explanation: classification.explanation,
        routing,
        warranty,
        warnings,
    })
}

// --- The case lifecycle -------------------------------------------------------------------

/// Opens a case: `{"command": {"type": "record", "actor": {...}, "report": {...}}, "now": "...",
/// "key": "..."}`. With the host's `key` (hex) the event comes back sealed.
pub fn record(policy: &Policy, input_json: &str) -> Result<lifecycle::Applied, Error> {
    let (command, now, key) = Input::parse(input_json)?.read(|r| {
        let command = read_command(r);
        let now = r.instant("now", true);
        let key = read_key(r);
        Some((command?, now?, key?))
    })?;
    sealed(lifecycle::record(policy, &command, now)?, key.as_ref())
}

/// Applies a command: `{"case": {...}, "command": {...}, "now": "...", "key": "..."}`. With the
/// host's `key` (hex) the event comes back sealed.
pub fn apply(policy: &Policy, input_json: &str) -> Result<lifecycle::Applied, Error> {
    let (case, command, now, key) = Input::parse(input_json)?.read(|r| {
        let case = read_case(r);
        let command = read_command(r);
        let now = r.instant("now", true);
        let key = read_key(r);
        Some((case?, command?, now?, key?))
    })?;
    sealed(
        lifecycle::apply(policy, &case, &command, now)?,
        key.as_ref(),
    )
}

/// The applied command with its event sealed under `key`, when there is one.
fn sealed(
    mut applied: lifecycle::Applied,
    key: Option<&lifecycle::SealKey>,
) -> Result<lifecycle::Applied, Error> {
    if let Some(key) = key {
        applied.event.seal_with(key);
    }
    Ok(applied)
}

/// Reports clocks, reminders and escalations: `{"case": {...}, "now": "..."}`.
pub fn tick(policy: &Policy, input_json: &str) -> Result<lifecycle::TickReport, Error> {
    let (case, now) = Input::parse(input_json)?.read(|r| {
        let case = read_case(r);
        let now = r.instant("now", true);
        Some((case?, now?))
    })?;
    lifecycle::tick(policy, &case, now)
}

/// Rebuilds a case from its log: `{"events": [...]}`, optionally with an `anchor` (`{"events":
/// N, "last_hash": "..."}`) or the stored `case` to end at, and the `key` every seal must verify
/// under.
pub fn replay(policy: &Policy, input_json: &str) -> Result<lifecycle::Case, Error> {
    let (events, check) = read_log(input_json)?;
    lifecycle::replay_with(policy, &events, &check)
}

/// Checks a stored log: `{"events": [...]}`, optionally with an `anchor` (`{"events": N,
/// "last_hash": "..."}`) or the stored `case` to end at, and the `key` every seal must verify
/// under.
pub fn verify_log(input_json: &str) -> Result<lifecycle::LogVerification, Error> {
    let (events, check) = read_log(input_json)?;
    Ok(lifecycle::verify_log_with(&events, &check))
}

/// The largest lifecycle input accepted, in bytes (a long case history fits many times over).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// A JSON object input, read member by member.
struct Input(Value);

impl Input {
    fn parse(text: &str) -> Result<Input, Error> {
        parse_bounded(text, MAX_INPUT_BYTES, "the input")
            .map(Input)
            .map_err(|d| Error::single(ErrorCode::InvalidJson, "invalid input", d))
    }

    /// Reads the members with `read`, then fails with every problem found, nested ones and
    /// unknown members included.
    fn read<T>(&self, read: impl FnOnce(&mut ObjectReader<'_>) -> Option<T>) -> Result<T, Error> {
        let mut diagnostics = Vec::new();
        let out = match ObjectReader::new(&self.0, JsonPath::root(), &mut diagnostics) {
            Some(mut reader) => {
                let out = read(&mut reader);
                reader.finish();
                out
            }
            None => None,
        };
        match out {
            Some(out) if diagnostics.is_empty() => Ok(out),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "invalid input",
                diagnostics,
            )),
        }
    }
}

/// Reads a nested value with its own reader, moving its problems into `r`.
fn nested<T>(
    r: &mut ObjectReader<'_>,
    name: &'static str,
    read: impl FnOnce(&Value, &JsonPath) -> Result<T, Error>,
) -> Option<T> {
    let value = r.raw_required(name)?;
    match read(value, &r.path_of(name)) {
        Ok(v) => Some(v),
        Err(error) => {
            for d in error.errors {
                r.push(d);
            }
            None
        }
    }
}

fn read_command(r: &mut ObjectReader<'_>) -> Option<lifecycle::Command> {
    nested(r, "command", lifecycle::Command::from_value)
}

fn read_case(r: &mut ObjectReader<'_>) -> Option<lifecycle::Case> {
    nested(r, "case", lifecycle::Case::from_value)
}

/// The host's seal key, `"key"`: 64 to 128 hexadecimal digits. `Some(None)` when absent.
fn read_key(r: &mut ObjectReader<'_>) -> Option<Option<lifecycle::SealKey>> {
    // Any length is read, so that a key of the wrong length is named as such.
    let Some(text) = r.string("key", false, 4096) else {
        return r.raw("key").is_none().then_some(None);
    };
    match lifecycle::SealKey::from_hex(&text) {
        Ok(key) => Some(Some(key)),
        Err(message) => {
            r.report("invalid_key", "key", message);
            None
        }
    }
}

/// A log and what it is checked against: `events`, and the optional `anchor`, `case` (at most
/// one of them) and `key`.
fn read_log(input_json: &str) -> Result<(Vec<lifecycle::Event>, lifecycle::LogCheck), Error> {
    Input::parse(input_json)?.read(|r| {
        let events = read_events(r);
        let anchor = r.object("anchor", false, |mut a| {
            let events = match a.raw_required("events") {
                Some(_) => a.count("events", u64::MAX),
                None => None,
            };
            let last_hash = a.string("last_hash", true, 64);
            a.finish();
            Some(lifecycle::Anchor {
                events: events?,
                last_hash: last_hash?,
                case_id: None,
            })
        });
        let case = match r.raw("case") {
            Some(_) => read_case(r).map(|case| lifecycle::Anchor::of(&case)),
            None => None,
        };
        if anchor.is_some() && r.raw("case").is_some() {
            r.report(
                "conflicting_fields",
                "case",
                "give the log's anchor either as `anchor` or as the stored `case`, not both",
            );
        }
        let key = read_key(r);
        Some((
            events?,
            lifecycle::LogCheck {
                anchor: anchor.or(case),
                key: key?,
            },
        ))
    })
}

fn read_events(r: &mut ObjectReader<'_>) -> Option<Vec<lifecycle::Event>> {
    let items = match r.raw_required("events")? {
        Value::Array(items) => items,
        _ => {
            r.report("wrong_type", "events", "`events` is a list of events");
            return None;
        }
    };
    let path = r.path_of("events");
    let mut events = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match lifecycle::Event::from_value(item, &path.index(i)) {
            Ok(event) => events.push(event),
            Err(error) => {
                for d in error.errors {
                    r.push(d);
                }
            }
        }
    }
    Some(events)
}

// --- One entry point for every call -------------------------------------------------------

/// The calls of the JSON API, by name: what the C ABI and the wasm package dispatch on, and what
/// the shared conformance corpus (`tests/conformance/`) names.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    /// [`classify`]: a report in, its classification and routing out.
    Classify,
    /// [`deadline`]: an instant plus a duration on the calendar.
    Deadline,
    /// [`calendar_days`]: working days and holidays over a range of dates.
    CalendarDays,
    /// [`clock_status`]: a clock at an instant.
    ClockStatus,
    /// [`record`]: open a case.
    Record,
    /// [`apply`]: apply a command to a case.
    Apply,
    /// [`tick`]: a case's clocks, reminders and escalations at an instant.
    Tick,
    /// [`replay`]: a case rebuilt from its event log.
    Replay,
    /// [`verify_log`]: check an event log's hash chain.
    VerifyLog,
    /// [`warranty`]: is an element of a project under warranty on a day?
    Warranty,
}

impl Call {
    /// Every call.
    pub const ALL: &'static [Call] = &[
        Call::Classify,
        Call::Deadline,
        Call::CalendarDays,
        Call::ClockStatus,
        Call::Record,
        Call::Apply,
        Call::Tick,
        Call::Replay,
        Call::VerifyLog,
        Call::Warranty,
    ];

    /// The call's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Call::Classify => "classify",
            Call::Deadline => "deadline",
            Call::CalendarDays => "calendar_days",
            Call::ClockStatus => "clock_status",
            Call::Record => "record",
            Call::Apply => "apply",
            Call::Tick => "tick",
            Call::Replay => "replay",
            Call::VerifyLog => "verify_log",
            Call::Warranty => "warranty",
        }
    }
}

impl std::str::FromStr for Call {
    type Err = Error;
    fn from_str(name: &str) -> Result<Call, Error> {
        Call::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Call::ALL.iter().map(|c| c.as_str()).collect();
                Error::single(
                    ErrorCode::InvalidInput,
                    "unknown call",
                    Diagnostic::error(
                        "unknown_call",
                        &JsonPath::root(),
                        format!(
                            "unknown call `{name}`, expected one of: {}",
                            names.join(", ")
                        ),
                    ),
                )
            })
    }
}

/// Runs a call on JSON text and returns its result as JSON text: the same bytes in every host.
pub fn call(policy: &Policy, call: Call, input_json: &str) -> Result<String, Error> {
    match call {
        Call::Classify => to_json(&classify(policy, input_json)?),
        Call::Deadline => to_json(&deadline(policy, input_json)?),
        Call::CalendarDays => to_json(&calendar_days(policy, input_json)?),
        Call::ClockStatus => to_json(&clock_status(policy, input_json)?),
        Call::Record => to_json(&record(policy, input_json)?),
        Call::Apply => to_json(&apply(policy, input_json)?),
        Call::Tick => to_json(&tick(policy, input_json)?),
        Call::Replay => to_json(&replay(policy, input_json)?),
        Call::VerifyLog => to_json(&verify_log(input_json)?),
        Call::Warranty => to_json(&warranty(policy, input_json)?),
    }
}

/// Writes a result as compact JSON. Field order follows the type definitions and maps are
/// ordered, so the same value always gives the same bytes.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| {
        Error::single(
            ErrorCode::Internal,
            "a result could not be written as JSON",
            Diagnostic::error("internal", &JsonPath::root(), e.to_string()),
        )
    })
}

// =============================================================================================
// Calendar and deadlines (policy.md §5): `deadline`, `calendar_days`, `clock_status`.
//
// Inputs are read field by field (every bad field named, unknown fields refused); instants may
// carry any offset, and every instant in a result is written in the calendar's offset.

/// Largest accepted input of a calendar call, in bytes.
pub const MAX_CALENDAR_INPUT_BYTES: usize = 1024 * 1024;

/// Most days `calendar_days` lists at once (ten years).
pub const MAX_CALENDAR_RANGE_DAYS: i64 = 3660;

/// The answer to `deadline`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineResult {
    /// The start, echoed in the calendar's offset.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub from: DateTime<FixedOffset>,
    /// The duration added, written `"N unit"`.
    pub add: Duration,
    /// The due instant, in the calendar's offset.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub due: DateTime<FixedOffset>,
    /// Warnings, such as a year the calendar does not cover.
    pub warnings: Vec<Diagnostic>,
}

/// The answer to `calendar_days`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDaysResult {
    /// Each date of the range, in order.
    pub days: Vec<DayInfo>,
    /// Warnings, one per run of years the calendar does not cover.
    pub warnings: Vec<Diagnostic>,
}

/// The due instant of a duration: input `{"from": "<RFC 3339 instant>", "add": "3 working_days"}`
/// (or `"add": {"amount": 3, "unit": "working_days"}`).
pub fn deadline(policy: &Policy, input_json: &str) -> Result<DeadlineResult, Error> {
    let (from, add) = read_call(input_json, |mut r| {
        let from = r.instant("from", true);
        let add = read_duration(&mut r, "add");
        r.finish();
        Some((from?, add?))
    })?;
    let calendar = policy.calendar();
    let due = calendar.add(from, add)?;
    Ok(DeadlineResult {
        from: from.with_timezone(&calendar.offset()),
        add,
        due: due.at,
        warnings: due.warnings,
    })
}

/// Each date from `from` to `to` inclusive: input `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`,
/// at most [`MAX_CALENDAR_RANGE_DAYS`] days. Uncovered years give a warning (lenient) or an
/// error (strict).
pub fn calendar_days(policy: &Policy, input_json: &str) -> Result<CalendarDaysResult, Error> {
    let (from, to) = read_call(input_json, |mut r| {
        let from = read_date(&mut r, "from");
        let to = read_date(&mut r, "to");
        if let (Some(from), Some(to)) = (from, to) {
            let days = (to - from).num_days() + 1;
            if to < from {
                r.report(
                    "out_of_order",
                    "to",
                    format!("`to` ({to}) is before `from` ({from})"),
                );
            } else if days > MAX_CALENDAR_RANGE_DAYS {
                r.report(
                    "out_of_range",
                    "to",
                    format!(
                        "the range has {days} days, more than the limit of {MAX_CALENDAR_RANGE_DAYS}"
                    ),
                );
            }
        }
        r.finish();
        Some((from?, to?))
    })?;
    let calendar = policy.calendar();
    let warnings = calendar.check_years(from.year()..=to.year())?;
    let days = from
        .iter_days()
        .take_while(|day| *day <= to)
        .map(|day| calendar.day(day))
        .collect();
    Ok(CalendarDaysResult { days, warnings })
}

/// A clock's status: input `{"clock": {"start": ..., "duration": ..., "pauses": [{"from": ...,
/// "to": ...}], "stopped_at": ...}, "now": "<RFC 3339 instant>"}`. The at-risk fraction is the
/// policy's `clocks.at_risk_fraction`.
pub fn clock_status(policy: &Policy, input_json: &str) -> Result<ClockStatus, Error> {
    let (clock, now) = read_call(input_json, |mut r| {
        let clock = r.object("clock", true, read_clock);
        let now = r.instant("now", true);
        r.finish();
        Some((clock?, now?))
    })?;
    clock.status(policy.calendar(), policy.clocks().at_risk_fraction, now)
}

/// The clerk's direct question, "is it still under warranty?" (policy.md §1.1): input
/// `{"project_facts": {"accepted_on": "YYYY-MM-DD", "started_on"?, "design_service_life_years"?},
/// "element"?: "waterproofing", "on": "YYYY-MM-DD"}`. Without `element` the answer holds for
/// whichever element (or is `unknown`); without `accepted_on` the project is not yet accepted.
pub fn warranty(policy: &Policy, input_json: &str) -> Result<Warranty, Error> {
    let (project, element, on) = read_call(input_json, |mut r| {
        let project = r.object("project_facts", false, |mut o| {
            let facts =
                <crate::intake::ProjectFacts as crate::reader::ReadObject>::read_members(&mut o);
            o.finish();
            facts
        });
        let element = r.typed::<WarrantyElement>("element", false);
        let on = read_date(&mut r, "on");
        r.finish();
        Some((project.unwrap_or_default(), element, on?))
    })?;
    policy.warranty_on(&project, element, on)?.ok_or_else(|| {
        Error::single(
            ErrorCode::InvalidInput,
            "no warranty periods",
            Diagnostic::error(
                "no_warranty",
                &JsonPath::root(),
                "the policy has no `warranty` section, so it cannot say what is under warranty",
            ),
        )
    })
}

/// Parses a call's input and reads it with `read`, failing with every problem found.
fn read_call<T>(
    input_json: &str,
    read: impl FnOnce(ObjectReader<'_>) -> Option<T>,
) -> Result<T, Error> {
    let value = parse_bounded(input_json, MAX_CALENDAR_INPUT_BYTES, "the input")
        .map_err(|d| Error::single(ErrorCode::InvalidJson, "the input is not valid JSON", d))?;
    let mut diagnostics = Vec::new();
    let read = ObjectReader::new(&value, JsonPath::root(), &mut diagnostics).and_then(read);
    match read {
        Some(value) if diagnostics.is_empty() => Ok(value),
        _ => Err(Error::new(
            ErrorCode::InvalidInput,
            "invalid input",
            diagnostics,
        )),
    }
}

/// A required duration: `"N unit"` or `{"amount": N, "unit": "..."}`.
fn read_duration<'a>(r: &mut ObjectReader<'a>, name: &'a str) -> Option<Duration> {
    match r.raw_required(name)? {
        Value::String(text) => match text.parse::<Duration>() {
            Ok(d) => Some(d),
            Err(e) => {
                r.report(e.code(), name, e.to_string());
                None
            }
        },
        Value::Object(_) => r.object(name, true, |mut o| {
            let amount = match o.raw_required("amount") {
                Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
                Some(other) => {
                    let found = kind_of(other);
                    o.report(
                        "wrong_type",
                        "amount",
                        format!("expected a whole number, found {found}"),
                    );
                    None
                }
                None => None,
            };
            let unit = o.string("unit", true, 32);
            let (Some(amount), Some(unit)) = (amount, unit) else {
                o.finish();
                return None;
            };
            let duration = match Duration::from_parts(amount, &unit) {
                Ok(d) => Some(d),
                Err(e) => {
                    let at = match e {
                        DurationError::UnknownUnit(_) => "unit",
                        _ => "amount",
                    };
                    o.report(e.code(), at, e.to_string());
                    None
                }
            };
            o.finish();
            duration
        }),
        other => {
            let found = kind_of(other);
            r.report(
                "wrong_type",
                name,
                format!(
                    "expected a duration such as \"3 working_days\" or {{\"amount\": 3, \"unit\": \"working_days\"}}, found {found}"
                ),
            );
            None
        }
    }
}

/// A required date written `YYYY-MM-DD`.
fn read_date<'a>(r: &mut ObjectReader<'a>, name: &'a str) -> Option<NaiveDate> {
    r.date(name, true)
}

fn read_clock(mut r: ObjectReader<'_>) -> Option<Clock> {
    let start = r.instant("start", true);
    let duration = read_duration(&mut r, "duration");
    let pauses = r.objects("pauses", false, |mut p| {
        let from = p.instant("from", true);
        let to = p.instant("to", false);
        p.finish();
        Some(Pause { from: from?, to })
    });
    let stopped_at = r.instant("stopped_at", false);
    let clock = match (start, duration) {
        (Some(start), Some(duration)) => Some(Clock {
            start,
            duration,
            pauses: pauses.unwrap_or_default(),
            stopped_at,
        }),
        _ => None,
    };
    if let Some(clock) = &clock {
        for problem in clock.check(r.path()) {
            r.push(problem);
        }
    }
    r.finish();
    clock
}
