//! Reports for a policy: descriptions in Chinese and English built from the policy's own term
//! lists and negation cues with neutral noise between them, structured facts, channels, and
//! instants inside the years the policy's calendar covers.
//!
//! Descriptions drawn from the policy's words hit its rules far more often than random text
//! would, so every category and tier is reached within a few hundred reports.

use std::sync::Arc;

use caseflow_core::{Channel, Facts, Policy, Report};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use proptest::prelude::*;
use serde_json::json;

/// Neutral words, punctuation and numbers put between the policy's terms.
const NOISE: &[&str] = &[
    "，",
    "。",
    "的",
    "我家",
    "今天",
    "房间里",
    "业主说",
    " the ",
    " and ",
    " ",
    "12",
    "户",
    "万元",
    "但是",
    "but",
    "please check",
];

/// Every word of the policy's term lists and negation cues, then the noise.
pub fn vocabulary(policy: &Policy) -> Vec<String> {
    let classification = &policy.document().classification;
    let mut words: Vec<String> = classification
        .terms
        .values()
        .flat_map(|list| list.words.iter().cloned())
        .collect();
    words.extend(classification.negation.cues.iter().cloned());
    words.extend(classification.negation.adjacent_cues.iter().cloned());
    words.extend(NOISE.iter().map(|w| (*w).to_owned()));
    words
}

/// A description: 1 to 6 words of [`vocabulary`], after a fixed opening so that it is never
/// blank.
pub fn descriptions(policy: &Policy) -> impl Strategy<Value = String> + use<> {
    let words = vocabulary(policy);
    prop::collection::vec(prop::sample::select(words), 1..7)
        .prop_map(|words| format!("业主反映：{}", words.concat()))
}

/// Structured facts, each present or absent: hazards, the main structure, injuries, households,
/// the estimated loss, legal action, the media, a blocked delivery.
pub fn facts() -> impl Strategy<Value = Facts> {
    (
        (
            prop::option::weighted(0.1, any::<bool>()),
            prop::option::weighted(0.1, any::<bool>()),
            prop::option::weighted(0.1, 0u64..5),
            prop::option::weighted(0.1, 0u64..60),
        ),
        (
            prop::option::weighted(0.1, 0u64..2_000_000),
            prop::option::weighted(0.1, any::<bool>()),
            prop::option::weighted(0.1, any::<bool>()),
            prop::option::weighted(0.1, any::<bool>()),
        ),
    )
        .prop_map(
            |((safety, structure, injuries, households), (loss, legal, media, blocked))| Facts {
                safety_hazard: safety,
                main_structure: structure,
                injuries,
                households_affected: households,
                estimated_loss_cny: loss,
                legal_action_threatened: legal,
                media_attention: media,
                delivery_blocked: blocked,
            },
        )
}

/// The channel a report came in by.
pub fn channels() -> impl Strategy<Value = Channel> {
    prop::sample::select(Channel::ALL)
}

/// An instant in the calendar's offset, on a working-hours-agnostic minute of a day inside the
/// years the policy's calendar covers (the first of them up to two months before the last ends,
/// so that a case's deadlines stay covered too).
pub fn instants(policy: &Policy) -> impl Strategy<Value = DateTime<FixedOffset>> + use<> {
    let offset = policy.calendar().offset();
    let years = policy.summary().covered_years;
    let first = years.first().copied().unwrap_or(2026);
    let last = years.last().copied().unwrap_or(first);
    let start = NaiveDate::from_ymd_opt(first, 1, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(last, 10, 31).unwrap_or(start);
    let days = (end - start).num_days().max(1);
    (0..days, 0..1_440i64).prop_map(move |(day, minute)| {
        let local = start.and_hms_opt(0, 0, 0).unwrap_or_default()
            + Duration::days(day)
            + Duration::minutes(minute);
        DateTime::from_naive_utc_and_offset(
            local - Duration::seconds(i64::from(offset.local_minus_utc())),
            offset,
        )
    })
}

/// A valid report for the policy: a generated description, facts, channel and instant, and,
/// once in eight reports, the clerk's own category. The id is `R-<n>`.
pub fn reports(policy: Arc<Policy>) -> impl Strategy<Value = Report> {
    let categories: Vec<String> = policy.document().categories.keys().cloned().collect();
    (
        descriptions(&policy),
        facts(),
        channels(),
        instants(&policy),
        0u32..100_000,
        prop::option::weighted(0.125, prop::sample::select(categories_or_none(categories))),
    )
        .prop_filter_map(
            "a report the reader accepts",
            |(description, facts, channel, raised_at, n, category)| {
                report(
                    n,
                    &description,
                    facts,
                    channel,
                    raised_at,
                    category.flatten(),
                )
            },
        )
}

fn categories_or_none(categories: Vec<String>) -> Vec<Option<String>> {
    if categories.is_empty() {
        vec![None]
    } else {
        categories.into_iter().map(Some).collect()
    }
}

/// The report of these parts, or `None` should the reader refuse it (generated parts always
/// make a valid report; the strategy filters, it does not panic).
fn report(
    n: u32,
    description: &str,
    facts: Facts,
    channel: Channel,
    raised_at: DateTime<FixedOffset>,
    category: Option<String>,
) -> Option<Report> {
    let mut value = json!({
        "id": format!("R-{n}"),
        "project": format!("P-{}", n % 7),
        "channel": channel.as_str(),
        "description": description,
        "raised_at": raised_at.to_rfc3339(),
        "location": format!("{}号楼{}室", n % 20 + 1, n % 9 + 101),
        "contact": {"name": "业主", "phone": "13800000000"},
        "facts": facts,
    });
    if let (Some(category), Some(members)) = (category, value.as_object_mut()) {
        members.insert("category".to_owned(), json!(category));
    }
    Report::from_value(&value).ok()
}
