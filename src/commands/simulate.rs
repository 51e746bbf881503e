//! `caseflow simulate`: run a scenario file (a report plus timed commands) and print its
//! timeline — state, clocks and effects after each step — as a table or as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use caseflow_cli::scenario::{
    Outcome, Scenario, Simulation, StepReport, check_invariants, simulate,
};
use caseflow_core::calendar::ClockState;
use caseflow_core::lifecycle::{CaseState, Effect};
use caseflow_core::time::format_instant;
use caseflow_core::{Category, Policy, Role, Tier};
use clap::Args;

use crate::io::{Failure, load_policy, print_json, print_line, read_input};

/// Arguments of `caseflow simulate`.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Policy file; the built-in default policy when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Print one JSON document (`{"scenario", "timeline": [...], "case", "events"}`) instead of
    /// the table.
    #[arg(long)]
    json: bool,
    /// Check the lifecycle's invariants (as `caseflow verify` does) on the scenario's commands
    /// and report the first violation with its step; exit status 1 on a violation.
    #[arg(long)]
    check_invariants: bool,
    /// The scenario file (see docs/lifecycle.md), or `-`
    /// for standard input.
    scenario: PathBuf,
}

/// Runs the scenario. Refused steps are part of a scenario: the exit status is 0 whenever the
/// scenario ran, 1 when the file is not a valid scenario (or, with `--check-invariants`, when an
/// invariant is violated), 2 when it cannot be read.
pub fn run(args: &SimulateArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let text = read_input(&args.scenario)?;
    let scenario = Scenario::from_json(&text).map_err(|mut error| {
        error.message = format!("{}: {}", args.scenario.display(), error.message);
        Failure::Engine(error)
    })?;
    let simulation = simulate(&policy, &scenario);
    let checked = args
        .check_invariants
        .then(|| check_invariants(&policy, &scenario));
    let violation = checked.clone().and_then(Result::err);
    if args.json {
        match checked {
            // The timeline with the check's answer beside it: `"violation"` is the first
            // violation, or null when every invariant held.
            Some(_) => print_json(&CheckedSimulation {
                simulation: &simulation,
                violation: violation.as_ref(),
            })?,
            None => print_json(&simulation)?,
        }
    } else {
        for line in render(&simulation, &Labeller::plain(&policy)) {
            print_line(&line)?;
        }
        if checked.is_some() {
            print_line("")?;
            match &violation {
                Some(v) => print_line(&format!(
                    "invariant violated at step {}: {}: {}",
                    v.step, v.invariant, v.message
                ))?,
                None => print_line("invariants: all hold")?,
            }
        }
    }
    Ok(if violation.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `simulate --json --check-invariants`: the simulation's members and the violation.
#[derive(serde::Serialize)]
struct CheckedSimulation<'a> {
    #[serde(flatten)]
    simulation: &'a Simulation,
    violation: Option<&'a caseflow_strategies::Violation>,
}

/// Chinese and English names of a state.
pub type StateLabels = fn(CaseState) -> (&'static str, &'static str);

/// How names are shown: as the JSON ids, or with the policy's Chinese and English labels.
pub struct Labeller<'a> {
    policy: &'a Policy,
    states: Option<StateLabels>,
}

impl<'a> Labeller<'a> {
    /// Ids only: `project_leader`, `awaiting_approval`, `tier 2`.
    pub fn plain(policy: &'a Policy) -> Labeller<'a> {
        Labeller {
            policy,
            states: None,
        }
    }

    /// Ids with Chinese and English labels; the policy has none for states, so the caller
    /// gives them.
    pub fn bilingual(policy: &'a Policy, states: StateLabels) -> Labeller<'a> {
        Labeller {
            policy,
            states: Some(states),
        }
    }

    fn bilingual_on(&self) -> bool {
        self.states.is_some()
    }

    /// A state.
    pub fn state(&self, state: CaseState) -> String {
        match self.states {
            Some(label) => {
                let (zh, en) = label(state);
                format!("{zh} {en}")
            }
            None => state.as_str().to_owned(),
        }
    }

    /// A role.
    pub fn role(&self, role: Role) -> String {
        match self
            .policy
            .role_labels(role)
            .filter(|_| self.bilingual_on())
        {
            Some(labels) => format!("{} {}", labels.zh, labels.en),
            None => role.as_str().to_owned(),
        }
    }

    /// A tier.
    pub fn tier(&self, tier: Tier) -> String {
        if self.bilingual_on() {
            let labels = &self.policy.tier(tier).labels;
            format!("{} {}", labels.zh, labels.en)
        } else {
            format!("tier {tier}")
        }
    }

    /// A category.
    pub fn category(&self, category: Category) -> String {
        match self
            .policy
            .category_labels(category)
            .filter(|_| self.bilingual_on())
        {
            Some(labels) => format!("{} {}", labels.zh, labels.en),
            None => category.as_str().to_owned(),
        }
    }

    fn offset_text(&self) -> String {
        self.policy.calendar().offset().to_string()
    }
}

/// An RFC 3339 instant shortened for a table: `2026-03-02 09:30` (seconds only when not zero;
/// the offset is the calendar's, named in the header).
pub fn short_time(rfc3339: &str) -> String {
    let Some((date, rest)) = rfc3339.split_once('T') else {
        return rfc3339.to_owned();
    };
    let time: String = rest
        .chars()
        .take_while(|c| *c != '+' && *c != '-' && *c != 'Z')
        .collect();
    let time = time.strip_suffix(":00").unwrap_or(&time);
    format!("{date} {time}")
}

/// The timeline as lines of text: one row per step, then its refusal, clocks and effects.
pub fn render(simulation: &Simulation, labels: &Labeller<'_>) -> Vec<String> {
    let mut lines = vec![format!("scenario: {}", simulation.scenario)];
    if let Some(description) = &simulation.description {
        lines.push(format!("  {description}"));
    }
    lines.push(String::new());
    lines.push(format!(
        "{:>4}  {:<16}  {:<42}  {:<8}  {:<21}  tier",
        "step",
        format!("time ({})", labels.offset_text()),
        "action / actor",
        "result",
        "state"
    ));
    for step in &simulation.timeline {
        lines.extend(render_step(step, labels));
    }
    lines
}

fn render_step(step: &StepReport, labels: &Labeller<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let who = step
        .actor
        .as_ref()
        .map(|a| {
            let roles: Vec<&str> = a.roles.iter().map(|r| r.as_str()).collect();
            format!(" {} [{}]", a.id, roles.join(","))
        })
        .unwrap_or_default();
    let result = match step.outcome {
        Outcome::Accepted => "accepted".to_owned(),
        Outcome::Refused => "REFUSED".to_owned(),
        Outcome::Ticked => "tick".to_owned(),
        // An outcome newer than this table: its wire name.
        other => template_name(&other),
    };
    let state = step.state.map(|s| s.as_str()).unwrap_or("-");
    let tier = step.tier.map(|t| t.to_string()).unwrap_or_default();
    lines.push(format!(
        "{:>4}  {:<16}  {:<42}  {:<8}  {:<21}  {}",
        step.step,
        short_time(&step.at),
        format!("{}{who}", step.action),
        result,
        state,
        tier
    ));
    let pad = "      ";
    if let Some(note) = &step.note {
        lines.push(format!("{pad}note:     {note}"));
    }
    if labels.bilingual_on() {
        if let (Some(state), Some(tier), Some(category)) = (step.state, step.tier, step.category) {
            lines.push(format!(
                "{pad}case:     {} · {} · {}",
                labels.state(state),
                labels.tier(tier),
                labels.category(category)
            ));
        }
        if let Some(actor) = &step.actor {
            let roles: Vec<String> = actor.roles.iter().map(|r| labels.role(*r)).collect();
            lines.push(format!(
                "{pad}actor:    {} ({})",
                actor.id,
                roles.join(", ")
            ));
        }
    }
    if let Some(error) = &step.error {
        for d in &error.errors {
            lines.push(format!(
                "{pad}refused:  {} at {}: {}",
                d.code, d.path, d.message
            ));
        }
    }
    let running: Vec<String> = step
        .clocks
        .iter()
        .filter(|c| !c.stopped)
        .map(|c| {
            let wire;
            let state = match c.status.state {
                ClockState::Running => "running",
                ClockState::AtRisk => "AT RISK",
                ClockState::Breached => "BREACHED",
                ClockState::Met => "met",
                ClockState::Paused => "paused",
                // A state newer than this table: its wire name.
                other => {
                    wire = template_name(&other);
                    &wire
                }
            };
            let due = format_instant(&c.status.due, c.status.due.offset().to_owned());
            format!(
                "{} due {} ({state}, {:.0}%)",
                clock_name(c.clock),
                short_time(&due),
                c.status.fraction_elapsed * 100.0
            )
        })
        .collect();
    for (i, clock) in running.iter().enumerate() {
        let head = if i == 0 { "clocks:  " } else { "         " };
        lines.push(format!("{pad}{head} {clock}"));
    }
    for (i, effect) in step.effects.iter().enumerate() {
        let head = if i == 0 { "effects: " } else { "         " };
        lines.push(format!("{pad}{head} {}", effect_text(effect, labels)));
    }
    for warning in &step.warnings {
        lines.push(format!("{pad}warning:  {}", warning.message));
    }
    lines
}

fn clock_name(clock: caseflow_core::routing::ClockKind) -> String {
    serde_json::to_value(clock)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A clock's name, with the emergency action it is for.
fn clock_label(clock: caseflow_core::routing::ClockKind, action: Option<&str>) -> String {
    match action {
        Some(action) => format!("{} {action}", clock_name(clock)),
        None => clock_name(clock),
    }
}

fn template_name<T: serde::Serialize>(template: &T) -> String {
    serde_json::to_value(template)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One effect on one line, with the rule it cites.
pub fn effect_text(effect: &Effect, labels: &Labeller<'_>) -> String {
    match effect {
        Effect::Notify {
            to,
            template,
            params,
            rule,
        } => {
            let extra: Vec<String> = params
                .iter()
                .filter(|(k, _)| *k != "case" && *k != "tier")
                .map(|(k, v)| {
                    if v.len() >= 20 && v.as_bytes().get(10) == Some(&b'T') {
                        format!("{k}={}", short_time(v))
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect();
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            };
            format!(
                "notify {} {}{extra} — {rule}",
                labels.role(*to),
                template_name(template)
            )
        }
        Effect::StartClock { clock, due, rule } => {
            format!(
                "start {} due {} — {rule}",
                clock_name(*clock),
                short_time(due)
            )
        }
        Effect::StopClock { clock, met, rule } => format!(
            "stop {} {} — {rule}",
            clock_name(*clock),
            if *met { "met" } else { "BREACHED" }
        ),
        Effect::PauseClock { clock, rule } => format!("pause {} — {rule}", clock_name(*clock)),
        Effect::ResumeClock { clock, due, rule } => format!(
            "resume {} due {} — {rule}",
            clock_name(*clock),
            short_time(due)
        ),
        Effect::Remind {
            to,
            clock,
            action,
            due,
            template,
            rule,
            ..
        } => format!(
            "remind {} {} ({} due {}) — {rule}",
            labels.role(*to),
            template_name(template),
            clock_label(*clock, action.as_deref()),
            short_time(due)
        ),
        Effect::Escalate {
            to,
            clock,
            action,
            due,
            template,
            rule,
            ..
        } => format!(
            "escalate to {} {} ({} due {}) — {rule}",
            labels.role(*to),
            template_name(template),
            clock_label(*clock, action.as_deref()),
            short_time(due)
        ),
        // An effect newer than this renderer: its JSON, so that nothing is hidden.
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}
