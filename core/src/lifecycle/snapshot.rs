//! Reading stored case snapshots and events member by member, naming every malformed member at
//! its JSON path at once.
//!
//! A snapshot's report and an event's command are read by the same readers as a report or a
//! command given to `record` and `apply` (they were checked by them when they entered the case);
//! everything else as the types' serde derives read it. Reading by hand keeps serde's generic
//! deserialisers out of every host, the WebAssembly package above all.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::command::{Command, Plan};
use super::log::{Event, PolicyRef};
use super::{
    Acceptance, Approval, Assessment, Breach, Case, CaseState, CustomerAnswer, Hold, PlanRecord,
    Reclassification, Verification, Withdrawal,
};
use crate::calendar::clock::{Clock, Pause};
use crate::calendar::duration::Duration;
use crate::domain::{
    Category, EmergencyLevel, Role, Tier, WarrantyBasis, WarrantyElement, WarrantyStatus,
};
use crate::error::{Diagnostic, Error, JsonPath};
use crate::intake::read_report;
use crate::reader::{
    ReadObject, boolean, list, name, object, parsed, serde_value, string, u8_value, u32_value,
    u64_value, wrong_type,
};
use crate::routing::ClockKind;
use crate::warranty::WarrantyAssessment;

type Diagnostics = Vec<Diagnostic>;

/// Moves the problems of a reader that answers with an [`Error`] into `d`.
fn absorb<T>(result: Result<T, Error>, d: &mut Diagnostics) -> Option<T> {
    result.map_err(|error| d.extend(error.errors)).ok()
}

/// A case snapshot whose format the caller has checked.
pub(super) fn case(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Case> {
    object(v, p, d, |r| {
        let format = r.field("format", u32_value);
        let id = r.field("id", string);
        let report = r.field("report", |v, p, d| absorb(read_report(v, p.clone()), d));
        let category = r.field("category", parsed::<Category>);
        let tier = r.field("tier", tier);
        let emergency = r.option_field("emergency", parsed::<EmergencyLevel>);
        let suggested = r.field("suggested", assessment);
        let state = r.field("state", state);
        let hold = r.option_field("hold", hold);
        let acceptance = r.option_field("acceptance", acceptance);
        let plan = r.option_field("plan", plan_record);
        let verifications = r.default_field("verifications", |v, p, d| list(v, p, d, verification));
        let notified_at = r.option_field("notified_at", instant);
        let customer_answers = r.default_field("customer_answers", |v, p, d| list(v, p, d, answer));
        let reclassifications = r.default_field("reclassifications", |v, p, d| {
            list(v, p, d, reclassification)
        });
        let withdrawal = r.option_field("withdrawal", withdrawal);
        let tier_review = r.option_field("tier_review", serde_value);
        let clocks = r.field("clocks", clocks);
        let breaches = r.default_field("breaches", |v, p, d| list(v, p, d, breach));
        let events = r.field("events", u64_value);
        let last_hash = r.field("last_hash", string);
        let updated_at = r.field("updated_at", instant);
        Some(Case {
            format: format?,
            id: id?,
            report: std::sync::Arc::new(report?),
            category: category?,
            tier: tier?,
            emergency: emergency?,
            suggested: suggested?,
            state: state?,
            hold: hold?,
            acceptance: acceptance?,
            plan: plan?,
            verifications: verifications?.unwrap_or_default(),
            notified_at: notified_at?,
            customer_answers: customer_answers?.unwrap_or_default(),
            reclassifications: reclassifications?.unwrap_or_default(),
            withdrawal: withdrawal?,
            tier_review: tier_review?,
            clocks: clocks?,
            breaches: breaches?.unwrap_or_default(),
            events: events?,
            last_hash: last_hash?,
            updated_at: updated_at?,
        })
    })
}

/// An event whose reading the caller turns into an error (or into `unsupported_format`).
pub(super) fn event(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Event> {
    object(v, p, d, |r| {
        let format = r.field("format", u32_value);
        let seq = r.field("seq", u64_value);
        let at = r.field("at", instant);
        let policy = r.field("policy", policy_ref);
        let command = r.field("command", |v, p, d| absorb(Command::from_value(v, p), d));
        let assessment = r.option_field("assessment", assessment);
        let prev_hash = r.field("prev_hash", string);
        let hash = r.field("hash", string);
        let seal = r.option_field("seal", string);
        Some(Event {
            format: format?,
            seq: seq?,
            at: at?,
            policy: policy?,
            command: command?,
            assessment: assessment?,
            prev_hash: prev_hash?,
            hash: hash?,
            seal: seal?,
        })
    })
}

fn policy_ref(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<PolicyRef> {
    object(v, p, d, |r| {
        let name = r.field("name", string);
        let version = r.field("version", string);
        let model = r.option_field("model", model_ref);
        Some(PolicyRef {
            name: name?.into(),
            version: version?.into(),
            model: model?,
        })
    })
}

fn model_ref(
    v: &Value,
    p: &JsonPath,
    d: &mut Diagnostics,
) -> Option<crate::classify::model::ModelRef> {
    object(v, p, d, |r| {
        let name = r.field("name", string);
        let sha256 = r.field("sha256", string);
        Some(crate::classify::model::ModelRef {
            name: name?,
            sha256: sha256?,
        })
    })
}

fn instant(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<DateTime<FixedOffset>> {
    let Value::String(text) = v else {
        return wrong_type(v, p, d, "an RFC 3339 instant string");
    };
    match crate::time::parse_instant(text) {
        Ok(t) => Some(t),
        Err(message) => {
            d.push(Diagnostic::error("invalid_instant", p, message));
            None
        }
    }
}

fn tier(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Tier> {
    let n = u8_value(v, p, d)?;
    let tier = Tier::from_number(n);
    if tier.is_none() {
        d.push(Diagnostic::error(
            "invalid_value",
            p,
            format!("tier must be 1, 2 or 3, not {n}"),
        ));
    }
    tier
}

fn state(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<CaseState> {
    let names: Vec<(&str, CaseState)> = CaseState::ALL.iter().map(|s| (s.as_str(), *s)).collect();
    name(v, p, d, &names)
}

fn role(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Role> {
    parsed::<Role>(v, p, d)
}

fn assessment(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Assessment> {
    object(v, p, d, |r| {
        let category = r.field("category", parsed::<Category>);
        let tier = r.field("tier", tier);
        let emergency = r.option_field("emergency", parsed::<EmergencyLevel>);
        let warranty = r.option_field("warranty", warranty);
        let review = r.option_field("review", serde_value);
        Some(Assessment {
            category: category?,
            tier: tier?,
            emergency: emergency?,
            warranty: warranty?,
            review: review?,
        })
    })
}

fn warranty(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<WarrantyAssessment> {
    object(v, p, d, |r| {
        let status = r.field("status", parsed::<WarrantyStatus>);
        let decided_by = r.field("decided_by", parsed::<WarrantyBasis>);
        let element = r.option_field("element", parsed::<WarrantyElement>);
        let ends_on = r.option_field("ends_on", date);
        Some(WarrantyAssessment {
            status: status?,
            decided_by: decided_by?,
            element: element?,
            ends_on: ends_on?,
        })
    })
}

fn date(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<chrono::NaiveDate> {
    let Value::String(text) = v else {
        return wrong_type(v, p, d, "a date written YYYY-MM-DD");
    };
    let date = crate::calendar::parse_date(text);
    if date.is_none() {
        d.push(Diagnostic::error(
            "invalid_date",
            p,
            format!("`{text}` is not a date written YYYY-MM-DD"),
        ));
    }
    date
}

fn hold(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Hold> {
    object(v, p, d, |r| {
        let reason = r.field("reason", string);
        let since = r.field("since", instant);
        let resume_to = r.field("resume_to", state);
        Some(Hold {
            reason: reason?,
            since: since?,
            resume_to: resume_to?,
        })
    })
}

fn acceptance(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Acceptance> {
    object(v, p, d, |r| {
        let by = r.field("by", string);
        let contacted_at = r.field("contacted_at", instant);
        let committed_deadline = r.field("committed_deadline", instant);
        let note = r.option_field("note", string);
        Some(Acceptance {
            by: by?,
            contacted_at: contacted_at?,
            committed_deadline: committed_deadline?,
            note: note?,
        })
    })
}

fn plan_record(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<PlanRecord> {
    object(v, p, d, |r| {
        let plan = r.field("plan", Plan::read_value);
        let submitted_by = r.field("submitted_by", string);
        let submitted_at = r.field("submitted_at", instant);
        let round = r.field("round", u32_value);
        let tier = r.field("tier", tier);
        let approval = r.option_field("approval", approval);
        let filed_with = r.option_field("filed_with", role);
        let last_rejection = r.option_field("last_rejection", string);
        Some(PlanRecord {
            plan: std::sync::Arc::new(plan?),
            submitted_by: submitted_by?,
            submitted_at: submitted_at?,
            round: round?,
            tier: tier?,
            approval: approval?,
            filed_with: filed_with?,
            last_rejection: last_rejection?,
        })
    })
}

fn approval(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Approval> {
    object(v, p, d, |r| {
        let by = r.field("by", string);
        let role = r.field("role", role);
        let at = r.field("at", instant);
        Some(Approval {
            by: by?,
            role: role?,
            at: at?,
        })
    })
}

fn verification(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Verification> {
    object(v, p, d, |r| {
        let by = r.field("by", string);
        let role = r.field("role", role);
        let at = r.field("at", instant);
        let passed = r.field("passed", boolean);
        let report_ref = r.option_field("report_ref", string);
        let note = r.option_field("note", string);
        Some(Verification {
            by: by?,
            role: role?,
            at: at?,
            passed: passed?,
            report_ref: report_ref?,
            note: note?,
        })
    })
}

fn answer(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<CustomerAnswer> {
    object(v, p, d, |r| {
        let round = r.field("round", u32_value);
        let satisfied = r.field("satisfied", boolean);
        let satisfaction = r.option_field("satisfaction", u8_value);
        let signed_form_ref = r.option_field("signed_form_ref", string);
        let reasons = r.option_field("reasons", string);
        let at = r.field("at", instant);
        Some(CustomerAnswer {
            round: round?,
            satisfied: satisfied?,
            satisfaction: satisfaction?,
            signed_form_ref: signed_form_ref?,
            reasons: reasons?,
            at: at?,
        })
    })
}

fn reclassification(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Reclassification> {
    object(v, p, d, |r| {
        let by = r.field("by", string);
        let at = r.field("at", instant);
        let category_from = r.field("category_from", parsed::<Category>);
        let category_to = r.field("category_to", parsed::<Category>);
        let tier_from = r.field("tier_from", tier);
        let tier_to = r.field("tier_to", tier);
        let reason = r.field("reason", string);
        Some(Reclassification {
            by: by?,
            at: at?,
            category_from: category_from?,
            category_to: category_to?,
            tier_from: tier_from?,
            tier_to: tier_to?,
            reason: reason?,
        })
    })
}

fn withdrawal(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Withdrawal> {
    object(v, p, d, |r| {
        let by = r.field("by", string);
        let at = r.field("at", instant);
        let reason = r.field("reason", string);
        Some(Withdrawal {
            by: by?,
            at: at?,
            reason: reason?,
        })
    })
}

const CLOCK_KINDS: [(&str, ClockKind); 8] = [
    ("contact_customer", ClockKind::ContactCustomer),
    ("commitment", ClockKind::Commitment),
    ("plan", ClockKind::Plan),
    ("approval", ClockKind::Approval),
    ("progress_update", ClockKind::ProgressUpdate),
    ("verification", ClockKind::Verification),
    ("customer_reply", ClockKind::CustomerReply),
    ("tier_review", ClockKind::TierReview),
];

fn clock_kind(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<ClockKind> {
    name(v, p, d, &CLOCK_KINDS)
}

fn clocks(
    v: &Value,
    p: &JsonPath,
    d: &mut Diagnostics,
) -> Option<std::collections::BTreeMap<ClockKind, Clock>> {
    let Value::Object(entries) = v else {
        return wrong_type(v, p, d, "an object");
    };
    let mut out = std::collections::BTreeMap::new();
    let mut complete = true;
    for (key, entry) in entries {
        let path = p.field(key);
        let kind = clock_kind(&Value::String(key.clone()), &path, d);
        match (kind, clock(entry, &path, d)) {
            (Some(kind), Some(clock)) => {
                out.insert(kind, clock);
            }
            _ => complete = false,
        }
    }
    complete.then_some(out)
}

fn clock(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Clock> {
    object(v, p, d, |r| {
        let start = r.field("start", instant);
        let duration = r.field("duration", duration);
        let pauses = r.default_field("pauses", |v, p, d| list(v, p, d, pause));
        let stopped_at = r.option_field("stopped_at", instant);
        Some(Clock {
            start: start?,
            duration: duration?,
            pauses: pauses?.unwrap_or_default(),
            stopped_at: stopped_at?,
        })
    })
}

fn duration(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Duration> {
    let spec = crate::policy::read::duration(v, p, d)?;
    match spec.parse() {
        Ok(duration) => Some(duration),
        Err(e) => {
            d.push(Diagnostic::error(e.code(), p, e.to_string()));
            None
        }
    }
}

fn pause(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Pause> {
    object(v, p, d, |r| {
        let from = r.field("from", instant);
        let to = r.option_field("to", instant);
        Some(Pause {
            from: from?,
            to: to?,
        })
    })
}

fn breach(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Breach> {
    object(v, p, d, |r| {
        let clock = r.field("clock", clock_kind);
        let due = r.field("due", instant);
        let stopped_at = r.field("stopped_at", instant);
        Some(Breach {
            clock: clock?,
            due: due?,
            stopped_at: stopped_at?,
        })
    })
}
