//! Warranty and the end of scope (docs/policy.md §1.1): is a report still under warranty?
//!
//! The answer is [`Warranty`]; how it is reached:
//!
//! - **The day judged** is the day the report was raised, in the calendar's offset (the `on`
//!   date of the `warranty` call).
//! - **Before the completion acceptance** (no `accepted_on`, or one after that day) every report
//!   is within the policy's scope: `within`, decided by `not_accepted`.
//! - **Years** count from the acceptance day, which is not counted itself (民法典 Art. 201): N
//!   years end on the day N years later with the acceptance's month and day, or on the last day
//!   of that month when it has no such day (Art. 202): an acceptance on 29 February ends on 28
//!   February of a year that is not a leap year. The last day counts in full, to 24:00
//!   (Art. 203). Art. 203's moving of a last day that falls on a holiday to the next working day
//!   is not applied: the act the period limits is reporting a defect, which the hotline and the
//!   online channels take on every day.
//! - **Seasons**: N seasons are the first N seasons that *start after* the acceptance day, and
//!   the period ends on the last day of the Nth. A season already under way on the acceptance
//!   day, or starting on it (Art. 201: the day itself is not counted, so that season is not
//!   whole), does not count; it is covered anyway, since it ends before the counted ones.
//! - **Design service life**: the project's (`project_facts.design_service_life_years`), else
//!   the policy's `warranty.design_service_life_years`, as years.
//! - **The element**: the clerk's when the report names one (honoured, like the clerk's
//!   category); otherwise the elements whose `when` holds on the report, read by the
//!   classification's own matcher and conditions (negation included), each with its evidence.
//!   A report may concern several elements (a leak that spoiled the decoration): the one whose
//!   period ends last governs, the longest period that applies (docs/policy.md §1.1), ties going to
//!   the element listed first. When no element is found every element is a candidate: the
//!   answer is `within` or `expired` when they all agree, `unknown` otherwise — never the
//!   shortest period's answer.

pub mod spec;

use caseflow_derive::Read;
use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::classify::condition::Cond;
use crate::classify::{Classifier, Evidence, check_can_fire};
use crate::domain::{Labels, WarrantyElement};
pub use crate::domain::{WarrantyBasis, WarrantyStatus};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::intake::{MAX_SERVICE_LIFE_YEARS, ProjectFacts};
use spec::{PeriodSpec, WarrantySpec};

/// Where a design service life comes from.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ServiceLifeSource {
    /// The project's design documents (`project_facts.design_service_life_years`).
    Project,
    /// The policy's default (`warranty.design_service_life_years`).
    Policy,
}

/// A warranty period as it applies to a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum WarrantyPeriod {
    /// Whole years from the acceptance.
    Years {
        /// How many years.
        amount: u32,
    },
    /// The first seasons that start after the acceptance.
    Seasons {
        /// How many seasons.
        amount: u32,
        /// The season's name in the policy.
        season: String,
        /// Its first day each year, `MM-DD`.
        from: String,
        /// Its last day, `MM-DD`.
        to: String,
    },
    /// The design service life, in years.
    DesignServiceLife {
        /// How many years.
        amount: u32,
        /// Whose figure it is.
        source: ServiceLifeSource,
    },
}

/// The answer to "is it still under warranty?" (docs/policy.md §1.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warranty {
    /// `within`, `expired` (a service request) or `unknown`.
    pub status: WarrantyStatus,
    /// How the answer was reached.
    pub decided_by: WarrantyBasis,
    /// The element whose period decided (before the acceptance, the one that would); `null`
    /// when the clerk named none and the engine found none.
    pub element: Option<WarrantyElement>,
    /// That element's period.
    pub period: Option<WarrantyPeriod>,
    /// The last day within that period, `YYYY-MM-DD`; `null` before the acceptance.
    #[serde(serialize_with = "crate::time::date::option::serialize")]
    pub ends_on: Option<NaiveDate>,
    /// The policy rule that decided, as a JSON path (`$.warranty.elements.decoration.period`);
    /// `null` before the acceptance (docs/policy.md §1.1 itself decides).
    pub rule: Option<String>,
    /// The answer in words.
    pub reason: String,
    /// The day judged: when the report was raised, in the calendar's offset.
    #[serde(serialize_with = "crate::time::date::serialize")]
    pub on: NaiveDate,
    /// The day the completion acceptance passed, when known (it may lie after `on`).
    #[serde(serialize_with = "crate::time::date::option::serialize")]
    pub accepted_on: Option<NaiveDate>,
    /// The elements the engine found in the report, each with its evidence, in policy order.
    pub suggested: Vec<SuggestedElement>,
    /// Each element considered, with its period and the day it ends; empty while no acceptance
    /// date is known.
    pub candidates: Vec<WarrantyCandidate>,
}

/// An element the engine found in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestedElement {
    /// The element.
    pub element: WarrantyElement,
    /// The condition that found it, as a JSON path into the policy.
    pub rule: String,
    /// What made it hold.
    pub evidence: Vec<Evidence>,
}

/// One element's period for a project, and its answer on the day judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarrantyCandidate {
    /// The element.
    pub element: WarrantyElement,
    /// Its period.
    pub period: WarrantyPeriod,
    /// The last day within it.
    #[serde(serialize_with = "crate::time::date::serialize")]
    pub ends_on: NaiveDate,
    /// `within` or `expired` on the day judged (`within` before the acceptance).
    pub status: WarrantyStatus,
    /// The period's JSON path in the policy.
    pub rule: String,
}

/// The warranty part of the engine's assessment, as a case keeps it and its `record` event
/// stores it: the decision without its explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct WarrantyAssessment {
    /// `within`, `expired` or `unknown`.
    pub status: WarrantyStatus,
    /// How the answer was reached.
    pub decided_by: WarrantyBasis,
    /// The element whose period decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<WarrantyElement>,
    /// The last day within that period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
}

impl Warranty {
    /// The decision without its explanation.
    pub fn assessment(&self) -> WarrantyAssessment {
        WarrantyAssessment {
            status: self.status,
            decided_by: self.decided_by,
            element: self.element,
            ends_on: self.ends_on,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checked policy.

/// A day of the year, valid in every year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    /// Reads `MM-DD`, refusing days that not every year has.
    fn parse(text: &str) -> Result<MonthDay, String> {
        let b = text.as_bytes();
        let digits = |x: u8, y: u8| {
            (x.is_ascii_digit() && y.is_ascii_digit())
                .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        };
        let parsed = match *b {
            [m1, m2, b'-', d1, d2] => digits(m1, m2).zip(digits(d1, d2)),
            _ => None,
        };
        let Some((month, day)) = parsed else {
            return Err(format!(
                "`{text}` is not a day of the year written MM-DD, such as 11-15"
            ));
        };
        if (month, day) == (2, 29) {
            return Err(
                "02-29 is not a day of every year: a season starts and ends on days every year has (02-28 or 03-01)"
                    .to_owned(),
            );
        }
        // 2001 is not a leap year: a day that exists in it exists in every year.
        match NaiveDate::from_ymd_opt(2001, month, day) {
            Some(_) => Ok(MonthDay { month, day }),
            None => Err(format!(
                "`{text}` is not a day of the year: no month has it"
            )),
        }
    }

    fn in_year(self, year: i32) -> Result<NaiveDate, Error> {
        NaiveDate::from_ymd_opt(year, self.month, self.day).ok_or_else(out_of_range)
    }

    fn text(self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }
}

#[derive(Clone, Debug)]
struct Season {
    name: String,
    labels: Labels,
    from: MonthDay,
    to: MonthDay,
}

#[derive(Clone, Debug)]
enum Period {
    Years(u32),
    Seasons(u32, Season),
    DesignServiceLife,
}

#[derive(Debug)]
struct ElementPolicy {
    element: WarrantyElement,
    labels: Labels,
    period: Period,
    when: Option<Cond>,
    /// The JSON paths of its period and its condition, as answers cite them.
    period_rule: String,
    when_rule: String,
}

/// The policy's warranty section, checked.
#[derive(Debug)]
pub(crate) struct WarrantyPolicy {
    design_service_life_years: u32,
    /// `$.warranty.elements`: the rule when every element decides together.
    elements_rule: String,
    /// Every element, in the order of [`WarrantyElement::ALL`].
    elements: Vec<ElementPolicy>,
}

impl WarrantyPolicy {
    /// Checks and compiles the `warranty` section at `path`; element conditions are compiled
    /// against the classifier's term lists (when the classification section compiled).
    pub(crate) fn compile(
        spec: &WarrantySpec,
        classifier: Option<&Classifier>,
        path: &JsonPath,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<WarrantyPolicy> {
        let before = diagnostics.len();
        let design_service_life_years = amount(
            spec.design_service_life_years,
            "a design service life",
            &path.field("design_service_life_years"),
            diagnostics,
        );
        let mut seasons = Vec::new();
        for (name, season) in &spec.seasons {
            let spath = path.field("seasons").field(name);
            let mut day = |text: &str, at: &str| {
                MonthDay::parse(text)
                    .map_err(|m| {
                        diagnostics.push(Diagnostic::error("invalid_date", &spath.field(at), m));
                    })
                    .ok()
            };
            let from = day(&season.from, "from");
            let to = day(&season.to, "to");
            if let (Some(from), Some(to)) = (from, to) {
                seasons.push(Season {
                    name: name.clone(),
                    labels: season.labels.clone(),
                    from,
                    to,
                });
            }
        }
        let epath = path.field("elements");
        // One slot per element in the order of `WarrantyElement::ALL` (rather than a sort, which
        // would add its code to the WebAssembly package for seven items).
        let mut slots: Vec<Option<ElementPolicy>> =
            WarrantyElement::ALL.iter().map(|_| None).collect();
        for (name, element_spec) in &spec.elements {
            let at = epath.field(name);
            let element = match name.parse::<WarrantyElement>() {
                Ok(element) => Some(element),
                Err(e) => {
                    diagnostics.push(Diagnostic::error("unknown_element", &at, e.to_string()));
                    None
                }
            };
            let ppath = at.field("period");
            let period = match &element_spec.period {
                PeriodSpec::Years { amount: n } => {
                    amount(*n, "a period", &ppath.field("amount"), diagnostics).map(Period::Years)
                }
                PeriodSpec::Seasons { amount: n, season } => {
                    let n = amount(*n, "a period", &ppath.field("amount"), diagnostics);
                    let found = seasons.iter().find(|s| s.name == *season).cloned();
                    if found.is_none() && !spec.seasons.contains_key(season) {
                        let known: Vec<&str> = spec.seasons.keys().map(String::as_str).collect();
                        diagnostics.push(Diagnostic::error(
                            "unknown_season",
                            &ppath.field("season"),
                            format!(
                                "no season is named `{season}` under warranty.seasons (known: {})",
                                known.join(", ")
                            ),
                        ));
                    }
                    n.zip(found).map(|(n, s)| Period::Seasons(n, s))
                }
                PeriodSpec::DesignServiceLife {} => Some(Period::DesignServiceLife),
            };
            let when = match (&element_spec.when, classifier) {
                (Some(condition), Some(classifier)) => {
                    let compiled =
                        classifier.compile_extra(condition, &at.field("when"), diagnostics);
                    if let Some(c) = &compiled {
                        check_can_fire(c, name, &at, diagnostics);
                    }
                    compiled.map(Some)
                }
                (Some(_), None) => None,
                (None, _) => Some(None),
            };
            let slot = element
                .and_then(|element| WarrantyElement::ALL.iter().position(|e| *e == element))
                .and_then(|i| slots.get_mut(i));
            if let (Some(slot), Some(element), Some(period), Some(when)) =
                (slot, element, period, when)
            {
                *slot = Some(ElementPolicy {
                    element,
                    labels: element_spec.labels.clone(),
                    period,
                    when,
                    period_rule: ppath.to_string(),
                    when_rule: at.field("when").to_string(),
                });
            }
        }
        for element in WarrantyElement::ALL {
            if !spec.elements.contains_key(element.as_str()) {
                diagnostics.push(Diagnostic::error(
                    "missing_element",
                    &epath,
                    format!("element `{element}` must be given its period (policy.md §1.1 lists every element)"),
                ));
            }
        }
        (diagnostics.len() == before).then_some(WarrantyPolicy {
            design_service_life_years: design_service_life_years?,
            elements_rule: epath.to_string(),
            elements: slots.into_iter().flatten().collect(),
        })
    }

    /// The conditions under which the engine suggests an element, in policy order.
    pub(crate) fn conditions(&self) -> Vec<&Cond> {
        self.elements
            .iter()
            .filter_map(|e| e.when.as_ref())
            .collect()
    }

    /// The elements found in a report, given what [`WarrantyPolicy::conditions`] found (one
    /// result per condition, in their order).
    pub(crate) fn suggested(&self, found: Vec<Option<Vec<Evidence>>>) -> Vec<SuggestedElement> {
        let mut found = found.into_iter();
        self.elements
            .iter()
            .filter(|e| e.when.is_some())
            .filter_map(|e| {
                let evidence = found.next().flatten()?;
                Some(SuggestedElement {
                    element: e.element,
                    rule: e.when_rule.clone(),
                    evidence,
                })
            })
            .collect()
    }

    /// The answer for a project on day `on`, the clerk's element and the engine's suggestions
    /// given.
    pub(crate) fn answer(
        &self,
        facts: &ProjectFacts,
        clerk: Option<WarrantyElement>,
        suggested: Vec<SuggestedElement>,
        on: NaiveDate,
    ) -> Result<Warranty, Error> {
        let life = match facts.design_service_life_years {
            Some(years) => (years, ServiceLifeSource::Project),
            None => (self.design_service_life_years, ServiceLifeSource::Policy),
        };
        let (considered, basis): (Vec<&ElementPolicy>, _) = match clerk {
            Some(element) => (self.only(|e| e == element), WarrantyBasis::Clerk),
            None if suggested.is_empty() => (self.only(|_| true), WarrantyBasis::EveryElement),
            None => (
                self.only(|e| suggested.iter().any(|s| s.element == e)),
                WarrantyBasis::Rules,
            ),
        };
        // Periods run from the acceptance; without one, from the day judged, only to rank the
        // elements found (their ends are not reported).
        let start = facts.accepted_on.unwrap_or(on);
        let ends = considered
            .iter()
            .map(|e| {
                // Ends only ranked (no acceptance) are never written, so need not be writable.
                let ends_on = match facts.accepted_on {
                    Some(_) => e.period.end(start, life.0)?,
                    None => e.period.end_any(start, life.0)?,
                };
                Ok((*e, ends_on))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let status = |ends_on| {
            if on <= ends_on {
                WarrantyStatus::Within
            } else {
                WarrantyStatus::Expired
            }
        };
        // The candidates are written only once an acceptance is known: built then, rather than
        // built for every report and dropped.
        let candidates = || {
            ends.iter()
                .map(|(e, ends_on)| WarrantyCandidate {
                    element: e.element,
                    period: e.period.answer(life),
                    ends_on: *ends_on,
                    status: status(*ends_on),
                    rule: e.period_rule.clone(),
                })
                .collect()
        };
        // The latest end governs, the first listed among equals (`max_by_key` takes the last).
        let governing = match basis {
            WarrantyBasis::EveryElement => None,
            _ => ends.iter().fold(
                None,
                |best: Option<&(&ElementPolicy, NaiveDate)>, c| match best {
                    Some(b) if b.1 >= c.1 => Some(b),
                    _ => Some(c),
                },
            ),
        };
        let mut answer = Warranty {
            status: WarrantyStatus::Within,
            decided_by: basis,
            element: governing.map(|(e, _)| e.element),
            period: None,
            ends_on: None,
            rule: None,
            reason: String::new(),
            on,
            accepted_on: facts.accepted_on,
            suggested,
            candidates: Vec::new(),
        };
        let Some(accepted) = facts.accepted_on.filter(|a| *a <= on) else {
            answer.decided_by = WarrantyBasis::NotAccepted;
            answer.reason = match facts.accepted_on {
                None => "the project has not passed its completion acceptance (no acceptance date is known): until it does, every report is within the policy's scope (policy.md §1.1)".to_owned(),
                Some(a) => format!("the project's completion acceptance passes on {a}, after {on}: until then every report is within the policy's scope (policy.md §1.1)"),
            };
            // A known acceptance to come gives each period's end; without one there is none.
            if facts.accepted_on.is_some() {
                answer.candidates = candidates();
            }
            return Ok(answer);
        };
        match governing {
            Some(&(element, ends_on)) => {
                let whose = match answer.suggested.as_slice() {
                    _ if basis == WarrantyBasis::Clerk => {
                        "the element named by the clerk".to_owned()
                    }
                    [_] => "the element found in the report".to_owned(),
                    several => format!(
                        "the report concerns several elements ({}), and the one whose period ends last governs",
                        self.names(several.iter().map(|s| s.element))
                    ),
                };
                let span = format!(
                    "{}: {} from the completion acceptance on {accepted}",
                    element.labels.en,
                    element.period.words(life)
                );
                answer.status = status(ends_on);
                answer.reason = match answer.status {
                    WarrantyStatus::Within => {
                        format!("within warranty: {span}, to {ends_on} inclusive; {whose}")
                    }
                    _ => format!(
                        "outside warranty: {span}, ended on {ends_on}; {whose}; {SERVICE_REQUEST}"
                    ),
                };
                answer.period = Some(element.period.answer(life));
                answer.ends_on = Some(ends_on);
                answer.rule = Some(element.period_rule.clone());
            }
            None => {
                let (within, expired): (Vec<_>, Vec<_>) = ends
                    .iter()
                    .partition(|(_, ends_on)| status(*ends_on) == WarrantyStatus::Within);
                let none_found = "no element was found in the report";
                (answer.status, answer.decided_by, answer.reason) = match (
                    within.as_slice(),
                    expired.as_slice(),
                ) {
                    (w, []) => (
                        WarrantyStatus::Within,
                        WarrantyBasis::EveryElement,
                        format!(
                            "within warranty whichever element the report concerns: {none_found}, and every element's period runs to {} or later",
                            w.iter().map(|(_, ends_on)| *ends_on).min().unwrap_or(on)
                        ),
                    ),
                    ([], x) => (
                        WarrantyStatus::Expired,
                        WarrantyBasis::EveryElement,
                        format!(
                            "outside warranty whichever element the report concerns: {none_found}, and every element's period had ended by {}; {SERVICE_REQUEST}",
                            x.iter().map(|(_, ends_on)| *ends_on).max().unwrap_or(on)
                        ),
                    ),
                    (w, x) => (
                        WarrantyStatus::Unknown,
                        WarrantyBasis::Undetermined,
                        format!(
                            "unknown: {none_found}, and the answer depends on it: within warranty for {}, ended for {}; name the element to decide",
                            self.names(w.iter().map(|(e, _)| e.element)),
                            self.names(x.iter().map(|(e, _)| e.element))
                        ),
                    ),
                };
                answer.rule = Some(self.elements_rule.clone());
            }
        }
        answer.candidates = candidates();
        Ok(answer)
    }

    /// The elements that satisfy `keep`, in policy order.
    fn only(&self, keep: impl Fn(WarrantyElement) -> bool) -> Vec<&ElementPolicy> {
        self.elements.iter().filter(|e| keep(e.element)).collect()
    }

    /// Elements by their English labels, for reasons: "Decoration; Other works".
    fn names(&self, elements: impl Iterator<Item = WarrantyElement>) -> String {
        let names: Vec<&str> = elements
            .map(|element| {
                self.elements
                    .iter()
                    .find(|e| e.element == element)
                    .map_or(element.as_str(), |e| e.labels.en.as_str())
            })
            .collect();
        names.join("; ")
    }
}

/// What an answer outside warranty says about the case.
const SERVICE_REQUEST: &str =
    "the case is a service request, which the company may charge for (policy.md §1.1)";

/// A checked amount of years or seasons: 1 to [`MAX_SERVICE_LIFE_YEARS`].
fn amount(n: i64, what: &str, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<u32> {
    let max = i64::try_from(MAX_SERVICE_LIFE_YEARS).unwrap_or(i64::MAX);
    let problem = if n < 1 {
        ("invalid_period", format!("{what} is at least 1, not {n}"))
    } else if n > max {
        ("out_of_range", format!("{what} is at most {max}, not {n}"))
    } else {
        return u32::try_from(n).ok();
    };
    diagnostics.push(Diagnostic::error(problem.0, path, problem.1));
    None
}

impl Period {
    /// The last day within the period for an acceptance on `accepted`; refused (`out_of_range`)
    /// after 9999-12-31, which `YYYY-MM-DD` cannot write.
    fn end(&self, accepted: NaiveDate, service_life: u32) -> Result<NaiveDate, Error> {
        let end = self.end_any(accepted, service_life)?;
        if crate::time::writable_date(end) {
            Ok(end)
        } else {
            Err(out_of_range())
        }
    }

    fn end_any(&self, accepted: NaiveDate, service_life: u32) -> Result<NaiveDate, Error> {
        match self {
            Period::Years(n) => years_after(accepted, *n),
            Period::DesignServiceLife => years_after(accepted, service_life),
            Period::Seasons(n, season) => {
                // The first season that starts after the acceptance day, then the Nth from it.
                let this_year = season.from.in_year(accepted.year())?;
                let first = if this_year > accepted {
                    accepted.year()
                } else {
                    accepted.year() + 1
                };
                let nth = first
                    .checked_add(i32::try_from(*n - 1).map_err(|_| out_of_range())?)
                    .ok_or_else(out_of_range)?;
                let crosses_new_year = season.to < season.from;
                season.to.in_year(nth + i32::from(crosses_new_year))
            }
        }
    }

    /// The period in words: "5 years", "2 heating seasons", "the design service life of 50
    /// years (the policy's default)".
    fn words(&self, life: (u32, ServiceLifeSource)) -> String {
        let count = |n: u32, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        match self {
            Period::Years(n) => count(*n, "year"),
            Period::Seasons(n, season) => count(*n, &season.labels.en),
            Period::DesignServiceLife => format!(
                "the design service life of {} ({})",
                count(life.0, "year"),
                match life.1 {
                    ServiceLifeSource::Project => "the project's",
                    ServiceLifeSource::Policy => "the policy's default",
                }
            ),
        }
    }

    fn answer(&self, life: (u32, ServiceLifeSource)) -> WarrantyPeriod {
        match self {
            Period::Years(n) => WarrantyPeriod::Years { amount: *n },
            Period::Seasons(n, s) => WarrantyPeriod::Seasons {
                amount: *n,
                season: s.name.clone(),
                from: s.from.text(),
                to: s.to.text(),
            },
            Period::DesignServiceLife => WarrantyPeriod::DesignServiceLife {
                amount: life.0,
                source: life.1,
            },
        }
    }
}

/// `n` years after `date` by 民法典 Art. 202: the same month and day, or the month's last day
/// when it has no such day (chrono's month arithmetic does exactly this).
fn years_after(date: NaiveDate, n: u32) -> Result<NaiveDate, Error> {
    date.checked_add_months(Months::new(n.saturating_mul(12)))
        .ok_or_else(out_of_range)
}

fn out_of_range() -> Error {
    Error::single(
        ErrorCode::InvalidInput,
        "warranty period out of range",
        Diagnostic::error(
            "out_of_range",
            &JsonPath::root(),
            "the warranty period would end after 9999-12-31, the last date caseflow can write",
        ),
    )
}
