//! Supervision (docs/policy.md §6) on case sets whose figures were worked out by hand from the
//! scenarios in `scenarios/`: the JSON calls `assess`, `merge_assessments`, `spot_check` and
//! `audit`, bad logs, and the period check.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{policy, scenario_log};

use caseflow_core::api;
use caseflow_core::lifecycle::{Case, replay};
use caseflow_core::supervision::{FindingCode, audit_case};
use serde_json::{Value, json};

/// The event log of a scenario, as a JSON array of events.
fn log(name: &str) -> Value {
    let path = format!("{}/scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    scenario_log(&std::fs::read_to_string(path).unwrap())
}

/// The first `n` events of a scenario's log: the case as it stood then, still open.
fn prefix(name: &str, n: usize) -> Value {
    Value::Array(log(name).as_array().unwrap()[..n].to_vec())
}

fn case_of(log: &Value) -> Case {
    let events: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            caseflow_core::lifecycle::Event::from_value(e, &caseflow_core::JsonPath::root())
                .unwrap()
        })
        .collect();
    replay(policy(), &events).unwrap()
}

/// Six cases received in February and March 2026, judged on 1 April:
/// - SC-T2 (tier 2, phone): contacted in time, verified 3 Mar before its 6 Mar deadline, closed
///   on the first answer with 4, no breach;
/// - SC-BD (tier 1, written): contacted in time, its plan late (a breach) and the customer's
///   reply late (listed, not the team's), verified 10 Mar before 27 Mar, closed first time with 4;
/// - SC-DC (P-2026-021, phone): rejected twice, then closed with 4; the last round verified on
///   9 Mar at 14:00, before its deadline at 17:30; no breach;
/// - SC-WD (withdrawn): contacted in time; no answer, no commitment judged;
/// - SC-T2 as recorded only: open, its 24-hour contact long overdue;
/// - SC-BD as accepted only: open, contacted in time, its committed deadline (27 Mar) passed and
///   its plan overdue.
fn march() -> Vec<Value> {
    vec![
        log("tier-2"),
        log("breached-deadline"),
        log("dissatisfied-customer"),
        log("withdrawal"),
        prefix("tier-2", 1),
        prefix("breached-deadline", 2),
    ]
}

fn assess(cases: &[Value], from: &str, to: &str, now: &str) -> Value {
    let input = json!({"cases": cases, "from": from, "to": to, "now": now}).to_string();
    let answer = api::call(policy(), api::Call::Assess, &input).unwrap();
    serde_json::from_str(&answer).unwrap()
}

fn ratio(n: u64, d: u64) -> Value {
    #[allow(clippy::cast_precision_loss)]
    let q = if d == 0 {
        Value::Null
    } else {
        json!(n as f64 / d as f64)
    };
    json!({"numerator": n, "denominator": d, "ratio": q})
}

const NOW: &str = "2026-04-01T09:00:00+08:00";

#[test]
fn figures_of_a_hand_computed_case_set() {
    let kpis = assess(&march(), "2026-02-01", "2026-03-31", NOW);
    assert_eq!(
        kpis["cases"],
        json!({"read": 6, "counted": 6, "outside_period": 0, "left_out": 0})
    );
    let o = &kpis["overall"];
    assert_eq!(o["cases"], 6);
    assert_eq!(o["closed"], 3);
    assert_eq!(o["withdrawn"], 1);
    assert_eq!(o["contacted_in_time"], ratio(5, 6));
    assert_eq!(o["resolved_by_commitment"], ratio(3, 4));
    assert_eq!(o["first_round_satisfied"], ratio(2, 3));
    assert_eq!(o["reopened"], ratio(1, 3));
    assert_eq!(o["satisfaction"]["histogram"], json!([0, 0, 0, 3, 0]));
    assert_eq!(
        o["satisfaction"]["mean"],
        json!({"sum": 12, "count": 3, "mean": 4.0})
    );
    assert_eq!(o["satisfaction"]["four_or_five"], ratio(3, 3));
    assert_eq!(
        o["breaches"],
        json!({"plan": {"breaches": 1, "cases": 1}, "customer_reply": {"breaches": 1, "cases": 1}})
    );
    assert_eq!(o["cases_with_breach"], ratio(1, 6));
    assert_eq!(o["open_overdue"], ratio(2, 2));
    // By project: SC-DC alone is P-2026-021.
    let p21 = &kpis["by_project"]["P-2026-021"];
    assert_eq!(p21["cases"], 1);
    assert_eq!(p21["first_round_satisfied"], ratio(0, 1));
    assert_eq!(p21["reopened"], ratio(1, 1));
    assert_eq!(kpis["by_project"]["P-2026-017"]["cases"], 5);
    // By channel: SC-BD twice (written), the rest by phone.
    assert_eq!(kpis["by_channel"]["written"]["cases"], 2);
    assert_eq!(kpis["by_channel"]["written"]["open_overdue"], ratio(1, 1));
    assert_eq!(kpis["by_channel"]["phone"]["cases"], 4);
    // The groups of every grouping add up to the whole.
    for grouping in ["by_project", "by_category", "by_tier", "by_channel"] {
        let total: u64 = kpis[grouping]
            .as_object()
            .unwrap()
            .values()
            .map(|f| f["cases"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 6, "{grouping}");
    }
}

#[test]
fn the_period_is_the_date_received_and_now_judges_open_cases() {
    // Only SC-T2 (and its open copy) were received in February.
    let feb = assess(&march(), "2026-02-01", "2026-02-28", NOW);
    assert_eq!(
        feb["cases"],
        json!({"read": 6, "counted": 2, "outside_period": 4, "left_out": 0})
    );
    // Judged on 13 February at noon, the open copy of SC-T2 is within its 24 hours: its
    // contact is not yet judged and it is not overdue.
    let early = assess(
        &march(),
        "2026-02-01",
        "2026-02-28",
        "2026-02-13T12:00:00+08:00",
    );
    assert_eq!(early["overall"]["contacted_in_time"], ratio(1, 1));
    assert_eq!(early["overall"]["open_overdue"], ratio(0, 1));
}

#[test]
fn an_empty_set_and_zero_denominators_give_null_ratios_not_nan() {
    let empty = assess(&[], "2026-01-01", "2026-12-31", NOW);
    assert_eq!(
        empty["cases"],
        json!({"read": 0, "counted": 0, "outside_period": 0, "left_out": 0})
    );
    assert_eq!(empty["overall"]["contacted_in_time"], ratio(0, 0));
    assert_eq!(
        empty["overall"]["satisfaction"]["mean"]["mean"],
        Value::Null
    );
    assert_eq!(empty["by_project"], json!({}));
    // A withdrawn case alone: no answer, no closure, nothing open.
    let withdrawn = assess(&[log("withdrawal")], "2026-01-01", "2026-12-31", NOW);
    let o = &withdrawn["overall"];
    assert_eq!(o["contacted_in_time"], ratio(1, 1));
    for figure in [
        "resolved_by_commitment",
        "first_round_satisfied",
        "reopened",
        "open_overdue",
    ] {
        assert_eq!(o[figure], ratio(0, 0), "{figure}");
    }
    assert_eq!(o["satisfaction"]["four_or_five"], ratio(0, 0));
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused_at_to() {
    let input =
        json!({"cases": [], "from": "2026-03-31", "to": "2026-03-01", "now": NOW}).to_string();
    let error = api::assess(policy(), &input).unwrap_err();
    assert_eq!(error.errors[0].code, "out_of_order");
    assert_eq!(error.errors[0].path, "$.to");
}

/// A log whose event 3 was edited after the fact.
fn tampered() -> Value {
    let mut log = log("tier-2");
    log[3]["command"]["note"] = json!("edited");
    log
}

#[test]
fn a_tampered_or_malformed_log_is_left_out_with_a_finding_naming_case_and_event() {
    let mut cases = march();
    cases.push(tampered());
    cases.push(json!({"not": "a log"}));
    let mut missing = log("withdrawal");
    missing[2].as_object_mut().unwrap().remove("hash");
    cases.push(missing);
    let kpis = assess(&cases, "2026-02-01", "2026-03-31", NOW);
    assert_eq!(
        kpis["cases"],
        json!({"read": 9, "counted": 6, "outside_period": 0, "left_out": 3})
    );
    // The figures are those of the six good cases alone.
    let good = assess(&march(), "2026-02-01", "2026-03-31", NOW);
    assert_eq!(kpis["overall"], good["overall"]);
    let findings = kpis["left_out"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    assert!(findings.iter().all(|f| f["code"] == "bad_log"));
    let by_index = |i: u64| findings.iter().find(|f| f["case_index"] == i).unwrap();
    let edited = by_index(6);
    assert_eq!(edited["case_id"], "SC-T2");
    assert_eq!(edited["event"], 3);
    assert!(
        edited["message"].as_str().unwrap().contains("edited"),
        "{edited}"
    );
    let not_a_log = by_index(7);
    assert_eq!(not_a_log["case_id"], Value::Null);
    assert_eq!(not_a_log["event"], Value::Null);
    let unreadable = by_index(8);
    assert_eq!(unreadable["case_id"], "SC-WD");
    assert_eq!(unreadable["event"], 2);
    assert_eq!(unreadable["record"], "$.events[2].hash");
}

#[test]
fn merged_shards_equal_the_whole_and_mismatched_summaries_are_refused() {
    let cases = march();
    let (a, b) = cases.split_at(2);
    let whole = assess(&cases, "2026-02-01", "2026-03-31", NOW);
    let shard_a = assess(a, "2026-02-01", "2026-03-31", NOW);
    let shard_b = assess(b, "2026-02-01", "2026-03-31", NOW);
    let input = json!({"summaries": [shard_a, shard_b]}).to_string();
    let merged: Value =
        serde_json::from_str(&api::call(policy(), api::Call::MergeAssessments, &input).unwrap())
            .unwrap();
    assert_eq!(merged, whole);
    // Another `now` does not add up.
    let later = assess(b, "2026-02-01", "2026-03-31", "2026-05-01T00:00:00+08:00");
    let input = json!({"summaries": [shard_a, later]}).to_string();
    let error = api::merge_assessments(&input).unwrap_err();
    assert_eq!(error.errors[0].code, "incompatible_summaries");
    assert_eq!(error.errors[0].path, "$.summaries[1].now");
    // A summary edited so that a ratio no longer matches its counts is refused where it lies.
    let mut edited = shard_a.clone();
    edited["overall"]["contacted_in_time"]["numerator"] = json!(0);
    let input = json!({"summaries": [edited]}).to_string();
    let error = api::merge_assessments(&input).unwrap_err();
    assert!(
        error
            .errors
            .iter()
            .any(|d| d.path == "$.summaries[0].overall.contacted_in_time.ratio"),
        "{error:?}"
    );
    let error = api::merge_assessments(r#"{"summaries": []}"#).unwrap_err();
    assert_eq!(error.errors[0].code, "empty");
}

#[test]
fn spot_check_is_a_function_of_the_seed_and_the_case_ids() {
    let cases = march();
    let call = |cases: &[Value], k: u64, seed: u64| -> Value {
        let input = json!({"cases": cases, "k": k, "seed": seed}).to_string();
        serde_json::from_str(&api::call(policy(), api::Call::SpotCheck, &input).unwrap()).unwrap()
    };
    let sample = call(&cases, 2, 7);
    let mut reversed = cases.clone();
    reversed.reverse();
    assert_eq!(call(&reversed, 2, 7), sample);
    let p17 = &sample["projects"]["P-2026-017"];
    assert_eq!(p17["population"], 5);
    let ids: Vec<&str> = p17["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    // The sample is the smallest keys, whose definition is public: SHA-256 of the domain, the
    // seed and the id.
    let mut keys: Vec<(String, &str)> = ["SC-T2", "SC-BD", "SC-WD"]
        .iter()
        .map(|id| (caseflow_core::supervision::spot_check_key(7, id), *id))
        .collect();
    keys.sort();
    let expected: Vec<&str> = keys.iter().take(2).map(|(_, id)| *id).collect();
    assert_eq!(ids, expected);
    // All of a smaller project, and a bad log left out.
    assert_eq!(sample["projects"]["P-2026-021"]["cases"][0]["id"], "SC-DC");
    let mut with_bad = cases.clone();
    with_bad.push(tampered());
    let bad = call(&with_bad, 2, 7);
    assert_eq!(bad["projects"], sample["projects"]);
    assert_eq!(bad["left_out"][0]["case_id"], "SC-T2");
    // A new seed may draw another sample, but always as many.
    assert_eq!(
        call(&cases, 2, 8)["projects"]["P-2026-017"]["cases"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn audit_finds_incomplete_records_and_bad_logs() {
    // Logs the engine wrote in full: nothing is missing.
    let input = json!({"cases": march()}).to_string();
    let report: Value =
        serde_json::from_str(&api::call(policy(), api::Call::Audit, &input).unwrap()).unwrap();
    assert_eq!(report["cases"], 6);
    assert_eq!(report["audited"], 6);
    assert_eq!(report["findings"], json!([]));
    // A closed tier-1 case whose records were stripped (a host's snapshot, say).
    let mut case = case_of(&log("breached-deadline"));
    assert_eq!(case.tier.number(), 1);
    for v in &mut case.verifications {
        if v.role == caseflow_core::Role::QualityDept {
            v.report_ref = None;
        }
    }
    for answer in &mut case.customer_answers {
        answer.signed_form_ref = None;
    }
    let mut plan = (*case.plan.as_ref().unwrap().plan).clone();
    plan.milestones.clear();
    case.plan.as_mut().unwrap().plan = std::sync::Arc::new(plan);
    let findings = audit_case(policy(), 4, &case, None);
    let codes: Vec<FindingCode> = findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&FindingCode::UnsignedClosure), "{codes:?}");
    assert!(
        codes.contains(&FindingCode::PlanWithoutMilestones),
        "{codes:?}"
    );
    let reports: Vec<_> = findings
        .iter()
        .filter(|f| f.code == FindingCode::VerificationReportMissing)
        .collect();
    assert_eq!(reports.len(), 1, "{findings:?}");
    assert!(
        reports[0].message.contains("quality_dept"),
        "{}",
        reports[0].message
    );
    assert!(
        findings
            .iter()
            .all(|f| f.case_id.as_deref() == Some("SC-BD") && f.case_index == 4)
    );
    // The closing event is the one concerned for a closed case.
    let closing = case.events - 1;
    assert!(
        findings
            .iter()
            .filter(|f| f.record.as_deref() != Some("plan"))
            .all(|f| f.event == Some(closing))
    );
    // A tampered log is a finding of its own.
    let input = json!({"cases": [tampered()]}).to_string();
    let report = api::audit(policy(), &input).unwrap();
    assert_eq!(report.audited, 0);
    assert_eq!(report.findings[0].code, FindingCode::BadLog);
    assert_eq!(report.findings[0].event, Some(3));
}

#[test]
fn the_typed_calls_answer_as_the_json_calls() {
    use caseflow_core::reader::ReadObject;
    let input = json!({"cases": march(), "from": "2026-02-01", "to": "2026-03-31", "now": NOW});
    let typed = api::AssessInput::read_all(&input, &caseflow_core::JsonPath::root()).unwrap();
    let kpis = api::typed::assess(policy(), &typed).unwrap();
    assert_eq!(
        serde_json::to_value(&kpis).unwrap(),
        assess(&march(), "2026-02-01", "2026-03-31", NOW)
    );
}

#[test]
fn the_inputs_and_answers_have_json_schemas_for_the_bindings() {
    use caseflow_core::supervision::{AuditReport, Kpis, SpotCheck};
    let schemas = [
        schemars::schema_for!(api::AssessInput).to_value(),
        schemars::schema_for!(api::MergeInput).to_value(),
        schemars::schema_for!(api::SpotCheckInput).to_value(),
        schemars::schema_for!(api::AuditInput).to_value(),
        schemars::schema_for!(Kpis).to_value(),
        schemars::schema_for!(SpotCheck).to_value(),
        schemars::schema_for!(AuditReport).to_value(),
    ];
    let kpis = &schemas[4];
    for member in [
        "period",
        "now",
        "cases",
        "overall",
        "by_project",
        "by_tier",
        "left_out",
    ] {
        assert!(kpis["properties"][member].is_object(), "{member}: {kpis}");
    }
    assert!(schemas[0]["properties"]["cases"].is_object());
}

/// The three emergency scenarios and the closed tier-1 emergency, judged on 1 June 2026:
/// - SC-E1 (level I): six actions done in time, the second status update late (09:10, due 08:00),
///   the third waived; its review filed at 10:00 on 11 March, ten hours after it was due;
/// - SC-E2 (level II; the raise to I refused): notify, people on site and the first update in
///   time, the safety measures late (16:30, due 15:00), two waived; reviewed in time;
/// - SC-E3 (level III): all four actions in time, one waived; reviewed in time;
/// - SC-T1 (level III, the case closed): none of its five actions done, all past due; never
///   declared over, so its review is not yet due.
#[test]
fn emergencies_and_their_action_timeliness() {
    let logs: Vec<Value> = [
        "emergency-level-i",
        "emergency-level-ii",
        "emergency-level-iii",
        "tier-1-emergency",
    ]
    .iter()
    .map(|name| log(name))
    .collect();
    let kpis = assess(
        &logs,
        "2026-03-01",
        "2026-03-31",
        "2026-06-01T00:00:00+08:00",
    );
    let e = &kpis["overall"]["emergencies"];
    assert_eq!(e["by_level"], json!({"I": 1, "II": 1, "III": 2}));
    assert_eq!(e["actions_on_time"], ratio(6 + 3 + 4, 7 + 4 + 4 + 5));
    assert_eq!(e["reviews_on_time"], ratio(2, 3));
    assert_eq!(
        kpis["by_project"]["P-2026-030"]["emergencies"]["reviews_on_time"],
        ratio(0, 1)
    );
    // At noon on 3 March SC-T1's notification (due 2 March) and its people on site and safety
    // measures (due 09:20 that day) were past due, its initial report and first update not yet.
    // Each case counts as its log ends: the reviews on record are judged as filed.
    let early = assess(
        &logs,
        "2026-03-01",
        "2026-03-31",
        "2026-03-03T12:00:00+08:00",
    );
    let e = &early["overall"]["emergencies"];
    assert_eq!(e["actions_on_time"], ratio(13, 15 + 3));
    assert_eq!(e["reviews_on_time"], ratio(2, 3));
    // The closed case whose emergency was never declared over is an audit finding.
    let report = api::audit(policy(), &json!({"cases": logs}).to_string()).unwrap();
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let at_now = json!({"cases": logs, "now": "2026-06-01T00:00:00+08:00"}).to_string();
    assert_eq!(api::audit(policy(), &at_now).unwrap(), report);
    let finding = &report.findings[0];
    assert_eq!(finding.code, FindingCode::EmergencyWithoutReview);
    assert_eq!(finding.case_id.as_deref(), Some("SC-T1"));
    assert_eq!(finding.record.as_deref(), Some("emergency_plan"));
    assert!(
        finding.message.contains("never declared over"),
        "{}",
        finding.message
    );
}

#[test]
fn bad_inputs_are_refused_at_their_paths() {
    let refused = |call: api::Call, input: Value| {
        let error = api::call(policy(), call, &input.to_string()).unwrap_err();
        error
            .errors
            .iter()
            .map(|d| (d.code.clone(), d.path.clone()))
            .collect::<Vec<_>>()
    };
    let pair = |code: &str, path: &str| (code.to_owned(), path.to_owned());
    assert_eq!(
        refused(
            api::Call::Assess,
            json!({"cases": {}, "from": "2026-01-01", "to": "2026-01-31", "now": NOW})
        ),
        vec![pair("wrong_type", "$.cases")]
    );
    assert_eq!(
        refused(
            api::Call::Assess,
            json!({"cases": [], "from": "2026-13-01", "to": "2026-01-31", "now": NOW, "extra": 1})
        ),
        vec![
            pair("invalid_date", "$.from"),
            pair("unknown_field", "$.extra")
        ]
    );
    assert_eq!(
        refused(
            api::Call::SpotCheck,
            json!({"cases": [], "k": 10_001, "seed": 1})
        ),
        vec![pair("out_of_range", "$.k")]
    );
    assert_eq!(
        refused(api::Call::Audit, json!({})),
        vec![pair("missing_field", "$.cases")]
    );
    let bad_now = refused(api::Call::Audit, json!({"cases": [], "now": "yesterday"}));
    assert_eq!(bad_now.len(), 1);
    assert_eq!(bad_now[0].1, "$.now");
}

/// The summaries of consecutive shards, each with a bad log, merge into the summary of the whole:
/// a finding's `case_index` is its position in the whole input, not in its shard.
#[test]
fn merged_shards_with_bad_logs_equal_the_whole_findings_included() {
    let mut cases = march();
    cases.insert(1, tampered());
    cases.push(json!({"not": "a log"}));
    let whole = assess(&cases, "2026-02-01", "2026-03-31", NOW);
    for cut in [0, 2, 5, cases.len()] {
        let (a, b) = cases.split_at(cut);
        let (b, c) = b.split_at(b.len() / 2);
        let shards: Vec<Value> = [a, b, c]
            .iter()
            .map(|s| assess(s, "2026-02-01", "2026-03-31", NOW))
            .collect();
        let input = json!({ "summaries": shards }).to_string();
        let merged: Value = serde_json::from_str(
            &api::call(policy(), api::Call::MergeAssessments, &input).unwrap(),
        )
        .unwrap();
        assert_eq!(merged, whole, "cut at {cut}");
    }
    let indices: Vec<&Value> = whole["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["case_index"])
        .collect();
    assert_eq!(indices.len(), 2);
    assert!(indices.contains(&&json!(1)) && indices.contains(&&json!(7)));
}

/// Counts that do not fit in 64 bits, in one summary or once two are added, are refused at their
/// path (`out_of_range`), never wrapped and never a panic.
#[test]
fn summaries_whose_counts_overflow_are_refused_at_the_count() {
    let refused = |summaries: Value| {
        let input = json!({ "summaries": summaries }).to_string();
        let error = api::merge_assessments(&input).unwrap_err();
        error
            .errors
            .iter()
            .map(|d| (d.code.clone(), d.path.clone()))
            .collect::<Vec<_>>()
    };
    let pair = |code: &str, path: &str| (code.to_owned(), path.to_owned());
    let summary = assess(&march(), "2026-02-01", "2026-03-31", NOW);

    // One histogram entry near 2^64: its total score (5 × n) does not fit.
    let mut crafted = summary.clone();
    crafted["overall"]["satisfaction"]["histogram"] = json!([0, 0, 0, 0, u64::MAX / 4]);
    assert_eq!(
        refused(json!([crafted])),
        vec![pair(
            "out_of_range",
            "$.summaries[0].overall.satisfaction.histogram"
        )]
    );
    // Case counts that add past 2^64 within one summary.
    let mut crafted = summary.clone();
    crafted["cases"]["outside_period"] = json!(u64::MAX);
    let refusal = refused(json!([crafted]));
    assert_eq!(refusal, vec![pair("invalid_value", "$.summaries[0].cases")]);

    // Two summaries, each consistent, whose counts overflow once added.
    let mut big = summary.clone();
    big["cases"]["read"] = json!(u64::MAX - 1);
    big["cases"]["outside_period"] = json!(u64::MAX - 1 - 6);
    assert_eq!(
        refused(json!([big, summary])),
        vec![pair("out_of_range", "$.summaries[1].cases.read")]
    );
    let mut big = summary.clone();
    big["overall"]["withdrawn"] = json!(u64::MAX - 1);
    assert_eq!(
        refused(json!([summary, big, summary])),
        vec![pair("out_of_range", "$.summaries[2].overall.withdrawn")]
    );
    let mut big = summary.clone();
    big["by_project"]["P-2026-021"]["breaches"] =
        json!({"plan": {"breaches": u64::MAX, "cases": 1}});
    let mut other = summary.clone();
    other["by_project"]["P-2026-021"]["breaches"] = json!({"plan": {"breaches": 1, "cases": 1}});
    assert_eq!(
        refused(json!([big, other])),
        vec![pair(
            "out_of_range",
            "$.summaries[1].by_project.P-2026-021.breaches.plan.breaches"
        )]
    );
}

/// A closed or withdrawn case whose emergency ended without a post-event review is flagged only
/// once the review is overdue: at `now` when given, else at the case's last event.
#[test]
fn a_missing_review_is_flagged_only_once_overdue() {
    use caseflow_core::lifecycle::CaseState;
    let mut case = [
        "emergency-level-i",
        "emergency-level-ii",
        "emergency-level-iii",
    ]
    .into_iter()
    .map(|name| case_of(&log(name)))
    .find(|c| {
        c.emergency_plan
            .as_ref()
            .is_some_and(|p| p.ended_at.is_some() && p.review_due.is_some())
    })
    .expect("a scenario whose emergency ended");
    // As if the case had been withdrawn right after the end, the review not filed yet.
    let plan = case.emergency_plan.as_mut().unwrap();
    plan.review = None;
    let (ended, due) = (plan.ended_at.unwrap(), plan.review_due.unwrap());
    case.state = CaseState::Withdrawn;
    case.updated_at = ended;
    let flagged = |case: &Case, now| {
        audit_case(policy(), 0, case, now)
            .iter()
            .any(|f| f.code == FindingCode::EmergencyWithoutReview)
    };
    let second = chrono::Duration::seconds(1);
    assert!(
        !flagged(&case, None),
        "judged at the last event, the review is not due yet"
    );
    assert!(!flagged(&case, Some(due - second)));
    assert!(!flagged(&case, Some(due)));
    assert!(flagged(&case, Some(due + second)));
    // Withdrawn once the review was overdue: flagged without `now`.
    case.updated_at = due + second;
    assert!(flagged(&case, None));
    // Never declared over: flagged whenever the case is closed or withdrawn.
    let plan = case.emergency_plan.as_mut().unwrap();
    plan.ended_at = None;
    plan.review_due = None;
    case.updated_at = ended;
    assert!(flagged(&case, None));
    assert!(flagged(&case, Some(ended)));
}
