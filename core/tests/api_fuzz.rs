//! JSON-shaped fuzzing of every call: random bytes almost never form JSON, so the inputs here
//! are the conformance corpus's own inputs (every call, every lifecycle state), each mutated at
//! one member — replaced by a random JSON value, removed, joined by an unknown member, or a list
//! item repeated — so that the readers, checks and transitions behind the parser are reached.
//! Every answer is a result or a structured error (never a panic), the same on a second run, and
//! every problem it names has a JSON path.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use caseflow_core::Policy;
use caseflow_core::api::{Call, call};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use serde_json::{Value, json};

/// The corpus: (call, policy file or "default", input).
fn corpus() -> &'static Vec<(Call, String, Value)> {
    static CORPUS: std::sync::LazyLock<Vec<(Call, String, Value)>> =
        std::sync::LazyLock::new(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/cases");
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            files
                .iter()
                .map(|f| {
                    let case: Value =
                        serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
                    (
                        case["call"].as_str().unwrap().parse().unwrap(),
                        case["policy"].as_str().unwrap().to_owned(),
                        case["input"].clone(),
                    )
                })
                .collect()
        });
    &CORPUS
}

fn policy(name: &str) -> &'static Policy {
    static DEFAULT: std::sync::LazyLock<Policy> =
        std::sync::LazyLock::new(|| Policy::builtin().unwrap());
    static STRICT: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/policies/strict.json");
        Policy::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    });
    if name == "default" { &DEFAULT } else { &STRICT }
}

/// Any JSON value, a few levels deep, with the strings and numbers inputs are made of.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "",
            " ",
            "x",
            "2026-03-02T09:30:00+08:00",
            "2026-03-02",
            "3 working_days",
            "-1 hours",
            "project_leader",
            "company_leadership",
            "verify",
            "closed",
            "technical",
            "阳台护栏松动，存在安全隐患",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ])
        .prop_map(|s| json!(s)),
        "[a-z_]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The input with one member changed by `how`.
fn mutate(input: &Value, at: prop::sample::Index, how: u8, value: Value) -> Value {
    let mut out = input.clone();
    let mut slots = Vec::new();
    pointers(&out, String::new(), &mut slots);
    let pointer = slots[at.index(slots.len())].clone();
    let (parent, last) = match pointer.rsplit_once('/') {
        Some((parent, last)) => (parent.to_owned(), last.to_owned()),
        None => (String::new(), String::new()),
    };
    match (how % 4, out.pointer_mut(&parent)) {
        (1, Some(Value::Object(map))) => {
            map.remove(&last.replace("~1", "/").replace("~0", "~"));
        }
        (2, Some(Value::Object(map))) => {
            map.insert("an_unknown_member".into(), value);
        }
        (3, Some(Value::Array(items))) if !items.is_empty() => {
            let first = items[0].clone();
            items.push(first);
        }
        _ => {
            if let Some(slot) = out.pointer_mut(&pointer) {
                *slot = value;
            }
        }
    }
    out
}

fn config() -> ProptestConfig {
    let defaults = ProptestConfig::default();
    ProptestConfig {
        cases: std::env::var("CASEFLOW_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(384),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        rng_seed: match defaults.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x11_2026),
            chosen => chosen,
        },
        ..defaults
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_call_answers_a_json_shaped_mutation_with_a_result_or_a_located_error(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        how in any::<u8>(),
        value in json_value(),
    ) {
        let (name, policy_name, input) = &corpus()[which.index(corpus().len())];
        let mutated = mutate(input, at, how, value).to_string();
        let first = call(policy(policy_name), *name, &mutated);
        let again = call(policy(policy_name), *name, &mutated);
        prop_assert_eq!(&first, &again, "the same answer twice");
        match first {
            Ok(text) => {
                prop_assert!(serde_json::from_str::<Value>(&text).is_ok());
            }
            Err(error) => {
                prop_assert!(!error.errors.is_empty(), "{:?}", error);
                for d in &error.errors {
                    prop_assert!(d.path.starts_with('$'), "{:?}", d);
                    prop_assert!(!d.message.is_empty());
                }
            }
        }
    }
}

/// The mutations reach past the parser: most mutated inputs are read, and many are refused by
/// the readers and checks, not only by the JSON parser.
#[test]
fn the_mutations_reach_the_readers_and_the_rules() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut codes = std::collections::BTreeMap::new();
    // Enough draws that every kind of call is reached many times whatever the corpus's mix.
    for _ in 0..1000 {
        let (which, at, how, value) = (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            any::<u8>(),
            json_value(),
        )
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let (name, policy_name, input) = &corpus()[which.index(corpus().len())];
        let code = match call(
            policy(policy_name),
            *name,
            &mutate(input, at, how, value).to_string(),
        ) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code.as_str().to_owned(),
        };
        *codes.entry(code).or_insert(0) += 1;
    }
    for code in ["ok", "invalid_input", "refused"] {
        assert!(
            codes.get(code).is_some_and(|n| *n >= 5),
            "{code}: {codes:?}"
        );
    }
    assert!(
        !codes.contains_key("invalid_json"),
        "every mutation is JSON: {codes:?}"
    );
}
