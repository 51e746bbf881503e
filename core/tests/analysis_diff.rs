//! The impact of a change of policy (issue 14, item 5): the differences of meaning between two
//! policies, each with its path, and the past reports the two treat apart, with both
//! explanations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use caseflow_core::analysis::diff::{Aspect, Change, ChangeKind, PolicyDiff, diff};
use caseflow_core::api;
use caseflow_core::policy::{DEFAULT_RULES_JSON, default_policy_json};
use caseflow_core::{Policy, Report};
use serde_json::{Value, json};

static DEFAULT: LazyLock<Policy> = LazyLock::new(|| Policy::builtin().unwrap());
static RULES_ONLY: LazyLock<Policy> =
    LazyLock::new(|| Policy::from_json(DEFAULT_RULES_JSON).unwrap());

/// The default policy (with its model) as JSON, to edit.
fn default_value() -> Value {
    serde_json::from_str(&default_policy_json()).unwrap()
}

/// The default policy's rules (without the model) as JSON, to edit.
fn rules_value() -> Value {
    serde_json::from_str(DEFAULT_RULES_JSON).unwrap()
}

fn load(value: &Value) -> Policy {
    Policy::from_value(value).unwrap()
}

/// Report lines of a file under tests/data: the `report` member of each line.
fn reports(file: &str) -> Vec<Report> {
    let path = format!("{}/../tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let line: Value = serde_json::from_str(l).unwrap();
            Report::from_json(&line["report"].to_string()).unwrap()
        })
        .collect()
}

fn samples() -> Vec<Report> {
    reports("samples.jsonl")
}

fn at<'a>(d: &'a PolicyDiff, path: &str) -> Vec<&'a Change> {
    d.changes.iter().filter(|c| c.path == path).collect()
}

fn only<'a>(d: &'a PolicyDiff, path: &str) -> &'a Change {
    let found = at(d, path);
    assert_eq!(found.len(), 1, "{path}: {:#?}", d.changes);
    found[0]
}

/// What the reports' own classifications say: the indexes of the reports whose category, tier,
/// emergency level or review differs under the two policies.
fn classified_apart(old: &Policy, new: &Policy, reports: &[Report]) -> Vec<u64> {
    (0u64..)
        .zip(reports)
        .filter(|(_, r)| {
            let (a, b) = (old.classify(r), new.classify(r));
            (a.category, a.tier, a.emergency, &a.review)
                != (b.category, b.tier, b.emergency, &b.review)
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn a_policy_against_itself_is_empty_even_with_reports() {
    let reports = samples();
    let same = diff(&DEFAULT, &DEFAULT, &reports);
    assert!(same.is_empty(), "{same:#?}");
    assert_eq!(same.counts.reports, reports.len() as u64);
    assert_eq!(same.counts.reports_changed, 0);
    assert_eq!(
        (same.counts.added, same.counts.removed, same.counts.changed),
        (0, 0, 0)
    );
    // A second load of the same text is the same policy too.
    let again = load(&default_value());
    assert!(diff(&DEFAULT, &again, &reports).is_empty());
}

#[test]
fn durations_compare_by_meaning_not_by_text() {
    let mut value = default_value();
    value["tiers"]["1"]["deadlines"]["plan"] = json!({"amount": 48, "unit": "hours"});
    assert!(diff(&DEFAULT, &load(&value), &[]).changes.is_empty());

    value["tiers"]["1"]["deadlines"]["plan"] = json!("2 working_days");
    value["tiers"]["2"]["deadlines"]["commitment_cap"] = Value::Null;
    let d = diff(&DEFAULT, &load(&value), &[]);
    let plan = only(&d, "$.tiers.1.deadlines.plan");
    assert_eq!(plan.kind, ChangeKind::Changed);
    assert_eq!(plan.old, Some(json!("48 hours")));
    assert_eq!(plan.new, Some(json!("2 working_days")));
    assert!(
        plan.message.contains("48 hours → 2 working_days"),
        "{}",
        plan.message
    );
    let cap = only(&d, "$.tiers.2.deadlines.commitment_cap");
    assert_eq!(cap.new, Some(Value::Null));
    // The answer reads back as written: a `null` value stays a value.
    let text = serde_json::to_string(&d).unwrap();
    assert!(text.contains(r#""new":null"#), "{text}");
    assert_eq!(serde_json::from_str::<PolicyDiff>(&text).unwrap(), d);
    assert_eq!(d.changes.len(), 2, "{:#?}", d.changes);
    assert_eq!(d.counts.changed, 2);
}

#[test]
fn term_lists_report_the_words_added_and_removed() {
    let mut value = default_value();
    let words = value["classification"]["terms"]["leak"]["words"]
        .as_array_mut()
        .unwrap();
    let first = words.remove(0);
    words.push(json!("渗出水来"));
    // The order of a list's words does not matter.
    words.reverse();
    let d = diff(&DEFAULT, &load(&value), &[]);
    let path = "$.classification.terms.leak.words";
    let found = at(&d, path);
    assert_eq!(found.len(), 2, "{:#?}", d.changes);
    let added = found.iter().find(|c| c.kind == ChangeKind::Added).unwrap();
    assert_eq!(added.new, Some(json!(["渗出水来"])));
    let removed = found
        .iter()
        .find(|c| c.kind == ChangeKind::Removed)
        .unwrap();
    assert_eq!(removed.old, Some(json!([first])));
    assert_eq!(d.changes.len(), 2);
}

#[test]
fn rules_are_matched_by_id_wherever_they_sit() {
    let mut value = default_value();
    let rules = value["classification"]["category"]["rules"]
        .as_array_mut()
        .unwrap();
    let removed_id = rules[2]["id"].clone();
    rules.remove(2);
    rules[0]["weight"] = json!(7);
    rules.insert(
        0,
        json!({"id": "category.quality.new", "category": "quality", "weight": 1, "when": {"mentions": "leak"}}),
    );
    let d = diff(&DEFAULT, &load(&value), &[]);
    let added = only(&d, "$.classification.category.rules[0]");
    assert_eq!(added.kind, ChangeKind::Added);
    assert_eq!(added.new.as_ref().unwrap()["id"], "category.quality.new");
    // The old first rule is now second: changed in weight, not moved among the rules kept.
    let changed = only(&d, "$.classification.category.rules[1]");
    assert_eq!(changed.kind, ChangeKind::Changed);
    assert_eq!(
        changed.old_path.as_deref(),
        Some("$.classification.category.rules[0]")
    );
    assert_eq!(changed.old.as_ref().unwrap()["weight"], 3);
    assert_eq!(changed.new.as_ref().unwrap()["weight"], 7);
    assert!(changed.message.contains("weight"), "{}", changed.message);
    assert!(!changed.message.contains("moved"), "{}", changed.message);
    // A removed rule is named at its path in the old policy.
    let removed = only(&d, "$.classification.category.rules[2]");
    assert_eq!(removed.kind, ChangeKind::Removed);
    assert_eq!(removed.old.as_ref().unwrap()["id"], removed_id);
    assert_eq!(d.changes.len(), 3, "{:#?}", d.changes);
}

#[test]
fn a_rule_moved_among_the_others_is_a_change_under_first_match() {
    // The fourth rule moved to the front: it alone moved, the others kept their order.
    let mut value = default_value();
    let rules = value["classification"]["tier"]["rules"]
        .as_array_mut()
        .unwrap();
    let fourth = rules.remove(3);
    let id = fourth["id"].clone();
    rules.insert(0, fourth);
    let d = diff(&DEFAULT, &load(&value), &[]);
    let moved = only(&d, "$.classification.tier.rules[0]");
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    assert_eq!(moved.kind, ChangeKind::Changed);
    assert_eq!(
        moved.old_path.as_deref(),
        Some("$.classification.tier.rules[3]")
    );
    assert_eq!(moved.old, moved.new);
    assert_eq!(moved.new.as_ref().unwrap()["id"], id);
    assert!(
        moved.message.contains("moved from position 4 to 1"),
        "{}",
        moved.message
    );
    // Two rules swapped: one of them moved.
    let mut value = default_value();
    let rules = value["classification"]["tier"]["rules"]
        .as_array_mut()
        .unwrap();
    rules.swap(0, 1);
    let d = diff(&DEFAULT, &load(&value), &[]);
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    assert!(d.changes[0].message.contains("moved from position"));
}

#[test]
fn routing_permissions_emergency_and_clocks_are_compared() {
    let mut value = default_value();
    value["tiers"]["2"]["plan"]["approved_by"] = json!(["company_leadership"]);
    value["tiers"]["1"]["verification"]["all_must_pass"] = json!(false);
    value["lifecycle"]["permissions"]["accept"] =
        json!({"1": ["project_manager"], "2": ["project_leader"], "3": ["project_leader"]});
    value["emergency"]["levels"]["I"]["actions"][0]["due"] = json!("1 hours");
    value["lifecycle"]["permissions"]["hold"] = json!(["project_leader", "project_manager"]);
    value["clocks"]["escalation_chain"] = json!([
        "project_leader",
        "site_manager",
        "project_manager",
        "company_leadership"
    ]);
    let d = diff(&DEFAULT, &load(&value), &[]);
    let approvers = at(&d, "$.tiers.2.plan.approved_by");
    assert_eq!(approvers.len(), 2, "{:#?}", d.changes);
    assert!(
        approvers
            .iter()
            .any(|c| c.kind == ChangeKind::Added && c.new == Some(json!(["company_leadership"])))
    );
    assert!(
        approvers
            .iter()
            .any(|c| c.kind == ChangeKind::Removed && c.old == Some(json!(["project_manager"])))
    );
    let all = only(&d, "$.tiers.1.verification.all_must_pass");
    assert_eq!(
        (all.old.clone(), all.new.clone()),
        (Some(json!(true)), Some(json!(false)))
    );
    // The permission per tier: only tier 1 changed, named under the new policy's tier key.
    let accept = at(&d, "$.lifecycle.permissions.accept.1");
    assert_eq!(accept.len(), 2, "{:#?}", d.changes);
    assert!(at(&d, "$.lifecycle.permissions.accept.2").is_empty());
    let action = only(&d, "$.emergency.levels.I.actions[0]");
    assert!(action.message.contains("due"), "{}", action.message);
    assert_eq!(action.new.as_ref().unwrap()["due"], "1 hours");
    only(&d, "$.clocks.escalation_chain");
    // The same list at every tier, the same change at each: said once.
    let hold = only(&d, "$.lifecycle.permissions.hold");
    assert_eq!(hold.new, Some(json!(["project_manager"])));
    assert_eq!(d.changes.len(), 8, "{:#?}", d.changes);
}

#[test]
fn calendar_years_and_days_are_compared() {
    let mut value = default_value();
    let years = value["calendar"]["years"].as_object_mut().unwrap();
    let first_year = years.keys().next().unwrap().clone();
    years.remove(&first_year);
    let last_year = years.keys().next_back().unwrap().clone();
    let year = &mut years[&last_year];
    let day = year["off"][0]["dates"].as_array_mut().unwrap().remove(0);
    year["work"].as_array_mut().unwrap().push(day.clone());
    let d = diff(&DEFAULT, &load(&value), &[]);
    let gone = only(&d, &format!("$.calendar.years.{first_year}"));
    assert_eq!(gone.kind, ChangeKind::Removed);
    let off = only(&d, &format!("$.calendar.years.{last_year}.off"));
    assert_eq!(
        (off.kind, off.old.clone()),
        (ChangeKind::Removed, Some(json!([day])))
    );
    let work = only(&d, &format!("$.calendar.years.{last_year}.work"));
    assert_eq!(
        (work.kind, work.new.clone()),
        (ChangeKind::Added, Some(json!([day])))
    );
}

#[test]
fn reports_treated_apart_are_listed_with_both_explanations() {
    // Tier 2 plans now approved by company leadership: every tier-2 report's routing changes,
    // and nothing else does.
    let mut value = default_value();
    value["tiers"]["2"]["plan"]["approved_by"] = json!(["company_leadership"]);
    let new = load(&value);
    let reports = samples();
    let d = diff(&DEFAULT, &new, &reports);
    let tier_2: Vec<u64> = (0u64..)
        .zip(&reports)
        .filter(|(_, r)| DEFAULT.classify(r).tier.number() == 2)
        .map(|(i, _)| i)
        .collect();
    assert!(!tier_2.is_empty());
    let listed: Vec<u64> = d.reports.iter().map(|r| r.index).collect();
    assert_eq!(listed, tier_2);
    for report in &d.reports {
        assert_eq!(report.changed, vec![Aspect::Routing]);
        assert_eq!(
            report.report_id,
            reports[usize::try_from(report.index).unwrap()].id
        );
        assert_eq!(report.old, report.new);
        let change = report
            .routing
            .iter()
            .find(|c| c.path == "$.routing.plan.approved_by")
            .unwrap();
        assert_eq!(change.new, json!(["company_leadership"]));
    }
    assert_eq!(d.counts.by_aspect.get(Aspect::Routing), tier_2.len() as u64);
    assert_eq!(d.counts.reports_changed, tier_2.len() as u64);

    // A tier rule removed: the reports it decided change tier, with the rule gone from the new
    // explanation.
    let mut value = rules_value();
    let rules = value["classification"]["tier"]["rules"]
        .as_array_mut()
        .unwrap();
    let position = rules
        .iter()
        .position(|r| r["id"] == "tier.1.legal_action")
        .unwrap();
    rules.remove(position);
    let new = load(&value);
    let d = diff(&RULES_ONLY, &new, &reports);
    let listed: Vec<u64> = d.reports.iter().map(|r| r.index).collect();
    assert!(!listed.is_empty(), "a sample threatens a lawsuit");
    assert_eq!(
        listed,
        classified_apart_or_routed(&RULES_ONLY, &new, &reports)
    );
    for report in &d.reports {
        assert!(report.changed.contains(&Aspect::Tier), "{report:#?}");
        let old_rules = serde_json::to_string(&report.old.explanation).unwrap();
        let new_rules = serde_json::to_string(&report.new.explanation).unwrap();
        assert!(old_rules.contains("tier.1.legal_action"));
        assert!(!new_rules.contains("tier.1.legal_action"));
        // The routing follows the tier: other approvers, other deadlines.
        assert!(
            report
                .routing
                .iter()
                .any(|c| c.path.starts_with("$.routing.plan"))
        );
    }
}

/// The reports whose classification differs, or whose routing under the two policies does
/// (compared whole, through `classify`'s answer).
fn classified_apart_or_routed(old: &Policy, new: &Policy, reports: &[Report]) -> Vec<u64> {
    let apart = classified_apart(old, new, reports);
    (0u64..)
        .zip(reports)
        .filter(|(i, r)| {
            apart.contains(i) || {
                let a = api::classify_report(old, r).unwrap();
                let b = api::classify_report(new, r).unwrap();
                (a.routing, a.warranty) != (b.routing, b.warranty)
            }
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn only_the_model_differs_with_and_without_it() {
    let reports = [samples(), reports("corpus/reports-1.jsonl")].concat();
    let d = diff(&DEFAULT, &RULES_ONLY, &reports);
    let model = only(&d, "$.model");
    assert_eq!(model.kind, ChangeKind::Removed);
    let old = model.old.as_ref().unwrap();
    assert_eq!(
        old["sha256"],
        DEFAULT.document().model.as_ref().unwrap().sha256()
    );
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    let expected = classified_apart(&DEFAULT, &RULES_ONLY, &reports);
    assert!(!expected.is_empty(), "the model decides some of the corpus");
    let listed: Vec<u64> = d
        .reports
        .iter()
        .filter(|r| {
            r.changed
                .iter()
                .any(|a| *a != Aspect::Routing && *a != Aspect::Warranty)
        })
        .map(|r| r.index)
        .collect();
    assert_eq!(listed, expected);
    for report in &d.reports {
        assert!(report.old.explanation.model.is_some());
        assert!(report.new.explanation.model.is_none());
    }
}

#[test]
fn a_retrained_model_is_compared_on_the_reports() {
    let mut value = default_value();
    // One weight of the tier head changed: tier 1 is now far more likely.
    value["model"]["tier_bias"][0] = json!(40000);
    let new = load(&value);
    let reports = samples();
    let d = diff(&DEFAULT, &new, &reports);
    let model = only(&d, "$.model");
    assert_eq!(model.kind, ChangeKind::Changed);
    assert_ne!(
        model.old.as_ref().unwrap()["sha256"],
        model.new.as_ref().unwrap()["sha256"]
    );
    assert!(model.message.contains("sha256"), "{}", model.message);
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    let expected = classified_apart(&DEFAULT, &new, &reports);
    assert!(!expected.is_empty());
    assert_eq!(
        d.reports.iter().map(|r| r.index).collect::<Vec<_>>(),
        expected
    );
    assert!(
        d.reports
            .iter()
            .all(|r| r.changed.contains(&Aspect::Tier) || r.changed.contains(&Aspect::Review))
    );
}

#[test]
fn the_call_answers_what_the_library_does() {
    let mut value = rules_value();
    value["tiers"]["3"]["deadlines"]["contact"] = json!("48 hours");
    let new = load(&value);
    let reports = samples();
    let input = json!({
        "old": serde_json::from_str::<Value>(DEFAULT_RULES_JSON).unwrap(),
        "reports": (0..reports.len()).map(|i| {
            let path = format!("{}/../tests/data/samples.jsonl", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let line: Value = serde_json::from_str(text.lines().nth(i).unwrap()).unwrap();
            line["report"].clone()
        }).collect::<Vec<_>>(),
    });
    let answer = api::diff_policies(&new, &input.to_string()).unwrap();
    let library = diff(&RULES_ONLY, &new, &reports);
    assert_eq!(answer, library);
    let text = api::to_json(&library).unwrap();
    assert_eq!(serde_json::from_str::<PolicyDiff>(&text).unwrap(), library);
    assert!(
        !library.reports.is_empty(),
        "tier-3 reports' contact deadline moves"
    );
    assert!(library.reports.iter().all(|r| {
        r.routing
            .iter()
            .any(|c| c.path == "$.routing.deadlines.contact_customer.duration")
    }));
    // A bad old policy is refused with its path under `old`.
    let mut bad = rules_value();
    bad["tiers"]["1"]["deadlines"]["plan"] = json!("soon");
    let error = api::diff_policies(&new, &json!({"old": bad}).to_string()).unwrap_err();
    assert!(
        error
            .errors
            .iter()
            .any(|d| d.path == "$.old.tiers.1.deadlines.plan"),
        "{error:#?}"
    );
}
