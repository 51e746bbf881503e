//! Properties of classification and policy loading (proptest).

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use std::sync::OnceLock;

use caseflow_core::api::{ClassifyResult, classify_report, to_json};
use caseflow_core::{Category, Policy, Report, Tier};
use lifecycle_common::normalise;
use proptest::prelude::*;
use serde_json::{Value, json};

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| Policy::builtin().expect("the default policy loads"))
}

/// Every term and negation cue of the default policy, plus neutral filler (the vocabulary of
/// the `caseflow-strategies` crate): descriptions built from these hit the rules far more often
/// than random text would.
fn vocabulary() -> &'static Vec<String> {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| caseflow_strategies::report::vocabulary(policy()))
}

fn cues() -> Vec<String> {
    let negation = &policy().document().classification.negation;
    negation
        .cues
        .iter()
        .chain(&negation.adjacent_cues)
        .cloned()
        .collect()
}

fn description() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::sample::select(vocabulary().clone()), 1..14)
}

fn facts() -> impl Strategy<Value = Value> {
    (
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(0u64..5),
        prop::option::of(0u64..60),
        prop::option::of(0u64..2_000_000),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(safety, structure, injuries, households, loss, legal)| {
            let mut facts = serde_json::Map::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    facts.insert(k.to_owned(), v);
                }
            };
            put("safety_hazard", safety.map(Value::from));
            put("main_structure", structure.map(Value::from));
            put("injuries", injuries.map(Value::from));
            put("households_affected", households.map(Value::from));
            put("estimated_loss_cny", loss.map(Value::from));
            put("legal_action_threatened", legal.map(Value::from));
            Value::Object(facts)
        })
}

/// A valid report; the fixed prefix keeps generated descriptions from being blank.
fn report(description: &str, facts: &Value, category: Option<Category>) -> Report {
    let mut value = json!({
        "id": "P-1", "project": "P", "channel": "online", "description": format!("业主反映：{description}"),
        "raised_at": "2026-12-30T16:00:00-05:00", "location": "x", "contact": {"email": "a@b.cn"},
        "facts": facts,
    });
    if let Some(c) = category {
        value["category"] = json!(c);
    }
    Report::from_value(&value).expect("generated reports are valid")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn classification_is_total_and_deterministic(words in description(), facts in facts()) {
        let report = report(&words.join(" "), &facts, None);
        let first = classify_report(policy(), &report).expect("any valid report classifies");
        let second = classify_report(policy(), &report).expect("any valid report classifies");
        prop_assert_eq!(to_json(&first).unwrap(), to_json(&second).unwrap());
    }

    #[test]
    fn a_report_with_a_tier_1_fact_is_never_below_tier_1(
        words in description(),
        fact in prop::sample::select(vec![
            ("injuries", json!(1)), ("safety_hazard", json!(true)), ("main_structure", json!(true)),
            ("delivery_blocked", json!(true)), ("legal_action_threatened", json!(true)),
            ("media_attention", json!(true)), ("estimated_loss_cny", json!(500_000)),
            ("households_affected", json!(10)),
        ]),
    ) {
        let facts = json!({ fact.0: fact.1 });
        let result = policy().classify(&report(&words.join(" "), &facts, None));
        prop_assert_eq!(result.tier, Tier::One);
    }

    /// Negating a term only ever takes evidence away, so it cannot make a case more serious.
/// Words are joined with spaces so that inserting a cue never splits or joins English words.
    /// The category is fixed by the clerk: negating a topic may legitimately move the engine's
    /// category, and categories have different default tiers. This is a property of the rules;
    /// the learned model weighs words, not their negation, and may raise a tier or ask for a
    /// review on a negated danger word (docs/classification.md, "What the model does not do").
    #[test]
    fn adding_a_negation_never_raises_the_tier(
        words in description(),
        at in any::<prop::sample::Index>(),
        cue in prop::sample::select(cues()),
        category in prop::sample::select(Category::ALL.to_vec()),
        facts in facts(),
    ) {
        let before = policy().classify_by_rules(&report(&words.join(" "), &facts, Some(category)));
        let mut negated = words.clone();
        negated.insert(at.index(words.len() + 1), cue);
        let after = policy().classify_by_rules(&report(&negated.join(" "), &facts, Some(category)));
        prop_assert!(
            !after.tier.is_more_serious_than(before.tier),
            "{} → tier {} but {} → tier {}", words.join(" "), before.tier, negated.join(" "), after.tier
        );
    }

    #[test]
    fn results_round_trip_through_json_losslessly(words in description(), facts in facts()) {
        let result = classify_report(policy(), &report(&words.join(" "), &facts, None)).unwrap();
        let back: ClassifyResult = serde_json::from_str(&to_json(&result).unwrap()).unwrap();
        prop_assert_eq!(back, result);
    }

    #[test]
    fn any_text_given_as_a_report_is_an_error_value_not_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Report::from_json(&text);
        let _ = caseflow_core::api::classify(policy(), &text);
    }

    #[test]
    fn any_text_given_as_a_policy_is_an_error_value_not_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(Policy::from_json(&String::from_utf8_lossy(&bytes)).is_err());
    }

    /// Structurally plausible but broken policies: the default policy with one value replaced.
    #[test]
    fn a_mutated_policy_loads_or_is_refused_but_never_panics(
        at in any::<prop::sample::Index>(),
        replacement in prop::sample::select(vec![json!(null), json!(-1), json!(""), json!([]), json!({}), json!("x"), json!(0), json!(true), json!(1.5), json!(300), json!(["x"]), json!({"x": 1}), json!({"any": []}), json!({"amount": 2, "unit": "hours"}), json!("2 hours"), json!(u64::MAX)]),
    ) {
        let mut value: Value = serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
        let mut slots = Vec::new();
        collect_pointers(&value, String::new(), &mut slots);
        let pointer = &slots[at.index(slots.len())];
        if let Some(slot) = value.pointer_mut(pointer) {
            *slot = replacement.clone();
        }
        let loaded = Policy::from_value(&value);
        if let Err(e) = &loaded {
            prop_assert!(!e.errors.is_empty());
        }
        // What the reader accepts is read as written: the policy it loads writes back as the
        // default policy (as the engine writes it) with that one value replaced. Members `null`,
        // `{}` or `[]` are the same as absent; the model is read whole by serde, not by the
        // document's reader.
        let mut expected = serde_json::to_value(policy().document()).unwrap();
        if let (Ok(loaded), Some(slot)) = (&loaded, expected.pointer_mut(pointer)) {
            if !pointer.starts_with("/model") {
                *slot = replacement;
                let mut written = serde_json::to_value(loaded.document()).unwrap();
                normalise(&mut written);
                normalise(&mut expected);
                prop_assert_eq!(written, expected, "{}", pointer);
            }
        }
    }
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                collect_pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_policy_document_round_trips_through_json_losslessly() {
    let document = policy().document().clone();
    let text = serde_json::to_string(&document).unwrap();
    let reloaded = Policy::from_json(&text).expect("a policy reloads from its own JSON");
    assert_eq!(reloaded.document(), &document);
}
