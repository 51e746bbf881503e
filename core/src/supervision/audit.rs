//! The audit of case records (docs/policy.md §6): what the quality department would find missing
//! when it checks a case's file, and the logs that cannot be trusted at all.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use caseflow_derive::Read;

use crate::error::Error;
use crate::lifecycle::{Case, CaseState, role_list};
use crate::policy::Policy;
use crate::policy::document::PlanElement;
use crate::time::format_instant;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema, Read)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingCode {
    /// The case's log is malformed, was tampered with, or does not replay under the policy (or
    /// its clocks cannot be read at `now`, in a year a strict calendar does not cover): the case
    /// is left out of every figure.
    BadLog,
    /// A closed case whose confirmation carries no signed form (客户问题处理确认书, §4.6).
    UnsignedClosure,
    /// A closed case lacking the verification report (验证报告) of a department its tier requires
    /// (§4.5).
    VerificationReportMissing,
    /// A plan on record without the milestones its tier requires (§4.3).
    PlanWithoutMilestones,
    /// A closed case missing another record its tier requires, or breaking a separation of
    /// duties (§4.6, `Case::closure_gaps`).
    ClosureGap,
    /// A closed or withdrawn case whose emergency has no post-event review on record (§7).
    EmergencyWithoutReview,
}

/// One finding: the case (its position in the input and its id, when readable), the event or
/// record concerned, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Finding {
    /// What kind of problem.
    pub code: FindingCode,
    /// The case's position in the input (from 0).
    pub case_index: u64,
    /// The case id, when the log names one.
    pub case_id: Option<String>,
    /// The index of the event concerned in the case's log.
    pub event: Option<u64>,
    /// The record concerned: a member of the case (`plan`, `verifications`) or a JSON path in
    /// the log (`$.events[3].hash`).
    pub record: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl Finding {
    /// A log that could not be read or replayed: `error`'s first problem names the event.
    pub(crate) fn bad_log(index: u64, log: &Value, error: &Error) -> Finding {
        let first = error.errors.first();
        let path = first.map(|d| d.path.clone());
        let event = path.as_deref().and_then(event_index);
        let message = match first {
            Some(d) => format!("{}: {}", d.code, d.message),
            None => error.message.clone(),
        };
        Finding {
            code: FindingCode::BadLog,
            case_index: index,
            case_id: log_case_id(log),
            event,
            record: path,
            message,
        }
    }

    /// A case that replayed but could not be assessed (its clocks fall in a year a strict
    /// calendar does not cover).
    pub(crate) fn bad_case(index: u64, case: &Case, error: &Error) -> Finding {
        let first = error.errors.first();
        Finding {
            code: FindingCode::BadLog,
            case_index: index,
            case_id: Some(case.id.clone()),
            event: None,
            record: None,
            message: match first {
                Some(d) => format!("{}: {}", d.code, d.message),
                None => error.message.clone(),
            },
        }
    }

    /// The order findings are listed in: by case id (unreadable ids first), event, code, record,
    /// position and message, so that a merged summary lists them as one run over the union would.
    pub fn order(a: &Finding, b: &Finding) -> Ordering {
        (
            &a.case_id,
            a.event,
            a.code,
            &a.record,
            a.case_index,
            &a.message,
        )
            .cmp(&(
                &b.case_id,
                b.event,
                b.code,
                &b.record,
                b.case_index,
                &b.message,
            ))
    }

    fn of_case(
        case: &Case,
        index: u64,
        code: FindingCode,
        record: &str,
        message: String,
    ) -> Finding {
        let event = if case.state.is_terminal() {
            case.events.checked_sub(1)
        } else {
            None
        };
        Finding {
            code,
            case_index: index,
            case_id: Some(case.id.clone()),
            event,
            record: Some(record.to_owned()),
            message,
        }
    }
}

/// `$.events[3].hash` → 3.
fn event_index(path: &str) -> Option<u64> {
    let rest = path.strip_prefix("$.events[")?;
    let (digits, _) = rest.split_once(']')?;
    digits.parse().ok()
}

/// The case id a log's `record` event names, when it is readable.
fn log_case_id(log: &Value) -> Option<String> {
    let id = log
        .get(0)?
        .get("command")?
        .get("report")?
        .get("id")?
        .as_str()?;
    (!id.is_empty() && id.chars().count() <= crate::domain::limits::MAX_ID_CHARS)
        .then(|| id.to_owned())
}

/// The audit of a set of cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditReport {
    /// The cases given.
    pub cases: u64,
    /// The cases whose log replayed and whose records were checked.
    pub audited: u64,
    /// Every finding, ordered by case id, event and code.
    pub findings: Vec<Finding>,
}

/// Audits every case, each given as its event log: a log that does not replay is a `bad_log`
/// finding; the records of every other case are checked with [`audit_case`] at `now`.
pub fn audit(policy: &Policy, logs: &[Value], now: Option<DateTime<FixedOffset>>) -> AuditReport {
    let mut report = AuditReport {
        cases: 0,
        audited: 0,
        findings: Vec::new(),
    };
    for (index, log) in logs.iter().enumerate() {
        let index = u64::try_from(index).unwrap_or(u64::MAX);
        report.cases += 1;
        match super::case_of_log(policy, index, log) {
            Ok(case) => {
                report.audited += 1;
                report
                    .findings
                    .extend(audit_case(policy, index, &case, now));
            }
            Err(finding) => report.findings.push(*finding),
        }
    }
    report.findings.sort_by(Finding::order);
    report
}

/// The incomplete records of one case (at position `index` of the input):
///
/// - a plan on record without the milestones its tier requires (`plan_without_milestones`);
/// - for a closed or withdrawn case, each emergency (`emergency_plan`, and each earlier one of
///   `ended_emergencies` at its path, `ended_emergencies[0]`) without its post-event review
///   (`emergency_without_review`) when the review is overdue at `now` (its `review_due` before
///   `now`) or the emergency was never declared over; without `now`, the case's last event is the
///   instant judged, so a case closed before its review falls due is not flagged;
/// - for a closed case: a confirmation without a signed form (`unsigned_closure`), a department
///   of the tier's verifiers without a passed verification carrying its report where the tier
///   requires reports (`verification_report_missing`, one per department), and every other gap
///   [`Case::closure_gaps`] names (`closure_gap`).
pub fn audit_case(
    policy: &Policy,
    index: u64,
    case: &Case,
    now: Option<DateTime<FixedOffset>>,
) -> Vec<Finding> {
    let now = now.unwrap_or(case.updated_at);
    let tier = policy.tier(case.tier);
    let mut findings = Vec::new();
    if let Some(plan) = &case.plan {
        if tier.plan.must_contain.contains(&PlanElement::Milestones)
            && plan.plan.milestones.is_empty()
        {
            findings.push(Finding::of_case(
                case,
                index,
                FindingCode::PlanWithoutMilestones,
                "plan",
                format!(
                    "the plan of round {} has no milestones, which tier {} requires",
                    plan.round, case.tier
                ),
            ));
        }
    }
    // Every emergency of the case, the earlier (ended) ones first, each at its path.
    let records = case
        .ended_emergencies
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("ended_emergencies[{i}]"), r))
        .chain(
            case.emergency_plan
                .iter()
                .map(|r| ("emergency_plan".to_owned(), r)),
        );
    for (path, plan) in records {
        if !case.state.is_terminal() || plan.review.is_some() {
            continue;
        }
        let offset = policy.calendar().offset();
        let state = case.state.as_str();
        let message = match (plan.ended_at, plan.review_due) {
            (Some(_), Some(due)) if due >= now => continue,
            (Some(ended), Some(due)) => format!(
                "the case is {state}; its level {} emergency ended at {} and its post-event review, due {}, is overdue at {}",
                plan.level,
                format_instant(&ended, offset),
                format_instant(&due, offset),
                format_instant(&now, offset)
            ),
            _ => format!(
                "the case is {state} while its level {} emergency was never declared over: no post-event review is on record",
                plan.level
            ),
        };
        findings.push(Finding::of_case(
            case,
            index,
            FindingCode::EmergencyWithoutReview,
            &path,
            message,
        ));
    }
    if case.state != CaseState::Closed {
        return findings;
    }
    let signed = case
        .customer_answers
        .iter()
        .rev()
        .find(|a| a.satisfied)
        .is_some_and(|a| {
            a.signed_form_ref
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty())
        });
    if !signed {
        findings.push(Finding::of_case(
            case,
            index,
            FindingCode::UnsignedClosure,
            "customer_answers",
            "the case is closed without the customer's signed confirmation form".to_owned(),
        ));
    }
    if tier.verification.report_required {
        let reported = |role| {
            case.verifications
                .iter()
                .any(|v| v.passed && v.role == role && v.report_ref.is_some())
        };
        let missing: Vec<_> = tier
            .verification
            .by
            .iter()
            .copied()
            .filter(|role| !reported(*role))
            .collect();
        // Every department when all must pass; otherwise any one of them.
        let short: Vec<String> = if tier.verification.all_must_pass {
            missing.iter().map(|role| role_list(&[*role])).collect()
        } else if missing.len() == tier.verification.by.len() {
            vec![role_list(&missing)]
        } else {
            Vec::new()
        };
        for who in short {
            findings.push(Finding::of_case(
                case,
                index,
                FindingCode::VerificationReportMissing,
                "verifications",
                format!(
                    "tier {} requires a verification report by {who}, and none is on record",
                    case.tier
                ),
            ));
        }
    }
    for gap in case.closure_gaps(policy) {
        findings.push(Finding::of_case(
            case,
            index,
            FindingCode::ClosureGap,
            "case",
            gap,
        ));
    }
    findings
}
