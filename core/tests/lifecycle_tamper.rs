//! Tampering with a stored log is always found, by the means the threat model names
//! (docs/lifecycle.md, "Tamper evidence"): the chain by itself finds edits, removals and reorderings left
//! unrecomputed; an anchor (the snapshot's count and last hash) finds a removed tail; the
//! host's key finds a chain rewritten with recomputed hashes. Each attack of issue 11 is here,
//! through the Rust API and the JSON API.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use caseflow_core::api;
use caseflow_core::lifecycle::{
    Anchor, CaseState, Event, LogCheck, SealKey, replay, replay_with, verify_log, verify_log_with,
};
use caseflow_core::{Role, Tier};
use lifecycle_common::{policy, walk};
use serde_json::{Value, json};

const KEY_HEX: &str = "8f1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff0";

fn key() -> SealKey {
    SealKey::from_hex(KEY_HEX).unwrap()
}

/// A closed tier-1 case and its log, every event sealed with the key.
fn sealed_closed_case() -> (caseflow_core::lifecycle::Case, Vec<Event>) {
    let mut w = walk(Tier::One, CaseState::Closed).unwrap();
    for event in &mut w.events {
        event.seal_with(&key());
    }
    (w.case, w.events)
}

/// The chain after `from` recomputed, as anyone who knows the public scheme can do; the seals
/// are left as they were (no key to remake them).
fn rehash(events: &mut [Event], from: usize) {
    for i in from..events.len() {
        if i > 0 {
            events[i].prev_hash = events[i - 1].hash.clone();
        }
        events[i].hash = events[i].computed_hash().unwrap();
    }
}

/// Rewrites a log as event format 2 would have written it (no warranty answer in the record
/// event's assessment), every hash recomputed: what an attacker who relabels a log would do.
fn relabel_as_format_2(events: &mut [Event]) {
    for event in events.iter_mut() {
        event.format = 2;
        if let Some(assessment) = &mut event.assessment {
            assessment.warranty = None;
        }
    }
    rehash(events, 0);
}

fn with_key() -> LogCheck {
    LogCheck {
        anchor: None,
        key: Some(key()),
    }
}

fn approval_index(events: &[Event]) -> usize {
    events
        .iter()
        .position(|e| e.command.action.kind().as_str() == "approve_plan")
        .unwrap()
}

#[test]
fn a_sealed_log_verifies_with_its_key_and_not_with_another() {
    let (case, events) = sealed_closed_case();
    let verdict = verify_log_with(
        &events,
        &LogCheck {
            anchor: Some(Anchor::of(&case)),
            key: Some(key()),
        },
    );
    assert!(verdict.valid, "{verdict:?}");
    assert!(verdict.anchor_checked && verdict.seals_checked);
    assert_eq!(replay_with(policy(), &events, &with_key()).unwrap(), case);
    let other = LogCheck {
        anchor: None,
        key: Some(SealKey::from_bytes(&[7; 32]).unwrap()),
    };
    let bad = verify_log_with(&events, &other).first_bad.unwrap();
    assert_eq!(bad.index, 0);
    assert!(bad.reason.contains("seal"), "{}", bad.reason);
    // Unsealed events fail a keyed check: sealing is all or nothing.
    let w = walk(Tier::One, CaseState::Closed).unwrap();
    let bad = verify_log_with(&w.events, &with_key()).first_bad.unwrap();
    assert_eq!(bad.index, 0);
    assert!(bad.reason.contains("no seal"), "{}", bad.reason);
}

#[test]
fn a_removed_tail_verifies_alone_and_is_found_against_the_anchor() {
    // The attack: the customer's signed confirmation dropped from a closed tier-1 case.
    let (case, events) = sealed_closed_case();
    let cut = &events[..events.len() - 1];
    assert!(
        verify_log_with(cut, &with_key()).valid,
        "a prefix of a sealed log is a sealed log"
    );
    let rebuilt = replay(policy(), cut).unwrap();
    assert_eq!(rebuilt.state, CaseState::AwaitingConfirmation);

    let anchored = LogCheck {
        anchor: Some(Anchor::of(&case)),
        key: None,
    };
    let verdict = verify_log_with(cut, &anchored);
    assert!(!verdict.valid && verdict.anchor_checked);
    let bad = verdict.first_bad.unwrap();
    assert_eq!(bad.index, cut.len());
    assert!(
        bad.reason.contains("the last 1 were removed"),
        "{}",
        bad.reason
    );
    let e = replay_with(policy(), cut, &anchored).unwrap_err();
    assert_eq!(e.code.as_str(), "corrupt_log");
    assert_eq!(e.errors[0].path, format!("$.events[{}]", cut.len()));

    // A count and hash the host stores elsewhere do the same, through the JSON API.
    let input =
        json!({"events": cut, "anchor": {"events": case.events, "last_hash": case.last_hash}});
    let verdict = api::verify_log(&input.to_string()).unwrap();
    assert_eq!(verdict.first_bad.unwrap().index, cut.len());
    let input = json!({"events": cut, "case": case});
    assert!(!api::verify_log(&input.to_string()).unwrap().valid);
    assert!(api::replay(policy(), &input.to_string()).is_err());

    // A log longer than its anchor, or ending elsewhere, fails too.
    let stale = Anchor::of(&rebuilt);
    let verdict = verify_log_with(
        &events,
        &LogCheck {
            anchor: Some(stale),
            key: None,
        },
    );
    assert_eq!(verdict.first_bad.unwrap().index, events.len() - 1);
    let mut elsewhere = Anchor::of(&case);
    elsewhere.last_hash = "0".repeat(64);
    let bad = verify_log_with(
        &events,
        &LogCheck {
            anchor: Some(elsewhere),
            key: None,
        },
    )
    .first_bad
    .unwrap();
    assert_eq!(bad.index, events.len() - 1);
    // Another case's snapshot is not this log's anchor.
    let other = walk(Tier::Two, CaseState::Planning).unwrap();
    let bad = verify_log_with(
        &other.events,
        &LogCheck {
            anchor: Some(Anchor::of(&case)),
            key: None,
        },
    )
    .first_bad
    .unwrap();
    assert_eq!(bad.index, 0);
    assert!(bad.reason.contains("case"), "{}", bad.reason);
}

#[test]
fn an_edit_with_every_later_hash_recomputed_is_found_only_with_the_key() {
    // The attack: the approver of the tier-1 plan changed, the chain recomputed.
    let (case, mut events) = sealed_closed_case();
    let at = approval_index(&events);
    events[at].command.actor.id = "pl-1".into();
    events[at].command.actor.roles = vec![Role::CompanyLeadership];
    rehash(&mut events, at);
    assert!(
        verify_log(&events).valid,
        "the public chain alone cannot tell"
    );
    let verdict = verify_log_with(&events, &with_key());
    let bad = verdict.first_bad.unwrap();
    assert_eq!(bad.index, at);
    assert!(bad.reason.contains("seal"), "{}", bad.reason);
    let e = replay_with(policy(), &events, &with_key()).unwrap_err();
    assert_eq!(e.code.as_str(), "corrupt_log");
    assert_eq!(e.errors[0].path, format!("$.events[{at}]"));
    // The anchor sees it too: the last hash moved.
    let anchored = LogCheck {
        anchor: Some(Anchor::of(&case)),
        key: None,
    };
    assert!(!verify_log_with(&events, &anchored).valid);

    // Stripping the seals, or relabelling the events as the unsealed format 2, does not help.
    let mut stripped = events.clone();
    for event in &mut stripped {
        event.seal = None;
    }
    assert!(verify_log(&stripped).valid);
    let bad = verify_log_with(&stripped, &with_key()).first_bad.unwrap();
    assert_eq!(bad.index, 0);
    relabel_as_format_2(&mut stripped);
    assert!(verify_log(&stripped).valid);
    let bad = verify_log_with(&stripped, &with_key()).first_bad.unwrap();
    assert!(bad.reason.contains("predates seals"), "{}", bad.reason);
}

#[test]
fn removals_reorderings_and_edits_left_unrecomputed_are_found_by_the_chain() {
    let (_, events) = sealed_closed_case();
    let mut removed = events.clone();
    removed.remove(3);
    assert_eq!(verify_log(&removed).first_bad.unwrap().index, 3);
    let mut reordered = events.clone();
    reordered.swap(4, 5);
    assert_eq!(verify_log(&reordered).first_bad.unwrap().index, 4);
    let mut edited = events.clone();
    edited[6].at += chrono::Duration::minutes(1);
    let bad = verify_log(&edited).first_bad.unwrap();
    assert_eq!(bad.index, 6);
    assert!(bad.reason.contains("edited"), "{}", bad.reason);
    // A seal on an older format is an edit too.
    let mut w = walk(Tier::Three, CaseState::Planning).unwrap();
    relabel_as_format_2(&mut w.events);
    w.events[1].seal_with(&key());
    assert!(
        verify_log(&w.events)
            .first_bad
            .unwrap()
            .reason
            .contains("carries no seal")
    );
}

fn input_with_key(mut input: Value, key: &str) -> String {
    input["key"] = json!(key);
    input.to_string()
}

#[test]
fn the_json_calls_seal_with_the_hosts_key_and_refuse_a_bad_one() {
    let w = walk(Tier::Two, CaseState::Planning).unwrap();
    let command = lifecycle_common::sample(
        caseflow_core::lifecycle::CommandKind::Hold,
        &[Role::ProjectLeader],
        None,
    );
    let input = json!({"case": w.case, "command": command, "now": w.now.to_rfc3339()});
    let plain = api::apply(policy(), &input.to_string()).unwrap();
    assert!(plain.event.seal.is_none());
    let sealed = api::apply(policy(), &input_with_key(input.clone(), KEY_HEX)).unwrap();
    assert_eq!(
        sealed.event.hash, plain.event.hash,
        "the seal is outside the hash"
    );
    assert_eq!(sealed.case, plain.case);
    assert_eq!(sealed.event.seal, Some(key().seal(&sealed.event.hash)));
    for (bad, code) in [
        (json!("abc"), "invalid_key"),
        (json!("ab".repeat(31)), "invalid_key"),
        (json!("zz".repeat(32)), "invalid_key"),
        (json!(42), "wrong_type"),
    ] {
        let mut text = input.clone();
        text["key"] = bad;
        let e = api::apply(policy(), &text.to_string()).unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_input");
        assert_eq!(
            (e.errors[0].code.as_str(), e.errors[0].path.as_str()),
            (code, "$.key")
        );
        assert!(
            !e.errors[0].message.contains("ab".repeat(31).as_str()),
            "the key is never echoed"
        );
    }
    let e = api::verify_log(
        &json!({"events": w.events, "case": w.case, "anchor": {"events": 1, "last_hash": "x"}})
            .to_string(),
    )
    .unwrap_err();
    assert_eq!(e.errors[0].code, "conflicting_fields");
    let e = api::verify_log(&json!({"events": w.events, "anchor": {"last_hash": "x"}}).to_string())
        .unwrap_err();
    assert_eq!(e.errors[0].path, "$.anchor.events");
}
