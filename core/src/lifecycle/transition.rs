//! One transition in progress: the case being changed, its clocks and the notifications it
//! sends, and the dispatch of a command to its handler (`handlers.rs`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset};

use super::command::{Action, Actor, CommandKind};
use super::effect::{Effect, Template};
use super::guards::refusal;
use super::{Breach, Case};
use crate::calendar::clock::Clock;
use crate::calendar::duration::Duration;
use crate::domain::Role;
use crate::error::{Error, JsonPath};
use crate::policy::Policy;
use crate::routing::ClockKind;
use crate::time::format_instant;

/// A rule an effect cites: static text is carried as is, anything else is written out.
pub(super) trait Cite: fmt::Display + Copy {
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

/// One transition in progress: the case being changed and the effects so far.
///
/// Replay only needs the case: it runs the same transition with `effects` off, which skips
/// building the messages and the due instants that exist only for them. Nothing the case
/// records depends on an effect.
pub(super) struct Transition<'a> {
    pub(super) policy: &'a Policy,
    pub(super) case: &'a mut Case,
    pub(super) now: DateTime<FixedOffset>,
    pub(super) effects: Vec<Effect>,
    pub(super) with_effects: bool,
    /// Whether a further emergency may be declared on a case whose emergency is over (§7): always
    /// when applying a command, and on replay for the events of the format that brought it
    /// (`log.rs`), so that an older log replays to the case it built.
    pub(super) further_emergency: bool,
}

impl<'a> Transition<'a> {
    pub(super) fn new(
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
            further_emergency: true,
        }
    }

    pub(super) fn finish(self) -> Vec<Effect> {
        self.effects
    }

    pub(super) fn notify(
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

    pub(super) fn notify_all(
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

    pub(super) fn text(&self, at: &DateTime<FixedOffset>) -> String {
        format_instant(at, self.policy.calendar().offset())
    }

    /// A clock's due instant. Without pauses it is the start plus the duration on the calendar
    /// (the clock's unpaused due, by definition); with pauses the clock works it out.
    pub(super) fn due_of(&self, clock: &Clock) -> Result<DateTime<FixedOffset>, Error> {
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

    pub(super) fn due_text(&self, kind: ClockKind) -> String {
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
    pub(super) fn start_clock(
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
    pub(super) fn stop_clock(&mut self, kind: ClockKind, rule: impl Cite) -> Result<(), Error> {
        self.stop_clock_at(kind, self.now, rule)
    }

    /// Stops a running clock at `now` (at most the transition's "now": the awaited event may have
    /// happened earlier, as a contact does), recording a breach when it stopped late.
    pub(super) fn stop_clock_at(
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

    pub(super) fn running(&self) -> Vec<ClockKind> {
        self.case
            .clocks
            .iter()
            .filter(|(_, c)| c.stopped_at.is_none())
            .map(|(k, _)| *k)
            .collect()
    }

    pub(super) fn run(&mut self, actor: &Actor, action: &Action) -> Result<(), Error> {
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
            Action::DeclareEmergency { level, reason } => {
                self.may_command(actor, *level, CommandKind::DeclareEmergency)?;
                self.refuse_lower_declaration(*level)?;
                self.declare_emergency(&actor.id, *level, None, Some(reason))
            }
            Action::RaiseEmergency { level, reason } => {
                self.may_command(actor, *level, CommandKind::RaiseEmergency)?;
                self.raise_emergency(&actor.id, *level, reason)
            }
            Action::CompleteEmergencyAction { action, .. } => {
                self.settle_emergency_action(actor, action, None)
            }
            Action::WaiveEmergencyAction { action, reason } => {
                self.settle_emergency_action(actor, action, Some(reason))
            }
            Action::EmergencyStatusUpdate { .. } => self.emergency_status_update(actor),
            Action::EndEmergency { .. } => self.end_emergency(actor),
            Action::FileEmergencyReview { summary } => self.file_emergency_review(actor, summary),
            Action::UpdateFacts { facts, .. } => self.update_facts(facts),
            Action::ReleaseMediaStatement { statement } => {
                self.release_media_statement(actor, statement)
            }
        }
    }
}
