//! Supervision and assessment (docs/policy.md §6): the figures the quality department reads over
//! a set of cases, a reproducible spot-check sample, and an audit of incomplete records.
//!
//! - [`Assessor`] streams cases into a [`Kpis`] summary: `Assessor::new(policy, period, now)`,
//!   then [`Assessor::add`] (a case) or [`Assessor::add_log`] (a case's event log, replayed and
//!   verified first), then [`Assessor::finish`]. Its state is counts only — numerator and
//!   denominator pairs, score sums and a 1–5 histogram, per group in ordered maps — so memory
//!   grows with the number of projects, not of cases, and [`merge`] of the summaries of disjoint
//!   case sets equals the summary of their union, exactly: a host with more cases than one machine
//!   holds assesses them per shard and merges.
//! - [`spot_check`] draws, per project, the `k` cases with the smallest SHA-256 of the seed and
//!   the case id: the same inputs and seed give the same sample on every platform, in any input
//!   order.
//! - [`audit`] lists incomplete records, each a [`Finding`] naming the case, the event or record
//!   concerned and what is missing.
//!
//! A log that does not replay (malformed, tampered with, or decided under another policy) is
//! never counted: it becomes a `bad_log` finding naming the case (its position in the input, and
//! its id when readable) and the event, and the counts say how many cases were read, counted and
//! left out.
//!
//! # What each figure means
//!
//! The definitions are those of docs/policy.md §6; in short, for the cases a period covers (the
//! report *received* on a date from `from` to `to`, both included, in the calendar's offset),
//! each as its log ends:
//!
//! - `contacted_in_time`: cases whose customer was contacted within the tier's contact deadline
//!   (24 hours by default, §4.2), over the cases accepted plus the cases not yet accepted whose
//!   contact deadline had passed at `now`.
//! - `resolved_by_commitment`: closed cases whose last round of work passed verification by the
//!   committed deadline (extended by the holds that paused it, §4.2 and §4.7), over the closed
//!   cases plus the open cases whose committed deadline had passed at `now` (withdrawn cases are
//!   not judged). The customer's confirmation may come later: it is the customer's, not the
//!   team's, time.
//! - `first_round_satisfied`: closed cases that closed on the customer's first answer, over
//!   closed cases.
//! - `satisfaction`: the score (1–5) of each closed case's signed confirmation: a histogram, the
//!   mean (a sum over a count) and the share of 4 and 5.
//! - `reopened`: cases the customer rejected at least once, over cases with at least one answer.
//! - `breaches`: per clock, the breaches on record (clocks stopped after their due instant, §5.3)
//!   and the cases with at least one; `cases_with_breach` over all counted cases (the customer's
//!   silence, `customer_reply`, is listed but not counted there: it is not the team's breach).
//! - `open_overdue`: cases not closed or withdrawn with a running clock (other than
//!   `customer_reply`) past its due instant at `now`, over the open cases.
//! - `emergencies`: the emergencies, by level (§7): each of a case's, an earlier one of
//!   `ended_emergencies` at its last level, the current one at its current level; their
//!   mandated actions and status updates done by the due instant, over those done and those still
//!   open past due at `now` (waived ones are not judged); their post-event reviews filed by the
//!   due instant, over those filed and those past due at `now`.
//!
//! Every ratio carries its `numerator`, `denominator` and `ratio` (`null` when the denominator is
//! 0, never NaN), so it lies in [0, 1] and a reader can check it.

mod audit;
mod figures;
mod read;
mod sample;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use caseflow_derive::Read;

use crate::calendar::ClockState;
use crate::domain::{Category, Channel, EmergencyLevel, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::lifecycle::{ActionOutcome, Case, CaseState, EmergencyRecord, Event, PolicyRef, replay};
use crate::policy::Policy;
use crate::routing::ClockKind;

pub use audit::{AuditReport, Finding, FindingCode, audit, audit_case};
pub use figures::{BreachCount, Emergencies, Figures, Mean, Ratio, Satisfaction};
use figures::{add, key_name};
pub use sample::{
    ProjectSample, SampledCase, SpotCheck, SpotCheckSampler, spot_check, spot_check_key,
};

/// The dates a summary covers: cases whose report was received on a date from `from` to `to`,
/// both included, in the calendar's offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Period {
    /// The first date, `YYYY-MM-DD`.
    #[schemars(with = "String", extend("format" = "date"))]
    pub from: NaiveDate,
    /// The last date, included.
    #[schemars(with = "String", extend("format" = "date"))]
    pub to: NaiveDate,
}

impl Period {
    /// A period, refused (`out_of_order` at `$.to`) when `to` is before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, Error> {
        if to < from {
            return Err(Error::single(
                ErrorCode::InvalidInput,
                "invalid period",
                Diagnostic::error(
                    "out_of_order",
                    &JsonPath::root().field("to"),
                    format!("`to` ({to}) is before `from` ({from})"),
                ),
            ));
        }
        Ok(Period { from, to })
    }

    /// Whether a date lies in the period.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// How many cases a summary read, counted and left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct CaseCounts {
    /// Every case given.
    pub read: u64,
    /// The cases in the figures: read, replayed, and received in the period.
    pub counted: u64,
    /// Cases read well but received outside the period.
    pub outside_period: u64,
    /// Cases whose log did not replay (each with a `bad_log` finding), not counted.
    pub left_out: u64,
}

/// The figures over a set of cases (docs/policy.md §6): overall and by project, category, tier
/// and channel, with the cases left out. A mergeable summary: see [`merge`].
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values, check = read::consistent_summary)]
pub struct Kpis {
    /// The dates covered.
    pub period: Period,
    /// The instant open cases were judged at (`open_overdue`, and deadlines not yet met).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub now: DateTime<FixedOffset>,
    /// The policy the cases were replayed under.
    pub policy: PolicyRef,
    /// Cases read, counted and left out.
    pub cases: CaseCounts,
    /// Every counted case.
    pub overall: Figures,
    /// By project id.
    pub by_project: BTreeMap<String, Figures>,
    /// By the case's current category.
    pub by_category: BTreeMap<Category, Figures>,
    /// By the case's current tier.
    pub by_tier: BTreeMap<Tier, Figures>,
    /// By the channel the report came in by.
    pub by_channel: BTreeMap<Channel, Figures>,
    /// The cases left out, one `bad_log` finding each, ordered by case id, event and position.
    pub left_out: Vec<Finding>,
}

/// Streams cases into a [`Kpis`] summary: memory grows with the groups, not the cases.
#[derive(Clone, Debug)]
pub struct Assessor<'p> {
    policy: &'p Policy,
    offset: FixedOffset,
    kpis: Kpis,
}

impl<'p> Assessor<'p> {
    /// An empty summary of `period`, judging open cases at `now`.
    pub fn new(policy: &'p Policy, period: Period, now: DateTime<FixedOffset>) -> Assessor<'p> {
        let offset = policy.calendar().offset();
        Assessor {
            policy,
            offset,
            kpis: Kpis {
                period,
                now: now.with_timezone(&offset),
                policy: PolicyRef::of(policy),
                cases: CaseCounts::default(),
                overall: Figures::default(),
                by_project: BTreeMap::new(),
                by_category: BTreeMap::new(),
                by_tier: BTreeMap::new(),
                by_channel: BTreeMap::new(),
                left_out: Vec::new(),
            },
        }
    }

    /// Adds one case. A case whose clocks cannot be read at `now` (a year a strict calendar does
    /// not cover) is refused, and the caller leaves it out with a finding ([`Assessor::leave_out`]).
    pub fn add(&mut self, case: &Case) -> Result<(), Error> {
        let received = case.report.received().with_timezone(&self.offset);
        if !self.kpis.period.covers(received.date_naive()) {
            self.kpis.cases.read += 1;
            self.kpis.cases.outside_period += 1;
            return Ok(());
        }
        let facts = CaseFacts::of(self.policy, case, self.kpis.now)?;
        self.kpis.cases.read += 1;
        self.kpis.cases.counted += 1;
        self.kpis.overall.add(&facts, case);
        match self.kpis.by_project.get_mut(case.report.project.as_str()) {
            Some(figures) => figures.add(&facts, case),
            None => {
                let mut figures = Figures::default();
                figures.add(&facts, case);
                self.kpis
                    .by_project
                    .insert(case.report.project.clone(), figures);
            }
        }
        self.kpis
            .by_category
            .entry(case.category)
            .or_default()
            .add(&facts, case);
        self.kpis
            .by_tier
            .entry(case.tier)
            .or_default()
            .add(&facts, case);
        self.kpis
            .by_channel
            .entry(case.report.channel)
            .or_default()
            .add(&facts, case);
        Ok(())
    }

    /// Counts a case that could not be read or replayed, with its finding.
    pub fn leave_out(&mut self, finding: Finding) {
        self.kpis.cases.read += 1;
        self.kpis.cases.left_out += 1;
        self.kpis.left_out.push(finding);
    }

    /// Adds the case at position `index` of the input, given as its event log (a JSON array of
    /// events): read, verified and replayed, or left out with a `bad_log` finding.
    pub fn add_log(&mut self, index: u64, log: &Value) {
        match case_of_log(self.policy, index, log) {
            Ok(case) => {
                if let Err(error) = self.add(&case) {
                    self.leave_out(Finding::bad_case(index, &case, &error));
                }
            }
            Err(finding) => self.leave_out(*finding),
        }
    }

    /// The summary, its ratios computed and its findings in order.
    pub fn finish(mut self) -> Kpis {
        self.kpis.settle();
        self.kpis
    }
}

impl Kpis {
    /// Every ratio and mean from its counts, and the findings in their order.
    fn settle(&mut self) {
        self.overall.settle();
        self.by_project.values_mut().for_each(Figures::settle);
        self.by_category.values_mut().for_each(Figures::settle);
        self.by_tier.values_mut().for_each(Figures::settle);
        self.by_channel.values_mut().for_each(Figures::settle);
        self.left_out.sort_by(Finding::order);
    }
}

/// The summary of a whole set of cases at once: [`Assessor`] over every log.
pub fn assess(policy: &Policy, logs: &[Value], period: Period, now: DateTime<FixedOffset>) -> Kpis {
    let mut assessor = Assessor::new(policy, period, now);
    for (index, log) in logs.iter().enumerate() {
        assessor.add_log(u64::try_from(index).unwrap_or(u64::MAX), log);
    }
    assessor.finish()
}

/// Combines the summaries of disjoint case sets into the summary of their union: every count is
/// added, every group's figures combined, the findings put together, each finding's `case_index`
/// moved past the cases read by the summaries before its own (`cases.read`), so that merging the
/// summaries of consecutive shards gives exactly the summary of their concatenation. A count
/// whose sum does not fit in 64 bits is refused (`out_of_range`, at that count in the first
/// summary that overflows it), never wrapped. Summaries of different
/// periods, instants or policies are refused (`incompatible_summaries`, at the first that
/// differs), and so is an empty list (`empty`).
pub fn merge(summaries: &[Kpis]) -> Result<Kpis, Error> {
    let path = || JsonPath::root().field("summaries");
    let Some((first, rest)) = summaries.split_first() else {
        return Err(Error::single(
            ErrorCode::InvalidInput,
            "nothing to merge",
            Diagnostic::error("empty", &path(), "give at least one summary to merge"),
        ));
    };
    let mut merged = first.clone();
    for (i, other) in rest.iter().enumerate() {
        let at = path().index(i + 1);
        let differs = if other.period != merged.period {
            Some(("period", "period"))
        } else if other.now != merged.now {
            Some(("now", "instant `now`"))
        } else if other.policy != merged.policy {
            Some(("policy", "policy"))
        } else {
            None
        };
        if let Some((member, what)) = differs {
            return Err(Error::single(
                ErrorCode::InvalidInput,
                "summaries that cannot be merged",
                Diagnostic::error(
                    "incompatible_summaries",
                    &at.field(member),
                    format!(
                        "summary {} has another {what} than summary 0: only summaries of one period, taken at one instant under one policy, add up",
                        i + 1
                    ),
                ),
            ));
        }
        // The shards are taken in order, as if their inputs were given one after another: a
        // finding's `case_index` moves past the cases of the summaries before it.
        let offset = merged.cases.read;
        merge_one(&mut merged, other, offset, &at).map_err(|member| {
            Error::single(
                ErrorCode::InvalidInput,
                "summaries that cannot be merged",
                Diagnostic::error(
                    "out_of_range",
                    &member,
                    format!(
                        "summary {} makes this count larger than a merged summary can hold (2^64 - 1)",
                        i + 1
                    ),
                ),
            )
        })?;
    }
    merged.settle();
    Ok(merged)
}

/// Adds `other` (at `at` in the input) into `merged`, its findings' `case_index` moved by
/// `offset`; the path of a count that would overflow is returned.
fn merge_one(merged: &mut Kpis, other: &Kpis, offset: u64, at: &JsonPath) -> Result<(), JsonPath> {
    let cases = at.field("cases");
    add(&mut merged.cases.read, other.cases.read, || {
        cases.field("read")
    })?;
    add(&mut merged.cases.counted, other.cases.counted, || {
        cases.field("counted")
    })?;
    add(
        &mut merged.cases.outside_period,
        other.cases.outside_period,
        || cases.field("outside_period"),
    )?;
    add(&mut merged.cases.left_out, other.cases.left_out, || {
        cases.field("left_out")
    })?;
    merged.overall.merge(&other.overall, &at.field("overall"))?;
    merge_groups(
        &mut merged.by_project,
        &other.by_project,
        &at.field("by_project"),
    )?;
    merge_groups(
        &mut merged.by_category,
        &other.by_category,
        &at.field("by_category"),
    )?;
    merge_groups(&mut merged.by_tier, &other.by_tier, &at.field("by_tier"))?;
    merge_groups(
        &mut merged.by_channel,
        &other.by_channel,
        &at.field("by_channel"),
    )?;
    for (j, finding) in other.left_out.iter().enumerate() {
        let mut moved = finding.clone();
        moved.case_index = finding
            .case_index
            .checked_add(offset)
            .ok_or_else(|| at.field("left_out").index(j).field("case_index"))?;
        merged.left_out.push(moved);
    }
    Ok(())
}

fn merge_groups<K: Ord + Clone + Serialize>(
    into: &mut BTreeMap<K, Figures>,
    from: &BTreeMap<K, Figures>,
    at: &JsonPath,
) -> Result<(), JsonPath> {
    for (key, figures) in from {
        match into.get_mut(key) {
            Some(existing) => existing.merge(figures, &at.field(&key_name(key)))?,
            None => {
                into.insert(key.clone(), figures.clone());
            }
        }
    }
    Ok(())
}

/// What one case adds to the figures, worked out once for all its groups.
#[derive(Clone, Debug, Default)]
pub(crate) struct CaseFacts {
    /// Contacted in time; `None` when the contact's outcome is not known yet.
    pub contact: Option<bool>,
    /// Work verified by the committed deadline; `None` when not known yet, or withdrawn.
    pub commitment: Option<bool>,
    /// Closed on the first answer (closed cases only).
    pub first_round: Option<bool>,
    /// Rejected at least once (cases with an answer only).
    pub reopened: Option<bool>,
    /// The closing answer's score.
    pub score: Option<u8>,
    /// Not closed or withdrawn.
    pub open: bool,
    /// Open, with a running clock past due at `now`.
    pub overdue: bool,
    /// The level of each emergency of the case (the current or last one at its current level).
    pub emergencies: Vec<EmergencyLevel>,
    /// The emergencies' actions done in time, and those judged.
    pub actions: (u64, u64),
    /// The emergencies' reviews filed in time, and those judged.
    pub reviews: (u64, u64),
}

impl CaseFacts {
    fn of(policy: &Policy, case: &Case, now: DateTime<FixedOffset>) -> Result<CaseFacts, Error> {
        let breached = |kind: ClockKind| case.breaches.iter().any(|b| b.clock == kind);
        let open = !case.state.is_terminal();
        let mut facts = CaseFacts {
            open,
            ..CaseFacts::default()
        };
        if case.acceptance.is_some() {
            facts.contact = Some(!breached(ClockKind::ContactCustomer));
        }
        facts.commitment = resolved_by_commitment(case, now);
        // Each emergency counts: the earlier (ended) ones and the current or last one; a case
        // replayed from a log before the emergency plan has a level and no record.
        let plans = case
            .ended_emergencies
            .iter()
            .chain(case.emergency_plan.iter());
        for plan in plans {
            facts.emergencies.push(plan.level);
            let (done, judged) = emergency_actions(plan, now);
            facts.actions.0 += done;
            facts.actions.1 += judged;
            let review = match (&plan.review, plan.review_due) {
                (Some(review), Some(due)) => Some(review.at <= due),
                (Some(_), None) => Some(true),
                (None, Some(due)) if now > due => Some(false),
                (None, _) => None,
            };
            if let Some(on_time) = review {
                facts.reviews.0 += u64::from(on_time);
                facts.reviews.1 += 1;
            }
        }
        if case.emergency_plan.is_none() {
            facts.emergencies.extend(case.emergency);
        }
        if open {
            for (kind, clock) in &case.clocks {
                if clock.stopped_at.is_some() || *kind == ClockKind::CustomerReply {
                    continue;
                }
                let status =
                    clock.status(policy.calendar(), policy.clocks().at_risk_fraction, now)?;
                if status.state != ClockState::Breached {
                    continue;
                }
                facts.overdue = true;
                if *kind == ClockKind::ContactCustomer {
                    facts.contact = Some(false);
                }
            }
        }
        if let Some(first) = case.customer_answers.first() {
            facts.reopened = Some(case.customer_answers.iter().any(|a| !a.satisfied));
            if case.state == CaseState::Closed {
                facts.first_round = Some(first.satisfied);
            }
        }
        if case.state == CaseState::Closed {
            facts.score = case
                .customer_answers
                .iter()
                .rev()
                .find(|a| a.satisfied)
                .and_then(|a| a.satisfaction);
        }
        Ok(facts)
    }
}

/// An emergency's actions (status updates included) done by their due instant, and those judged:
/// done, or open past due at `now`; a waived action is not judged.
fn emergency_actions(plan: &EmergencyRecord, now: DateTime<FixedOffset>) -> (u64, u64) {
    plan.actions
        .iter()
        .fold((0, 0), |(done, judged), action| match &action.outcome {
            Some(ActionOutcome::Done { at, .. }) => {
                (done + u64::from(*at <= action.due), judged + 1)
            }
            None if now > action.due => (done, judged + 1),
            _ => (done, judged),
        })
}

/// Whether the work was verified by the committed deadline: for a closed case, the last round's
/// passed verification at or before the deadline (extended by the holds that paused the
/// commitment clock, docs/policy.md §4.7); for an open case, `false` once `now` is past it and
/// unknown before; for a withdrawn or never accepted case, unknown.
fn resolved_by_commitment(case: &Case, now: DateTime<FixedOffset>) -> Option<bool> {
    let acceptance = case.acceptance.as_ref()?;
    let held = case
        .clocks
        .get(&ClockKind::Commitment)
        .map(|clock| {
            clock
                .pauses
                .iter()
                .map(|p| p.to.unwrap_or(now).max(p.from) - p.from)
                .fold(chrono::TimeDelta::zero(), |sum, d| sum + d)
        })
        .unwrap_or_default();
    let due = acceptance
        .committed_deadline
        .checked_add_signed(held)
        .unwrap_or(acceptance.committed_deadline);
    match case.state {
        CaseState::Withdrawn => None,
        CaseState::Closed => {
            let verified = case
                .verifications
                .iter()
                .filter(|v| v.passed)
                .map(|v| v.at)
                .max()?;
            Some(verified <= due)
        }
        _ => (now > due).then_some(false),
    }
}

/// Reads a case's log (a JSON array of events) and replays it: the case, or the `bad_log`
/// finding that names the case (`index` in the input, and its id when readable) and the first
/// bad event.
pub fn case_of_log(policy: &Policy, index: u64, log: &Value) -> Result<Case, Box<Finding>> {
    let events = read_log(index, log)?;
    replay(policy, &events).map_err(|error| Box::new(Finding::bad_log(index, log, &error)))
}

/// The events of a log, or the finding naming its first unreadable event.
pub fn read_log(index: u64, log: &Value) -> Result<Vec<Event>, Box<Finding>> {
    let Value::Array(items) = log else {
        let error = Error::single(
            ErrorCode::InvalidInput,
            "invalid event log",
            Diagnostic::error(
                "wrong_type",
                &JsonPath::root(),
                format!(
                    "a case is given as its event log, a JSON array of events, not {}",
                    crate::reader::kind_of(log)
                ),
            ),
        );
        return Err(Box::new(Finding::bad_log(index, log, &error)));
    };
    let path = JsonPath::root().field("events");
    let mut events = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match Event::from_value(item, &path.index(i)) {
            Ok(event) => events.push(event),
            Err(error) => return Err(Box::new(Finding::bad_log(index, log, &error))),
        }
    }
    Ok(events)
}
