//! Intake (问题的收集与记录, docs/policy.md §2): the uniform record of a customer report.
//!
//! The JSON field names are the public contract (they match `samples.jsonl`). [`Report::from_json`]
//! reads a report field by field and names every bad field at once; sizes are bounded so that no
//! report can make the engine slow.

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{Category, Channel, WarrantyElement};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use caseflow_derive::Read;

use crate::reader::{ObjectReader, ReadObject, parse_bounded};

// The limits live with the rest of the shared vocabulary; re-exported where users look for them.
pub use crate::domain::limits::{
    MAX_DESCRIPTION_CHARS, MAX_FACT_COUNT, MAX_ID_CHARS, MAX_REPORT_BYTES, MAX_SERVICE_LIFE_YEARS,
    MAX_SHORT_TEXT_CHARS,
};

/// One customer report as recorded at intake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(check = received_in_order)]
pub struct Report {
    /// Host-assigned identifier, at most 64 characters.
    #[read(id)]
    pub id: String,
    /// The project the case belongs to (docs/policy.md §1).
    #[read(id)]
    pub project: String,
    /// How the report came in.
    pub channel: Channel,
    /// The problem in the customer's words (Chinese, English or mixed), at most 10,000 characters.
    #[read(text = MAX_DESCRIPTION_CHARS)]
    pub description: String,
    /// When the customer raised the problem.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub raised_at: DateTime<FixedOffset>,
    /// When the company received it; defaults to `raised_at`. The 24-hour contact clock starts here.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub received_at: Option<DateTime<FixedOffset>>,
    /// Exactly where the problem occurs.
    #[read(text = MAX_SHORT_TEXT_CHARS)]
    pub location: String,
    /// How to reach the customer.
    pub contact: Contact,
    /// The clerk's explicit category, which the engine honours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Structured facts from the form (docs/policy.md §3.3).
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    pub facts: Facts,
    /// The element of the works the report concerns, named by the clerk, which the engine
    /// honours when it answers whether the report is under warranty (docs/policy.md §1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<WarrantyElement>,
    /// What the host knows of the project: when work started, when the completion acceptance
    /// passed (docs/policy.md §1.1).
    #[serde(default, skip_serializing_if = "ProjectFacts::is_empty")]
    pub project_facts: ProjectFacts,
}

impl Report {
    /// When the company received the report: `received_at`, or `raised_at` when not given.
    pub fn received(&self) -> DateTime<FixedOffset> {
        self.received_at.unwrap_or(self.raised_at)
    }

    /// Parses and validates a report from JSON text, naming every bad field.
    pub fn from_json(text: &str) -> Result<Report, Error> {
        let value = parse_bounded(text, MAX_REPORT_BYTES, "the report")
            .map_err(|d| Error::single(ErrorCode::InvalidJson, "invalid report", d))?;
        Report::from_value(&value)
    }

    /// Validates a report already parsed as JSON, naming every bad field.
    pub fn from_value(value: &Value) -> Result<Report, Error> {
        read_report(value, JsonPath::root())
    }

    /// Checks the bounds and cross-field rules of a report built in Rust (the JSON readers apply
    /// the same checks as they parse).
    pub fn validate(&self) -> Result<(), Error> {
        let value = serde_json::to_value(self).map_err(|e| {
            Error::invalid_json(
                "the report cannot be written as JSON",
                &JsonPath::root(),
                &e,
            )
        })?;
        Report::from_value(&value).map(|_| ())
    }
}

fn invalid_report(errors: Vec<Diagnostic>) -> Error {
    Error::new(ErrorCode::InvalidReport, "invalid report", errors)
}

/// Reads a report at `path` inside a larger document (a scenario, a lifecycle command).
pub fn read_report(value: &Value, path: JsonPath) -> Result<Report, Error> {
    Report::read_all(value, &path).map_err(invalid_report)
}

/// Refuses a report received before it was raised.
fn received_in_order(r: &mut ObjectReader<'_>, report: &Report) -> bool {
    if report
        .received_at
        .is_some_and(|received| received < report.raised_at)
    {
        r.report(
            "out_of_order",
            "received_at",
            "`received_at` is before `raised_at`: a report cannot be received before it is raised",
        );
    }
    true
}

/// How to reach the customer: at least a phone number or an email address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(check = reachable)]
pub struct Contact {
    /// Who to ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(text = MAX_SHORT_TEXT_CHARS)]
    pub name: Option<String>,
    /// A phone number: digits with optional `+`, spaces, dashes and parentheses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(with = phone)]
    pub phone: Option<String>,
    /// An email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(with = email)]
    pub email: Option<String>,
}

/// A phone number: reported when it is not one, but kept, so that the contact is still judged
/// as reachable.
fn phone(r: &mut ObjectReader<'_>, name: &'static str) -> Option<String> {
    let p = r.string(name, true, 32)?;
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
    if !allowed || digits < 5 {
        r.report(
            "invalid_phone",
            name,
            format!("`{p}` is not a phone number (digits, with optional + - ( ) and spaces)"),
        );
    }
    Some(p)
}

/// An email address: reported when it is not one, but kept, as [`phone`].
fn email(r: &mut ObjectReader<'_>, name: &'static str) -> Option<String> {
    let e = r.string(name, true, 254)?;
    let valid = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !e.contains(char::is_whitespace)
        }
        None => false,
    };
    if !valid {
        r.report(
            "invalid_email",
            name,
            format!("`{e}` is not an email address"),
        );
    }
    Some(e)
}

/// Refuses a contact with no way to reach the customer.
fn reachable(r: &mut ObjectReader<'_>, contact: &Contact) -> bool {
    if contact.phone.is_none() && contact.email.is_none() {
        r.report_object(
            "no_contact_method",
            "a contact needs at least one way to reach the customer: `phone` or `email`",
        );
    }
    true
}

/// What the host knows of the project a report belongs to (docs/policy.md §1.1); each is optional.
/// Every warranty period runs from `accepted_on`; before it, every report is within scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(check = accepted_after_start)]
pub struct ProjectFacts {
    /// When work on the project started, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<NaiveDate>,
    /// The day the completion acceptance passed (竣工验收合格之日), `YYYY-MM-DD`: on or after
    /// `started_on`. A date after the report's is an acceptance still to come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<NaiveDate>,
    /// The design service life of the main structure in the design documents, in years (1 to
    /// 1000); the policy's default applies when it is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(with = service_life)]
    pub design_service_life_years: Option<u32>,
}

impl ProjectFacts {
    /// True when nothing is known of the project.
    pub fn is_empty(&self) -> bool {
        *self == ProjectFacts::default()
    }
}

/// A design service life: 1 to [`MAX_SERVICE_LIFE_YEARS`] years.
fn service_life(r: &mut ObjectReader<'_>, name: &'static str) -> Option<u32> {
    let years = r.count(name, MAX_SERVICE_LIFE_YEARS)?;
    if years == 0 {
        r.report(
            "out_of_range",
            name,
            "a design service life is at least 1 year",
        );
        return None;
    }
    u32::try_from(years).ok()
}

/// Refuses an acceptance before the start.
fn accepted_after_start(r: &mut ObjectReader<'_>, facts: &ProjectFacts) -> bool {
    if let (Some(started), Some(accepted)) = (facts.started_on, facts.accepted_on) {
        if accepted < started {
            r.report(
                "out_of_order",
                "accepted_on",
                format!(
                    "`accepted_on` ({accepted}) is before `started_on` ({started}): a project cannot pass its completion acceptance before work started"
                ),
            );
        }
    }
    true
}

/// Structured facts a form may supply (docs/policy.md §3.3); each is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Is there a safety hazard?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_hazard: Option<bool>,
    /// Does the problem concern the main (load-bearing) structure?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_structure: Option<bool>,
    /// Number of people injured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(count = MAX_FACT_COUNT)]
    pub injuries: Option<u64>,
    /// Number of households affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(count = MAX_FACT_COUNT)]
    pub households_affected: Option<u64>,
    /// Estimated economic loss in whole yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(count = MAX_FACT_COUNT)]
    pub estimated_loss_cny: Option<u64>,
    /// Has the customer threatened legal action (lawsuit, arbitration, lawyer's letter)?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_action_threatened: Option<bool>,
    /// Have the media or the public online taken notice?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_attention: Option<bool>,
    /// Does the problem block delivery or moving in?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_blocked: Option<bool>,
}

impl Facts {
    /// True when no fact is given.
    pub fn is_empty(&self) -> bool {
        *self == Facts::default()
    }

    /// The value of one fact as a number (booleans as 0 or 1), or `None` when not given.
    pub fn get(&self, fact: Fact) -> Option<u64> {
        match fact {
            Fact::SafetyHazard => self.safety_hazard.map(u64::from),
            Fact::MainStructure => self.main_structure.map(u64::from),
            Fact::Injuries => self.injuries,
            Fact::HouseholdsAffected => self.households_affected,
            Fact::EstimatedLossCny => self.estimated_loss_cny,
            Fact::LegalActionThreatened => self.legal_action_threatened.map(u64::from),
            Fact::MediaAttention => self.media_attention.map(u64::from),
            Fact::DeliveryBlocked => self.delivery_blocked.map(u64::from),
        }
    }
}

/// The name of one structured fact, as used in policy rules.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    Read,
)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// `safety_hazard` (yes/no).
    SafetyHazard,
    /// `main_structure` (yes/no).
    MainStructure,
    /// `injuries` (count).
    Injuries,
    /// `households_affected` (count).
    HouseholdsAffected,
    /// `estimated_loss_cny` (yuan).
    EstimatedLossCny,
    /// `legal_action_threatened` (yes/no).
    LegalActionThreatened,
    /// `media_attention` (yes/no).
    MediaAttention,
    /// `delivery_blocked` (yes/no).
    DeliveryBlocked,
}

impl Fact {
    /// True for yes/no facts, false for counts and amounts.
    pub fn is_boolean(self) -> bool {
        matches!(
            self,
            Fact::SafetyHazard
                | Fact::MainStructure
                | Fact::LegalActionThreatened
                | Fact::MediaAttention
                | Fact::DeliveryBlocked
        )
    }

    /// The fact's JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::SafetyHazard => "safety_hazard",
            Fact::MainStructure => "main_structure",
            Fact::Injuries => "injuries",
            Fact::HouseholdsAffected => "households_affected",
            Fact::EstimatedLossCny => "estimated_loss_cny",
            Fact::LegalActionThreatened => "legal_action_threatened",
            Fact::MediaAttention => "media_attention",
            Fact::DeliveryBlocked => "delivery_blocked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> Value {
        json!({
            "id": "S-01", "project": "P-2026-017", "channel": "phone",
            "description": "卫生间顶棚渗水", "raised_at": "2026-03-02T09:15:00+08:00",
            "location": "3号楼2单元801", "contact": {"name": "业主", "phone": "13800000000"}
        })
    }

    fn paths(err: &Error) -> Vec<&str> {
        err.errors.iter().map(|d| d.path.as_str()).collect()
    }

    #[test]
    fn a_sample_report_reads_and_defaults_received_at() {
        let report = Report::from_value(&valid()).unwrap();
        assert_eq!(report.channel, Channel::Phone);
        assert_eq!(report.received(), report.raised_at);
        assert!(report.facts.is_empty());
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut v = valid();
        v["channel"] = json!("fax");
        v["raised_at"] = json!("yesterday");
        v["contact"] = json!({"name": "x"});
        v.as_object_mut().unwrap().remove("location");
        v["facts"] = json!({"injuries": -1, "safety_hazard": "yes"});
        v["colour"] = json!("red");
        let err = Report::from_value(&v).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidReport);
        let mut got = paths(&err);
        got.sort_unstable();
        assert_eq!(
            got,
            [
                "$.channel",
                "$.colour",
                "$.contact",
                "$.facts.injuries",
                "$.facts.safety_hazard",
                "$.location",
                "$.raised_at"
            ]
        );
    }

    #[test]
    fn sizes_are_bounded() {
        let mut v = valid();
        v["id"] = json!("x".repeat(MAX_ID_CHARS + 1));
        v["description"] = json!("漏".repeat(MAX_DESCRIPTION_CHARS + 1));
        let err = Report::from_value(&v).unwrap_err();
        assert_eq!(paths(&err), ["$.id", "$.description"]);
        assert!(err.errors.iter().all(|d| d.code == "too_long"));
        let huge = format!("\"{}\"", "a".repeat(MAX_REPORT_BYTES));
        assert_eq!(
            Report::from_json(&huge).unwrap_err().errors[0].code,
            "too_large"
        );
    }

    #[test]
    fn received_before_raised_is_refused() {
        let mut v = valid();
        v["received_at"] = json!("2026-03-01T09:15:00+08:00");
        let err = Report::from_value(&v).unwrap_err();
        assert_eq!(paths(&err), ["$.received_at"]);
    }

    #[test]
    fn a_report_round_trips_through_json() {
        let mut v = valid();
        v["received_at"] = json!("2026-03-02T10:00:00Z");
        v["category"] = json!("quality");
        v["facts"] = json!({"households_affected": 12, "media_attention": false});
        let report = Report::from_value(&v).unwrap();
        let back = Report::from_value(&serde_json::to_value(&report).unwrap()).unwrap();
        assert_eq!(back, report);
        report.validate().unwrap();
    }
}
