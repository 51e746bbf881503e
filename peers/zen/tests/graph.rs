//! The generated graph follows the policy, and ZEN evaluating it answers as the policy's rules
//! do where a `contains` table can follow them (and differs where the README says it cannot).

use caseflow_core::{Policy, Report};
use caseflow_peer_zen::{
    Answer, DEFAULT_GRAPH_PATH, DEFAULT_POLICY_PATH, caseflow_answer, decision, graph, graph_text,
    zen_answer,
};
use serde_json::{Value, json};

fn report(description: &str) -> Value {
    json!({
        "id": "Z-1", "project": "P-2026-017", "channel": "phone",
        "description": description,
        "raised_at": "2026-03-02T09:15:00+08:00", "location": "3号楼2单元801",
        "contact": {"name": "业主", "phone": "13800000000"}
    })
}

fn both(raw: &Value) -> (Answer, Answer) {
    let policy = Policy::builtin().unwrap();
    let zen = decision(&std::fs::read_to_string(DEFAULT_GRAPH_PATH).unwrap()).unwrap();
    let report = Report::from_value(raw).unwrap();
    (
        zen_answer(&zen, raw).unwrap(),
        caseflow_answer(&policy, &report, false).unwrap(),
    )
}

fn answer(category: &str, tier: u64) -> Answer {
    Answer {
        category: category.into(),
        tier,
    }
}

#[test]
fn the_committed_graph_is_the_default_policys() {
    let committed = std::fs::read_to_string(DEFAULT_GRAPH_PATH).unwrap();
    assert!(
        committed == graph_text(DEFAULT_POLICY_PATH).unwrap(),
        "graph/default.json is stale: run `cargo run --release --bin zen-graph` in peers/zen"
    );
}

#[test]
fn both_engines_agree_where_the_rules_are_plain_mentions() {
    // A leak: quality by the leak rule, the category's default tier 2.
    let (z, c) = both(&report("3号楼2单元801卫生间顶棚渗水"));
    assert_eq!(z, answer("quality", 2));
    assert_eq!(z, c);
    // An injury: tier 1 (tier rule and emergency trigger).
    let (z, c) = both(&report("工人从脚手架上摔下来受伤了"));
    assert_eq!(z.tier, 1);
    assert_eq!(z, c);
    // Nothing any rule reads: the fallback category and its default tier.
    let (z, c) = both(&report("请问物业电话是多少"));
    assert_eq!(z, c);
    assert_eq!(z.category, "other");
}

#[test]
fn a_fact_given_as_a_number_is_read() {
    let mut raw = report("请问物业电话是多少");
    raw["facts"] = json!({"injuries": 2});
    let (z, c) = both(&raw);
    assert_eq!(z.tier, 1);
    assert_eq!(z, c);
}

#[test]
fn the_clerks_category_wins_in_both() {
    let mut raw = report("3号楼2单元801卫生间顶棚渗水");
    raw["category"] = json!("service");
    let (z, c) = both(&raw);
    assert_eq!(z.category, "service");
    assert_eq!(z, c);
}

#[test]
fn negation_is_beyond_the_graph() {
    // caseflow does not count a negated leak; ZEN's `contains` does (README: limits).
    let (z, c) = both(&report(
        "There is no leak, but the paint has a small scratch.",
    ));
    assert_ne!(z, c, "ZEN: {z:?}, caseflow: {c:?}");
    assert_eq!(z.category, "quality");
}

#[test]
fn a_policy_the_graph_cannot_follow_is_refused() {
    let mut policy: Value =
        serde_json::from_str(&std::fs::read_to_string(DEFAULT_POLICY_PATH).unwrap()).unwrap();
    policy["classification"]["category"]["strategy"] = json!("first_match");
    let err = graph(&policy).unwrap_err();
    assert!(err.contains("highest_score"), "{err}");
}
