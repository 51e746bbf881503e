//! The emergency plan run on a case (docs/policy.md §7): the declaration, the level's commander
//! and its action clocks, raising the level (never lowering it), the recurring status updates,
//! the end, the post-event review and media statements.
//!
//! Authority comes from the levels themselves: declaring or raising to a level needs the
//! commanding role of that level or of a more serious one; waiving an action, ending the
//! emergency, filing its review and releasing a media statement need the commanding role of the
//! current level (a media statement is approved by being released by the commanding level);
//! completing an action or posting a status update may also be done by the roles that report
//! progress on the case at its tier (`$.lifecycle.permissions.report_progress`).

use caseflow_derive::Read;
use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::command::{Actor, CommandKind};
use super::effect::{Effect, Template};
use super::guards::refusal;
use super::transition::Transition;
use super::{Case, role_list};
use crate::calendar::clock::{Clock, ClockState, ClockStatus};
use crate::calendar::duration::{Duration, Unit};
use crate::domain::{EmergencyLevel, Role};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::Policy;
use crate::routing::ClockKind;

/// Who declares or raises an emergency when a trigger holds.
pub const ENGINE: &str = "engine";

/// The prefix of the recurring status updates' ids: `status_update#1`, `status_update#2`, …
const STATUS_UPDATE: &str = "status_update#";

/// An emergency on a case, from its declaration to its review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencyRecord {
    /// The current level.
    pub level: EmergencyLevel,
    /// When it was declared.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub declared_at: DateTime<FixedOffset>,
    /// Who declared it: an actor id, or `engine` when a trigger held.
    pub declared_by: String,
    /// The trigger that held, when declared by the engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// Why, when declared by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The role commanding the current level.
    pub commanding_role: Role,
    /// The mandated actions, each a clock, and the status updates.
    pub actions: Vec<EmergencyAction>,
    /// Each raise of the level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raises: Vec<LevelChange>,
    /// The media statements released.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_statements: Vec<MediaStatement>,
    /// When the commander declared it over.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<String>")]
    pub ended_at: Option<DateTime<FixedOffset>>,
    /// Who declared it over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<String>,
    /// When the post-event review is due (`$.emergency.review_due` after the end).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<String>")]
    pub review_due: Option<DateTime<FixedOffset>>,
    /// The post-event review, once filed: the record is then closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<EmergencyReview>,
}

/// A mandated action (or one status update) and its clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencyAction {
    /// The policy's action id; the status updates are `status_update#1`, `status_update#2`, …
    pub id: String,
    /// When its clock started: the declaration, the raise that added it, or the previous update.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub started: DateTime<FixedOffset>,
    /// When it is due.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub due: DateTime<FixedOffset>,
    /// Done or waived; `None` while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ActionOutcome>,
}

/// What became of an action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[read(values)]
pub enum ActionOutcome {
    /// Done.
    Done {
        /// Who.
        by: String,
        /// When.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "String")]
        at: DateTime<FixedOffset>,
    },
    /// Waived by the commander, with a reason.
    Waived {
        /// Who.
        by: String,
        /// When.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "String")]
        at: DateTime<FixedOffset>,
        /// Why.
        reason: String,
    },
}

impl crate::reader::ReadValue for ActionOutcome {
    fn read(v: &serde_json::Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        crate::reader::tagged(v, p, d, "type")
    }
}

/// A raise of the level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct LevelChange {
    /// The level before.
    pub from: EmergencyLevel,
    /// The level after.
    pub to: EmergencyLevel,
    /// Who: an actor id, or `engine`.
    pub by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// Why (the trigger's id when raised by the engine).
    pub reason: String,
}

/// A media statement, released by the commanding level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct MediaStatement {
    /// Who released (and so approved) it.
    pub by: String,
    /// In which commanding role.
    pub role: Role,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// The statement.
    pub text: String,
}

/// The post-event review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct EmergencyReview {
    /// Who filed it.
    pub by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// What was learnt.
    pub summary: String,
}

/// An emergency clock at the instant asked about (`tick`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyClockReport {
    /// The action's id, or `review` for the post-event review.
    pub action: String,
    /// Who answers for it: the commanding role.
    pub assignee: Role,
    /// Its status.
    pub status: ClockStatus,
    /// For a clock of an earlier emergency: the index of its record in the case's
    /// `ended_emergencies`; absent for the clocks of `emergency_plan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_emergency: Option<usize>,
}

impl EmergencyRecord {
    /// True once the post-event review is filed.
    pub fn is_closed(&self) -> bool {
        self.review.is_some()
    }

    /// The actions neither done nor waived.
    pub fn open_actions(&self) -> impl Iterator<Item = &EmergencyAction> {
        self.actions.iter().filter(|a| a.outcome.is_none())
    }
}

/// True for the commands of the emergency plan (docs/policy.md §7), which its levels'
/// commanding roles authorise rather than `lifecycle.permissions`.
pub fn is_emergency_command(kind: CommandKind) -> bool {
    matches!(
        kind,
        CommandKind::DeclareEmergency
            | CommandKind::RaiseEmergency
            | CommandKind::CompleteEmergencyAction
            | CommandKind::WaiveEmergencyAction
            | CommandKind::EmergencyStatusUpdate
            | CommandKind::EndEmergency
            | CommandKind::FileEmergencyReview
            | CommandKind::ReleaseMediaStatement
    )
}

const RULE: &str = "policy.md §7; $.emergency";

fn no_emergency() -> Error {
    refusal(
        "no_emergency",
        &JsonPath::root().field("type"),
        "the case is not an emergency",
        RULE,
    )
}

/// The commanding roles of `level` and of every more serious level.
fn commanders_from(policy: &Policy, level: EmergencyLevel) -> Vec<Role> {
    // Sorted and without repeats, built by insertion: a handful of roles, and no sort
    // instantiated for them.
    let mut roles: Vec<Role> = Vec::new();
    for (_, p) in policy
        .emergency()
        .levels
        .iter()
        .filter(|(l, _)| **l <= level)
    {
        if let Err(at) = roles.binary_search(&p.commanding_role) {
            roles.insert(at, p.commanding_role);
        }
    }
    roles
}

fn require(actor: &Actor, roles: &[Role], kind: CommandKind, rule: &str) -> Result<(), Error> {
    if actor.roles.iter().any(|r| roles.contains(r)) {
        return Ok(());
    }
    Err(refusal(
        "not_authorised",
        &JsonPath::root().field("actor").field("roles"),
        format!(
            "`{kind}` needs {}; {} holds {}",
            role_list(roles),
            actor.id,
            role_list(&actor.roles).replace(" or ", ", ")
        ),
        rule,
    ))
}

impl Transition<'_> {
    fn record_mut(&mut self) -> Result<&mut EmergencyRecord, Error> {
        self.case.emergency_plan.as_mut().ok_or_else(no_emergency)
    }

    /// The running record (declared, not ended), or the refusal.
    fn running_record(&self) -> Result<&EmergencyRecord, Error> {
        let record = self.case.emergency_plan.as_ref().ok_or_else(no_emergency)?;
        if record.ended_at.is_some() {
            return Err(refusal(
                "emergency_ended",
                &JsonPath::root().field("type"),
                "the emergency has been declared over",
                RULE,
            ));
        }
        Ok(record)
    }

    /// Refuses an actor without the current level's commanding role.
    fn commander_only(&self, actor: &Actor, kind: CommandKind) -> Result<(), Error> {
        let record = self.case.emergency_plan.as_ref().ok_or_else(no_emergency)?;
        let rule = format!(
            "policy.md §7; $.emergency.levels.{}.commanding_role",
            record.level
        );
        require(actor, &[record.commanding_role], kind, &rule)
    }

    /// The mandated actions of `level` for this case (conditional ones only when they hold),
    /// each due its time after `from`.
    fn level_actions(
        &self,
        level: EmergencyLevel,
        from: DateTime<FixedOffset>,
    ) -> Result<Vec<EmergencyAction>, Error> {
        let Some(spec) = self.policy.emergency().levels.get(&level) else {
            return Ok(Vec::new());
        };
        let reading = self.policy.emergency_reading(&current_report(self.case));
        let calendar = self.policy.calendar();
        let mut out = Vec::new();
        for action in &spec.actions {
            let applies = !action.conditional
                || reading
                    .conditional
                    .iter()
                    .any(|(l, id)| *l == level && *id == action.id);
            if applies {
                out.push(EmergencyAction {
                    id: action.id.clone(),
                    started: from,
                    due: calendar.add(from, action.due)?.at,
                    outcome: None,
                });
            }
        }
        Ok(out)
    }

    fn status_every(&self, level: EmergencyLevel) -> Duration {
        self.policy
            .emergency()
            .levels
            .get(&level)
            .map_or(Duration::new(24, Unit::Hours), |l| l.status_update_every)
    }

    fn notify_commander(&mut self, template: Template, params: &[(&'static str, &str)]) {
        let Some(record) = &self.case.emergency_plan else {
            return;
        };
        let (role, level) = (record.commanding_role, record.level);
        let level_text = level.to_string();
        let mut all = vec![("level", level_text.as_str())];
        all.extend_from_slice(params);
        let rule = format!("policy.md §7; $.emergency.levels.{level}");
        self.notify(role, template, &all, &rule);
    }

    /// Declares an emergency: by hand (`declare_emergency`) or by the engine when a trigger
    /// holds. The case takes the emergency tier. On a case whose emergency has been declared over
    /// it is a further emergency: the ended record moves to `ended_emergencies`, its review still
    /// due, and the new one is the case's `emergency_plan`.
    pub(super) fn declare_emergency(
        &mut self,
        by: &str,
        level: EmergencyLevel,
        trigger: Option<String>,
        reason: Option<&str>,
    ) -> Result<(), Error> {
        if let Some(record) = &self.case.emergency_plan {
            if record.ended_at.is_none() || !self.further_emergency {
                return Err(refusal(
                    "emergency_declared",
                    &JsonPath::root().field("type"),
                    "the case already has an emergency: raise its level with `raise_emergency`",
                    RULE,
                ));
            }
        }
        let tier = self.policy.emergency().implies_tier;
        if tier.is_more_serious_than(self.case.tier) {
            let why = reason.unwrap_or("emergency declared");
            self.change_assessment(by, tier, self.case.category, why)?;
        }
        let commanding_role = self
            .policy
            .emergency()
            .levels
            .get(&level)
            .map_or(Role::CompanyLeadership, |l| l.commanding_role);
        let mut actions = self.level_actions(level, self.now)?;
        actions.push(EmergencyAction {
            id: format!("{STATUS_UPDATE}1"),
            started: self.now,
            due: self
                .policy
                .calendar()
                .add(self.now, self.status_every(level))?
                .at,
            outcome: None,
        });
        let trigger_text = trigger.clone().unwrap_or_default();
        self.case.emergency = Some(level);
        if let Some(ended) = self.case.emergency_plan.take() {
            self.case.ended_emergencies.push(ended);
        }
        self.case.emergency_plan = Some(EmergencyRecord {
            level,
            declared_at: self.now,
            declared_by: by.to_owned(),
            trigger,
            reason: reason.map(str::to_owned),
            commanding_role,
            actions,
            raises: Vec::new(),
            media_statements: Vec::new(),
            ended_at: None,
            ended_by: None,
            review_due: None,
            review: None,
        });
        let mut params = vec![("declared_by", by)];
        if !trigger_text.is_empty() {
            params.push(("trigger", trigger_text.as_str()));
        }
        self.notify_commander(Template::EmergencyDeclared, &params);
        Ok(())
    }

    /// Raises the level: the new commander, the new level's actions (those done stay done; an
    /// open one keeps the earlier of its due instants).
    pub(super) fn raise_emergency(
        &mut self,
        by: &str,
        level: EmergencyLevel,
        reason: &str,
    ) -> Result<(), Error> {
        let from = self.running_record()?.level;
        if !level.is_more_serious_than(from) {
            return Err(refusal(
                "emergency_level_lower",
                &JsonPath::root().field("level"),
                format!(
                    "the emergency is at level {from}: level {level} does not raise it, and a level is never lowered"
                ),
                RULE,
            ));
        }
        let added = self.level_actions(level, self.now)?;
        let every = self.status_every(level);
        let next_update = self.policy.calendar().add(self.now, every)?.at;
        let commanding_role = self
            .policy
            .emergency()
            .levels
            .get(&level)
            .map_or(Role::CompanyLeadership, |l| l.commanding_role);
        let now = self.now;
        let record = self.record_mut()?;
        for action in added {
            match record.actions.iter_mut().find(|a| a.id == action.id) {
                Some(old) if old.outcome.is_none() => old.due = old.due.min(action.due),
                Some(_) => {}
                None => record.actions.push(action),
            }
        }
        for a in &mut record.actions {
            if a.outcome.is_none() && a.id.starts_with(STATUS_UPDATE) {
                a.due = a.due.min(next_update);
            }
        }
        record.raises.push(LevelChange {
            from,
            to: level,
            by: by.to_owned(),
            at: now,
            reason: reason.to_owned(),
        });
        record.level = level;
        record.commanding_role = commanding_role;
        self.case.emergency = Some(level);
        let from_text = from.to_string();
        self.notify_commander(
            Template::EmergencyRaised,
            &[("from", from_text.as_str()), ("reason", reason)],
        );
        Ok(())
    }

    /// The index of the open, non-recurring action `id`, or the refusal.
    fn open_action(&self, id: &str) -> Result<usize, Error> {
        let record = self.running_record()?;
        let found = record
            .actions
            .iter()
            .position(|a| a.id == id && a.outcome.is_none() && !a.id.starts_with(STATUS_UPDATE));
        found.ok_or_else(|| {
            let open: Vec<&str> = record
                .open_actions()
                .filter(|a| !a.id.starts_with(STATUS_UPDATE))
                .map(|a| a.id.as_str())
                .collect();
            refusal(
                "no_open_action",
                &JsonPath::root().field("action"),
                format!(
                    "`{id}` is not an open action of this emergency (open: {}; status updates are posted with `emergency_status_update`)",
                    if open.is_empty() { "none".to_owned() } else { open.join(", ") }
                ),
                RULE,
            )
        })
    }

    /// Marks an action done or waived (the waiver by the commander only).
    pub(super) fn settle_emergency_action(
        &mut self,
        actor: &Actor,
        id: &str,
        waiver: Option<&str>,
    ) -> Result<(), Error> {
        let index = self.open_action(id)?;
        let (by, at) = (actor.id.clone(), self.now);
        let outcome = match waiver {
            Some(reason) => {
                self.commander_only(actor, CommandKind::WaiveEmergencyAction)?;
                ActionOutcome::Waived {
                    by,
                    at,
                    reason: reason.to_owned(),
                }
            }
            None => {
                self.may_act(actor, CommandKind::CompleteEmergencyAction)?;
                ActionOutcome::Done { by, at }
            }
        };
        if let Some(action) = self.record_mut()?.actions.get_mut(index) {
            action.outcome = Some(outcome);
        }
        Ok(())
    }

    /// The commander, or those who report progress on the case at its tier.
    fn may_act(&self, actor: &Actor, kind: CommandKind) -> Result<(), Error> {
        let record = self.case.emergency_plan.as_ref().ok_or_else(no_emergency)?;
        let mut roles = vec![record.commanding_role];
        roles.extend_from_slice(
            self.policy
                .roles_for(CommandKind::ReportProgress, self.case.tier),
        );
        require(
            actor,
            &roles,
            kind,
            "policy.md §7; $.emergency.levels; $.lifecycle.permissions.report_progress",
        )
    }

    /// Posts a status update: the open one is done, the next is due a cadence later.
    pub(super) fn emergency_status_update(&mut self, actor: &Actor) -> Result<(), Error> {
        let record = self.running_record()?;
        let level = record.level;
        let n = record
            .actions
            .iter()
            .filter(|a| a.id.starts_with(STATUS_UPDATE))
            .count();
        self.may_act(actor, CommandKind::EmergencyStatusUpdate)?;
        let due = self
            .policy
            .calendar()
            .add(self.now, self.status_every(level))?
            .at;
        let (by, now) = (actor.id.clone(), self.now);
        let record = self.record_mut()?;
        for a in &mut record.actions {
            if a.outcome.is_none() && a.id.starts_with(STATUS_UPDATE) {
                a.outcome = Some(ActionOutcome::Done {
                    by: by.clone(),
                    at: now,
                });
            }
        }
        record.actions.push(EmergencyAction {
            id: format!("{STATUS_UPDATE}{}", n.saturating_add(1)),
            started: now,
            due,
            outcome: None,
        });
        Ok(())
    }

    /// Declares the emergency over: commander only, every action done or waived. The open status
    /// update stays open when already late, and is dropped when not yet due. The review is then
    /// due.
    pub(super) fn end_emergency(&mut self, actor: &Actor) -> Result<(), Error> {
        let record = self.running_record()?;
        self.commander_only(actor, CommandKind::EndEmergency)?;
        let open: Vec<Diagnostic> = record
            .open_actions()
            .filter(|a| !a.id.starts_with(STATUS_UPDATE))
            .map(|a| {
                Diagnostic::error(
                    "actions_open",
                    &JsonPath::root().field("type"),
                    format!(
                        "action `{}` (due {}) is neither done nor waived ({RULE})",
                        a.id,
                        self.text(&a.due)
                    ),
                )
            })
            .collect();
        if !open.is_empty() {
            return Err(Error::new(ErrorCode::Refused, "command refused", open));
        }
        let review_due = self
            .policy
            .calendar()
            .add(self.now, self.policy.emergency().review_due)?
            .at;
        let (by, now) = (actor.id.clone(), self.now);
        let record = self.record_mut()?;
        // Only status updates are open here. One already past due stays open, so the figures
        // judge it late; one not yet due is no longer owed and leaves the record. Nobody waived
        // either (docs/policy.md §7).
        record
            .actions
            .retain(|a| a.outcome.is_some() || now > a.due);
        record.ended_at = Some(now);
        record.ended_by = Some(by);
        record.review_due = Some(review_due);
        let due_text = self.text(&review_due);
        self.notify_commander(
            Template::EmergencyEnded,
            &[("review_due", due_text.as_str())],
        );
        Ok(())
    }

    /// Files the post-event review of the oldest emergency whose review is pending (an earlier
    /// one in `ended_emergencies`, else the last), which closes that record: its commander only.
    pub(super) fn file_emergency_review(
        &mut self,
        actor: &Actor,
        summary: &str,
    ) -> Result<(), Error> {
        let last = self.case.emergency_plan.as_ref().ok_or_else(no_emergency)?;
        let pending = |r: &EmergencyRecord| r.ended_at.is_some() && !r.is_closed();
        let earlier = self.case.ended_emergencies.iter().position(pending);
        let record = match earlier {
            Some(i) => self.case.ended_emergencies.get(i).unwrap_or(last),
            None => last,
        };
        if !pending(record) {
            return Err(refusal(
                "no_review_due",
                &JsonPath::root().field("type"),
                if record.is_closed() {
                    "the emergency's review is already filed"
                } else {
                    "the emergency has not been declared over (`end_emergency`)"
                },
                "policy.md §7; $.emergency.review_due",
            ));
        }
        let rule = format!(
            "policy.md §7; $.emergency.levels.{}.commanding_role",
            record.level
        );
        require(
            actor,
            &[record.commanding_role],
            CommandKind::FileEmergencyReview,
            &rule,
        )?;
        let review = EmergencyReview {
            by: actor.id.clone(),
            at: self.now,
            summary: summary.to_owned(),
        };
        let record = match earlier {
            Some(i) => self.case.ended_emergencies.get_mut(i),
            None => self.case.emergency_plan.as_mut(),
        };
        if let Some(record) = record {
            record.review = Some(review);
        }
        Ok(())
    }

    /// Releases a media statement: approved by the commanding level, so released by its role.
    pub(super) fn release_media_statement(
        &mut self,
        actor: &Actor,
        text: &str,
    ) -> Result<(), Error> {
        let record = self.case.emergency_plan.as_ref().ok_or_else(no_emergency)?;
        let role = record.commanding_role;
        if !actor.roles.contains(&role) {
            return Err(refusal(
                "media_not_approved",
                &JsonPath::root().field("actor").field("roles"),
                format!(
                    "a media statement needs the approval of the commanding level ({role}); {} does not hold it",
                    actor.id
                ),
                "policy.md §7; $.emergency.levels.*.commanding_role",
            ));
        }
        let statement = MediaStatement {
            by: actor.id.clone(),
            role,
            at: self.now,
            text: text.to_owned(),
        };
        self.record_mut()?.media_statements.push(statement);
        Ok(())
    }

    /// Merges new facts over the current ones; a trigger that now holds declares the emergency,
    /// or raises it when more serious (never lowers it); at the same level, the level's
    /// conditional actions that now hold are added. After an emergency's end, a trigger that
    /// did not hold before these facts declares a further emergency at the most serious level of
    /// such triggers; those that already held declare nothing again (docs/policy.md §7).
    pub(super) fn update_facts(&mut self, new: &crate::intake::Facts) -> Result<(), Error> {
        let held_before = self
            .policy
            .emergency_reading(&current_report(self.case))
            .holding;
        let mut facts = self
            .case
            .facts
            .clone()
            .unwrap_or_else(|| self.case.report.facts.clone());
        macro_rules! merge {
            ($($f:ident),*) => {$( if new.$f.is_some() { facts.$f = new.$f; } )*};
        }
        merge!(
            safety_hazard,
            main_structure,
            injuries,
            households_affected,
            estimated_loss_cny,
            legal_action_threatened,
            media_attention,
            delivery_blocked
        );
        self.case.facts = Some(facts);
        let reading = self.policy.emergency_reading(&current_report(self.case));
        // The first trigger, in policy order, of the most serious level among those that hold
        // now and did not before these facts.
        let newly = reading
            .holding
            .iter()
            .filter(|(_, id)| !held_before.iter().any(|(_, before)| before == id))
            .fold(None::<&(EmergencyLevel, String)>, |best, t| match best {
                Some(b) if !t.0.is_more_serious_than(b.0) => Some(b),
                _ => Some(t),
            })
            .cloned();
        match (&self.case.emergency_plan, reading.declared) {
            (None, Some((level, trigger))) => {
                self.declare_emergency(ENGINE, level, Some(trigger), None)
            }
            (Some(r), Some((level, trigger)))
                if r.ended_at.is_none() && level.is_more_serious_than(r.level) =>
            {
                self.raise_emergency(ENGINE, level, &trigger)
            }
            (Some(r), _) if r.ended_at.is_some() && self.further_emergency => match newly {
                Some((level, trigger)) => {
                    self.declare_emergency(ENGINE, level, Some(trigger), None)
                }
                None => Ok(()),
            },
            _ => self.add_actions_now_held(),
        }
    }

    /// For a running record: the current level's actions that now hold (a conditional one the
    /// new facts satisfy) and are not on the record yet, each due its time from now.
    fn add_actions_now_held(&mut self) -> Result<(), Error> {
        let Some(level) = self
            .case
            .emergency_plan
            .as_ref()
            .filter(|r| r.ended_at.is_none())
            .map(|r| r.level)
        else {
            return Ok(());
        };
        let held = self.level_actions(level, self.now)?;
        let record = self.record_mut()?;
        for action in held {
            if !record.actions.iter().any(|a| a.id == action.id) {
                record.actions.push(action);
            }
        }
        Ok(())
    }

    /// Refuses a declaration by hand less serious than the case's level (a case replayed from a
    /// log before event format 4 has a level and no record) or than the triggers' level now.
    pub(super) fn refuse_lower_declaration(&self, level: EmergencyLevel) -> Result<(), Error> {
        let by_triggers = self
            .policy
            .emergency_reading(&current_report(self.case))
            .declared
            .map(|(l, _)| l);
        let floor = [self.case.emergency, by_triggers]
            .into_iter()
            .flatten()
            .find(|l| l.is_more_serious_than(level));
        match floor {
            Some(floor) if self.case.emergency_plan.is_none() => Err(refusal(
                "emergency_level_lower",
                &JsonPath::root().field("level"),
                format!(
                    "the case is at level {floor}: a declaration at level {level} would lower it, and a level is never lowered"
                ),
                RULE,
            )),
            _ => Ok(()),
        }
    }

    /// `declare_emergency` and `raise_emergency` by hand: the commanding role of the level or of
    /// a more serious one.
    pub(super) fn may_command(
        &self,
        actor: &Actor,
        level: EmergencyLevel,
        kind: CommandKind,
    ) -> Result<(), Error> {
        require(
            actor,
            &commanders_from(self.policy, level),
            kind,
            &format!("policy.md §7; $.emergency.levels.{level}.commanding_role"),
        )
    }
}

/// The report as the triggers read it: with the facts given since intake, if any.
fn current_report(case: &Case) -> std::borrow::Cow<'_, crate::intake::Report> {
    match &case.facts {
        Some(facts) => {
            let mut report = (*case.report).clone();
            report.facts = facts.clone();
            std::borrow::Cow::Owned(report)
        }
        None => std::borrow::Cow::Borrowed(&case.report),
    }
}

/// The emergencies' clocks at `now`, the earlier (ended) records' first: each open action and
/// each pending review, with a reminder to the commander at risk and an escalation to the
/// commander at a breach.
pub(super) fn emergency_clocks(
    policy: &Policy,
    case: &Case,
    now: DateTime<FixedOffset>,
) -> Result<(Vec<EmergencyClockReport>, Vec<Effect>), Error> {
    let mut reports = Vec::new();
    let mut effects = Vec::new();
    let records = case
        .ended_emergencies
        .iter()
        .enumerate()
        .map(|(i, r)| (Some(i), r))
        .chain(case.emergency_plan.iter().map(|r| (None, r)));
    for (ended_emergency, record) in records {
        record_clocks(
            policy,
            case,
            record,
            ended_emergency,
            now,
            &mut reports,
            &mut effects,
        )?;
    }
    Ok((reports, effects))
}

/// One emergency record's clocks at `now` (see [`emergency_clocks`]).
fn record_clocks(
    policy: &Policy,
    case: &Case,
    record: &EmergencyRecord,
    ended_emergency: Option<usize>,
    now: DateTime<FixedOffset>,
    reports: &mut Vec<EmergencyClockReport>,
    effects: &mut Vec<Effect>,
) -> Result<(), Error> {
    let offset = policy.calendar().offset();
    let review = match (record.ended_at, record.review_due, &record.review) {
        (Some(end), Some(due), review) => Some((end, due, review.as_ref().map(|r| r.at))),
        _ => None,
    };
    let clocks = record
        .actions
        .iter()
        .map(|a| {
            let settled = match &a.outcome {
                Some(ActionOutcome::Done { at, .. } | ActionOutcome::Waived { at, .. }) => {
                    Some(*at)
                }
                None => None,
            };
            (
                a.id.as_str(),
                ClockKind::EmergencyAction,
                a.started,
                a.due,
                settled,
            )
        })
        .chain(review.map(|(end, due, at)| ("review", ClockKind::EmergencyReview, end, due, at)));
    for (id, kind, start, due, settled) in clocks {
        let minutes = u32::try_from((due - start).num_minutes().max(0)).unwrap_or(u32::MAX);
        let mut clock = Clock::new(start, Duration::new(minutes, Unit::Minutes));
        if let Some(at) = settled {
            clock.stop(at)?;
        }
        let status = clock.status(policy.calendar(), policy.clocks().at_risk_fraction, now)?;
        let to = record.commanding_role;
        // An ended record's open (late) status update can no longer be posted: it is reported,
        // not reminded or escalated; the review is.
        let acted_on = record.ended_at.is_none() || kind == ClockKind::EmergencyReview;
        if settled.is_none() && acted_on {
            let key = format!(
                "{}/emergency/{id}/{}",
                case.id,
                crate::time::format_instant(&start, offset)
            );
            let due = crate::time::format_instant(&status.due, offset);
            let rule = std::borrow::Cow::Borrowed("policy.md §7; $.emergency.levels");
            match status.state {
                ClockState::AtRisk => effects.push(Effect::Remind {
                    id: format!("{key}/at_risk"),
                    to,
                    clock: kind,
                    action: Some(id.to_owned()),
                    due,
                    template: Template::ClockAtRisk,
                    rule,
                }),
                ClockState::Breached => effects.push(Effect::Escalate {
                    id: format!("{key}/breached"),
                    to,
                    clock: kind,
                    action: Some(id.to_owned()),
                    due,
                    template: Template::ClockBreached,
                    rule,
                }),
                _ => {}
            }
        }
        reports.push(EmergencyClockReport {
            action: id.to_owned(),
            assignee: to,
            status,
            ended_emergency,
        });
    }
    Ok(())
}

/// When the next emergency drill is due (`drill_status`, docs/policy.md §7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillStatus {
    /// The latest drill, `null` when none was held.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub last: Option<chrono::NaiveDate>,
    /// When the next drill is due: `drill_interval` after the start of the latest drill's day on
    /// the policy's calendar; "now" when no drill was held.
    pub next_due: String,
    /// True when no drill was held, or the next one is past due.
    pub overdue: bool,
    /// Whole days past due (0 when not overdue, or when no drill was ever held).
    pub days_overdue: i64,
    /// The policy's interval.
    pub interval: String,
    /// The rule.
    pub rule: &'static str,
}

/// Where the emergency drills stand at `now`, given the days drills were held. A drill dated
/// after "now" is refused (`out_of_order` at `$.drills[i]`).
pub fn drill_status(
    policy: &Policy,
    drills: &[chrono::NaiveDate],
    now: DateTime<FixedOffset>,
) -> Result<DrillStatus, Error> {
    let calendar = policy.calendar();
    let offset = calendar.offset();
    let today = now.with_timezone(&offset).date_naive();
    if let Some(i) = drills.iter().position(|d| *d > today) {
        return Err(Error::single(
            ErrorCode::InvalidInput,
            "invalid input",
            Diagnostic::error(
                "out_of_order",
                &JsonPath::root().field("drills").index(i),
                "a drill cannot be dated after now",
            ),
        ));
    }
    let interval = policy.emergency().drill_interval;
    let last = drills.iter().max().copied();
    let due = match last {
        Some(day) => {
            let start = day
                .and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(offset).single())
                .unwrap_or(now);
            calendar.add(start, interval)?.at
        }
        None => now,
    };
    Ok(DrillStatus {
        last,
        next_due: crate::time::format_instant(&due, offset),
        overdue: last.is_none() || now > due,
        days_overdue: if now > due { (now - due).num_days() } else { 0 },
        interval: interval.to_string(),
        rule: "policy.md §7; $.emergency.drill_interval",
    })
}
