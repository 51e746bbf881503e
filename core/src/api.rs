//! The engine's calls as JSON in, JSON out: the one surface the CLI, the C ABI and the wasm
//! package all use, so every host gets byte-identical answers for the same input.
//!
//! Each call takes JSON text, returns a typed result (serialisable with serde) or an [`Error`]
//! naming every problem with its JSON path. [`to_json`] writes results deterministically.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use caseflow_derive::Read;

use crate::calendar::duration::{Duration, DurationSpec};
use crate::calendar::{Clock, ClockStatus, DayInfo};
use crate::classify::{Explanation, ReviewRequest};
use crate::domain::{Category, EmergencyLevel, Tier, WarrantyElement};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::intake::Report;
use crate::lifecycle;
use crate::policy::Policy;
use crate::reader::{ObjectReader, ReadObject, ReadValue, parse_bounded};
use crate::routing::{Routing, route};
use crate::warranty::Warranty;
use serde_json::Value;

pub use crate::domain::limits::{
    MAX_CALENDAR_INPUT_BYTES, MAX_CALENDAR_RANGE_DAYS, MAX_INPUT_BYTES, MAX_SPOT_CHECK_K,
    MAX_SUPERVISION_INPUT_BYTES,
};

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
    /// Whether the report is under warranty (docs/policy.md §1.1); `null` when the policy has no
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
    let mut warnings = uncovered_report_years(policy, report);
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

/// A warning for each of the report's instants (`raised_at`, `received_at`) in a year the
/// calendar does not cover: a date such as 1900 or 9999 is most often a slip, and every deadline
/// counted from it follows the weekday rule (or is refused, under a strict calendar).
fn uncovered_report_years(policy: &Policy, report: &Report) -> Vec<Diagnostic> {
    let calendar = policy.calendar();
    let covered = calendar.covered_years();
    let instants = [
        ("raised_at", Some(report.raised_at)),
        ("received_at", report.received_at),
    ];
    instants
        .into_iter()
        .filter_map(|(name, at)| {
            let year = at?.with_timezone(&calendar.offset()).year();
            (!covered.contains(&year)).then(|| {
                Diagnostic::warning(
                    "calendar_not_covered",
                    &JsonPath::root().field(name),
                    format!(
                        "`{name}` is in {year}, a year the calendar does not cover: deadlines counted in it follow the weekday rule, without holidays or make-up days (under a strict calendar they are refused); check the date"
                    ),
                )
            })
        })
        .collect()
}

// --- The case lifecycle -------------------------------------------------------------------

/// Opens a case: `{"command": {"type": "record", "actor": {...}, "report": {...}}, "now": "...",
/// "key": "..."}`. With the host's `key` (hex) the event comes back sealed.
pub fn record(policy: &Policy, input_json: &str) -> Result<lifecycle::Applied, Error> {
    typed::record(policy, &Input::parse(input_json)?.read()?)
}

/// Applies a command: `{"case": {...}, "command": {...}, "now": "...", "key": "..."}`. With the
/// host's `key` (hex) the event comes back sealed.
pub fn apply(policy: &Policy, input_json: &str) -> Result<lifecycle::Applied, Error> {
    typed::apply(policy, &Input::parse(input_json)?.read()?)
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
    typed::tick(policy, &Input::parse(input_json)?.read()?)
}

/// Rebuilds a case from its log: `{"events": [...]}`, optionally with an `anchor` (`{"events":
/// N, "last_hash": "..."}`) or the stored `case` to end at, and the `key` every seal must verify
/// under.
pub fn replay(policy: &Policy, input_json: &str) -> Result<lifecycle::Case, Error> {
    typed::replay(policy, &Input::parse(input_json)?.read()?)
}

/// Checks a stored log: `{"events": [...]}`, optionally with an `anchor` (`{"events": N,
/// "last_hash": "..."}`) or the stored `case` to end at, and the `key` every seal must verify
/// under.
pub fn verify_log(input_json: &str) -> Result<lifecycle::LogVerification, Error> {
    Ok(typed::verify_log(&Input::parse(input_json)?.read()?))
}

/// A JSON object input, read member by member.
struct Input(Value);

impl Input {
    fn parse(text: &str) -> Result<Input, Error> {
        parse_bounded(text, MAX_INPUT_BYTES, "the input")
            .map(Input)
            .map_err(|d| Error::single(ErrorCode::InvalidJson, "invalid input", d))
    }

    /// Reads the input as a `T`, failing with every problem found, nested ones and unknown
    /// members included.
    fn read<T: ReadObject>(&self) -> Result<T, Error> {
        T::read_all(&self.0, &JsonPath::root()).map_err(|diagnostics| {
            Error::new(ErrorCode::InvalidInput, "invalid input", diagnostics)
        })
    }
}

/// Moves the problems of a nested reader that answers with an [`Error`] into `r`.
fn moved<T>(r: &mut ObjectReader<'_>, read: Result<T, Error>) -> Option<T> {
    match read {
        Ok(v) => Some(v),
        Err(error) => {
            for d in error.errors {
                r.push(d);
            }
            None
        }
    }
}

/// A command, read as [`lifecycle::Command::from_value`] reads one.
fn command_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<lifecycle::Command> {
    let value = r.raw(name)?;
    let read = lifecycle::Command::from_value(value, &r.path_of(name));
    moved(r, read)
}

/// A case snapshot, read as [`lifecycle::Case::from_value`] reads one (its format first).
fn case_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<lifecycle::Case> {
    let value = r.raw(name)?;
    let read = lifecycle::Case::from_value(value, &r.path_of(name));
    moved(r, read)
}

/// The host's seal key: 64 to 128 hexadecimal digits.
fn seal_key(r: &mut ObjectReader<'_>, name: &'static str) -> Option<lifecycle::SealKey> {
    // Any length is read, so that a key of the wrong length is named as such.
    let text = r.string(name, true, 4096)?;
    match lifecycle::SealKey::from_hex(&text) {
        Ok(key) => Some(key),
        Err(message) => {
            r.report("invalid_key", name, message);
            None
        }
    }
}

/// A log's events, each read as [`lifecycle::Event::from_value`] reads one (its format first).
fn events_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Vec<lifecycle::Event>> {
    let Some(Value::Array(items)) = r.raw(name) else {
        r.report("wrong_type", name, "`events` is a list of events");
        return None;
    };
    let path = r.path_of(name);
    let mut events = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let read = lifecycle::Event::from_value(item, &path.index(i));
        if let Some(event) = moved(r, read) {
            events.push(event);
        }
    }
    Some(events)
}

/// Refuses a log given two anchors.
fn one_anchor(r: &mut ObjectReader<'_>, input: &EventsInput) -> bool {
    if input.anchor.is_some() && input.case.is_some() {
        r.report(
            "conflicting_fields",
            "case",
            "give the log's anchor either as `anchor` or as the stored `case`, not both",
        );
    }
    true
}

// --- The inputs of the calls: one Rust type each, read member by member ----------------------

/// The input of `deadline` (read by `caseflow_core::api::deadline`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
pub struct DeadlineInput {
    /// The start: an RFC 3339 instant with an offset.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub from: DateTime<FixedOffset>,
    /// The duration to add: `"3 working_days"` or `{"amount": 3, "unit": "working_days"}`.
    #[schemars(with = "DurationSpec")]
    pub add: Duration,
}

/// The input of `calendarDays` (read by `caseflow_core::api::calendar_days`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
#[read(check = a_short_range)]
pub struct CalendarDaysInput {
    /// The first date, `YYYY-MM-DD`.
    #[schemars(with = "String", extend("format" = "date"))]
    pub from: NaiveDate,
    /// The last date, included; at most ten years after `from`.
    #[schemars(with = "String", extend("format" = "date"))]
    pub to: NaiveDate,
}

/// The input of `clockStatus` (read by `caseflow_core::api::clock_status`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
pub struct ClockStatusInput {
    /// The clock.
    #[read(with = clock_member)]
    pub clock: Clock,
    /// The instant asked about.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
}

/// The input of `record` (read by `caseflow_core::api::record`): a command of type `record`.
#[derive(Clone, JsonSchema, Read)]
pub struct RecordInput {
    /// `{"type": "record", "actor": {...}, "report": {...}}`.
    #[read(with = command_member)]
    pub command: lifecycle::Command,
    /// The instant the case is opened.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
    /// The host's seal key, 64 to 128 hex digits: the event comes back sealed. Keep it on the
    /// server, never in the log.
    #[schemars(with = "Option<String>")]
    #[read(with = seal_key)]
    pub key: Option<lifecycle::SealKey>,
}

/// The input of `apply` (read by `caseflow_core::api::apply`).
#[derive(Clone, JsonSchema, Read)]
pub struct ApplyInput {
    /// The case as the last answer returned it.
    #[read(with = case_member)]
    pub case: lifecycle::Case,
    /// The command.
    #[read(with = command_member)]
    pub command: lifecycle::Command,
    /// The instant of the command.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
    /// The host's seal key, 64 to 128 hex digits: the event comes back sealed.
    #[schemars(with = "Option<String>")]
    #[read(with = seal_key)]
    pub key: Option<lifecycle::SealKey>,
}

/// The input of `tick` (read by `caseflow_core::api::tick`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
pub struct TickInput {
    /// The case.
    #[read(with = case_member)]
    pub case: lifecycle::Case,
    /// The instant asked about.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
}

/// The input of `replay` and `verifyLog` (read by `caseflow_core::api::replay` and
/// `verify_log`).
#[derive(Clone, JsonSchema, Read)]
#[read(check = one_anchor)]
pub struct EventsInput {
    /// The case's events, oldest first.
    #[read(with = events_member)]
    pub events: Vec<lifecycle::Event>,
    /// The count and last hash the log must end at, as the host stored them.
    pub anchor: Option<LogAnchor>,
    /// The stored case the log must end at (instead of `anchor`).
    #[read(with = case_member)]
    pub case: Option<lifecycle::Case>,
    /// The host's seal key: every event's seal must verify under it.
    #[schemars(with = "Option<String>")]
    #[read(with = seal_key)]
    pub key: Option<lifecycle::SealKey>,
}

impl EventsInput {
    /// What the log is checked against: the anchor (or the stored case's) and the key.
    pub fn check(&self) -> lifecycle::LogCheck {
        let anchor = match (&self.anchor, &self.case) {
            (Some(anchor), _) => Some(lifecycle::Anchor {
                events: anchor.events,
                last_hash: anchor.last_hash.clone(),
                case_id: None,
            }),
            (None, Some(case)) => Some(lifecycle::Anchor::of(case)),
            (None, None) => None,
        };
        lifecycle::LogCheck {
            anchor,
            key: self.key.clone(),
        }
    }
}

/// Where a log must end (`anchor` of `replay` and `verifyLog`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
pub struct LogAnchor {
    /// How many events the log holds.
    #[read(count = u64::MAX)]
    pub events: u64,
    /// Its last event's hash.
    #[read(text = 64)]
    pub last_hash: String,
}

/// The input of `warranty` (read by `caseflow_core::api::warranty`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
pub struct WarrantyInput {
    /// What is known of the project; without `accepted_on` it is not yet accepted.
    #[schemars(default)]
    pub project_facts: Option<crate::intake::ProjectFacts>,
    /// The element asked about; without it the answer holds for whichever element it is, or is
    /// `unknown`.
    #[schemars(default)]
    pub element: Option<WarrantyElement>,
    /// The day asked about, `YYYY-MM-DD`.
    #[schemars(with = "String", extend("format" = "date"))]
    pub on: NaiveDate,
}

/// The input of `drill_status` (read by `caseflow_core::api::drill_status`).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
pub struct DrillStatusInput {
    /// The days emergency drills were held, `YYYY-MM-DD`, in any order.
    #[schemars(with = "Vec<String>")]
    #[read(with = date_list)]
    pub drills: Vec<NaiveDate>,
    /// The instant asked about.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
}

/// The calls with Rust types: what the JSON calls of [`crate::api`] run once they have read
/// their input. A value built in Rust is taken as it is; the limits the JSON readers enforce
/// are the caller's (see [`Report::validate`]).
pub mod typed {
    use super::{
        ApplyInput, AssessInput, AuditInput, CalendarDaysInput, CalendarDaysResult, ClassifyResult,
        ClockStatusInput, DeadlineInput, DeadlineResult, DrillStatusInput, EventsInput, MergeInput,
        RecordInput, SpotCheckInput, TickInput, WarrantyInput,
    };
    use crate::calendar::ClockStatus;
    use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
    use crate::intake::Report;
    use crate::lifecycle;
    use crate::policy::Policy;
    use crate::supervision::{self, AuditReport, Kpis, Period, SpotCheck};
    use crate::warranty::Warranty;
    use chrono::Datelike;

    /// Classifies and routes one report.
    pub fn classify(policy: &Policy, report: &Report) -> Result<ClassifyResult, Error> {
        super::classify_report(policy, report)
    }

    /// The due instant of a duration added to an instant on the policy's calendar.
    pub fn deadline(policy: &Policy, input: &DeadlineInput) -> Result<DeadlineResult, Error> {
        let calendar = policy.calendar();
        let from = input.from.with_timezone(&calendar.offset());
        // An instant of 0000 or 9999 may cross a year boundary in the calendar's offset: the
        // answer echoes `from` in it, which must be writable too.
        if !crate::time::writable_instant(&from) {
            return Err(Error::single(
                ErrorCode::InvalidInput,
                "invalid input",
                Diagnostic::error(
                    "out_of_range",
                    &JsonPath::root().field("from"),
                    "in the calendar's offset this instant falls outside the years 0000 to 9999",
                ),
            ));
        }
        // A due instant the calendar cannot write is the sum's fault: named at `add`.
        let due =
            calendar
                .add(input.from, input.add)
                .map_err(|error| match error.errors.as_slice() {
                    [d] if d.code == "out_of_range" && d.path == "$" => Error::single(
                        error.code,
                        "deadline out of range",
                        Diagnostic::error(
                            "out_of_range",
                            &JsonPath::root().field("add"),
                            &d.message,
                        ),
                    ),
                    _ => error,
                })?;
        Ok(DeadlineResult {
            from,
            add: input.add,
            due: due.at,
            warnings: due.warnings,
        })
    }

    /// Each date of a range, with its kind on the policy's calendar.
    pub fn calendar_days(
        policy: &Policy,
        input: &CalendarDaysInput,
    ) -> Result<CalendarDaysResult, Error> {
        let (from, to) = (input.from, input.to);
        let calendar = policy.calendar();
        let warnings = calendar.check_years(from.year()..=to.year())?;
        let days = from
            .iter_days()
            .take_while(|day| *day <= to)
            .map(|day| calendar.day(day))
            .collect();
        Ok(CalendarDaysResult { days, warnings })
    }

    /// A clock's status at an instant; the at-risk fraction is the policy's.
    pub fn clock_status(policy: &Policy, input: &ClockStatusInput) -> Result<ClockStatus, Error> {
        input.clock.status(
            policy.calendar(),
            policy.clocks().at_risk_fraction,
            input.now,
        )
    }

    /// Opens a case; with a key, the event comes back sealed.
    pub fn record(policy: &Policy, input: &RecordInput) -> Result<lifecycle::Applied, Error> {
        super::sealed(
            lifecycle::record(policy, &input.command, input.now)?,
            input.key.as_ref(),
        )
    }

    /// Applies a command to a case; with a key, the event comes back sealed.
    pub fn apply(policy: &Policy, input: &ApplyInput) -> Result<lifecycle::Applied, Error> {
        super::sealed(
            lifecycle::apply(policy, &input.case, &input.command, input.now)?,
            input.key.as_ref(),
        )
    }

    /// A case's clocks, reminders and escalations at an instant.
    pub fn tick(policy: &Policy, input: &TickInput) -> Result<lifecycle::TickReport, Error> {
        lifecycle::tick(policy, &input.case, input.now)
    }

    /// Rebuilds a case from its log, checked against the input's anchor and key.
    pub fn replay(policy: &Policy, input: &EventsInput) -> Result<lifecycle::Case, Error> {
        lifecycle::replay_with(policy, &input.events, &input.check())
    }

    /// Checks a log against the input's anchor and key.
    pub fn verify_log(input: &EventsInput) -> lifecycle::LogVerification {
        lifecycle::verify_log_with(&input.events, &input.check())
    }

    /// When the next emergency drill is due (docs/policy.md §7).
    pub fn drill_status(
        policy: &Policy,
        input: &DrillStatusInput,
    ) -> Result<lifecycle::DrillStatus, Error> {
        lifecycle::drill_status(policy, &input.drills, input.now)
    }

    /// The supervision figures over the input's case logs (docs/policy.md §6). A Rust host
    /// with cases in hand streams them through [`supervision::Assessor`] instead.
    pub fn assess(policy: &Policy, input: &AssessInput) -> Result<Kpis, Error> {
        let period = Period::new(input.from, input.to)?;
        Ok(supervision::assess(policy, &input.cases, period, input.now))
    }

    /// The summaries of disjoint case sets combined into the summary of their union.
    pub fn merge_assessments(input: &MergeInput) -> Result<Kpis, Error> {
        supervision::merge(&input.summaries)
    }

    /// At most `k` cases per project, the same for the same cases and seed everywhere.
    pub fn spot_check(policy: &Policy, input: &SpotCheckInput) -> SpotCheck {
        supervision::spot_check(policy, &input.cases, input.k, input.seed)
    }

    /// The incomplete records of the input's cases, and the logs that do not replay.
    pub fn audit(policy: &Policy, input: &AuditInput) -> AuditReport {
        supervision::audit(policy, &input.cases, input.now)
    }

    /// Whether an element of a project is under warranty on a day.
    pub fn warranty(policy: &Policy, input: &WarrantyInput) -> Result<Warranty, Error> {
        let project = input.project_facts.clone().unwrap_or_default();
        policy
            .warranty_on(&project, input.element, input.on)
            .map_err(|error| match error.errors.as_slice() {
                // A period that would end after 9999-12-31 runs from the acceptance.
                [d] if d.code == "out_of_range" && d.path == "$" => Error::single(
                    error.code,
                    "warranty period out of range",
                    Diagnostic::error(
                        "out_of_range",
                        &JsonPath::root().field("project_facts").field("accepted_on"),
                        &d.message,
                    ),
                ),
                _ => error,
            })?
            .ok_or_else(|| {
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
}

// --- One entry point for every call -------------------------------------------------------

/// The calls of the JSON API, by name: what the C ABI and the wasm package dispatch on, and what
/// the shared conformance corpus (`tests/conformance/`) names.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    /// [`drill_status`]: when the next emergency drill is due.
    DrillStatus,
    /// [`assess`]: the supervision figures over a set of case logs (docs/policy.md §6).
    Assess,
    /// [`merge_assessments`]: the figures of disjoint case sets combined.
    MergeAssessments,
    /// [`spot_check`]: a reproducible sample of cases per project.
    SpotCheck,
    /// [`audit`]: incomplete records and logs that do not replay.
    Audit,
    /// [`analyze_policy`]: the policy's workflow explored and its rules read (issue 14).
    AnalyzePolicy,
    /// [`diff_policies`]: what changes from an older policy to this one, and for which reports.
    DiffPolicies,
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
        Call::DrillStatus,
        Call::Assess,
        Call::MergeAssessments,
        Call::SpotCheck,
        Call::Audit,
        Call::AnalyzePolicy,
        Call::DiffPolicies,
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
            Call::DrillStatus => "drill_status",
            Call::Assess => "assess",
            Call::MergeAssessments => "merge_assessments",
            Call::SpotCheck => "spot_check",
            Call::Audit => "audit",
            Call::AnalyzePolicy => "analyze_policy",
            Call::DiffPolicies => "diff_policies",
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
        Call::DrillStatus => to_json(&drill_status(policy, input_json)?),
        Call::Assess => to_json(&assess(policy, input_json)?),
        Call::MergeAssessments => to_json(&merge_assessments(input_json)?),
        Call::SpotCheck => to_json(&spot_check(policy, input_json)?),
        Call::Audit => to_json(&audit(policy, input_json)?),
        Call::AnalyzePolicy => to_json(&analyze_policy(policy, input_json)?),
        Call::DiffPolicies => to_json(&diff_policies(policy, input_json)?),
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
// Calendar and deadlines (docs/policy.md §5): `deadline`, `calendar_days`, `clock_status`.
//
// Inputs are read field by field (every bad field named, unknown fields refused); instants may
// carry any offset, and every instant in a result is written in the calendar's offset.

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
    typed::deadline(policy, &read_call(input_json)?)
}

/// Each date from `from` to `to` inclusive: input `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`,
/// at most [`MAX_CALENDAR_RANGE_DAYS`] days. Uncovered years give a warning (lenient) or an
/// error (strict).
pub fn calendar_days(policy: &Policy, input_json: &str) -> Result<CalendarDaysResult, Error> {
    typed::calendar_days(policy, &read_call(input_json)?)
}

/// Refuses a range that ends before it starts or is longer than [`MAX_CALENDAR_RANGE_DAYS`].
fn a_short_range(r: &mut ObjectReader<'_>, input: &CalendarDaysInput) -> bool {
    let (from, to) = (input.from, input.to);
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
            format!("the range has {days} days, more than the limit of {MAX_CALENDAR_RANGE_DAYS}"),
        );
    }
    true
}

/// A clock's status: input `{"clock": {"start": ..., "duration": ..., "pauses": [{"from": ...,
/// "to": ...}], "stopped_at": ...}, "now": "<RFC 3339 instant>"}`. The at-risk fraction is the
/// policy's `clocks.at_risk_fraction`.
pub fn clock_status(policy: &Policy, input_json: &str) -> Result<ClockStatus, Error> {
    typed::clock_status(policy, &read_call(input_json)?)
}

/// The clerk's direct question, "is it still under warranty?" (docs/policy.md §1.1): input
/// `{"project_facts": {"accepted_on": "YYYY-MM-DD", "started_on"?, "design_service_life_years"?},
/// "element"?: "waterproofing", "on": "YYYY-MM-DD"}`. Without `element` the answer holds for
/// whichever element (or is `unknown`); without `accepted_on` the project is not yet accepted.
pub fn warranty(policy: &Policy, input_json: &str) -> Result<Warranty, Error> {
    typed::warranty(policy, &read_call(input_json)?)
}

/// When the next emergency drill is due (docs/policy.md §7): input `{"drills": ["YYYY-MM-DD",
/// ...], "now": "<RFC 3339 instant>"}`, output `{"last": "YYYY-MM-DD"|null, "next_due":
/// "<instant>", "overdue": bool, "days_overdue": n, "interval": "365 calendar_days", "rule":
/// ...}`. Without drills the next is due now, and overdue.
pub fn drill_status(policy: &Policy, input_json: &str) -> Result<lifecycle::DrillStatus, Error> {
    typed::drill_status(policy, &read_call(input_json)?)
}

/// Parses a calendar call's input and reads it as a `T`, failing with every problem found.
fn read_call<T: ReadObject>(input_json: &str) -> Result<T, Error> {
    read_bounded(input_json, MAX_CALENDAR_INPUT_BYTES)
}

/// Parses an input of at most `max_bytes` and reads it as a `T`, failing with every problem
/// found.
fn read_bounded<T: ReadObject>(input_json: &str, max_bytes: usize) -> Result<T, Error> {
    let value = parse_bounded(input_json, max_bytes, "the input")
        .map_err(|d| Error::single(ErrorCode::InvalidJson, "the input is not valid JSON", d))?;
    T::read_all(&value, &JsonPath::root())
        .map_err(|diagnostics| Error::new(ErrorCode::InvalidInput, "invalid input", diagnostics))
}

/// A list of days (`drill_status`).
fn date_list(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Vec<NaiveDate>> {
    r.field(name, <Vec<NaiveDate> as ReadValue>::read)
}

/// A clock given to `clock_status`, whose times must be consistent.
fn clock_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Clock> {
    let clock = r.field(name, <Clock as ReadValue>::read)?;
    for problem in clock.check(&r.path_of(name)) {
        r.push(problem);
    }
    Some(clock)
}

// =============================================================================================
// Supervision (docs/policy.md §6): `assess`, `merge_assessments`, `spot_check`, `audit`.
//
// Cases are given as their event logs, each a JSON array of events, and replayed: a log that does
// not replay is a `bad_log` finding in the answer, never an error of the call, and is left out of
// every figure.

/// The input of `assess`: `{"cases": [[event, ...], ...], "from": "YYYY-MM-DD", "to":
/// "YYYY-MM-DD", "now": "<RFC 3339 instant>"}`.
#[derive(Clone, Debug, PartialEq, JsonSchema, Read)]
#[read(check = a_period)]
pub struct AssessInput {
    /// The cases, each its event log (a JSON array of events, oldest first).
    #[schemars(with = "Vec<Vec<lifecycle::Event>>")]
    #[read(with = case_logs)]
    pub cases: Vec<Value>,
    /// The first date of the period: cases received on it or later (in the calendar's offset).
    #[schemars(with = "String", extend("format" = "date"))]
    pub from: NaiveDate,
    /// The last date of the period, included.
    #[schemars(with = "String", extend("format" = "date"))]
    pub to: NaiveDate,
    /// The instant open cases are judged at (overdue clocks, deadlines not yet met).
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
}

/// The input of `merge_assessments`: `{"summaries": [<assess answer>, ...]}`.
#[derive(Clone, Debug, PartialEq, JsonSchema, Read)]
pub struct MergeInput {
    /// The summaries of disjoint case sets, of one period, `now` and policy.
    #[read(with = summaries_member)]
    pub summaries: Vec<crate::supervision::Kpis>,
}

/// The input of `spot_check`: `{"cases": [[event, ...], ...], "k": 5, "seed": 2026}`.
#[derive(Clone, Debug, PartialEq, JsonSchema, Read)]
pub struct SpotCheckInput {
    /// The cases, each its event log.
    #[schemars(with = "Vec<Vec<lifecycle::Event>>")]
    #[read(with = case_logs)]
    pub cases: Vec<Value>,
    /// At most this many cases per project.
    #[read(count = MAX_SPOT_CHECK_K)]
    pub k: u64,
    /// The seed: the same seed and cases give the same sample.
    #[read(count = u64::MAX)]
    pub seed: u64,
}

/// The input of `audit`: `{"cases": [[event, ...], ...], "now": "<RFC 3339 instant>"}`, `now`
/// optional.
#[derive(Clone, Debug, PartialEq, JsonSchema, Read)]
pub struct AuditInput {
    /// The cases, each its event log.
    #[schemars(with = "Vec<Vec<lifecycle::Event>>")]
    #[read(with = case_logs)]
    pub cases: Vec<Value>,
    /// The instant a missing post-event review is judged overdue at; when omitted, each case's
    /// last event (so a case closed before its review falls due is not flagged).
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub now: Option<DateTime<FixedOffset>>,
}

/// The supervision figures over a set of case logs (docs/policy.md §6): input
/// `{"cases": [[event, ...], ...], "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "now": "..."}`.
/// A period whose `to` precedes its `from` is refused (`out_of_order` at `$.to`).
pub fn assess(policy: &Policy, input_json: &str) -> Result<crate::supervision::Kpis, Error> {
    typed::assess(policy, &read_supervision(input_json)?)
}

/// Combines summaries of disjoint case sets: input `{"summaries": [<assess answer>, ...]}`.
/// Summaries of another period, `now` or policy are refused (`incompatible_summaries`).
pub fn merge_assessments(input_json: &str) -> Result<crate::supervision::Kpis, Error> {
    typed::merge_assessments(&read_supervision(input_json)?)
}

/// A reproducible sample per project: input `{"cases": [[event, ...], ...], "k": n, "seed":
/// n}`.
pub fn spot_check(
    policy: &Policy,
    input_json: &str,
) -> Result<crate::supervision::SpotCheck, Error> {
    Ok(typed::spot_check(policy, &read_supervision(input_json)?))
}

/// The audit of a set of case logs: input `{"cases": [[event, ...], ...]}`.
pub fn audit(policy: &Policy, input_json: &str) -> Result<crate::supervision::AuditReport, Error> {
    Ok(typed::audit(policy, &read_supervision(input_json)?))
}

/// The input of `analyze_policy`: `{}` (the policy analysed is the one the call runs on).
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema, Read)]
#[schemars(deny_unknown_fields)]
pub struct AnalyzeInput {}

/// The policy's workflow explored and its rules read (issue 14): input `{}`.
pub fn analyze_policy(
    policy: &Policy,
    input_json: &str,
) -> Result<crate::analysis::Analysis, Error> {
    let _: AnalyzeInput = read_call(input_json)?;
    Ok(crate::analysis::analyze(policy))
}

/// The input of `diff_policies`: the older policy and, optionally, past reports to compare the
/// two policies on. The call runs on the newer policy.
#[derive(Debug, JsonSchema, Read)]
pub struct DiffInput {
    /// The older policy, as a policy document.
    #[schemars(with = "crate::policy::document::PolicyDocument")]
    #[read(with = policy_member)]
    pub old: Policy,
    /// Past reports: each whose category, tier, emergency level or routing differs under the
    /// two policies is listed.
    #[schemars(default)]
    #[read(with = report_list)]
    pub reports: Option<Vec<Report>>,
}

/// What changes from an older policy (`old`) to the one the call runs on, and for which of
/// `reports`: input `{"old": <policy document>, "reports": [<report>, ...]}`.
pub fn diff_policies(
    policy: &Policy,
    input_json: &str,
) -> Result<crate::analysis::diff::PolicyDiff, Error> {
    let input: DiffInput = read_supervision(input_json)?;
    Ok(crate::analysis::diff::diff(
        &input.old,
        policy,
        input.reports.as_deref().unwrap_or_default(),
    ))
}

/// A list of reports, each read as `record` reads one.
fn report_list(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Vec<Report>> {
    let items = match r.raw(name)? {
        Value::Array(items) => items,
        other => {
            let found = crate::reader::kind_of(other);
            r.report(
                "wrong_type",
                name,
                format!("`{name}` is a list of reports; found {found}"),
            );
            return None;
        }
    };
    let base = r.path_of(name);
    let mut reports = Vec::with_capacity(items.len());
    let mut failed = false;
    for (index, item) in items.iter().enumerate() {
        match crate::intake::read_report(item, base.index(index)) {
            Ok(report) => reports.push(report),
            Err(error) => {
                failed = true;
                for d in error.errors {
                    r.push(d);
                }
            }
        }
    }
    (!failed).then_some(reports)
}

/// A policy given as a member, loaded and checked; its problems are reported under the member.
fn policy_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Policy> {
    let value = r.raw(name)?;
    match Policy::from_value(value) {
        Ok(policy) => Some(policy),
        Err(error) => {
            let base = r.path_of(name).to_string();
            for d in error.errors {
                let path = match d.path.strip_prefix('$') {
                    Some(rest) => format!("{base}{rest}"),
                    None => d.path.clone(),
                };
                r.push(Diagnostic { path, ..d });
            }
            None
        }
    }
}

/// Parses a supervision call's input (up to [`MAX_SUPERVISION_INPUT_BYTES`]) and reads it.
fn read_supervision<T: ReadObject>(input_json: &str) -> Result<T, Error> {
    read_bounded(input_json, MAX_SUPERVISION_INPUT_BYTES)
}

/// The case logs: an array whose every item is one case's log, judged case by case.
fn case_logs(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Vec<Value>> {
    match r.raw(name)? {
        Value::Array(items) => Some(items.clone()),
        other => {
            let found = crate::reader::kind_of(other);
            r.report(
                "wrong_type",
                name,
                format!("`{name}` is a list of case logs, each a list of events; found {found}"),
            );
            None
        }
    }
}

/// The summaries to merge, each read as an `assess` answer.
fn summaries_member(
    r: &mut ObjectReader<'_>,
    name: &'static str,
) -> Option<Vec<crate::supervision::Kpis>> {
    r.field(name, <Vec<crate::supervision::Kpis> as ReadValue>::read)
}

/// Refuses a period that ends before it starts, as [`crate::supervision::Period::new`] does.
fn a_period(r: &mut ObjectReader<'_>, input: &AssessInput) -> bool {
    match crate::supervision::Period::new(input.from, input.to) {
        Ok(_) => true,
        Err(error) => {
            error.errors.into_iter().for_each(|d| r.push(d));
            false
        }
    }
}
