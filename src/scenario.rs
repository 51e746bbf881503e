//! Scenarios: a report and timed commands, run through the lifecycle as a timeline.
//!
//! A scenario is what `caseflow simulate` runs and what docs/lifecycle.md documents: a report, who
//! recorded it and when, and steps — each a command at an instant, or a tick (a look at the
//! clocks) at an instant. [`simulate`] records the case, applies every step in order and never
//! stops at a refusal: a refused step is part of the story, leaves the case as it was, and the
//! next step runs on the unchanged case. Pure, like the rest of the engine: the caller reads the
//! file.
//!
//! ```json
//! {"name": "tier 2: a leak", "description": "optional",
//!  "actors": {"leader": {"id": "pl-1", "roles": ["project_leader"]}},
//!  "report": {...}, "recorded_by": {"id": "clerk-1", "roles": ["intake_clerk"]},
//!  "recorded_at": "2026-03-02T09:30:00+08:00",
//!  "steps": [{"at": "...", "command": {"type": "accept", "actor": "leader", ...}},
//!            {"at": "...", "tick": true, "note": "optional"}]}
//! ```
//!
//! An actor is written in full (`{"id", "roles", ...}`) or by a name from `actors`.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use caseflow_core::domain::limits::MAX_TEXT_CHARS;
use caseflow_core::error::{Diagnostic, Error, ErrorCode, JsonPath};
use caseflow_core::intake::{Report, read_report};
use caseflow_core::lifecycle::{
    Action, Actor, Case, CaseState, ClockReport, Command, Effect, Event, apply, record, tick,
};
use caseflow_core::policy::Policy;
use caseflow_core::reader::{ObjectReader, ReadObject, kind_of, parse_bounded};
use caseflow_core::time::format_instant;
use caseflow_core::{Category, Tier};
use caseflow_strategies::invariants::{self, Violation};
use caseflow_strategies::{CaseHistory, TimedCommand};

/// The largest scenario file accepted, in bytes.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Most steps in one scenario.
pub const MAX_STEPS: usize = 1_000;

/// A report and the timed steps that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// A short name.
    pub name: String,
    /// What the scenario shows.
    pub description: Option<String>,
    /// The report that opens the case.
    pub report: Report,
    /// Who records it.
    pub recorded_by: Actor,
    /// When it is recorded.
    pub recorded_at: DateTime<FixedOffset>,
    /// What happens next, in order.
    pub steps: Vec<Step>,
}

/// One step of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// When it happens: the command's "now", or the instant the clocks are looked at.
    pub at: DateTime<FixedOffset>,
    /// A remark shown beside the step.
    pub note: Option<String>,
    /// What happens.
    pub action: StepAction,
}

/// What a step does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepAction {
    /// Apply a command.
    Command(Command),
    /// Report the clocks, reminders and escalations at the step's instant (§5.3).
    Tick,
}

impl Scenario {
    /// Reads a scenario from JSON text, naming every bad field with its path.
    pub fn from_json(text: &str) -> Result<Scenario, Error> {
        let value = parse_bounded(text, MAX_SCENARIO_BYTES, "the scenario")
            .map_err(|d| Error::single(ErrorCode::InvalidJson, "invalid scenario", d))?;
        Scenario::from_value(&value)
    }

    /// Reads a scenario given as a JSON value, naming every bad field with its path.
    pub fn from_value(value: &Value) -> Result<Scenario, Error> {
        let mut diagnostics = Vec::new();
        let scenario =
            ObjectReader::new(value, JsonPath::root(), &mut diagnostics).and_then(read_scenario);
        match scenario {
            Some(scenario) if diagnostics.is_empty() => Ok(scenario),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "invalid scenario",
                diagnostics,
            )),
        }
    }
}

fn read_scenario(mut r: ObjectReader<'_>) -> Option<Scenario> {
    let name = r.string("name", true, 200);
    let description = r.string("description", false, MAX_TEXT_CHARS);
    let actors = read_actors(&mut r);
    let report = match r.raw_required("report") {
        Some(value) => match read_report(value, r.path_of("report")) {
            Ok(report) => Some(report),
            Err(error) => {
                for d in error.errors {
                    r.push(d);
                }
                None
            }
        },
        None => None,
    };
    let recorded_by = read_actor_ref(&mut r, "recorded_by", &actors);
    let recorded_at = r.instant("recorded_at", true);
    let steps = read_steps(&mut r, &actors);
    r.finish();
    Some(Scenario {
        name: name?,
        description,
        report: report?,
        recorded_by: recorded_by?,
        recorded_at: recorded_at?,
        steps: steps?,
    })
}

/// The named actors: `{"leader": {"id": ..., "roles": [...]}}`, kept as JSON so that a command
/// naming one reads exactly as if the actor were written in place.
fn read_actors(r: &mut ObjectReader<'_>) -> BTreeMap<String, Value> {
    let mut actors = BTreeMap::new();
    let Some(value) = r.raw("actors") else {
        return actors;
    };
    let path = r.path_of("actors");
    let Value::Object(map) = value else {
        let found = kind_of(value);
        r.report(
            "wrong_type",
            "actors",
            format!("expected an object of named actors, found {found}"),
        );
        return actors;
    };
    for (name, actor) in map {
        let mut found = Vec::new();
        let ok = Actor::read_value(actor, &path.field(name), &mut found).is_some();
        if ok && found.is_empty() {
            actors.insert(name.clone(), actor.clone());
        }
        for d in found {
            r.push(d);
        }
    }
    actors
}

/// An actor written in full or by name.
fn read_actor_ref(
    r: &mut ObjectReader<'_>,
    name: &'static str,
    actors: &BTreeMap<String, Value>,
) -> Option<Actor> {
    let value = r.raw_required(name)?;
    let path = r.path_of(name);
    let value = resolve(value, &path, actors).map_err(|d| r.push(d)).ok()?;
    let mut found = Vec::new();
    let actor = Actor::read_value(&value, &path, &mut found);
    let ok = found.is_empty();
    for d in found {
        r.push(d);
    }
    actor.filter(|_| ok)
}

/// The actor object a reference stands for: itself when written in full, the named one when a
/// name.
fn resolve(
    value: &Value,
    path: &JsonPath,
    actors: &BTreeMap<String, Value>,
) -> Result<Value, Diagnostic> {
    match value {
        Value::String(name) => actors.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = actors.keys().map(String::as_str).collect();
            Diagnostic::error(
                "unknown_actor",
                path,
                if known.is_empty() {
                    format!("no actor is named `{name}`: the scenario has no `actors`")
                } else {
                    format!(
                        "no actor is named `{name}`; the scenario's actors are {}",
                        known.join(", ")
                    )
                },
            )
        }),
        other => Ok(other.clone()),
    }
}

fn read_steps(r: &mut ObjectReader<'_>, actors: &BTreeMap<String, Value>) -> Option<Vec<Step>> {
    let value = r.raw_required("steps")?;
    let Value::Array(items) = value else {
        let found = kind_of(value);
        r.report(
            "wrong_type",
            "steps",
            format!("expected a list of steps, found {found}"),
        );
        return None;
    };
    if items.len() > MAX_STEPS {
        r.report(
            "too_many",
            "steps",
            format!("at most {MAX_STEPS} steps, found {}", items.len()),
        );
        return None;
    }
    let path = r.path_of("steps");
    let mut steps = Vec::with_capacity(items.len());
    let mut complete = true;
    for (i, item) in items.iter().enumerate() {
        let mut found = Vec::new();
        let step =
            ObjectReader::new(item, path.index(i), &mut found).and_then(|s| read_step(s, actors));
        match step {
            Some(step) if found.is_empty() => steps.push(step),
            _ => complete = false,
        }
        for d in found {
            r.push(d);
        }
    }
    complete.then_some(steps)
}

fn read_step(mut s: ObjectReader<'_>, actors: &BTreeMap<String, Value>) -> Option<Step> {
    let at = s.instant("at", true);
    let note = s.string("note", false, MAX_TEXT_CHARS);
    let command = s.raw("command");
    let is_tick = s.raw("tick");
    let action = match (command, is_tick) {
        (Some(_), Some(_)) => {
            s.report_object(
                "ambiguous_step",
                "a step is either a `command` or a `tick`, not both",
            );
            None
        }
        (None, None) => {
            s.report_object(
                "missing_field",
                "a step has a `command` or `\"tick\": true`",
            );
            None
        }
        (None, Some(Value::Bool(true))) => Some(StepAction::Tick),
        (None, Some(_)) => {
            s.report(
                "invalid_value",
                "tick",
                "write a tick step as `\"tick\": true`",
            );
            None
        }
        (Some(command), None) => {
            read_step_command(&mut s, command, actors).map(StepAction::Command)
        }
    };
    s.finish();
    Some(Step {
        at: at?,
        note,
        action: action?,
    })
}

fn read_step_command(
    s: &mut ObjectReader<'_>,
    command: &Value,
    actors: &BTreeMap<String, Value>,
) -> Option<Command> {
    let path = s.path_of("command");
    let mut command = command.clone();
    if let Value::Object(members) = &mut command {
        if let Some(actor) = members.get("actor") {
            match resolve(actor, &path.field("actor"), actors) {
                Ok(resolved) => {
                    members.insert("actor".to_owned(), resolved);
                }
                Err(d) => {
                    s.push(d);
                    return None;
                }
            }
        }
    }
    match Command::from_value(&command, &path) {
        Ok(command) if matches!(command.action, Action::Record { .. }) => {
            s.report(
                "invalid_value",
                "command",
                "the scenario's report is recorded by `recorded_by` at `recorded_at`: a step cannot `record` another",
            );
            None
        }
        Ok(command) => Some(command),
        Err(error) => {
            for d in error.errors {
                s.push(d);
            }
            None
        }
    }
}

/// What became of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The command was applied.
    Accepted,
    /// The command was refused; the case is unchanged.
    Refused,
    /// The clocks were looked at.
    Ticked,
}

/// One line of the timeline: a step and the case after it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepReport {
    /// The step's number: 0 for the record, then 1, 2... for the scenario's steps.
    pub step: usize,
    /// When, in the calendar's offset.
    pub at: String,
    /// `record`, the command's name, or `tick`.
    pub action: String,
    /// Who issued the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// The step's remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Accepted, refused or ticked.
    pub outcome: Outcome,
    /// Why the command was refused (or the tick failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
    /// The case's state after the step (absent while there is no case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<CaseState>,
    /// Its tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Its category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Every clock of the case as of the step's instant, running or stopped.
    pub clocks: Vec<ClockReport>,
    /// What the host must do: the command's effects, or the tick's reminders and escalations.
    pub effects: Vec<Effect>,
    /// The event stored for an accepted command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
    /// The case after an accepted command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<Case>,
    /// Warnings, such as a year the calendar does not cover.
    pub warnings: Vec<Diagnostic>,
}

/// The answer of [`simulate`].
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    /// The scenario's name.
    pub scenario: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// One report per step, the record first.
    pub timeline: Vec<StepReport>,
    /// The case at the end (absent when the record was refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<Case>,
    /// The case's event log at the end.
    pub events: Vec<Event>,
}

/// Runs a scenario: records the report, then applies each step in order. A refused step is
/// reported and the case stays as it was; the run never stops early.
pub fn simulate(policy: &Policy, scenario: &Scenario) -> Simulation {
    let offset = policy.calendar().offset();
    let mut timeline = Vec::with_capacity(scenario.steps.len() + 1);
    let mut events = Vec::new();
    let opening = Command {
        actor: scenario.recorded_by.clone(),
        action: Action::Record {
            report: std::sync::Arc::new(scenario.report.clone()),
        },
    };
    let mut case: Option<Case> = None;
    // The record is step 0; a tick has no command.
    let steps = std::iter::once((None, scenario.recorded_at, Some(&opening))).chain(
        scenario.steps.iter().map(|s| match &s.action {
            StepAction::Command(c) => (s.note.as_ref(), s.at, Some(c)),
            StepAction::Tick => (s.note.as_ref(), s.at, None),
        }),
    );
    for (index, (note, at, command)) in steps.enumerate() {
        let is_tick = command.is_none();
        let mut report = StepReport {
            step: index,
            at: format_instant(&at, offset),
            action: command.map_or_else(
                || "tick".to_owned(),
                |c| c.action.kind().as_str().to_owned(),
            ),
            actor: command.map(|c| c.actor.clone()),
            note: note.cloned(),
            outcome: Outcome::Ticked,
            error: None,
            state: None,
            tier: None,
            category: None,
            clocks: Vec::new(),
            effects: Vec::new(),
            event: None,
            case: None,
            warnings: Vec::new(),
        };
        if let Some(command) = command {
            let applied = match (&case, index) {
                (_, 0) => record(policy, command, at),
                (Some(current), _) => apply(policy, current, command, at),
                (None, _) => Err(Error::single(
                    ErrorCode::Refused,
                    "command refused",
                    Diagnostic::error(
                        "no_case",
                        &JsonPath::root(),
                        "there is no case: its record was refused",
                    ),
                )),
            };
            match applied {
                Ok(applied) => {
                    report.outcome = Outcome::Accepted;
                    report.effects = applied.effects;
                    events.push(applied.event.clone());
                    report.event = Some(applied.event);
                    report.case = Some(applied.case.clone());
                    case = Some(applied.case);
                }
                Err(error) => {
                    report.outcome = Outcome::Refused;
                    report.error = Some(error);
                }
            }
        }
        if let Some(current) = &case {
            report.state = Some(current.state);
            report.tier = Some(current.tier);
            report.category = Some(current.category);
            match tick(policy, current, at) {
                Ok(ticked) => {
                    report.clocks = ticked.clocks;
                    report.warnings = ticked.warnings;
                    if is_tick {
                        report.effects = ticked.effects;
                    }
                }
                Err(error) if is_tick => {
                    report.outcome = Outcome::Refused;
                    report.error = Some(error);
                }
                Err(error) => report.warnings.extend(error.errors),
            }
        } else if is_tick {
            report.outcome = Outcome::Refused;
            report.error = Some(Error::single(
                ErrorCode::Refused,
                "tick refused",
                Diagnostic::error(
                    "no_case",
                    &JsonPath::root(),
                    "there is no case: its record was refused",
                ),
            ));
        }
        timeline.push(report);
    }
    Simulation {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        timeline,
        case,
        events,
    }
}

impl Scenario {
    /// The scenario as JSON, in the format [`Scenario::from_json`] reads: every actor written
    /// in full, every instant in RFC 3339. Reading it back gives the same scenario.
    pub fn to_value(&self) -> Value {
        let mut scenario = serde_json::Map::new();
        scenario.insert("name".to_owned(), Value::from(self.name.clone()));
        if let Some(description) = &self.description {
            scenario.insert("description".to_owned(), Value::from(description.clone()));
        }
        scenario.insert("report".to_owned(), to_value(&self.report));
        scenario.insert("recorded_by".to_owned(), to_value(&self.recorded_by));
        scenario.insert(
            "recorded_at".to_owned(),
            Value::from(self.recorded_at.to_rfc3339()),
        );
        let steps = self.steps.iter().map(|step| {
            let mut out = serde_json::Map::new();
            out.insert("at".to_owned(), Value::from(step.at.to_rfc3339()));
            if let Some(note) = &step.note {
                out.insert("note".to_owned(), Value::from(note.clone()));
            }
            match &step.action {
                StepAction::Command(command) => {
                    out.insert("command".to_owned(), to_value(command));
                }
                StepAction::Tick => {
                    out.insert("tick".to_owned(), Value::Bool(true));
                }
            }
            Value::Object(out)
        });
        scenario.insert("steps".to_owned(), Value::Array(steps.collect()));
        Value::Object(scenario)
    }

    /// The scenario of a generated case history (see `caseflow verify`).
    pub fn from_history(
        name: &str,
        description: Option<String>,
        history: &CaseHistory,
    ) -> Scenario {
        Scenario {
            name: name.to_owned(),
            description,
            report: (*history.report).clone(),
            recorded_by: history.recorded_by.clone(),
            recorded_at: history.recorded_at,
            steps: history
                .steps
                .iter()
                .map(|s| Step {
                    at: s.at,
                    note: None,
                    action: StepAction::Command(s.command.clone()),
                })
                .collect(),
        }
    }

    /// The case history of the scenario's commands (its ticks left out), and for each of its
    /// steps the number of the scenario step it came from (0 for the record).
    pub fn history(&self) -> (CaseHistory, Vec<usize>) {
        let mut numbers = vec![0];
        let mut steps = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            if let StepAction::Command(command) = &step.action {
                numbers.push(i + 1);
                steps.push(TimedCommand {
                    at: step.at,
                    command: command.clone(),
                });
            }
        }
        let history = CaseHistory {
            report: std::sync::Arc::new(self.report.clone()),
            recorded_by: self.recorded_by.clone(),
            recorded_at: self.recorded_at,
            steps,
        };
        (history, numbers)
    }
}

/// A value the engine's types always serialise (plain structs of strings, numbers and
/// instants); `null` should one ever fail.
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Checks the lifecycle's invariants (`caseflow_strategies::invariants`) on the scenario's
/// commands under `policy`: the first violation, its step numbered as in the timeline (0 for
/// the record, ticks counted).
pub fn check_invariants(policy: &Policy, scenario: &Scenario) -> Result<(), Violation> {
    let (history, numbers) = scenario.history();
    match invariants::check(policy, &history) {
        Ok(_) => Ok(()),
        Err(mut violation) => {
            if let Some(number) = numbers.get(violation.step) {
                violation.step = *number;
            }
            Err(violation)
        }
    }
}
