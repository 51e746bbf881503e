//! Reading a summary back (`merge_assessments`): every count a whole number, every ratio and mean
//! the quotient of its counts, every group named by a known key. A summary that was edited by
//! hand so that its figures no longer agree is refused at the member that disagrees.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Kpis, Mean, Ratio, Satisfaction, figures::quotient};
use crate::domain::{Category, Channel, EmergencyLevel, Tier};
use crate::error::{Diagnostic, JsonPath};
use crate::reader::{ObjectReader, ReadValue, map, u64_value, wrong_type};
use crate::routing::ClockKind;

/// Refuses a ratio whose numerator exceeds its denominator or whose `ratio` is not their quotient
/// (to within the rounding of a JSON parser, 1e-9: the quotient is computed again on merging).
pub(super) fn consistent_ratio(r: &mut ObjectReader<'_>, ratio: &Ratio) -> bool {
    if ratio.numerator > ratio.denominator {
        r.report(
            "invalid_value",
            "numerator",
            format!(
                "the numerator ({}) exceeds the denominator ({})",
                ratio.numerator, ratio.denominator
            ),
        );
        return false;
    }
    quotient_agrees(r, "ratio", ratio.ratio, ratio.numerator, ratio.denominator)
}

/// Refuses a mean that is not its sum over its count.
pub(super) fn consistent_mean(r: &mut ObjectReader<'_>, mean: &Mean) -> bool {
    quotient_agrees(r, "mean", mean.mean, mean.sum, mean.count)
}

/// Refuses satisfaction figures that do not come from their histogram.
pub(super) fn consistent_satisfaction(r: &mut ObjectReader<'_>, s: &Satisfaction) -> bool {
    // The histogram is untrusted: its totals are added with checks, and one that does not fit
    // in 64 bits is refused rather than wrapped (or panicking in a checked build).
    let count = checked_total(s.histogram.iter().map(|n| Some(*n)));
    let sum = checked_total(
        s.histogram
            .iter()
            .zip(1_u64..)
            .map(|(n, score)| n.checked_mul(score)),
    );
    let top = checked_total(s.histogram.iter().skip(3).map(|n| Some(*n)));
    let (Some(count), Some(sum), Some(top)) = (count, sum, top) else {
        r.report(
            "out_of_range",
            "histogram",
            "the histogram's total count or total score does not fit in 64 bits",
        );
        return false;
    };
    let agrees = s.mean.count == count
        && s.mean.sum == sum
        && s.four_or_five.denominator == count
        && s.four_or_five.numerator == top;
    if !agrees {
        r.report(
            "invalid_value",
            "histogram",
            "the mean and the share of 4 and 5 are not those of the histogram",
        );
    }
    agrees
}

/// Refuses a summary whose case counts do not add up.
pub(super) fn consistent_summary(r: &mut ObjectReader<'_>, kpis: &Kpis) -> bool {
    let c = &kpis.cases;
    let adds_up = c
        .counted
        .checked_add(c.outside_period)
        .and_then(|n| n.checked_add(c.left_out))
        == Some(c.read)
        && c.counted == kpis.overall.cases
        && c.left_out == u64::try_from(kpis.left_out.len()).unwrap_or(u64::MAX);
    if !adds_up {
        r.report(
            "invalid_value",
            "cases",
            "the cases read are not those counted, outside the period and left out, or do not match `overall.cases` and the findings",
        );
    }
    if kpis.period.to < kpis.period.from {
        r.report(
            "out_of_order",
            "period",
            format!(
                "the period ends ({}) before it starts ({})",
                kpis.period.to, kpis.period.from
            ),
        );
        return false;
    }
    adds_up
}

/// The total of counts, `None` when one is `None` or the total does not fit in 64 bits.
fn checked_total(counts: impl IntoIterator<Item = Option<u64>>) -> Option<u64> {
    counts
        .into_iter()
        .try_fold(0_u64, |total, n| total.checked_add(n?))
}

fn quotient_agrees(
    r: &mut ObjectReader<'_>,
    member: &str,
    given: Option<f64>,
    n: u64,
    d: u64,
) -> bool {
    let expected = quotient(n, d);
    // Within a rounding of the JSON text: the quotient is computed again when merged.
    let agrees = match (given, expected) {
        (None, None) => true,
        (Some(g), Some(e)) => (g - e).abs() <= 1e-9,
        _ => false,
    };
    if !agrees {
        let shown = expected.map_or_else(|| "null".to_owned(), |q| q.to_string());
        r.report(
            "invalid_value",
            member,
            format!("`{member}` must be {n}/{d}, i.e. {shown}"),
        );
        return false;
    }
    true
}

/// Five counts: how many scored 1, 2, 3, 4 and 5.
pub(super) fn five_counts(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<[u64; 5]> {
    let Value::Array(items) = v else {
        return wrong_type(v, p, d, "an array of five counts");
    };
    if items.len() != 5 {
        d.push(Diagnostic::error(
            "length_mismatch",
            p,
            format!(
                "the histogram has five counts (scores 1 to 5), not {}",
                items.len()
            ),
        ));
        return None;
    }
    let mut out = [0; 5];
    let mut complete = true;
    for ((slot, item), i) in out.iter_mut().zip(items).zip(0..) {
        match u64_value(item, &p.index(i), d) {
            Some(n) => *slot = n,
            None => complete = false,
        }
    }
    complete.then_some(out)
}

/// A key of a summary's group map, written as its JSON name.
trait GroupKey: Ord + Sized {
    fn from_key(key: &str) -> Result<Self, String>;
}

macro_rules! group_keys_by_name {
    ($($t:ty),*) => {$(
        impl GroupKey for $t {
            fn from_key(key: &str) -> Result<Self, String> {
                key.parse().map_err(|e: crate::domain::UnknownName| e.to_string())
            }
        }
    )*};
}

group_keys_by_name!(Category, Channel, EmergencyLevel, Tier);

impl GroupKey for ClockKind {
    fn from_key(key: &str) -> Result<Self, String> {
        serde_json::from_value(Value::String(key.to_owned()))
            .map_err(|_| format!("unknown clock `{key}`"))
    }
}

/// A group map keyed by a closed set of names: every member read, every key known.
macro_rules! read_group_maps {
    ($($t:ty),*) => {$(
        impl<T: ReadValue> ReadValue for BTreeMap<$t, T> {
            fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
                keyed(v, p, d)
            }
        }
    )*};
}

read_group_maps!(Category, Channel, EmergencyLevel, Tier, ClockKind);

fn keyed<K: GroupKey, T: ReadValue>(
    v: &Value,
    p: &JsonPath,
    d: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<K, T>> {
    let by_name = map(v, p, d, T::read)?;
    let mut out = BTreeMap::new();
    let mut complete = true;
    for (name, value) in by_name {
        match K::from_key(&name) {
            Ok(key) => {
                out.insert(key, value);
            }
            Err(message) => {
                d.push(Diagnostic::error("invalid_value", &p.field(&name), message));
                complete = false;
            }
        }
    }
    complete.then_some(out)
}
