//! Transitions: `record` opens a case, `apply` moves it one command further.
//!
//! Each transition works on a copy of the case and returns it only when every check passed, so a
//! refused command leaves the caller's case exactly as it was. Checks run in a fixed order — the
//! case is open, time does not run backwards, the state allows the command, the actor's roles
//! allow it at this tier, the actor has not done a duty the tier keeps apart from this one
//! (`duties.rs`), the command's data is complete — and the first failing check is the refusal.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::command::{Action, Command, CommandKind};
use super::duties;
use super::effect::{Effect, Template};
use super::guards::{TIME_ORDER_RULE, allowed_states, authorise, refusal, section};
use super::log::{Event, PolicyRef};
use super::transition::Transition;
use super::{Assessment, CASE_FORMAT, Case, CaseState, TierReview};
use crate::domain::{Role, Tier};
use crate::error::{Error, JsonPath};
use crate::policy::Policy;
use crate::routing::ClockKind;
use crate::time::format_instant;

/// The result of an accepted command: the new case, the event to store, the effects to carry out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Applied {
    /// The case after the command.
    pub case: Case,
    /// The event to append to the case's log.
    pub event: Event,
    /// What the host must do.
    pub effects: Vec<Effect>,
}

/// The longest a committed deadline may lie after acceptance, whatever the tier's cap.
pub(super) const LONGEST_COMMITMENT_DAYS: i64 = 5 * 366;

// A commitment clock of that length, in minutes (with a day to spare), is a duration that reads
// back from the stored case.
const _: () =
    assert!((LONGEST_COMMITMENT_DAYS + 1) * 24 * 60 <= crate::domain::limits::MAX_MINUTES as i64);

/// Opens a case from a `record` command (docs/policy.md §2, §4.2).
pub fn record(
    policy: &Policy,
    command: &Command,
    now: DateTime<FixedOffset>,
) -> Result<Applied, Error> {
    // The whole assessment, warranty included, is made here and stored in the event.
    let assessment = match &command.action {
        Action::Record { report } => Some(assess(policy, report)?),
        _ => None,
    };
    let (case, effects) = open(policy, command, now, true, assessment.as_ref(), true)?;
    let assessment = case.suggested.clone();
    seal(
        policy,
        case,
        command,
        now,
        effects,
        Some(assessment),
        super::log::EVENT_FORMAT,
    )
}

/// The engine's assessment of a report: its classification and whether it is under warranty.
fn assess(policy: &Policy, report: &crate::intake::Report) -> Result<Assessment, Error> {
    let (classification, warranty) = policy.assess(report)?;
    Ok(Assessment {
        category: classification.category,
        tier: classification.tier,
        emergency: classification.emergency,
        warranty: warranty.map(|w| w.assessment()),
        review: classification.review,
    })
}

/// The case a `record` command opens, before its event is sealed; with `with_effects` off only
/// the case is built (replay). Without an `assessment` (the `record` event of a format-1 log,
/// which stored none) the report is classified again, and has no warranty assessment: that
/// format predates it. Without `emergency_plan` (the `record` event of a log before event format
/// 4) no emergency record is opened: that format predates it.
pub(crate) fn open(
    policy: &Policy,
    command: &Command,
    now: DateTime<FixedOffset>,
    with_effects: bool,
    assessment: Option<&Assessment>,
    emergency_plan: bool,
) -> Result<(Case, Vec<Effect>), Error> {
    let Action::Record { report } = &command.action else {
        return Err(refusal(
            "wrong_command",
            &JsonPath::root().field("type"),
            format!(
                "a case is opened by `record`, not `{}`",
                command.action.kind()
            ),
            "policy.md §2",
        ));
    };
    // A replay reopens the case with the assessment stored in its `record` event.
    let assessment = match assessment {
        Some(stored) => stored.clone(),
        None => {
            // Format 1 predates the model's review: its cases were never provisional.
            let classification = policy.classify_by_rules(report);
            Assessment {
                category: classification.category,
                tier: classification.tier,
                emergency: classification.emergency,
                warranty: None,
                review: None,
            }
        }
    };
    let tier = assessment.tier;
    if now < report.received() {
        return Err(refusal(
            "out_of_order",
            &JsonPath::root().field("now"),
            "a report cannot be recorded before it was received",
            TIME_ORDER_RULE,
        ));
    }
    authorise(policy, &command.actor, CommandKind::Record, tier, None)?;
    let mut case = Case {
        format: CASE_FORMAT,
        id: report.id.clone(),
        // Shared, not copied: the report never changes after intake.
        report: std::sync::Arc::clone(report),
        category: assessment.category,
        tier,
        emergency: assessment.emergency,
        suggested: assessment.clone(),
        state: CaseState::Recorded,
        hold: None,
        acceptance: None,
        plan: None,
        verifications: Vec::new(),
        notified_at: None,
        customer_answers: Vec::new(),
        reclassifications: Vec::new(),
        withdrawal: None,
        tier_review: assessment.review.clone().map(|request| TierReview {
            request,
            decision: None,
        }),
        clocks: BTreeMap::new(),
        breaches: Vec::new(),
        facts: None,
        emergency_plan: None,
        ended_emergencies: Vec::new(),
        events: 0,
        last_hash: String::new(),
        updated_at: now,
    };
    let mut t = Transition::new(policy, &mut case, now, with_effects);
    let contact = policy.tier(tier).deadlines.contact;
    let due = t.start_clock(
        ClockKind::ContactCustomer,
        report.received(),
        contact,
        tier_rule!(tier, "deadlines.contact", "§4.2"),
    )?;
    // The project leader learns at once whether the case is under warranty (docs/policy.md §1.1).
    let warranty = assessment.warranty.as_ref();
    let ended = warranty.and_then(|w| w.ends_on).map(|d| d.to_string());
    let mut params = vec![("contact_due", due.as_str())];
    if let Some(w) = warranty {
        params.push(("warranty", w.status.as_str()));
    }
    if let Some(ended) = &ended {
        params.push(("warranty_ends_on", ended.as_str()));
    }
    t.notify(
        Role::ProjectLeader,
        Template::CaseRecorded,
        &params,
        "policy.md §4.2",
    );
    if let Some(review) = &assessment.review {
        // Safety first: the case runs as tier 1 while the reviewers decide (README, "How reports
        // are classified").
        // A policy with a model cannot load without `tier_review_due`, and only a model asks for
        // a review: the clock always has its duration here.
        let review_due = match policy.tier_review_due() {
            Some(due) => t.start_clock(
                ClockKind::TierReview,
                report.received(),
                due,
                "policy.md §3.4; $.lifecycle.tier_review_due",
            )?,
            None => String::new(),
        };
        let probability = review.tier_1_probability.get().to_string();
        let assessed = review.assessed_tier.to_string();
        for role in policy.lower_tier_1_roles() {
            t.notify(
                *role,
                Template::TierReviewRequested,
                &[
                    ("tier_1_probability", probability.as_str()),
                    ("assessed_tier", assessed.as_str()),
                    ("review_due", review_due.as_str()),
                ],
                "$.lifecycle.lower_tier_1; $.classification.model_use.review_threshold",
            );
        }
    }
    if let Some(level) = assessment.emergency.filter(|_| emergency_plan) {
        // Declared by the engine, citing the first trigger of that level that holds.
        let trigger = policy
            .emergency_reading(report)
            .declared
            .filter(|(l, _)| *l == level)
            .map(|(_, id)| id);
        t.declare_emergency(super::emergency::ENGINE, level, trigger, None)?;
    }
    let effects = t.finish();
    Ok((case, effects))
}

/// Applies a command to a case at `now` (docs/policy.md §4). On refusal the case is unchanged and the
/// error says why, citing the rule.
pub fn apply(
    policy: &Policy,
    case: &Case,
    command: &Command,
    now: DateTime<FixedOffset>,
) -> Result<Applied, Error> {
    check(policy, case, command, now)?;
    let mut next = case.clone();
    let effects = transition(policy, &mut next, command, now, true, true)?;
    // The event that declares a further emergency is written in the format that brought it, and
    // so is every later event of its case (a log's formats never go back); the events of any
    // other case keep the format before it, so their bytes (and an older reader) are unchanged.
    let format = if !next.ended_emergencies.is_empty() {
        super::log::FURTHER_EMERGENCY_FORMAT
    } else {
        super::log::EVENT_FORMAT
    };
    seal(policy, next, command, now, effects, None, format)
}

/// The checks that come before any change, in their fixed order: the case is open, time does
/// not run backwards, the state allows the command, the actor's roles allow it at this tier, and
/// the actor has not done a duty the tier keeps apart from this one.
pub(crate) fn check(
    policy: &Policy,
    case: &Case,
    command: &Command,
    now: DateTime<FixedOffset>,
) -> Result<(), Error> {
    let kind = command.action.kind();
    if kind == CommandKind::Record {
        return Err(refusal(
            "wrong_state",
            &JsonPath::root().field("type"),
            format!("case {} is already recorded", case.id),
            "policy.md §2",
        ));
    }
    let emergency = super::emergency::is_emergency_command(kind);
    // The emergency's commands that may outlive the handling are allowed on an ended case.
    if case.state.is_terminal() && !allowed_states(kind).contains(&case.state) {
        return Err(refusal(
            "case_ended",
            &JsonPath::root().field("type"),
            format!(
                "case {} is {} and takes no further command",
                case.id,
                case.state.as_str()
            ),
            "policy.md §4.6, §4.7: a closed or withdrawn case has ended",
        ));
    }
    if now < case.updated_at {
        return Err(refusal(
            "out_of_order",
            &JsonPath::root().field("now"),
            format!(
                "now ({}) is before the case's last event ({}): commands are applied in time order",
                format_instant(&now, policy.calendar().offset()),
                format_instant(&case.updated_at, policy.calendar().offset())
            ),
            TIME_ORDER_RULE,
        ));
    }
    let allowed = allowed_states(kind);
    if !allowed.contains(&case.state) {
        let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        return Err(refusal(
            "wrong_state",
            &JsonPath::root().field("type"),
            format!(
                "`{kind}` is not allowed while the case is {}; it is allowed when the case is {}",
                case.state.as_str(),
                if names.is_empty() {
                    "never".to_owned()
                } else {
                    names.join(", ")
                }
            ),
            section(kind),
        ));
    }
    // The emergency's commands are authorised by its levels' commanding roles (emergency.rs).
    if !emergency {
        authorise(
            policy,
            &command.actor,
            kind,
            case.tier,
            Some(&command.action),
        )?;
    }
    if let Some(duty) = duties::duty_of(case, &command.action) {
        duties::check_separation(policy, case, &command.actor, duty)?;
    }
    Ok(())
}

/// Changes `case` by a checked command and returns the effects (none with `with_effects` off).
/// With `further_emergency` off (the replay of an event older than
/// [`FURTHER_EMERGENCY_FORMAT`](super::log::FURTHER_EMERGENCY_FORMAT)) no further emergency is
/// declared on a case whose emergency is over. On error `case` may be half changed: callers work
/// on a copy they can drop.
pub(crate) fn transition(
    policy: &Policy,
    case: &mut Case,
    command: &Command,
    now: DateTime<FixedOffset>,
    with_effects: bool,
    further_emergency: bool,
) -> Result<Vec<Effect>, Error> {
    let mut t = Transition::new(policy, case, now, with_effects);
    t.further_emergency = further_emergency;
    t.run(&command.actor, &command.action)?;
    Ok(t.finish())
}

/// Advances the case's log position past an event with `hash` at `now`.
pub(crate) fn advance(case: &mut Case, hash: String, now: DateTime<FixedOffset>) {
    case.events += 1;
    case.last_hash = hash;
    case.updated_at = now;
}

/// Seals a transition: the event chained to the case's log, and the case's log position.
fn seal(
    policy: &Policy,
    mut case: Case,
    command: &Command,
    now: DateTime<FixedOffset>,
    effects: Vec<Effect>,
    assessment: Option<Assessment>,
    format: u32,
) -> Result<Applied, Error> {
    let event = Event::of_format(
        format,
        case.events,
        now,
        PolicyRef::of(policy),
        command.clone(),
        assessment,
        case.last_hash.clone(),
    )?;
    advance(&mut case, event.hash.clone(), now);
    Ok(Applied {
        case,
        event,
        effects,
    })
}
