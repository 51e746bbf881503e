//! The figures of one group of cases: counts that add up exactly, and the ratios computed from
//! them once (docs/policy.md §6).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use caseflow_derive::Read;

use super::CaseFacts;
use crate::domain::EmergencyLevel;
use crate::error::JsonPath;
use crate::lifecycle::Case;
use crate::routing::ClockKind;

/// A share of cases: `numerator` of `denominator`, and their `ratio` (`null` when the
/// denominator is 0, never NaN), so it always lies in [0, 1].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values, check = super::read::consistent_ratio)]
pub struct Ratio {
    /// The cases that meet the figure.
    pub numerator: u64,
    /// The cases it is taken over.
    pub denominator: u64,
    /// `numerator / denominator`; `null` when the denominator is 0.
    pub ratio: Option<f64>,
}

impl Ratio {
    /// A ratio of two counts.
    pub fn of(numerator: u64, denominator: u64) -> Ratio {
        let mut ratio = Ratio {
            numerator,
            denominator,
            ratio: None,
        };
        ratio.settle();
        ratio
    }

    /// Counts one case in the denominator, and in the numerator when it meets the figure.
    fn count(&mut self, meets: Option<bool>) {
        if let Some(meets) = meets {
            self.denominator += 1;
            self.numerator += u64::from(meets);
        }
    }

    fn merge(&mut self, other: &Ratio, at: &JsonPath) -> Result<(), JsonPath> {
        add(&mut self.numerator, other.numerator, || {
            at.field("numerator")
        })?;
        add(&mut self.denominator, other.denominator, || {
            at.field("denominator")
        })
    }

    /// The ratio of the counts.
    pub(crate) fn settle(&mut self) {
        self.ratio = quotient(self.numerator, self.denominator);
    }
}

/// Adds a count read from an untrusted summary: the path `at` of the count whose sum does not fit
/// in a u64 is returned instead of overflowing.
pub(crate) fn add(
    into: &mut u64,
    from: u64,
    at: impl FnOnce() -> JsonPath,
) -> Result<(), JsonPath> {
    *into = into.checked_add(from).ok_or_else(at)?;
    Ok(())
}

/// The name a group's key has in JSON (its serialized string), for a path.
pub(crate) fn key_name<K: Serialize>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// `n / d` as a float, `None` when `d` is 0. Counts up to 2^53 are exact in an f64.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn quotient(n: u64, d: u64) -> Option<f64> {
    (d != 0).then(|| n as f64 / d as f64)
}

/// A mean: `sum` over `count`, and their quotient (`null` when the count is 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values, check = super::read::consistent_mean)]
pub struct Mean {
    /// The sum of the values.
    pub sum: u64,
    /// How many values.
    pub count: u64,
    /// `sum / count`; `null` when the count is 0.
    pub mean: Option<f64>,
}

/// The customers' satisfaction scores (1 to 5) given with the signed confirmations of closed
/// cases (docs/policy.md §4.6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values, check = super::read::consistent_satisfaction)]
pub struct Satisfaction {
    /// How many closed cases scored 1, 2, 3, 4 and 5 (in that order).
    #[read(value = super::read::five_counts)]
    pub histogram: [u64; 5],
    /// The mean score.
    pub mean: Mean,
    /// The cases scored 4 or 5, over the cases scored.
    pub four_or_five: Ratio,
}

/// The breaches of one clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct BreachCount {
    /// Breaches on record (a clock that restarts, such as progress updates, may breach more
    /// than once per case).
    pub breaches: u64,
    /// Cases with at least one.
    pub cases: u64,
}

/// The emergencies (a case may have had more than one) and how their plans ran (docs/policy.md
/// §7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Emergencies {
    /// How many emergencies, by level (`I` the most serious): each of a case's counts, at its
    /// current (or last) level.
    pub by_level: BTreeMap<EmergencyLevel, u64>,
    /// The mandated actions and status updates done by their due instant, over those done and
    /// those still open past their due instant at `now` (a waived action, or an open one not yet
    /// due, is not judged).
    pub actions_on_time: Ratio,
    /// The post-event reviews filed by their due instant, over those filed and those past due at
    /// `now` unfiled.
    pub reviews_on_time: Ratio,
}

/// The figures of a group of cases; see the module's documentation for each definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Figures {
    /// The cases counted.
    pub cases: u64,
    /// Closed with the customer's signed confirmation.
    pub closed: u64,
    /// Withdrawn.
    pub withdrawn: u64,
    /// Customer contacted within the tier's contact deadline (§4.2).
    pub contacted_in_time: Ratio,
    /// Work verified by the committed deadline (§4.2).
    pub resolved_by_commitment: Ratio,
    /// Closed on the customer's first answer, over closed cases (§4.6).
    pub first_round_satisfied: Ratio,
    /// The scores of the signed confirmations (§4.6).
    pub satisfaction: Satisfaction,
    /// Rejected by the customer at least once, over cases with an answer (§4.6).
    pub reopened: Ratio,
    /// Breaches on record, per clock (§5.3).
    pub breaches: BTreeMap<ClockKind, BreachCount>,
    /// Cases with a breach of the team's (any clock but `customer_reply`), over all cases.
    pub cases_with_breach: Ratio,
    /// Open cases with a running clock past due at `now`, over open cases.
    pub open_overdue: Ratio,
    /// Emergencies (§7).
    pub emergencies: Emergencies,
}

impl Figures {
    pub(crate) fn add(&mut self, facts: &CaseFacts, case: &Case) {
        self.cases += 1;
        match case.state {
            crate::lifecycle::CaseState::Closed => self.closed += 1,
            crate::lifecycle::CaseState::Withdrawn => self.withdrawn += 1,
            _ => {}
        }
        self.contacted_in_time.count(facts.contact);
        self.resolved_by_commitment.count(facts.commitment);
        self.first_round_satisfied.count(facts.first_round);
        self.reopened.count(facts.reopened);
        if let Some(score) = facts.score {
            let slot = usize::from(score.clamp(1, 5) - 1);
            if let Some(count) = self.satisfaction.histogram.get_mut(slot) {
                *count += 1;
            }
            self.satisfaction.mean.sum += u64::from(score);
            self.satisfaction.mean.count += 1;
            self.satisfaction.four_or_five.count(Some(score >= 4));
        }
        let mut team_breach = false;
        for (i, breach) in case.breaches.iter().enumerate() {
            let count = self.breaches.entry(breach.clock).or_default();
            count.breaches += 1;
            // A case counts once per clock: at that clock's first breach.
            let first = !case
                .breaches
                .iter()
                .take(i)
                .any(|b| b.clock == breach.clock);
            count.cases += u64::from(first);
            team_breach |= breach.clock != ClockKind::CustomerReply;
        }
        self.cases_with_breach.count(Some(team_breach));
        self.open_overdue.count(facts.open.then_some(facts.overdue));
        for level in &facts.emergencies {
            *self.emergencies.by_level.entry(*level).or_default() += 1;
        }
        let (done, judged) = facts.actions;
        self.emergencies.actions_on_time.numerator += done;
        self.emergencies.actions_on_time.denominator += judged;
        let (on_time, judged) = facts.reviews;
        self.emergencies.reviews_on_time.numerator += on_time;
        self.emergencies.reviews_on_time.denominator += judged;
    }

    /// Adds the figures of a disjoint set of cases; `at` is the path of `other` in the input,
    /// and a count whose sum would overflow is refused at its path (nothing is left half added
    /// that the caller keeps: it drops the summary on error).
    pub(crate) fn merge(&mut self, other: &Figures, at: &JsonPath) -> Result<(), JsonPath> {
        add(&mut self.cases, other.cases, || at.field("cases"))?;
        add(&mut self.closed, other.closed, || at.field("closed"))?;
        add(&mut self.withdrawn, other.withdrawn, || {
            at.field("withdrawn")
        })?;
        self.contacted_in_time
            .merge(&other.contacted_in_time, &at.field("contacted_in_time"))?;
        self.resolved_by_commitment.merge(
            &other.resolved_by_commitment,
            &at.field("resolved_by_commitment"),
        )?;
        self.first_round_satisfied.merge(
            &other.first_round_satisfied,
            &at.field("first_round_satisfied"),
        )?;
        let satisfaction = at.field("satisfaction");
        for ((slot, count), i) in self
            .satisfaction
            .histogram
            .iter_mut()
            .zip(other.satisfaction.histogram)
            .zip(0..)
        {
            add(slot, count, || satisfaction.field("histogram").index(i))?;
        }
        let mean = satisfaction.field("mean");
        add(
            &mut self.satisfaction.mean.sum,
            other.satisfaction.mean.sum,
            || mean.field("sum"),
        )?;
        add(
            &mut self.satisfaction.mean.count,
            other.satisfaction.mean.count,
            || mean.field("count"),
        )?;
        self.satisfaction.four_or_five.merge(
            &other.satisfaction.four_or_five,
            &satisfaction.field("four_or_five"),
        )?;
        self.reopened
            .merge(&other.reopened, &at.field("reopened"))?;
        for (clock, count) in &other.breaches {
            let into = self.breaches.entry(*clock).or_default();
            let here = || at.field("breaches").field(&key_name(clock));
            add(&mut into.breaches, count.breaches, || {
                here().field("breaches")
            })?;
            add(&mut into.cases, count.cases, || here().field("cases"))?;
        }
        self.cases_with_breach
            .merge(&other.cases_with_breach, &at.field("cases_with_breach"))?;
        self.open_overdue
            .merge(&other.open_overdue, &at.field("open_overdue"))?;
        let emergencies = at.field("emergencies");
        for (level, count) in &other.emergencies.by_level {
            let into = self.emergencies.by_level.entry(*level).or_default();
            add(into, *count, || {
                emergencies.field("by_level").field(&key_name(level))
            })?;
        }
        self.emergencies.actions_on_time.merge(
            &other.emergencies.actions_on_time,
            &emergencies.field("actions_on_time"),
        )?;
        self.emergencies.reviews_on_time.merge(
            &other.emergencies.reviews_on_time,
            &emergencies.field("reviews_on_time"),
        )
    }

    /// Every ratio and mean from its counts.
    pub(crate) fn settle(&mut self) {
        for ratio in [
            &mut self.contacted_in_time,
            &mut self.resolved_by_commitment,
            &mut self.first_round_satisfied,
            &mut self.satisfaction.four_or_five,
            &mut self.reopened,
            &mut self.cases_with_breach,
            &mut self.open_overdue,
            &mut self.emergencies.actions_on_time,
            &mut self.emergencies.reviews_on_time,
        ] {
            ratio.settle();
        }
        let mean = &mut self.satisfaction.mean;
        mean.mean = quotient(mean.sum, mean.count);
    }
}
