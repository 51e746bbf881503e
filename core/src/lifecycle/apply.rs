//! Transitions: `record` opens a case, `apply` moves it one command further.
//!
//! Each transition works on a copy of the case and returns it only when every check passed, so a
//! refused command leaves the caller's case exactly as it was. Checks run in a fixed order — the
//! case is open, time does not run backwards, the state allows the command, the actor's roles
//! allow it at this tier, the actor has not done a duty the tier keeps apart from this one
//! (`duties.rs`), the command's data is complete — and the first failing check is the refusal.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::command::{Action, Actor, Command, CommandKind, Plan};
use super::duties;
use super::effect::{Effect, Template};
use super::log::{Event, PolicyRef};
use super::{
    Acceptance, Approval, Assessment, Breach, CASE_FORMAT, Case, CaseState, CustomerAnswer, Hold,
    PlanRecord, Reclassification, TierDecision, TierReview, Verification, Withdrawal, role_list,
};
use crate::calendar::clock::Clock;
use crate::calendar::duration::{Duration, Unit};
use crate::domain::{Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::Policy;
use crate::policy::document::PlanElement;
use crate::routing::ClockKind;
use crate::time::format_instant;

/// The citation of a tier's policy value as static text, e.g.
/// `policy.md §4.3; $.tiers.2.deadlines.plan`: effects carry it without building a string.
macro_rules! tier_rule {
    ($tier:expr, $what:literal, $section:literal) => {
        match $tier {
            Tier::One => concat!("policy.md ", $section, "; $.tiers.1.", $what),
            Tier::Two => concat!("policy.md ", $section, "; $.tiers.2.", $what),
            Tier::Three => concat!("policy.md ", $section, "; $.tiers.3.", $what),
        }
    };
}

/// A rule an effect cites: static text is carried as is, anything else is written out.
trait Cite: fmt::Display + Copy {
    fn text(self) -> Cow<'static, str> {
        Cow::Owned(self.to_string())
    }
}

impl Cite for &'static str {
    fn text(self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

impl Cite for &String {}

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

/// The longest a committed deadline may lie after acceptance when the tier sets no cap.
const LONGEST_COMMITMENT_DAYS: i64 = 5 * 366;

/// Opens a case from a `record` command (policy.md §2, §4.2).
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
    let (case, effects) = open(policy, command, now, true, assessment.as_ref())?;
    let assessment = case.suggested.clone();
    seal(policy, case, command, now, effects, Some(assessment))
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
/// format predates it.
pub(crate) fn open(
    policy: &Policy,
    command: &Command,
    now: DateTime<FixedOffset>,
    with_effects: bool,
    assessment: Option<&Assessment>,
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
    // The project leader learns at once whether the case is under warranty (policy.md §1.1).
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
    if let Some(level) = assessment.emergency {
        if let Some(command) = policy.emergency().levels.get(&level) {
            let role = command.commanding_role;
            let level_text = level.to_string();
            t.notify(
                role,
                Template::EmergencyDeclared,
                &[("level", level_text.as_str())],
                &format!("policy.md §7; $.emergency.levels.{level}"),
            );
        }
    }
    let effects = t.finish();
    Ok((case, effects))
}

/// Applies a command to a case at `now` (policy.md §4). On refusal the case is unchanged and the
/// error says why, citing the rule.
pub fn apply(
    policy: &Policy,
    case: &Case,
    command: &Command,
    now: DateTime<FixedOffset>,
) -> Result<Applied, Error> {
    check(policy, case, command, now)?;
    let mut next = case.clone();
    let effects = transition(policy, &mut next, command, now, true)?;
    seal(policy, next, command, now, effects, None)
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
    if case.state.is_terminal() {
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
    authorise(
        policy,
        &command.actor,
        kind,
        case.tier,
        Some(&command.action),
    )?;
    if let Some(duty) = duties::duty_of(case, &command.action) {
        duties::check_separation(policy, case, &command.actor, duty)?;
    }
    Ok(())
}

/// Changes `case` by a checked command and returns the effects (none with `with_effects` off).
/// On error `case` may be half changed: callers work on a copy they can drop.
pub(crate) fn transition(
    policy: &Policy,
    case: &mut Case,
    command: &Command,
    now: DateTime<FixedOffset>,
    with_effects: bool,
) -> Result<Vec<Effect>, Error> {
    let mut t = Transition::new(policy, case, now, with_effects);
    t.run(&command.actor, &command.action)?;
    Ok(t.finish())
}

/// The states in which each command is allowed.
pub(crate) fn allowed_states(kind: CommandKind) -> &'static [CaseState] {
    use CaseState::*;
    const ACTIVE: &[CaseState] = &[
        Recorded,
        Planning,
        AwaitingApproval,
        InProgress,
        AwaitingVerification,
        Verified,
        AwaitingConfirmation,
    ];
    const OPEN: &[CaseState] = &[
        Recorded,
        Planning,
        AwaitingApproval,
        InProgress,
        AwaitingVerification,
        Verified,
        AwaitingConfirmation,
        OnHold,
    ];
    match kind {
        CommandKind::Record => &[],
        CommandKind::Accept => &[Recorded],
        CommandKind::Reclassify | CommandKind::Hold | CommandKind::ReviewTier => ACTIVE,
        CommandKind::SubmitPlan => &[Planning],
        CommandKind::ApprovePlan | CommandKind::RejectPlan => &[AwaitingApproval],
        CommandKind::ReportProgress | CommandKind::CompleteWork => &[InProgress],
        CommandKind::Verify => &[AwaitingVerification],
        CommandKind::NotifyCustomer => &[Verified],
        CommandKind::CustomerConfirm | CommandKind::CustomerReject => &[AwaitingConfirmation],
        CommandKind::Resume => &[OnHold],
        CommandKind::Withdraw => OPEN,
    }
}

/// Refuses a command the actor's roles do not allow at this tier. A reclassification that lowers
/// a tier-1 case needs the roles of `lifecycle.lower_tier_1` as well (policy.md §3.4;
/// [`duties::authorise_tier_change`]).
fn authorise(
    policy: &Policy,
    actor: &Actor,
    kind: CommandKind,
    tier: Tier,
    action: Option<&Action>,
) -> Result<(), Error> {
    let roles = policy.roles_for(kind, tier);
    if !actor.roles.iter().any(|r| roles.contains(r)) {
        let rule = match kind {
            CommandKind::SubmitPlan => tier_rule!(tier, "plan.drafted_by", "§4.3").to_string(),
            CommandKind::ApprovePlan | CommandKind::RejectPlan => {
                tier_rule!(tier, "plan.approved_by", "§4.3").to_string()
            }
            CommandKind::Verify => tier_rule!(tier, "verification.by", "§4.5").to_string(),
            CommandKind::ReviewTier => "policy.md §3.4; $.lifecycle.lower_tier_1: a provisional tier 1 is reviewed by those who may lower tier 1".to_owned(),
            _ => format!("policy.md §4.1; $.lifecycle.permissions.{kind}"),
        };
        return Err(refusal(
            "not_authorised",
            &JsonPath::root().field("actor").field("roles"),
            format!(
                "`{kind}` at tier {tier} needs {}; {} holds {}",
                role_list(roles),
                actor.id,
                if actor.roles.is_empty() {
                    "no role".to_owned()
                } else {
                    role_list(&actor.roles).replace(" or ", ", ")
                }
            ),
            &rule,
        ));
    }
    if let Some(Action::Reclassify {
        tier: Some(new), ..
    }) = action
    {
        duties::authorise_tier_change(policy, actor, tier, *new)?;
    }
    Ok(())
}

/// Why commands are applied in time order: clocks run forward from their start events, and the
/// host, not the engine, says what time it is.
const TIME_ORDER_RULE: &str = "policy.md §5.3, §8: clocks run forward and the host passes \"now\"";

/// A refusal of a command, with the path of what is wrong and the rule behind it, cited at the
/// end of the message.
pub(crate) fn refusal(
    code: &str,
    path: &JsonPath,
    message: impl Into<String>,
    rule: impl fmt::Display,
) -> Error {
    let message = format!("{} ({rule})", message.into());
    Error::single(
        ErrorCode::Refused,
        "command refused",
        Diagnostic::error(code, path, message),
    )
}

/// The section of policy.md that says when a command may be given.
fn section(kind: CommandKind) -> &'static str {
    match kind {
        CommandKind::Record => "policy.md §2",
        CommandKind::Accept => "policy.md §4.2",
        CommandKind::Reclassify => "policy.md §3.2, §3.4",
        CommandKind::SubmitPlan | CommandKind::ApprovePlan | CommandKind::RejectPlan => {
            "policy.md §4.3"
        }
        CommandKind::ReportProgress | CommandKind::CompleteWork => "policy.md §4.4",
        CommandKind::Verify => "policy.md §4.5",
        CommandKind::NotifyCustomer
        | CommandKind::CustomerConfirm
        | CommandKind::CustomerReject => "policy.md §4.6",
        CommandKind::Hold | CommandKind::Resume | CommandKind::Withdraw => "policy.md §4.7",
        CommandKind::ReviewTier => "policy.md §3.4; $.classification.model_use",
    }
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
) -> Result<Applied, Error> {
    let event = Event::new(
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

/// One transition in progress: the case being changed and the effects so far.
///
/// Replay only needs the case: it runs the same transition with `effects` off, which skips
/// building the messages and the due instants that exist only for them. Nothing the case
/// records depends on an effect.
struct Transition<'a> {
    policy: &'a Policy,
    case: &'a mut Case,
    now: DateTime<FixedOffset>,
    effects: Vec<Effect>,
    with_effects: bool,
}

impl<'a> Transition<'a> {
    fn new(
        policy: &'a Policy,
        case: &'a mut Case,
        now: DateTime<FixedOffset>,
        with_effects: bool,
    ) -> Self {
        Transition {
            policy,
            case,
            now,
            effects: Vec::new(),
            with_effects,
        }
    }

    fn finish(self) -> Vec<Effect> {
        self.effects
    }

    fn notify(
        &mut self,
        to: Role,
        template: Template,
        params: &[(&'static str, &str)],
        rule: impl Cite,
    ) {
        if !self.with_effects {
            return;
        }
        let mut all: BTreeMap<Cow<'static, str>, String> = BTreeMap::new();
        all.insert(Cow::Borrowed("case"), self.case.id.clone());
        all.insert(Cow::Borrowed("tier"), self.case.tier.to_string());
        for (k, v) in params {
            all.insert(Cow::Borrowed(*k), (*v).to_owned());
        }
        self.effects.push(Effect::Notify {
            to,
            template,
            params: all,
            rule: rule.text(),
        });
    }

    fn notify_all(
        &mut self,
        roles: &[Role],
        template: Template,
        params: &[(&'static str, &str)],
        rule: impl Cite,
    ) {
        for role in roles {
            self.notify(*role, template, params, rule);
        }
    }

    fn text(&self, at: &DateTime<FixedOffset>) -> String {
        format_instant(at, self.policy.calendar().offset())
    }

    /// A clock's due instant. Without pauses it is the start plus the duration on the calendar
    /// (the clock's unpaused due, by definition); with pauses the clock works it out.
    fn due_of(&self, clock: &Clock) -> Result<DateTime<FixedOffset>, Error> {
        if clock.pauses.is_empty() {
            return Ok(self.policy.calendar().add(clock.start, clock.duration)?.at);
        }
        let status = clock.status(
            self.policy.calendar(),
            self.policy.clocks().at_risk_fraction,
            self.now,
        )?;
        Ok(status.due)
    }

    fn due_text(&self, kind: ClockKind) -> String {
        if !self.with_effects {
            return String::new();
        }
        self.case
            .clocks
            .get(&kind)
            .and_then(|c| self.due_of(c).ok())
            .map(|d| self.text(&d))
            .unwrap_or_default()
    }

    /// Starts (or restarts) a clock; returns its due instant as text for the effects (empty
    /// when effects are off).
    fn start_clock(
        &mut self,
        kind: ClockKind,
        from: DateTime<FixedOffset>,
        duration: Duration,
        rule: impl Cite,
    ) -> Result<String, Error> {
        let clock = Clock::new(from, duration);
        if !self.with_effects {
            self.case.clocks.insert(kind, clock);
            return Ok(String::new());
        }
        // A new clock has no pause, so its due instant is plain calendar arithmetic.
        let due = self.text(&self.policy.calendar().add(from, duration)?.at);
        self.case.clocks.insert(kind, clock);
        self.effects.push(Effect::StartClock {
            clock: kind,
            due: due.clone(),
            rule: rule.text(),
        });
        Ok(due)
    }

    /// Stops a running clock at "now", recording a breach when it stopped late.
    fn stop_clock(&mut self, kind: ClockKind, rule: impl Cite) -> Result<(), Error> {
        self.stop_clock_at(kind, self.now, rule)
    }

    /// Stops a running clock at `now` (at most the transition's "now": the awaited event may have
    /// happened earlier, as a contact does), recording a breach when it stopped late.
    fn stop_clock_at(
        &mut self,
        kind: ClockKind,
        now: DateTime<FixedOffset>,
        rule: impl Cite,
    ) -> Result<(), Error> {
        let Some(clock) = self.case.clocks.get(&kind) else {
            return Ok(());
        };
        if clock.stopped_at.is_some() {
            return Ok(());
        }
        let mut stopped = clock.clone();
        if stopped.pauses.last().is_some_and(|p| p.to.is_none()) {
            stopped.resume(now)?;
        }
        stopped.stop(now)?;
        // Met when stopped at or before its due instant (a clock's `met` state). Without pauses
        // the due instant is plain calendar arithmetic; only paused clocks need the full status.
        let due = if stopped.pauses.is_empty() {
            self.policy
                .calendar()
                .add(stopped.start, stopped.duration)?
                .at
        } else {
            self.due_of(&stopped)?
        };
        let met = now <= due;
        if !met {
            self.case.breaches.push(Breach {
                clock: kind,
                due,
                stopped_at: now,
            });
        }
        self.case.clocks.insert(kind, stopped);
        if self.with_effects {
            self.effects.push(Effect::StopClock {
                clock: kind,
                met,
                rule: rule.text(),
            });
        }
        Ok(())
    }

    fn running(&self) -> Vec<ClockKind> {
        self.case
            .clocks
            .iter()
            .filter(|(_, c)| c.stopped_at.is_none())
            .map(|(k, _)| *k)
            .collect()
    }

    fn run(&mut self, actor: &Actor, action: &Action) -> Result<(), Error> {
        match action {
            Action::Record { .. } => Err(refusal(
                "wrong_state",
                &JsonPath::root().field("type"),
                "the case is already recorded",
                "policy.md §2",
            )),
            Action::Accept {
                committed_deadline,
                contacted_at,
                note,
            } => self.accept(actor, *committed_deadline, *contacted_at, note.clone()),
            Action::Reclassify {
                tier,
                category,
                reason,
            } => self.reclassify(&actor.id, *tier, *category, reason),
            Action::SubmitPlan { plan } => self.submit_plan(actor, plan),
            Action::ApprovePlan { .. } => self.approve_plan(actor),
            Action::RejectPlan { reasons } => self.reject_plan(reasons),
            Action::ReportProgress { note } => self.report_progress(note),
            Action::CompleteWork { .. } => self.complete_work(),
            Action::Verify {
                passed,
                role,
                report_ref,
                note,
            } => self.verify(actor, *passed, *role, report_ref.clone(), note.clone()),
            Action::NotifyCustomer { .. } => self.notify_customer(),
            Action::CustomerConfirm {
                signed_form_ref,
                satisfaction,
                ..
            } => self.customer_confirm(signed_form_ref, *satisfaction),
            Action::CustomerReject {
                reasons,
                satisfaction,
            } => self.customer_reject(reasons, *satisfaction),
            Action::Hold { reason } => self.hold(reason),
            Action::Resume { .. } => self.resume(),
            Action::Withdraw { reason } => self.withdraw(&actor.id, reason),
            Action::ReviewTier { tier, reason } => self.review_tier(&actor.id, *tier, reason),
        }
    }

    /// The answer to the model's review: tier 1 confirmed, or lowered with a reclassification
    /// (re-routed like any other). Either way the review's clock stops.
    fn review_tier(&mut self, by: &str, tier: Tier, reason: &str) -> Result<(), Error> {
        let pending = self
            .case
            .tier_review
            .as_ref()
            .is_some_and(|r| r.decision.is_none());
        if !pending {
            return Err(refusal(
                "no_review",
                &JsonPath::root().field("type"),
                if self.case.tier_review.is_some() {
                    "the case's tier review has already been answered"
                } else {
                    "the case's tier is not provisional: there is no review to answer"
                },
                "policy.md §3.4; $.classification.model_use",
            ));
        }
        if tier != self.case.tier {
            self.refuse_below_emergency_tier(tier)?;
            self.change_assessment(by, tier, self.case.category, reason)?;
        }
        if let Some(review) = &mut self.case.tier_review {
            review.decision = Some(TierDecision {
                by: by.to_owned(),
                at: self.now,
                tier,
                reason: reason.to_owned(),
            });
        }
        self.stop_clock(
            ClockKind::TierReview,
            "policy.md §3.4; $.lifecycle.tier_review_due",
        )
    }

    /// §4.2: contact within the contact time, confirm the problem, commit a deadline within the
    /// tier's cap.
    fn accept(
        &mut self,
        actor: &Actor,
        committed_deadline: DateTime<FixedOffset>,
        contacted_at: Option<DateTime<FixedOffset>>,
        note: Option<String>,
    ) -> Result<(), Error> {
        let contacted_at = contacted_at.unwrap_or(self.now);
        if contacted_at > self.now || contacted_at < self.case.report.received() {
            return Err(refusal(
                "out_of_order",
                &JsonPath::root().field("contacted_at"),
                "the contact must lie between the report's receipt and now",
                "policy.md §4.2",
            ));
        }
        if committed_deadline <= self.now {
            return Err(refusal(
                "deadline_passed",
                &JsonPath::root().field("committed_deadline"),
                "a committed deadline must lie in the future",
                "policy.md §4.2",
            ));
        }
        let deadlines = &self.policy.tier(self.case.tier).deadlines;
        let longest = match deadlines.commitment_cap {
            Some(cap) => Some((
                self.policy.calendar().add(self.now, cap)?.at,
                cap.to_string(),
                tier_rule!(self.case.tier, "deadlines.commitment_cap", "§4.2"),
            )),
            None => None,
        };
        if let Some((cap_at, cap, rule)) = longest {
            if committed_deadline > cap_at {
                return Err(refusal(
                    "beyond_cap",
                    &JsonPath::root().field("committed_deadline"),
                    format!(
                        "tier {} caps the committed deadline at {cap} after acceptance, i.e. {}",
                        self.case.tier,
                        self.text(&cap_at)
                    ),
                    rule,
                ));
            }
        } else if (committed_deadline - self.now).num_days() > LONGEST_COMMITMENT_DAYS {
            return Err(refusal(
                "beyond_cap",
                &JsonPath::root().field("committed_deadline"),
                "a committed deadline more than five years away is not a commitment",
                tier_rule!(self.case.tier, "deadlines.commitment_cap", "§4.2"),
            ));
        }
        // The contact clock measures the contact itself, which may precede its recording.
        self.stop_clock_at(
            ClockKind::ContactCustomer,
            contacted_at,
            tier_rule!(self.case.tier, "deadlines.contact", "§4.2"),
        )?;
        self.case.acceptance = Some(Acceptance {
            by: actor.id.clone(),
            contacted_at,
            committed_deadline,
            note,
        });
        let minutes =
            u32::try_from((committed_deadline - self.now).num_minutes().max(0)).unwrap_or(u32::MAX);
        self.start_clock(
            ClockKind::Commitment,
            self.now,
            Duration::new(minutes, Unit::Minutes),
            "policy.md §4.2 (committed deadline)",
        )?;
        self.start_planning(None)?;
        Ok(())
    }

    /// Moves the case to planning and asks the tier's drafters (and, for tier 1, the experts)
    /// for a plan.
    fn start_planning(&mut self, reasons: Option<&str>) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        self.case.state = CaseState::Planning;
        let due = self.start_clock(
            ClockKind::Plan,
            self.now,
            tier.deadlines.plan,
            tier_rule!(self.case.tier, "deadlines.plan", "§4.3"),
        )?;
        let mut params = vec![("plan_due", due.as_str())];
        if let Some(reasons) = reasons {
            params.push(("reasons", reasons));
        }
        let template = if reasons.is_some() {
            Template::PlanRejected
        } else {
            Template::PlanRequested
        };
        let rule = tier_rule!(self.case.tier, "plan.drafted_by", "§4.3");
        self.notify_all(&tier.plan.drafted_by, template, &params, rule);
        self.notify_all(&tier.plan.with, template, &params, rule);
        if !tier.plan.consult_departments.is_empty() {
            let departments: Vec<&str> = tier
                .plan
                .consult_departments
                .iter()
                .map(|d| d.as_str())
                .collect();
            let joined = departments.join(",");
            self.notify(
                Role::CompanyExpert,
                Template::ConsultationRequested,
                &[("departments", joined.as_str())],
                tier_rule!(self.case.tier, "plan.consult_departments", "§4.3"),
            );
        }
        Ok(())
    }

    fn reclassify(
        &mut self,
        by: &str,
        tier: Option<Tier>,
        category: Option<crate::domain::Category>,
        reason: &str,
    ) -> Result<(), Error> {
        let new_tier = tier.unwrap_or(self.case.tier);
        let new_category = category.unwrap_or(self.case.category);
        if new_tier != self.case.tier
            && self
                .case
                .tier_review
                .as_ref()
                .is_some_and(|r| r.decision.is_none())
        {
            return Err(refusal(
                "review_pending",
                &JsonPath::root().field("tier"),
                "the tier is provisional: answer its review with `review_tier`",
                "policy.md §3.4; $.classification.model_use",
            ));
        }
        if new_tier == self.case.tier && new_category == self.case.category {
            return Err(refusal(
                "no_change",
                &JsonPath::root().field("tier"),
                "the case already has this tier and category",
                "policy.md §3.2, §3.4",
            ));
        }
        self.refuse_below_emergency_tier(new_tier)?;
        self.change_assessment(by, new_tier, new_category, reason)
    }

    /// Refuses a tier less serious than every emergency's (`reclassify` and `review_tier` alike).
    fn refuse_below_emergency_tier(&self, tier: Tier) -> Result<(), Error> {
        let emergency_tier = self.policy.emergency().implies_tier;
        if let Some(level) = self.case.emergency {
            if emergency_tier.is_more_serious_than(tier) {
                return Err(refusal(
                    "emergency_tier",
                    &JsonPath::root().field("tier"),
                    format!(
                        "the case is a level {level} emergency, and every emergency is tier {emergency_tier}"
                    ),
                    "policy.md §3.3, §7; $.emergency.implies_tier",
                ));
            }
        }
        Ok(())
    }

    /// Records a change of tier or category; a more serious tier after planning sends the plan
    /// back to drafting, because the new tier asks more of it (§4.3).
    fn change_assessment(
        &mut self,
        by: &str,
        tier: Tier,
        category: crate::domain::Category,
        reason: &str,
    ) -> Result<(), Error> {
        let tier_from = self.case.tier;
        let raised = tier.is_more_serious_than(self.case.tier);
        self.case.reclassifications.push(Reclassification {
            by: by.to_owned(),
            at: self.now,
            category_from: self.case.category,
            category_to: category,
            tier_from: self.case.tier,
            tier_to: tier,
            reason: reason.to_owned(),
        });
        self.case.tier = tier;
        self.case.category = category;
        let tier_text = tier.to_string();
        let category_text = category.to_string();
        self.notify(
            Role::ProjectLeader,
            Template::CaseReclassified,
            &[
                ("new_tier", tier_text.as_str()),
                ("new_category", category_text.as_str()),
                ("reason", reason),
            ],
            "policy.md §3.4",
        );
        let past_planning = matches!(
            self.case.state,
            CaseState::AwaitingApproval
                | CaseState::InProgress
                | CaseState::AwaitingVerification
                | CaseState::Verified
                | CaseState::AwaitingConfirmation
        );
        if tier == tier_from {
            return Ok(());
        }
        if !raised {
            return self.reroute_lowered();
        }
        if self.case.state == CaseState::Planning {
            // Still drafting: the new tier's drafters (and experts) draft to its deadline.
            self.stop_clock(
                ClockKind::Plan,
                "policy.md §3.4 (raised tier: the plan is requested again)",
            )?;
            self.start_planning(Some("the tier was raised; the plan must meet the new tier"))?;
        } else if past_planning {
            for kind in [
                ClockKind::Approval,
                ClockKind::ProgressUpdate,
                ClockKind::Verification,
                ClockKind::CustomerReply,
            ] {
                self.stop_clock(kind, "policy.md §3.4 (raised tier: the plan is redrafted)")?;
            }
            self.case.verifications.clear();
            self.start_planning(Some("the tier was raised; the plan must meet the new tier"))?;
        }
        Ok(())
    }

    /// After a lower tier is set, the step under way follows the new tier's routing: a plan
    /// awaiting approval goes through the approval the new tier requires — to its approvers, with
    /// its approval deadline from now — or, where the new tier only files plans, back to its
    /// drafters, so that lowering the tier never files a plan that awaited review unreviewed;
    /// work awaiting verification goes to the new tier's verifiers; a plan being drafted is
    /// requested from the new tier's drafters.
    fn reroute_lowered(&mut self) -> Result<(), Error> {
        let policy = self.policy;
        let routing = policy.tier(self.case.tier);
        let rule = "policy.md §3.4 (lowered tier: the new tier's routing applies)";
        match self.case.state {
            CaseState::Planning => {
                self.stop_clock(ClockKind::Plan, rule)?;
                self.start_planning(Some("the tier was lowered; the new tier's drafters draft"))?;
            }
            CaseState::AwaitingApproval if routing.plan.filed_only() => {
                self.stop_clock(ClockKind::Approval, rule)?;
                self.start_planning(Some(
                    "the tier was lowered while the plan awaited approval; the new tier's drafters submit it",
                ))?;
            }
            CaseState::AwaitingApproval => {
                self.stop_clock(ClockKind::Approval, rule)?;
                self.request_approval()?;
            }
            CaseState::AwaitingVerification => {
                let due = self.due_text(ClockKind::Verification);
                self.notify_all(
                    &routing.verification.by,
                    Template::VerificationRequested,
                    &[("verification_due", due.as_str())],
                    tier_rule!(self.case.tier, "verification.by", "§4.5"),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// §4.3: the plan contains what the tier requires; tier 1 shows all expert departments took
    /// part and keeps its milestones within the committed deadline.
    fn submit_plan(&mut self, actor: &Actor, plan: &std::sync::Arc<Plan>) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        let path = JsonPath::root().field("plan");
        let mut problems = Vec::new();
        for element in &tier.plan.must_contain {
            let (field, empty) = match element {
                PlanElement::Measures => ("measures", plan.measures.is_empty()),
                PlanElement::ResponsiblePeople => ("responsible", plan.responsible.is_empty()),
                PlanElement::Milestones => ("milestones", plan.milestones.is_empty()),
            };
            if empty {
                problems.push(Diagnostic::error(
                    "plan_incomplete",
                    &path.field(field),
                    format!(
                        "a tier-{} plan must contain {field} ({})",
                        self.case.tier,
                        tier_rule!(self.case.tier, "plan.must_contain", "§4.3")
                    ),
                ));
            }
        }
        let missing: Vec<&str> = tier
            .plan
            .consult_departments
            .iter()
            .filter(|d| !plan.consulted.iter().any(|c| c.department == **d))
            .map(|d| d.as_str())
            .collect();
        if !missing.is_empty() {
            problems.push(Diagnostic::error(
                "consultation_incomplete",
                &path.field("consulted"),
                format!(
                    "experts of every department must take part in a tier-{} plan; missing: {} ({})",
                    self.case.tier,
                    missing.join(", "),
                    tier_rule!(self.case.tier, "plan.consult_departments", "§4.3")
                ),
            ));
        }
        if let Some(acceptance) = &self.case.acceptance {
            for (i, milestone) in plan.milestones.iter().enumerate() {
                if milestone.due > acceptance.committed_deadline {
                    problems.push(Diagnostic::error(
                        "milestone_after_commitment",
                        &path.field("milestones").index(i).field("due"),
                        format!(
                            "milestones must fall on or before the deadline committed to the customer, {} (policy.md §4.2)",
                            self.text(&acceptance.committed_deadline)
                        ),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::new(ErrorCode::Refused, "command refused", problems));
        }
        self.stop_clock(
            ClockKind::Plan,
            tier_rule!(self.case.tier, "deadlines.plan", "§4.3"),
        )?;
        let round = self.case.plan.as_ref().map_or(1, |p| p.round + 1);
        let last_rejection = self
            .case
            .plan
            .as_ref()
            .and_then(|p| p.last_rejection.clone());
        self.case.plan = Some(PlanRecord {
            plan: std::sync::Arc::clone(plan),
            submitted_by: actor.id.clone(),
            submitted_at: self.now,
            round,
            tier: self.case.tier,
            approval: None,
            filed_with: tier.plan.filed_with,
            last_rejection,
        });
        if tier.plan.filed_only() {
            if let Some(role) = tier.plan.filed_with {
                self.notify(
                    role,
                    Template::PlanFiled,
                    &[],
                    tier_rule!(self.case.tier, "plan.filed_with", "§4.3"),
                );
            }
            self.start_work()?;
        } else {
            self.request_approval()?;
        }
        Ok(())
    }

    /// §4.3: the plan awaits the tier's approvers, on the tier's approval deadline from now.
    fn request_approval(&mut self) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        self.case.state = CaseState::AwaitingApproval;
        let due = match tier.deadlines.approval {
            Some(approval) => self.start_clock(
                ClockKind::Approval,
                self.now,
                approval,
                tier_rule!(self.case.tier, "deadlines.approval", "§4.3"),
            )?,
            None => String::new(),
        };
        self.notify_all(
            &tier.plan.approved_by,
            Template::PlanSubmitted,
            &[("approval_due", due.as_str())],
            tier_rule!(self.case.tier, "plan.approved_by", "§4.3"),
        );
        Ok(())
    }

    /// §4.4: the work starts and, where the tier has a cadence, the progress clock with it.
    fn start_work(&mut self) -> Result<(), Error> {
        self.case.state = CaseState::InProgress;
        if let Some(every) = self.policy.tier(self.case.tier).deadlines.progress_every {
            self.start_clock(
                ClockKind::ProgressUpdate,
                self.now,
                every,
                tier_rule!(self.case.tier, "deadlines.progress_every", "§4.4"),
            )?;
        }
        Ok(())
    }

    fn approve_plan(&mut self, actor: &Actor) -> Result<(), Error> {
        let policy = self.policy;
        let approvers = &policy.tier(self.case.tier).plan.approved_by;
        let role = actor
            .roles
            .iter()
            .copied()
            .find(|r| approvers.contains(r))
            .unwrap_or(Role::ProjectManager);
        self.stop_clock(
            ClockKind::Approval,
            tier_rule!(self.case.tier, "deadlines.approval", "§4.3"),
        )?;
        if let Some(plan) = &mut self.case.plan {
            plan.approval = Some(Approval {
                by: actor.id.clone(),
                role,
                at: self.now,
            });
        }
        self.notify(
            Role::ProjectLeader,
            Template::PlanApproved,
            &[],
            tier_rule!(self.case.tier, "plan.approved_by", "§4.3"),
        );
        self.start_work()
    }

    fn reject_plan(&mut self, reasons: &str) -> Result<(), Error> {
        self.stop_clock(
            ClockKind::Approval,
            tier_rule!(self.case.tier, "deadlines.approval", "§4.3"),
        )?;
        if let Some(plan) = &mut self.case.plan {
            plan.last_rejection = Some(reasons.to_owned());
        }
        self.start_planning(Some(reasons))
    }

    fn report_progress(&mut self, note: &str) -> Result<(), Error> {
        self.notify(
            Role::Customer,
            Template::ProgressUpdate,
            &[("note", note)],
            "policy.md §4.4",
        );
        if self.case.clocks.contains_key(&ClockKind::ProgressUpdate) {
            let rule = tier_rule!(self.case.tier, "deadlines.progress_every", "§4.4");
            self.stop_clock(ClockKind::ProgressUpdate, rule)?;
            if let Some(every) = self.policy.tier(self.case.tier).deadlines.progress_every {
                self.start_clock(ClockKind::ProgressUpdate, self.now, every, rule)?;
            }
        }
        Ok(())
    }

    fn complete_work(&mut self) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        self.stop_clock(
            ClockKind::ProgressUpdate,
            tier_rule!(self.case.tier, "deadlines.progress_every", "§4.4"),
        )?;
        self.case.state = CaseState::AwaitingVerification;
        self.case.verifications.clear();
        let due = self.start_clock(
            ClockKind::Verification,
            self.now,
            tier.deadlines.verification,
            tier_rule!(self.case.tier, "deadlines.verification", "§4.5"),
        )?;
        self.notify_all(
            &tier.verification.by,
            Template::VerificationRequested,
            &[("verification_due", due.as_str())],
            tier_rule!(self.case.tier, "verification.by", "§4.5"),
        );
        Ok(())
    }

    /// §4.5: each verifying role verifies once per round; a failure sends the work back; the
    /// case is verified when the tier's verifiers have passed it.
    fn verify(
        &mut self,
        actor: &Actor,
        passed: bool,
        role: Option<Role>,
        report_ref: Option<String>,
        note: Option<String>,
    ) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        let eligible: Vec<Role> = actor
            .roles
            .iter()
            .copied()
            .filter(|r| tier.verification.by.contains(r))
            .collect();
        let role = match (role, eligible.as_slice()) {
            (Some(r), _) if eligible.contains(&r) => r,
            (Some(r), _) => {
                return Err(refusal(
                    "not_authorised",
                    &JsonPath::root().field("role"),
                    format!(
                        "{} does not hold `{r}`, or `{r}` does not verify at tier {}",
                        actor.id, self.case.tier
                    ),
                    tier_rule!(self.case.tier, "verification.by", "§4.5"),
                ));
            }
            (None, [only]) => *only,
            (None, _) => {
                return Err(refusal(
                    "ambiguous_role",
                    &JsonPath::root().field("role"),
                    format!(
                        "{} may verify as {}: say which with `role`",
                        actor.id,
                        role_list(&eligible)
                    ),
                    tier_rule!(self.case.tier, "verification.by", "§4.5"),
                ));
            }
        };
        if self.case.verifications.iter().any(|v| v.role == role) {
            return Err(refusal(
                "already_verified",
                &JsonPath::root().field("role"),
                format!("`{role}` has already verified this round of work"),
                tier_rule!(self.case.tier, "verification", "§4.5"),
            ));
        }
        if tier.verification.report_required && report_ref.is_none() {
            return Err(refusal(
                "missing_field",
                &JsonPath::root().field("report_ref"),
                format!(
                    "a tier-{} verification issues a verification report (验证报告): give its reference",
                    self.case.tier,
                ),
                tier_rule!(self.case.tier, "verification.report_required", "§4.5"),
            ));
        }
        self.case.verifications.push(Verification {
            by: actor.id.clone(),
            role,
            at: self.now,
            passed,
            report_ref,
            note,
        });
        let rule = tier_rule!(self.case.tier, "verification", "§4.5");
        if !passed {
            self.stop_clock(ClockKind::Verification, rule)?;
            self.case.verifications.clear();
            self.notify(
                Role::ProjectLeader,
                Template::VerificationFailed,
                &[("by", role.as_str())],
                rule,
            );
            return self.start_work();
        }
        let done = if tier.verification.all_must_pass {
            tier.verification.by.iter().all(|r| {
                self.case
                    .verifications
                    .iter()
                    .any(|v| v.passed && v.role == *r)
            })
        } else {
            true
        };
        if done {
            self.stop_clock(ClockKind::Verification, rule)?;
            self.stop_clock(ClockKind::Commitment, "policy.md §4.2 (committed deadline)")?;
            self.case.state = CaseState::Verified;
            self.notify(Role::ProjectLeader, Template::VerificationPassed, &[], rule);
        }
        Ok(())
    }

    fn notify_customer(&mut self) -> Result<(), Error> {
        self.case.state = CaseState::AwaitingConfirmation;
        self.case.notified_at = Some(self.now);
        let reply = self.policy.tier(self.case.tier).deadlines.customer_reply;
        self.start_clock(
            ClockKind::CustomerReply,
            self.now,
            reply,
            tier_rule!(self.case.tier, "deadlines.customer_reply", "§4.6"),
        )?;
        self.notify(
            Role::Customer,
            Template::ConfirmationRequested,
            &[],
            "policy.md §4.6",
        );
        Ok(())
    }

    fn customer_confirm(&mut self, signed_form_ref: &str, satisfaction: u8) -> Result<(), Error> {
        let gaps = self.case.closure_gaps(self.policy);
        if !gaps.is_empty() {
            return Err(refusal(
                "records_missing",
                &JsonPath::root().field("type"),
                format!("the case cannot close: {}", gaps.join("; ")),
                "policy.md §4.3, §4.5, §4.6, §6",
            ));
        }
        self.stop_clock(
            ClockKind::CustomerReply,
            tier_rule!(self.case.tier, "deadlines.customer_reply", "§4.6"),
        )?;
        let round = self.case.round();
        self.case.customer_answers.push(CustomerAnswer {
            round,
            satisfied: true,
            satisfaction: Some(satisfaction),
            signed_form_ref: Some(signed_form_ref.to_owned()),
            reasons: None,
            at: self.now,
        });
        self.case.state = CaseState::Closed;
        let score = satisfaction.to_string();
        self.notify(
            Role::ProjectLeader,
            Template::CaseClosed,
            &[("satisfaction", score.as_str())],
            "policy.md §4.6",
        );
        Ok(())
    }

    /// §4.6 and §3.4: back to planning; after the policy's number of rejections the tier rises.
    fn customer_reject(&mut self, reasons: &str, satisfaction: Option<u8>) -> Result<(), Error> {
        self.stop_clock(
            ClockKind::CustomerReply,
            tier_rule!(self.case.tier, "deadlines.customer_reply", "§4.6"),
        )?;
        let round = self.case.round();
        self.case.customer_answers.push(CustomerAnswer {
            round,
            satisfied: false,
            satisfaction,
            signed_form_ref: None,
            reasons: Some(reasons.to_owned()),
            at: self.now,
        });
        self.case.verifications.clear();
        let round_text = round.to_string();
        self.notify(
            Role::ProjectLeader,
            Template::ConfirmationRejected,
            &[("reasons", reasons), ("round", round_text.as_str())],
            "policy.md §4.6",
        );
        let rejections = self
            .case
            .customer_answers
            .iter()
            .filter(|a| !a.satisfied)
            .count();
        let threshold =
            usize::try_from(self.policy.raise_tier_after_rejections()).unwrap_or(usize::MAX);
        if threshold > 0 && rejections == threshold && self.case.tier != Tier::One {
            let raised = self.case.tier.raised();
            let category = self.case.category;
            // A raised tier past planning sends the case back to planning itself.
            return self.change_assessment(
                "caseflow",
                raised,
                category,
                &format!("the customer rejected the result {rejections} times (policy.md §3.4; $.lifecycle.raise_tier_after_rejections)"),
            );
        }
        self.start_planning(Some(reasons))
    }

    /// §4.7: resolution clocks pause; the contact clock keeps running.
    fn hold(&mut self, reason: &str) -> Result<(), Error> {
        for kind in self.running() {
            if kind == ClockKind::ContactCustomer {
                continue;
            }
            if let Some(clock) = self.case.clocks.get_mut(&kind) {
                clock.pause(self.now)?;
                self.effects.push(Effect::PauseClock {
                    clock: kind,
                    rule: Cow::Borrowed("policy.md §4.7"),
                });
            }
        }
        self.case.hold = Some(Hold {
            reason: reason.to_owned(),
            since: self.now,
            resume_to: self.case.state,
        });
        self.case.state = CaseState::OnHold;
        self.notify(
            Role::ProjectLeader,
            Template::CaseOnHold,
            &[("reason", reason)],
            "policy.md §4.7",
        );
        Ok(())
    }

    fn resume(&mut self) -> Result<(), Error> {
        let Some(hold) = self.case.hold.take() else {
            return Err(refusal(
                "wrong_state",
                &JsonPath::root().field("type"),
                "the case is not on hold",
                "policy.md §4.7",
            ));
        };
        for kind in self.running() {
            let paused = self
                .case
                .clocks
                .get(&kind)
                .is_some_and(|c| c.pauses.last().is_some_and(|p| p.to.is_none()));
            if !paused {
                continue;
            }
            if let Some(clock) = self.case.clocks.get_mut(&kind) {
                clock.resume(self.now)?;
            }
            let due = self.due_text(kind);
            self.effects.push(Effect::ResumeClock {
                clock: kind,
                due,
                rule: Cow::Borrowed("policy.md §4.7"),
            });
        }
        self.case.state = hold.resume_to;
        self.notify(
            Role::ProjectLeader,
            Template::CaseResumed,
            &[],
            "policy.md §4.7",
        );
        Ok(())
    }

    /// §4.7: every running clock stops (the host cancels its timers; a clock already overdue
    /// is kept as a breach) and the case ends.
    fn withdraw(&mut self, by: &str, reason: &str) -> Result<(), Error> {
        for kind in self.running() {
            self.stop_clock(kind, "policy.md §4.7")?;
        }
        self.case.hold = None;
        self.case.withdrawal = Some(Withdrawal {
            by: by.to_owned(),
            at: self.now,
            reason: reason.to_owned(),
        });
        self.case.state = CaseState::Withdrawn;
        self.notify(
            Role::ProjectLeader,
            Template::CaseWithdrawn,
            &[("reason", reason)],
            "policy.md §4.7",
        );
        Ok(())
    }
}
