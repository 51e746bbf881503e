//! The rule checks of the policy analysis (issue 14 item 2; docs/analysis.md, "Rule checks"):
//! the default policy has no rule finding, each deliberately broken policy gets its finding at
//! its path, and no report ever makes a rule fire (or decide) that the analysis says never does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::analysis::Finding;
use caseflow_core::analysis::rules::check;
use caseflow_core::error::Severity;
use caseflow_core::{Policy, Report, Tier};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The default policy with its model.
fn with_model() -> Value {
    serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap()
}

/// The default policy's rules without a model: the rules decide alone.
fn rules_only() -> Value {
    let mut v = with_model();
    let members = v.as_object_mut().unwrap();
    members.remove("model");
    members["classification"]
        .as_object_mut()
        .unwrap()
        .remove("model_use");
    v
}

fn findings_of(v: &Value) -> Vec<Finding> {
    let policy = Policy::from_value(v).unwrap_or_else(|e| panic!("the policy loads: {e:?}"));
    check(&policy)
}

/// The one finding of `code` at `path`, failing with every finding when there is none.
fn the<'a>(findings: &'a [Finding], code: &str, path: &str) -> &'a Finding {
    let found: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code == code && f.path == path)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{code}` at {path}, got {findings:#?}"
    );
    found[0]
}

fn tier_rules(v: &mut Value) -> &mut Vec<Value> {
    v["classification"]["tier"]["rules"].as_array_mut().unwrap()
}

fn index_of(rules: &[Value], id: &str) -> usize {
    rules.iter().position(|r| r["id"] == id).unwrap()
}

#[test]
fn the_default_policy_has_no_rule_finding_and_is_read_fast() {
    for v in [with_model(), rules_only()] {
        let policy = Policy::from_value(&v).unwrap();
        let started = std::time::Instant::now();
        let findings = check(&policy);
        assert!(findings.is_empty(), "{findings:#?}");
        // Unoptimised, on a shared machine; it runs in `caseflow check` and at load in the
        // browser.
        assert!(
            started.elapsed().as_millis() < 1000,
            "{:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_rule_that_needs_a_value_above_its_limit_never_fires() {
    let mut v = with_model();
    tier_rules(&mut v).push(json!({
        "id": "tier.2.between", "tier": 2,
        "when": {"all": [
            {"fact": "households_affected", "at_least": 10},
            {"not": {"fact": "households_affected", "at_least": 5}}
        ]}
    }));
    // Something together with its opposite, written differently (the loader sees only the same
    // condition twice), in a warranty element.
    v["warranty"]["elements"]["heating"]["when"] = json!({"all": [
        {"mentions": "element_heating"},
        {"not": {"any": [{"mentions": ["element_heating", "element_cooling"]}]}}
    ]});
    let findings = findings_of(&v);
    let f = the(
        &findings,
        "never_fires",
        "$.classification.tier.rules[12].when",
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("tier.2.between"), "{}", f.message);
    the(&findings, "never_fires", "$.warranty.elements.heating.when");
}

#[test]
fn a_rule_implied_by_an_earlier_rule_of_another_tier_is_shadowed() {
    let mut v = with_model();
    // Whenever it fires, `tier.1.collapse` (rules[1]) has fired first.
    tier_rules(&mut v).push(json!({
        "id": "tier.2.collapsed_crack", "tier": 2,
        "when": {"all": [{"mentions": "crack"}, {"mentions": "collapse"}]}
    }));
    // Same tier as the rule that hides it: redundant, a warning.
    tier_rules(&mut v).push(json!({
        "id": "tier.1.legal_and_media", "tier": 1,
        "when": {"all": [{"mentions": "media"}, {"mentions": "legal"}]}
    }));
    let findings = findings_of(&v);
    let f = the(
        &findings,
        "shadowed_rule",
        "$.classification.tier.rules[12]",
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("tier.1.collapse") && f.message.contains("tier.2.collapsed_crack"),
        "{}",
        f.message
    );
    let f = the(
        &findings,
        "redundant_rule",
        "$.classification.tier.rules[13]",
    );
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("tier.1.legal_action"), "{}", f.message);
}

#[test]
fn rules_before_it_together_can_shadow_a_rule() {
    let mut v = with_model();
    // Neither `tier.1.legal_action` nor `tier.1.media_attention` alone covers it; together
    // they do.
    tier_rules(&mut v).push(json!({
        "id": "tier.2.legal_or_media", "tier": 2,
        "when": {"mentions": ["legal", "media"]}
    }));
    let findings = findings_of(&v);
    let f = the(
        &findings,
        "shadowed_rule",
        "$.classification.tier.rules[12]",
    );
    assert!(
        f.message.contains("tier.1.legal_action") && f.message.contains("tier.1.media_attention"),
        "{}",
        f.message
    );
}

#[test]
fn a_trigger_that_always_comes_with_a_more_serious_one_is_shadowed() {
    let mut v = with_model();
    v["emergency"]["triggers"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "id": "emergency.III.forty_households", "level": "III",
            "when": {"fact": "households_affected", "at_least": 40}
        }));
    let findings = findings_of(&v);
    let f = the(&findings, "shadowed_rule", "$.emergency.triggers[6]");
    assert!(
        f.message.contains("emergency.I.mass_complaint"),
        "{}",
        f.message
    );
}

#[test]
fn under_first_match_an_earlier_category_rule_shadows_a_later_one() {
    let mut v = with_model();
    v["classification"]["category"]["strategy"] = json!("first_match");
    v["classification"]["category"]["rules"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "id": "category.technical.leaking_design", "category": "technical",
            "when": {"all": [{"mentions": "design"}, {"mentions": "leak"}]}
        }));
    let findings = findings_of(&v);
    let f = the(
        &findings,
        "shadowed_rule",
        "$.classification.category.rules[29]",
    );
    assert!(f.message.contains("category.quality.leak"), "{}", f.message);
    // Under `highest_score` the same rule adds its weight, and is not reported.
    v["classification"]["category"]["strategy"] = json!("highest_score");
    assert!(findings_of(&v).is_empty());
}

/// The schedule rules made never true in a way the loader does not see.
fn dead_schedule_rules(v: &mut Value) {
    let rules = v["classification"]["category"]["rules"]
        .as_array_mut()
        .unwrap();
    for id in ["category.schedule.delay", "category.schedule.overrun"] {
        let i = index_of(rules, id);
        let list = rules[i]["when"]["mentions"].clone();
        rules[i]["when"] =
            json!({"all": [{"mentions": list}, {"not": {"any": [{"mentions": list}]}}]});
    }
}

#[test]
fn a_category_no_rule_can_choose_is_unreachable_unless_the_model_chooses_it() {
    let mut v = rules_only();
    dead_schedule_rules(&mut v);
    let findings = findings_of(&v);
    let f = the(&findings, "unreachable_category", "$.categories.schedule");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("category.schedule.delay")
            && f.message.contains("category.schedule.overrun"),
        "{}",
        f.message
    );
    // The model chooses categories (`model_use.category: model`) and knows `schedule`.
    let mut v = with_model();
    dead_schedule_rules(&mut v);
    assert!(
        !findings_of(&v)
            .iter()
            .any(|f| f.code == "unreachable_category"),
    );
}

#[test]
fn a_tier_no_rule_default_emergency_or_model_gives_is_unreachable() {
    let mut v = rules_only();
    for rule in tier_rules(&mut v) {
        if rule["tier"] == 1 {
            rule["tier"] = json!(2);
        }
    }
    v["emergency"]["implies_tier"] = json!(2);
    let findings = findings_of(&v);
    let f = the(&findings, "unreachable_tier", "$.tiers.1");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.tier, Some(Tier::One));
    // With the model, a review makes any report provisionally tier 1.
    let mut m = with_model();
    m["classification"]["tier"] = v["classification"]["tier"].clone();
    m["emergency"]["implies_tier"] = json!(2);
    assert!(!findings_of(&m).iter().any(|f| f.code == "unreachable_tier"));

    // Tier 3: no category defaults to it and its rules give tier 2 instead: a warning.
    let mut v = rules_only();
    for rule in tier_rules(&mut v) {
        if rule["tier"] == 3 {
            rule["tier"] = json!(2);
        }
    }
    for c in v["categories"].as_object_mut().unwrap().values_mut() {
        c["default_tier"] = json!(2);
    }
    let findings = findings_of(&v);
    let f = the(&findings, "unreachable_tier", "$.tiers.3");
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn a_term_two_categories_claim_with_equal_weight_is_a_warning_naming_both_rules() {
    let mut v = with_model();
    let word = v["classification"]["terms"]["leak"]["words"][0].clone();
    // `design` is read by `category.technical.design` (weight 3), as `leak` is by
    // `category.quality.leak` (weight 3).
    let mut tied = v.clone();
    tied["classification"]["terms"]["design"]["words"]
        .as_array_mut()
        .unwrap()
        .push(word.clone());
    let findings = findings_of(&tied);
    // Quality comes first in the tie-break order: the technical rule is the one that loses.
    let f = the(
        &findings,
        "keyword_in_two_categories",
        "$.classification.category.rules[9]",
    );
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("$.classification.category.rules[0]")
            && f.message.contains("$.classification.category.rules[9]")
            && f.message.contains(word.as_str().unwrap()),
        "{}",
        f.message
    );
    // A weight tells them apart: `code_violation` weighs 5.
    v["classification"]["terms"]["code_violation"]["words"]
        .as_array_mut()
        .unwrap()
        .push(word);
    assert!(findings_of(&v).is_empty());
}

#[test]
fn an_earlier_less_serious_rule_on_the_same_number_is_an_overlap() {
    let mut v = with_model();
    let rules = tier_rules(&mut v);
    let at = index_of(rules, "tier.1.major_loss");
    rules.insert(
        at,
        json!({"id": "tier.2.some_loss", "tier": 2,
               "when": {"fact": "estimated_loss_cny", "at_least": 100000}}),
    );
    let findings = findings_of(&v);
    let f = the(
        &findings,
        "threshold_overlap",
        &format!("$.classification.tier.rules[{}]", at + 1),
    );
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("estimated_loss_cny") && f.message.contains("tier.2.some_loss"),
        "{}",
        f.message
    );
}

#[test]
fn values_between_two_serious_ranges_that_fall_to_the_default_are_a_gap() {
    let mut v = with_model();
    tier_rules(&mut v).push(json!({
        "id": "tier.2.moderate_loss", "tier": 2,
        "when": {"all": [
            {"fact": "estimated_loss_cny", "at_least": 10000},
            {"not": {"fact": "estimated_loss_cny", "at_least": 100000}}
        ]}
    }));
    let major = index_of(tier_rules(&mut v), "tier.1.major_loss");
    let findings = findings_of(&v);
    let f = the(
        &findings,
        "threshold_gap",
        &format!("$.classification.tier.rules[{major}]"),
    );
    assert!(f.message.contains("from 100000 to 499999"), "{}", f.message);

    // The emergency levels: level III for 1 to 4 households, level II from 10.
    let mut v = with_model();
    v["emergency"]["triggers"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "id": "emergency.III.few_households", "level": "III",
            "when": {"all": [
                {"fact": "households_affected", "at_least": 1},
                {"not": {"fact": "households_affected", "at_least": 5}}
            ]}
        }));
    let findings = findings_of(&v);
    let f = the(&findings, "threshold_gap", "$.emergency.triggers[3]");
    assert!(f.message.contains("from 5 to 9"), "{}", f.message);
}

/// The default rules (no model) with dead rules planted: never true, shadowed by one rule,
/// redundant, shadowed by two rules together; a category rule and triggers likewise.
fn planted() -> Value {
    let mut v = rules_only();
    let tier = tier_rules(&mut v);
    // Live: a later rule takes no precedence under `first_match`, even one that always fires
    // with this one (`tier.1.collapse`).
    tier.insert(
        0,
        json!({"id": "live.tier.collapsed_crack", "tier": 2,
            "when": {"all": [{"mentions": "crack"}, {"mentions": "collapse"}]}}),
    );
    tier.push(
        json!({"id": "dead.tier.between", "tier": 2, "when": {"all": [
        {"fact": "households_affected", "at_least": 10},
        {"not": {"fact": "households_affected", "at_least": 5}}]}}),
    );
    tier.push(json!({"id": "dead.tier.collapsed_crack", "tier": 3,
        "when": {"all": [{"mentions": "crack"}, {"mentions": "collapse"}]}}));
    tier.push(json!({"id": "dead.tier.legal_and_media", "tier": 1,
        "when": {"all": [{"mentions": "media"}, {"mentions": "legal"}]}}));
    tier.push(json!({"id": "dead.tier.legal_or_media", "tier": 2,
        "when": {"mentions": ["legal", "media"]}}));
    tier.push(
        json!({"id": "dead.tier.loss_and_no_loss", "tier": 2, "when": {"all": [
        {"quantity": "loss_cny", "at_least": 1000},
        {"any": [{"not": {"quantity": "loss_cny", "at_least": 10}}, {"negated": "leak"}]},
        {"not": {"negated": "leak"}}]}}),
    );
    v["classification"]["category"]["rules"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "dead.category.design", "category": "technical", "weight": 4,
            "when": {"all": [{"mentions": "design"}, {"not": {"any": [{"mentions": ["design", "leak"]}]}}]}}));
    let triggers = v["emergency"]["triggers"].as_array_mut().unwrap();
    triggers.push(json!({"id": "dead.emergency.forty", "level": "III",
        "when": {"any": [{"fact": "households_affected", "at_least": 40},
                         {"all": [{"mentions": "collapse"}, {"mentions": "crack"}]}]}}));
    triggers.push(
        json!({"id": "dead.emergency.few_many", "level": "II", "when": {"all": [
        {"quantity": "households", "at_least": 5},
        {"not": {"quantity": "households", "at_least": 3}}]}}),
    );
    v
}

/// The value at a path such as `$.classification.tier.rules[3].when`.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut here = v;
    for part in path
        .trim_start_matches('$')
        .split('.')
        .filter(|p| !p.is_empty())
    {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, Some(i.trim_end_matches(']').parse::<usize>().unwrap())),
            None => (part, None),
        };
        here = &here[name];
        if let Some(i) = index {
            here = &here[i];
        }
    }
    here
}

/// The ids the analysis says never fire, and those it says never decide.
fn dead_ids() -> &'static (Policy, Vec<String>, Vec<String>) {
    static DEAD: std::sync::OnceLock<(Policy, Vec<String>, Vec<String>)> =
        std::sync::OnceLock::new();
    DEAD.get_or_init(|| {
        let v = planted();
        let policy = Policy::from_value(&v).unwrap();
        let findings = check(&policy);
        let rule_of = |f: &Finding| {
            let path = f.path.trim_end_matches(".when");
            at(&v, path)["id"].as_str().unwrap().to_owned()
        };
        let never: Vec<String> = findings
            .iter()
            .filter(|f| f.code == "never_fires")
            .map(rule_of)
            .collect();
        let undecided: Vec<String> = findings
            .iter()
            .filter(|f| f.code == "shadowed_rule" || f.code == "redundant_rule")
            .map(rule_of)
            .collect();
        (policy, never, undecided)
    })
}

#[test]
fn the_planted_dead_rules_are_all_found() {
    let (_, never, undecided) = dead_ids();
    let mut never = never.clone();
    never.sort();
    assert_eq!(
        never,
        [
            "dead.category.design",
            "dead.emergency.few_many",
            "dead.tier.between",
            "dead.tier.loss_and_no_loss"
        ]
    );
    let mut undecided = undecided.clone();
    undecided.sort();
    assert_eq!(
        undecided,
        [
            "dead.emergency.forty",
            "dead.tier.collapsed_crack",
            "dead.tier.legal_and_media",
            "dead.tier.legal_or_media"
        ]
    );
}

/// Pieces of report text: terms of the lists the planted rules read, cues, numbers with units.
fn piece() -> impl Strategy<Value = String> {
    let policy = planted();
    let mut words: Vec<String> = Vec::new();
    for list in [
        "crack",
        "collapse",
        "legal",
        "media",
        "design",
        "leak",
        "injury",
        "delay",
        "mass_complaint",
        "safety_hazard",
        "finish_detail",
        "explicitly_minor",
    ] {
        for w in policy["classification"]["terms"][list]["words"]
            .as_array()
            .unwrap()
            .iter()
            .take(6)
        {
            words.push(w.as_str().unwrap().to_owned());
        }
    }
    prop_oneof![
        4 => proptest::sample::select(words),
        1 => proptest::sample::select(vec![
            "没有".to_owned(), "无".to_owned(), "不".to_owned(), "no ".to_owned(),
            "not ".to_owned(), "，".to_owned(), "。".to_owned(), " ".to_owned(),
        ]),
        1 => (0u64..2_000_000, proptest::sample::select(vec!["户", " households", "万元", "元", " yuan"]))
            .prop_map(|(n, unit)| format!("{n}{unit}")),
    ]
}

fn report() -> impl Strategy<Value = Report> {
    let fact = |top: u64| proptest::option::of(0..top);
    (
        proptest::collection::vec(piece(), 1..12),
        fact(60),
        fact(2_000_000),
        fact(3),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(pieces, households, loss, injuries, legal, media)| {
            let mut facts = serde_json::Map::new();
            let mut put = |name: &str, value: Option<Value>| {
                if let Some(value) = value {
                    facts.insert(name.to_owned(), value);
                }
            };
            put("households_affected", households.map(Value::from));
            put("estimated_loss_cny", loss.map(Value::from));
            put("injuries", injuries.map(Value::from));
            put("legal_action_threatened", legal.map(Value::from));
            put("media_attention", media.map(Value::from));
            Report::from_value(&json!({
                "id": "R-1", "project": "P-1", "channel": "phone",
                "description": format!("反映：{}", pieces.concat()),
                "raised_at": "2026-03-02T09:15:00+08:00",
                "location": "1号楼", "contact": {"phone": "13800000000"},
                "facts": facts,
            }))
            .unwrap()
        })
}

proptest! {
    /// Soundness: no report makes a rule fire that the analysis says never fires, nor makes a
    /// rule decide that it says never decides.
    #[test]
    fn no_report_fires_a_rule_reported_dead(report in report()) {
        let (policy, never, undecided) = dead_ids();
        let c = policy.classify_by_rules(&report);
        let e = &c.explanation;
        let fired: Vec<&str> = e.category.rules.iter().map(|h| h.rule.as_str())
            .chain(e.tier.rules.iter().map(|h| h.rule.as_str()))
            .chain(e.emergency.triggers.iter().map(|h| h.rule.as_str()))
            .collect();
        for id in never {
            prop_assert!(!fired.contains(&id.as_str()), "{id} fired on {:?}", report.description);
        }
        // The tier strategy is `first_match`; the most serious trigger wins, the first of its
        // level named.
        let tier_decided = e.tier.rules.first().map(|h| h.rule.as_str());
        let level = e.emergency.triggers.iter().map(|t| t.level).min();
        let trigger_decided = e.emergency.triggers.iter()
            .find(|t| Some(t.level) == level)
            .map(|t| t.rule.as_str());
        for id in undecided {
            prop_assert_ne!(tier_decided, Some(id.as_str()), "on {:?}", report.description);
            prop_assert_ne!(trigger_decided, Some(id.as_str()), "on {:?}", report.description);
        }
    }
}
