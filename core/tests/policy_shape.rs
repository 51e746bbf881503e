//! The shape pass of policy loading and the snapshot reader name every malformed member at once,
//! each at its JSON path, with a code that says what is wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::Policy;
use caseflow_core::lifecycle::Case;
use caseflow_core::policy::default_policy_json;
use serde_json::{Value, json};

fn default_policy() -> Value {
    serde_json::from_str(&default_policy_json()).unwrap()
}

fn problems(value: &Value) -> Vec<(String, String)> {
    let error = Policy::from_value(value).unwrap_err();
    error
        .errors
        .iter()
        .map(|d| (d.code.clone(), d.path.clone()))
        .collect()
}

fn has(found: &[(String, String)], code: &str, path: &str) -> bool {
    found.iter().any(|(c, p)| c == code && p == path)
}

#[test]
fn several_bad_members_of_one_section_are_all_reported() {
    let mut p = default_policy();
    p["clocks"]["at_risk_fraction"] = json!("high");
    p["clocks"]["escalation_chain"] = json!("project_manager");
    p["clocks"]["tier1_breach_observers"] = json!([1]);
    p["clocks"]["colour"] = json!("red");
    p["tiers"]["2"]["deadlines"]["approval"] = json!(true);
    p["tiers"]["2"]["records"][0] = json!("minutes");
    p["lifecycle"]
        .as_object_mut()
        .unwrap()
        .remove("lower_tier_1");
    let found = problems(&p);
    for (code, path) in [
        ("wrong_type", "$.clocks.at_risk_fraction"),
        ("wrong_type", "$.clocks.escalation_chain"),
        ("wrong_type", "$.clocks.tier1_breach_observers[0]"),
        ("unknown_field", "$.clocks.colour"),
        ("invalid_value", "$.tiers.2.deadlines.approval"),
        ("invalid_value", "$.tiers.2.records[0]"),
        ("missing_field", "$.lifecycle.lower_tier_1"),
    ] {
        assert!(has(&found, code, path), "{code} at {path}: {found:#?}");
    }
    assert_eq!(found.len(), 7, "{found:#?}");
}

#[test]
fn conditions_say_which_form_they_miss_and_what_is_foreign_to_theirs() {
    let mut p = default_policy();
    p["classification"]["tier"]["rules"][0]["when"] = json!("safety");
    p["classification"]["tier"]["rules"][1]["when"] = json!({"mentions": 3});
    p["classification"]["tier"]["rules"][2]["when"] = json!({"fact": "injuries", "at_least": -1});
    p["classification"]["tier"]["rules"][3]["when"] =
        json!({"any": [{"fact": "weather"}], "all": []});
    let found = problems(&p);
    let rules = "$.classification.tier.rules";
    for (code, path) in [
        ("invalid_value", format!("{rules}[0].when")),
        ("wrong_type", format!("{rules}[1].when.mentions")),
        ("out_of_range", format!("{rules}[2].when.at_least")),
        ("invalid_value", format!("{rules}[3].when.any[0].fact")),
        ("unknown_field", format!("{rules}[3].when.all")),
    ] {
        assert!(has(&found, code, &path), "{code} at {path}: {found:#?}");
    }
    let message = Policy::from_value(&p).unwrap_err().errors[0]
        .message
        .clone();
    assert!(message.starts_with("not a condition"), "{message}");
}

#[test]
fn durations_are_text_or_amount_and_unit() {
    let mut p = default_policy();
    p["emergency"]["review_due"] = json!(5);
    p["emergency"]["drill_interval"] = json!({"amount": 1.5, "unit": "hours"});
    let found = problems(&p);
    assert!(
        has(&found, "invalid_value", "$.emergency.review_due"),
        "{found:#?}"
    );
    assert!(
        has(&found, "wrong_type", "$.emergency.drill_interval.amount"),
        "{found:#?}"
    );
    // Both forms still load, and what they mean is checked by the meaning pass.
    let mut p = default_policy();
    p["emergency"]["drill_interval"] = json!({"amount": 6, "unit": "calendar_days"});
    assert!(Policy::from_value(&p).is_ok());
}

#[test]
fn a_snapshot_names_every_bad_member() {
    let policy = Policy::builtin().unwrap();
    let input = json!({
        "command": {"type": "record", "actor": {"id": "c-1", "roles": ["intake_clerk"]},
            "report": {"id": "S-1", "project": "P-1", "channel": "phone",
                "description": "卫生间顶棚渗水", "raised_at": "2026-03-02T09:15:00+08:00",
                "location": "3号楼", "contact": {"phone": "13800000000"}}},
        "now": "2026-03-02T09:20:00+08:00"
    });
    let applied = caseflow_core::api::record(&policy, &input.to_string()).unwrap();
    let mut case = serde_json::to_value(&applied.case).unwrap();
    case["tier"] = json!(4);
    case["state"] = json!("asleep");
    case["updated_at"] = json!("yesterday");
    case["clocks"]["contact_customer"]["duration"] = json!("-2 hours");
    case["extra"] = json!(1);
    let error = Case::from_value(&case, &caseflow_core::JsonPath::root()).unwrap_err();
    let found: Vec<(String, String)> = error
        .errors
        .iter()
        .map(|d| (d.code.clone(), d.path.clone()))
        .collect();
    for (code, path) in [
        ("invalid_value", "$.tier"),
        ("invalid_value", "$.state"),
        ("invalid_instant", "$.updated_at"),
        ("negative_duration", "$.clocks.contact_customer.duration"),
        ("unknown_field", "$.extra"),
    ] {
        assert!(has(&found, code, path), "{code} at {path}: {found:#?}");
    }
}
