//! Snapshots and events carry a format version: the current one reads back exactly, any other
//! fails with a clear `unsupported_format` error — never silently, never as a puzzle about
//! fields.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use caseflow_core::api;
use caseflow_core::lifecycle::{
    CASE_FORMAT, Case, CaseState, EVENT_FORMAT, EVENT_FORMATS_READ, apply, replay, verify_log,
};
use caseflow_core::{Tier, lifecycle::Event};
use lifecycle_common::{normalise, policy, walk};
use serde_json::{Value, json};

fn case_json() -> Value {
    let w = walk(Tier::Two, CaseState::InProgress).unwrap();
    serde_json::to_value(&w.case).unwrap()
}

#[test]
fn the_current_formats_read_back_exactly() {
    assert_eq!((CASE_FORMAT, EVENT_FORMAT), (1, 4));
    for tier in Tier::ALL {
        for state in CaseState::ALL {
            let Some(w) = walk(*tier, *state) else {
                continue;
            };
            let text = serde_json::to_string(&w.case).unwrap();
            assert_eq!(Case::from_json(&text).unwrap(), w.case);
            for event in &w.events {
                let value = serde_json::to_value(event).unwrap();
                let read = Event::from_value(&value, &caseflow_core::JsonPath::root()).unwrap();
                assert_eq!(&read, event);
            }
        }
    }
}

/// Every member of a snapshot replaced in turn by values of other kinds: the reader either refuses
/// the snapshot, naming that member (or one inside it, or the object holding it when the member
/// was what made it whole), or reads a case that writes back as the document it read (members
/// `null`, `{}` or `[]` being the same as absent). So nothing the reader accepts is read as
/// something other than what was written, and nothing it refuses is refused anonymously.
#[test]
fn a_snapshot_with_any_member_replaced_is_refused_there_or_read_as_written() {
    let w = walk(Tier::One, CaseState::AwaitingConfirmation).unwrap();
    let case = serde_json::to_value(&w.case).unwrap();
    let mut slots = Vec::new();
    pointers(
        &case,
        String::new(),
        &caseflow_core::JsonPath::root(),
        &mut slots,
    );
    let replacements = [
        json!(null),
        json!(-1),
        json!(""),
        json!([]),
        json!({}),
        json!("x"),
        json!(7),
        json!(true),
        json!(1.5),
        json!("2 hours"),
    ];
    let (mut refused, mut read) = (0, 0);
    for (pointer, path) in &slots {
        for replacement in &replacements {
            let mut value = case.clone();
            *value.pointer_mut(pointer).unwrap() = replacement.clone();
            match Case::from_value(&value, &caseflow_core::JsonPath::root()) {
                Ok(back) => {
                    read += 1;
                    let mut written = serde_json::to_value(&back).unwrap();
                    normalise(&mut written);
                    normalise(&mut value);
                    assert_eq!(
                        written, value,
                        "{pointer} = {replacement}: read as something else"
                    );
                }
                Err(e) => {
                    refused += 1;
                    assert!(
                        e.errors.iter().any(|d| related(d.path.as_str(), path)),
                        "{pointer} = {replacement}: refused, but not at {path}: {e:?}"
                    );
                }
            }
        }
    }
    assert!(refused > 0 && read > 0, "refused {refused}, read {read}");
}

/// Whether two paths are the same member or one holds the other.
fn related(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    within(a, b) || within(b, a) && a != "$"
}

fn pointers(
    value: &Value,
    at: String,
    path: &caseflow_core::JsonPath,
    out: &mut Vec<(String, String)>,
) {
    if !at.is_empty() && at != "/format" {
        out.push((at.clone(), path.as_str().to_owned()));
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{k}"), &path.field(k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), &path.index(i), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_snapshot_of_another_format_fails_clearly() {
    for (format, found) in [(json!(2), "2"), (json!(0), "0"), (Value::Null, "none")] {
        let mut case = case_json();
        if format.is_null() {
            case.as_object_mut().unwrap().remove("format");
        } else {
            case["format"] = format;
        }
        // Even when the rest no longer reads, the version is what is reported.
        case["a_field_of_another_version"] = json!(true);
        let error = Case::from_json(&case.to_string()).unwrap_err();
        assert_eq!(error.code.as_str(), "corrupt_log");
        let d = &error.errors[0];
        assert_eq!(
            (d.code.as_str(), d.path.as_str()),
            ("unsupported_format", "$.format")
        );
        assert!(
            d.message
                .contains(&format!("reads case snapshots of format 1, found {found}")),
            "{}",
            d.message
        );
        // Through the API the path is the input's.
        let input = json!({"case": case, "command": {"type": "complete_work", "actor": {"id": "pl", "roles": ["project_leader"]}}, "now": "2026-03-20T10:00:00+08:00"});
        let error = api::apply(policy(), &input.to_string()).unwrap_err();
        assert_eq!(error.errors[0].path, "$.case.format");
        assert_eq!(error.errors[0].code, "unsupported_format");
    }
}

#[test]
fn a_snapshot_of_the_current_format_with_a_bad_field_names_it() {
    let mut case = case_json();
    case["state"] = json!("pondering");
    let error = Case::from_json(&case.to_string()).unwrap_err();
    assert_eq!(error.code.as_str(), "invalid_input");
    assert_eq!(error.errors[0].path, "$.state");
}

fn log() -> Vec<Value> {
    let w = walk(Tier::Three, CaseState::Verified).unwrap();
    w.events
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

#[test]
fn an_event_of_another_format_fails_clearly() {
    // Same shape, other version: read, then refused by verification and replay.
    let mut events = log();
    events[2]["format"] = json!(6);
    let verdict = api::verify_log(&json!({"events": events}).to_string()).unwrap();
    assert!(!verdict.valid);
    let bad = verdict.first_bad.unwrap();
    assert_eq!(bad.index, 2);
    assert!(bad.reason.contains("event format 6"), "{}", bad.reason);
    let error = api::replay(policy(), &json!({"events": events}).to_string()).unwrap_err();
    assert_eq!(error.code.as_str(), "corrupt_log");
    assert_eq!(error.errors[0].path, "$.events[2]");

    // Another shape, other version: the version is named, not the fields.
    let mut events = log();
    events[1]["format"] = json!(0);
    events[1]["signature"] = json!("from an older build");
    for call in ["verify_log", "replay"] {
        let input = json!({"events": events}).to_string();
        let error = match call {
            "verify_log" => api::verify_log(&input).unwrap_err(),
            _ => api::replay(policy(), &input).unwrap_err(),
        };
        let d = &error.errors[0];
        assert_eq!(
            (d.code.as_str(), d.path.as_str()),
            ("unsupported_format", "$.events[1].format"),
            "{call}"
        );
        assert!(
            d.message
                .contains("events of formats 1, 2, 3, 4 and 5, found 0"),
            "{}",
            d.message
        );
    }

    // The current version with a bad field: that field is named.
    let mut events = log();
    events[1]["signature"] = json!("?");
    let error = api::verify_log(&json!({"events": events}).to_string()).unwrap_err();
    assert_eq!(error.errors[0].code, "unknown_field");
    assert!(
        error.errors[0].message.contains("signature"),
        "{:?}",
        error.errors[0]
    );
}

#[test]
fn replay_needs_the_policy_the_events_were_decided_under() {
    let w = walk(Tier::Two, CaseState::Planning).unwrap();
    assert!(verify_log(&w.events).valid);
    let mut other: Value =
        serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap();
    other["version"] = json!("2027.1");
    let other = caseflow_core::Policy::from_value(&other).unwrap();
    let error = replay(&other, &w.events).unwrap_err();
    assert_eq!(error.errors[0].code, "policy_mismatch");
    assert_eq!(replay(policy(), &w.events).unwrap(), w.case);
}

/// The default policy as it was before it carried a model: the policy every frozen log was
/// decided under, and so the one that replays it (an event names the model that decided, or
/// none; a log is never replayed under a model that did not decide it).
fn policy_before_models() -> &'static caseflow_core::Policy {
    static POLICY: std::sync::LazyLock<caseflow_core::Policy> = std::sync::LazyLock::new(|| {
        caseflow_core::Policy::from_json(caseflow_core::policy::DEFAULT_RULES_JSON).unwrap()
    });
    &POLICY
}

/// The logs of `scenarios/`, each with the case it built, as a build writing event format 1
/// stored them (format 1 hashed the events' JSON text and did not store the assessment).
fn format_1_logs() -> Vec<(String, Case, Vec<Event>)> {
    frozen_logs(1)
}

/// The logs of `scenarios/` as a build writing event format `format` stored them, frozen in
/// `tests/data/event-format-N/`.
fn frozen_logs(format: u32) -> Vec<(String, Case, Vec<Event>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/data/event-format-{format}"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 9, "one log per scenario");
    files
        .iter()
        .map(|file| {
            let stored: Value =
                serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            let case = Case::from_value(&stored["case"], &caseflow_core::JsonPath::root()).unwrap();
            let events = stored["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| Event::from_value(e, &caseflow_core::JsonPath::root()).unwrap())
                .collect();
            (file.display().to_string(), case, events)
        })
        .collect()
}

#[test]
fn logs_of_event_format_1_still_verify_and_replay_to_their_case() {
    assert_eq!(EVENT_FORMATS_READ, [1, 2, 3, 4, 5]);
    for (name, case, events) in format_1_logs() {
        assert!(
            events
                .iter()
                .all(|e| e.format == 1 && e.assessment.is_none())
        );
        let verdict = verify_log(&events);
        assert!(verdict.valid, "{name}: {verdict:?}");
        assert_eq!(
            replay(policy_before_models(), &events).unwrap(),
            case,
            "{name}"
        );
    }
}

/// Format 2 (canonical bytes, the assessment stored; the last format without seals), frozen as
/// the build before sealing wrote it.
#[test]
fn logs_of_event_format_2_still_verify_and_replay_to_their_case() {
    for (name, case, events) in frozen_logs(2) {
        assert!(events.iter().all(|e| e.format == 2), "{name}");
        assert!(events[0].assessment.is_some(), "{name}");
        let verdict = verify_log(&events);
        assert!(verdict.valid, "{name}: {verdict:?}");
        assert_eq!(
            replay(policy_before_models(), &events).unwrap(),
            case,
            "{name}"
        );
        let mut edited = events.clone();
        edited[1].command.actor.id.push('x');
        assert_eq!(verify_log(&edited).first_bad.unwrap().index, 1, "{name}");
    }
}

/// Format 3, the first sealed one, sealed with a test key and frozen, so that a change of the seal's
/// scheme (or of the hashed bytes) cannot pass unnoticed.
#[test]
fn sealed_logs_of_event_format_3_verify_with_their_key_against_their_case_and_replay() {
    let key = caseflow_core::lifecycle::SealKey::from_hex(&"5ea1".repeat(16)).unwrap();
    for (name, case, events) in frozen_logs(3) {
        assert!(
            events.iter().all(|e| e.format == 3 && e.seal.is_some()),
            "{name}"
        );
        let check = caseflow_core::lifecycle::LogCheck {
            anchor: Some(caseflow_core::lifecycle::Anchor::of(&case)),
            key: Some(key.clone()),
        };
        let verdict = caseflow_core::lifecycle::verify_log_with(&events, &check);
        assert!(verdict.valid, "{name}: {verdict:?}");
        assert_eq!(
            caseflow_core::lifecycle::replay_with(policy_before_models(), &events, &check).unwrap(),
            case,
            "{name}"
        );
    }
}

#[test]
fn edits_to_a_format_1_log_are_still_caught() {
    for (name, _, events) in format_1_logs() {
        let mut edited = events.clone();
        let last = edited.len() - 1;
        edited[last].at += chrono::Duration::minutes(1);
        let bad = verify_log(&edited).first_bad.unwrap();
        assert_eq!(bad.index, last, "{name}");
        assert!(replay(policy_before_models(), &edited).is_err(), "{name}");

        // A format-1 event never carried an assessment: one added is an edit too.
        let mut edited = events.clone();
        let first = replay(policy_before_models(), &events[..1]).unwrap();
        edited[0].assessment = Some(first.suggested.clone());
        let bad = verify_log(&edited).first_bad.unwrap();
        assert_eq!(bad.index, 0, "{name}");
        assert!(
            bad.reason.contains("no assessment"),
            "{name}: {}",
            bad.reason
        );
    }
}

#[test]
fn a_format_2_event_never_carries_a_warranty_assessment() {
    for (name, _, events) in frozen_logs(2) {
        // The warranty assessment this build would make, added to a format-2 record: an edit.
        let mut edited = events.clone();
        let assessment = edited[0].assessment.as_mut().unwrap();
        assessment.warranty = api::record(
            policy_before_models(),
            &json!({"command": serde_json::to_value(&events[0].command).unwrap(), "now": events[0].at.to_rfc3339()}).to_string(),
        )
        .unwrap()
        .case
        .suggested
        .warranty;
        assert!(assessment.warranty.is_some(), "{name}");
        let bad = verify_log(&edited).first_bad.unwrap();
        assert_eq!(bad.index, 0, "{name}");
        assert!(
            bad.reason.contains("no warranty assessment"),
            "{name}: {}",
            bad.reason
        );
        assert!(replay(policy_before_models(), &edited).is_err(), "{name}");
    }
}

#[test]
fn a_case_rebuilt_from_an_older_format_goes_on_in_the_current_one() {
    let older = format_1_logs().into_iter().chain(frozen_logs(2));
    for (name, case, events) in older {
        // Stop anywhere after the record, and carry the rest out with this build.
        let cut = events.len() / 2;
        let mut current = replay(policy_before_models(), &events[..cut]).unwrap();
        let mut log = events[..cut].to_vec();
        for old in &events[cut..] {
            let applied = apply(policy_before_models(), &current, &old.command, old.at).unwrap();
            assert_eq!(applied.event.format, EVENT_FORMAT, "{name}");
            assert_eq!(applied.event.prev_hash, log.last().unwrap().hash, "{name}");
            log.push(applied.event);
            current = applied.case;
        }
        assert!(verify_log(&log).valid, "{name}");
        assert_eq!(
            replay(policy_before_models(), &log).unwrap(),
            current,
            "{name}"
        );
        // The same history, hashed differently from the cut on.
        assert_ne!(current.last_hash, case.last_hash, "{name}");
        current.last_hash.clone_from(&case.last_hash);
        assert_eq!(current, case, "{name}");

        // Formats only move forward: an old-format event after a new one is refused.
        if log.len() > cut + 1 {
            let mut backwards = log.clone();
            backwards[cut + 1].format = 1;
            let bad = verify_log(&backwards).first_bad.unwrap();
            assert_eq!(bad.index, cut + 1, "{name}");
            assert!(
                bad.reason.contains("later format"),
                "{name}: {}",
                bad.reason
            );
        }
    }
}
