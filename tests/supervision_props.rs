//! Properties of the supervision summary (docs/policy.md §6) over random case sets drawn from
//! the scenarios and every stage they pass through: the figures do not depend on the order of
//! the cases; merging the summaries of two shards gives the summary of their union; every ratio
//! lies in [0, 1]; a summary written as JSON reads back the same; the spot-check sample is a
//! function of the cases and the seed alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{policy, scenario_logs};

use caseflow_core::api;
use caseflow_core::lifecycle::Case;
use caseflow_core::supervision::{
    Assessor, Kpis, Period, SpotCheckSampler, case_of_log, merge, read_log,
};
use chrono::{DateTime, FixedOffset, NaiveDate};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every scenario's case at every length of its log: closed, withdrawn, and open at each stage.
fn pool() -> &'static [Case] {
    static POOL: std::sync::LazyLock<Vec<Case>> = std::sync::LazyLock::new(|| {
        let mut cases = Vec::new();
        for log in scenario_logs() {
            let length = read_log(0, &log).unwrap().len();
            for n in 1..=length {
                let prefix = Value::Array(log.as_array().unwrap()[..n].to_vec());
                cases.push(case_of_log(policy(), 0, &prefix).unwrap());
            }
        }
        cases
    });
    &POOL
}

fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

const NOWS: [&str; 3] = [
    "2026-02-13T12:00:00+08:00",
    "2026-03-05T09:00:00+08:00",
    "2026-06-01T00:00:00+08:00",
];

fn period(narrow: bool) -> Period {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    if narrow {
        Period::new(day("2026-03-01"), day("2026-03-02")).unwrap()
    } else {
        Period::new(day("2026-01-01"), day("2026-12-31")).unwrap()
    }
}

fn assess(cases: &[&Case], period: Period, now: DateTime<FixedOffset>) -> Kpis {
    let mut assessor = Assessor::new(policy(), period, now);
    for case in cases {
        assessor.add(case).unwrap();
    }
    assessor.finish()
}

/// Case sets: indices into the pool (repeats allowed: two copies count twice), a shuffle of
/// them, where to cut them in two, a `now` and a period.
fn case_sets() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, usize, usize, bool)> {
    let n = pool().len();
    proptest::collection::vec(0..n, 0..30).prop_flat_map(|picked| {
        let len = picked.len();
        (
            Just(picked.clone()),
            Just(picked).prop_shuffle(),
            0..=len,
            0..NOWS.len(),
            any::<bool>(),
        )
    })
}

fn pick(indices: &[usize]) -> Vec<&'static Case> {
    indices.iter().map(|i| &pool()[*i]).collect()
}

/// Every `{numerator, denominator, ratio}` in a JSON document.
fn each_ratio(value: &Value, found: &mut Vec<(u64, u64, Option<f64>)>) {
    match value {
        Value::Object(map) => {
            if let (Some(n), Some(d), Some(r)) = (
                map.get("numerator"),
                map.get("denominator"),
                map.get("ratio"),
            ) {
                found.push((n.as_u64().unwrap(), d.as_u64().unwrap(), r.as_f64()));
            }
            map.values().for_each(|v| each_ratio(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| each_ratio(v, found)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_order_of_the_cases_does_not_matter((picked, shuffled, _cut, now, narrow) in case_sets()) {
        let now = instant(NOWS[now]);
        prop_assert_eq!(
            assess(&pick(&picked), period(narrow), now),
            assess(&pick(&shuffled), period(narrow), now)
        );
    }

    #[test]
    fn merged_shards_equal_the_union((picked, _shuffled, cut, now, narrow) in case_sets()) {
        let now = instant(NOWS[now]);
        let cases = pick(&picked);
        let (a, b) = cases.split_at(cut);
        let merged = merge(&[assess(a, period(narrow), now), assess(b, period(narrow), now)]).unwrap();
        prop_assert_eq!(merged, assess(&cases, period(narrow), now));
    }

    #[test]
    fn every_ratio_lies_in_0_1_and_the_summary_reads_back((picked, _s, _c, now, narrow) in case_sets()) {
        let kpis = assess(&pick(&picked), period(narrow), instant(NOWS[now]));
        let written = serde_json::to_value(&kpis).unwrap();
        let mut ratios = Vec::new();
        each_ratio(&written, &mut ratios);
        prop_assert!(ratios.len() >= 7);
        for (n, d, r) in ratios {
            prop_assert!(n <= d);
            match r {
                Some(r) => prop_assert!((0.0..=1.0).contains(&r) && d > 0),
                None => prop_assert_eq!(d, 0),
            }
        }
        let back = api::merge_assessments(&json!({"summaries": [written]}).to_string()).unwrap();
        prop_assert_eq!(back, kpis);
    }

    #[test]
    fn the_spot_check_sample_depends_on_the_cases_and_seed_alone(
        (picked, shuffled, _cut, _now, _narrow) in case_sets(),
        k in 0u64..6,
        seed in any::<u64>(),
    ) {
        let draw = |indices: &[usize]| {
            let mut sampler = SpotCheckSampler::new(k, seed);
            for case in pick(indices) {
                sampler.add(case);
            }
            sampler.finish()
        };
        let sample = draw(&picked);
        prop_assert_eq!(&draw(&shuffled), &sample);
        prop_assert_eq!(&draw(&picked), &sample);
        for drawn in sample.projects.values() {
            prop_assert!(drawn.cases.len() as u64 <= k);
            let mut keys: Vec<&String> = drawn.cases.iter().map(|c| &c.key).collect();
            let sorted = { let mut s = keys.clone(); s.sort(); s };
            prop_assert_eq!(&keys, &sorted);
            keys.dedup();
            prop_assert_eq!(keys.len(), drawn.cases.len());
        }
    }
}
