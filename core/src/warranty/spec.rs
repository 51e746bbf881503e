//! Warranty periods as a policy author writes them (docs/policy.md §1.1).
//!
//! Elements and seasons are named by plain strings here and checked when the policy loads, so
//! that one pass reports every problem with its path; the engine runs their checked form.

use caseflow_derive::Read;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::classify::spec::Condition;
use crate::domain::Labels;

/// Warranty periods and the end of the policy's scope (docs/policy.md §1.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct WarrantySpec {
    /// The design service life of the main structure when a project does not state its own, in
    /// years (50 for ordinary buildings: GB 50068, class 3).
    pub design_service_life_years: i64,
    /// The seasons a period may count, keyed by name (`heating`, `cooling`).
    pub seasons: BTreeMap<String, SeasonSpec>,
    /// Every element of docs/policy.md §1.1 with its labels, its period and when the engine suggests
    /// it, keyed by element: `foundations_and_structure`, `waterproofing`, `heating`, `cooling`,
    /// `installations`, `decoration`, `other`.
    pub elements: BTreeMap<String, ElementSpec>,
}

/// A season that recurs every year, such as the heating season (采暖期).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct SeasonSpec {
    /// Chinese and English labels, e.g. 采暖期 / heating season.
    pub labels: Labels,
    /// The season's first day each year, `MM-DD` (e.g. `11-15`); a day every year has, so not
    /// `02-29`.
    pub from: String,
    /// The season's last day, `MM-DD`; earlier in the year than `from` when the season runs
    /// across the new year (`03-15`).
    pub to: String,
}

/// One element: its labels, its period, and when the engine suggests it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct ElementSpec {
    /// Chinese and English labels.
    pub labels: Labels,
    /// The minimum warranty period, counted from the day the completion acceptance passed.
    pub period: PeriodSpec,
    /// When the engine suggests the element for a report: a condition on the term lists of
    /// `classification.terms` and the report's facts, evaluated as the classification rules are
    /// (negation included). Without it the element is only ever named by the clerk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

/// A warranty period: `{"kind": "years", "amount": 5}`, `{"kind": "seasons", "amount": 2,
/// "season": "heating"}` or `{"kind": "design_service_life"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[read(values)]
pub enum PeriodSpec {
    /// Whole years from the acceptance (at least 1).
    Years {
        /// How many years.
        amount: i64,
    },
    /// The first `amount` seasons that start after the acceptance (at least 1).
    Seasons {
        /// How many seasons.
        amount: i64,
        /// The season's name under `seasons`.
        season: String,
    },
    /// The design service life: the project's (`project_facts.design_service_life_years`), or
    /// the policy's `design_service_life_years`.
    DesignServiceLife {},
}
