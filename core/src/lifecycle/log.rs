//! The event log: every accepted command as an event, chained by SHA-256.
//!
//! An event's hash covers its canonical bytes (format, sequence number, instant, policy, command,
//! the `record` event's assessment and the previous event's hash), so editing, removing, reordering or inserting any stored event
//! breaks the chain at that event. [`verify_log`] names the first bad event; [`replay`] verifies
//! the chain and folds the events back into the case, so a stored history and a live case can
//! always be compared.
//!
//! Format 3 (this build's) hashes as format 2 did; it may carry a `seal`, the host's keyed MAC
//! of the hash (`seal.rs`), which the hash does not cover, and its `record` event's assessment
//! includes the warranty answer (docs/policy.md §1.1). Format 2 hashes the canonical bytes of
//! `canonical.rs` and stores the engine's assessment, without a warranty answer, in the `record`
//! event. Format 1 hashed the event's JSON text and stored no assessment; its logs still verify
//! and replay (a format-1 `record` is classified again; neither older format gets a warranty
//! answer it never had). A case rebuilt from an older log goes on with events of this build's
//! format chained to the last old hash; formats never go backwards within a log.
//!
//! [`verify_log_with`] and [`replay_with`] also check a log against an anchor (its count and last
//! hash, from a snapshot or stored by the host) and every seal against the host's key: the
//! threat model is in `seal.rs` and docs/lifecycle.md ("Tamper evidence").

use caseflow_derive::Read;
use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Case;
use super::apply::{advance, check, open, transition};
use super::command::Command;
use super::seal::{Anchor, LogCheck, SealKey};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::Policy;

pub use crate::domain::provenance::PolicyRef;

/// The event format this build writes: hashed as format 2, sealed when the host passes a key,
/// with the warranty answer in the `record` event's assessment, and the emergency plan
/// (docs/policy.md §7): a `record` event of an emergency opens its emergency record, and the log
/// may hold the emergency's commands and `update_facts`. Replaying a log of an earlier format
/// rebuilds the case that format built, without an emergency record.
///
/// The event that declares a further emergency on a case whose emergency is over, and every
/// later event of that case, is written in [`FURTHER_EMERGENCY_FORMAT`] instead; every other
/// event keeps this format.
pub const EVENT_FORMAT: u32 = 4;

/// The fifth: format 4, for the event that declares a further emergency on a case whose
/// emergency has been declared over (docs/policy.md §7) and the events after it, written only
/// for the cases that have one (a log's formats never go back). On replay
/// an event of an earlier format never declares one, so an older log, in which new facts after
/// the end were taken without a declaration, replays to the case it built.
pub const FURTHER_EMERGENCY_FORMAT: u32 = 5;

/// The event formats this build reads, oldest first.
pub const EVENT_FORMATS_READ: [u32; 5] = [
    JSON_HASHED_FORMAT,
    CANONICAL_FORMAT,
    SEALED_FORMAT,
    EVENT_FORMAT,
    FURTHER_EMERGENCY_FORMAT,
];

/// The third: sealed, with the warranty answer, but no emergency plan: its `record` event
/// declares no emergency record, and its logs hold no emergency command (docs/policy.md §7).
const SEALED_FORMAT: u32 = 3;

/// The first event format: hashed as JSON text, no stored assessment.
const JSON_HASHED_FORMAT: u32 = 1;

/// The second: canonical bytes and the stored assessment, but no seal and no warranty answer.
const CANONICAL_FORMAT: u32 = 2;

/// The formats read, for messages: "1, 2 and 3".
fn formats_read() -> String {
    let names: Vec<String> = EVENT_FORMATS_READ.iter().map(u32::to_string).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The hash before the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// " with model `name` (sha256 abcdef012345…)", or " without a model".
fn describe_model(model: Option<&crate::classify::model::ModelRef>) -> String {
    match model {
        Some(m) => format!(
            " with model `{}` (sha256 {}…)",
            m.name,
            m.sha256.get(..12).unwrap_or(&m.sha256)
        ),
        None => " without a model".to_owned(),
    }
}

impl PolicyRef {
    /// The reference of a loaded policy (shared: every event of every case names it).
    pub fn of(policy: &Policy) -> PolicyRef {
        policy.reference().clone()
    }
}

/// One accepted command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Event {
    /// Event format version.
    pub format: u32,
    /// Position in the case's log, from 0.
    pub seq: u64,
    /// When the command was applied ("now").
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub at: DateTime<FixedOffset>,
    /// The policy it was decided under.
    pub policy: PolicyRef,
    /// The command.
    #[read(value = super::snapshot::command)]
    pub command: Command,
    /// For the `record` event: the engine's assessment of the report when it was recorded. A
    /// replay reopens the case with it rather than classifying again, so a stored history replays
    /// the same under a later engine whose classification has changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<super::Assessment>,
    /// The previous event's hash (64 zeros for the first event).
    pub prev_hash: String,
    /// SHA-256 of this event's other fields but the seal, lowercase hex.
    pub hash: String,
    /// HMAC-SHA-256 of `hash` under the host's key, lowercase hex (format 3, when the host
    /// passed a key): no one without the key can seal an edited event. See [`SealKey`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

/// What the hash covers: everything but the hash itself, in this order, written as canonical
/// bytes.
#[derive(Serialize)]
struct HashedBody<'a> {
    format: u32,
    seq: u64,
    #[serde(with = "crate::time::rfc3339")]
    at: &'a DateTime<FixedOffset>,
    policy: &'a PolicyRef,
    command: &'a Command,
    /// Skipped when absent, which also keeps format 1's JSON as it was (it had no assessment).
    #[serde(skip_serializing_if = "Option::is_none")]
    assessment: Option<&'a super::Assessment>,
    prev_hash: &'a str,
}

impl Event {
    /// A new event, hashed.
    pub fn new(
        seq: u64,
        at: DateTime<FixedOffset>,
        policy: PolicyRef,
        command: Command,
        assessment: Option<super::Assessment>,
        prev_hash: String,
    ) -> Result<Event, Error> {
        Event::of_format(
            EVENT_FORMAT,
            seq,
            at,
            policy,
            command,
            assessment,
            prev_hash,
        )
    }

    /// A new event of `format`, hashed.
    pub(super) fn of_format(
        format: u32,
        seq: u64,
        at: DateTime<FixedOffset>,
        policy: PolicyRef,
        command: Command,
        assessment: Option<super::Assessment>,
        prev_hash: String,
    ) -> Result<Event, Error> {
        let prev_hash = if prev_hash.is_empty() {
            GENESIS.to_owned()
        } else {
            prev_hash
        };
        let mut event = Event {
            format,
            seq,
            at,
            policy,
            command,
            assessment,
            prev_hash,
            hash: String::new(),
            seal: None,
        };
        event.hash = event.computed_hash()?;
        Ok(event)
    }

    /// Seals the event with the host's key (its hash must be final).
    pub fn seal_with(&mut self, key: &SealKey) {
        self.seal = Some(key.seal(&self.hash));
    }

    /// Reads a stored event given as a JSON value at `path`. An event of another format version
    /// that this build cannot read fails with `unsupported_format` (code `corrupt_log`), never
    /// with a puzzling complaint about its fields; one that reads is still checked by
    /// [`verify_log`], which refuses every format outside [`EVENT_FORMATS_READ`].
    pub fn from_value(value: &serde_json::Value, path: &JsonPath) -> Result<Event, Error> {
        let mut diagnostics = Vec::new();
        let event = <Event as crate::reader::ReadValue>::read(value, path, &mut diagnostics);
        let read = match event {
            Some(event) if diagnostics.is_empty() => Ok(event),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "invalid event",
                diagnostics,
            )),
        };
        read.map_err(|error| {
            let format = value.get("format").and_then(serde_json::Value::as_u64);
            if EVENT_FORMATS_READ
                .iter()
                .any(|&known| format == Some(u64::from(known)))
            {
                return error;
            }
            let found = format.map_or_else(|| "none".to_owned(), |f| f.to_string());
            Error::single(
                ErrorCode::CorruptLog,
                "unsupported event",
                Diagnostic::error(
                    "unsupported_format",
                    &path.field("format"),
                    format!(
                        "this build reads events of formats {}, found {found}",
                        formats_read()
                    ),
                ),
            )
        })
    }

    /// The hash this event should carry.
    pub fn computed_hash(&self) -> Result<String, Error> {
        hash_of(&HashedBody {
            format: self.format,
            seq: self.seq,
            at: &self.at,
            policy: &self.policy,
            command: &self.command,
            assessment: self.assessment.as_ref(),
            prev_hash: &self.prev_hash,
        })
    }
}

/// What the hash's input starts with: names the scheme, so that bytes hashed for another purpose
/// can never pass for an event's. "v1" is the first canonical scheme, that of event formats 2 and
/// 3 (whose bytes differ by the format number they carry, and by members format 2 never has).
const HASH_DOMAIN: &[u8] = b"caseflow event v1\0";

/// The event's hash, by the scheme of its format, lowercase hex.
fn hash_of(body: &HashedBody<'_>) -> Result<String, Error> {
    let hashed = if body.format == JSON_HASHED_FORMAT {
        format_1_hash(body)
    } else {
        let mut bytes = Vec::with_capacity(1024);
        bytes.extend_from_slice(HASH_DOMAIN);
        super::canonical::write(body, &mut bytes)
            .map(|()| Sha256::digest(&bytes))
            .map_err(|e| e.to_string())
    };
    hashed.map(|digest| hex(&digest)).map_err(|reason| {
        Error::single(
            ErrorCode::Internal,
            "an event could not be hashed",
            Diagnostic::error("internal", &JsonPath::root(), reason),
        )
    })
}

/// Format 1's scheme: SHA-256 of the body's JSON text.
fn format_1_hash(body: &HashedBody<'_>) -> Result<sha2::digest::Output<Sha256>, String> {
    // Into a `Vec` rather than straight into the hash: the package already carries JSON writers
    // into a `Vec` for every type here, and a writer of its own would add its own copies.
    let json = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    Ok(Sha256::digest(&json))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            // A nibble is below 16, so it always has a hexadecimal digit.
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// The verdict of [`verify_log`] and [`verify_log_with`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogVerification {
    /// True when every event is intact and in place (and, when they were checked, the log ends
    /// at its anchor and every seal is the key's).
    pub valid: bool,
    /// How many events were checked.
    pub events: usize,
    /// Whether the log was checked against an anchor (a count and last hash, or a snapshot):
    /// only then is a removed tail found.
    pub anchor_checked: bool,
    /// Whether every event's seal was checked against the host's key: only then is a chain
    /// rewritten with recomputed hashes found.
    pub seals_checked: bool,
    /// The first bad event, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_bad: Option<BadEvent>,
}

/// Where a log first goes wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BadEvent {
    /// The event's index in the log (0 for the first); the log's length when events are missing
    /// at its end.
    pub index: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks a stored log by itself: formats, sequence numbers, the hash chain, and one case
/// throughout. A log cut short, or rewritten with every hash recomputed, passes: check it
/// against an anchor and a key with [`verify_log_with`] to find those.
pub fn verify_log(events: &[Event]) -> LogVerification {
    verify_log_with(events, &LogCheck::default())
}

/// Checks a stored log as [`verify_log`] does, then every seal against `check.key` and the log's
/// end against `check.anchor`.
pub fn verify_log_with(events: &[Event], check: &LogCheck) -> LogVerification {
    let first_bad = events
        .iter()
        .enumerate()
        .find_map(|(index, event)| {
            let reason = problem_with(events, index, event, check.key.as_ref())?;
            Some(BadEvent { index, reason })
        })
        .or_else(|| {
            check
                .anchor
                .as_ref()
                .and_then(|anchor| anchor_problem(events, anchor))
        });
    LogVerification {
        valid: first_bad.is_none(),
        events: events.len(),
        anchor_checked: check.anchor.is_some(),
        seals_checked: check.key.is_some(),
        first_bad,
    }
}

fn problem_with(
    events: &[Event],
    index: usize,
    event: &Event,
    key: Option<&SealKey>,
) -> Option<String> {
    if let Some(problem) = structural_problem(events, index, event) {
        return Some(problem);
    }
    match event.computed_hash() {
        Ok(hash) if hash == event.hash => seal_problem(event, key),
        Ok(_) => Some("its content does not match its hash: it was edited".to_owned()),
        Err(e) => Some(e.message),
    }
}

/// What is wrong with an event's seal under the host's key (nothing is checked without one).
fn seal_problem(event: &Event, key: Option<&SealKey>) -> Option<String> {
    let key = key?;
    match &event.seal {
        _ if event.format < SEALED_FORMAT => Some(format!(
            "an event of format {} predates seals and cannot be checked with a key",
            event.format
        )),
        None => Some("it carries no seal, and with a key every event must be sealed".to_owned()),
        Some(seal) if key.verifies(&event.hash, seal) => None,
        Some(_) => Some(
            "its seal is not the key's seal of its hash: it was changed or rehashed after it was sealed"
                .to_owned(),
        ),
    }
}

/// Where a log whose every event is sound fails its anchor: it is shorter (a removed tail),
/// longer, ends on another hash, or belongs to another case.
fn anchor_problem(events: &[Event], anchor: &Anchor) -> Option<BadEvent> {
    let count = u64::try_from(events.len()).unwrap_or(u64::MAX);
    let at = |index: u64| usize::try_from(index).unwrap_or(usize::MAX);
    let record_id = events
        .first()
        .and_then(|first| match &first.command.action {
            super::Action::Record { report } => Some(report.id.as_str()),
            _ => None,
        });
    if let (Some(case), Some(id)) = (&anchor.case_id, record_id) {
        if case != id {
            return Some(BadEvent {
                index: 0,
                reason: format!("the log records case {id}, the snapshot is of case {case}"),
            });
        }
    }
    if count < anchor.events {
        let missing = anchor.events - count;
        return Some(BadEvent {
            index: events.len(),
            reason: format!(
                "the log ends after {count} events where its anchor has {}: the last {missing} were removed",
                anchor.events
            ),
        });
    }
    if count > anchor.events {
        return Some(BadEvent {
            index: at(anchor.events),
            reason: format!(
                "its anchor ends after {} events: this one and those after it are not covered",
                anchor.events
            ),
        });
    }
    match events.last() {
        Some(last) if last.hash != anchor.last_hash => Some(BadEvent {
            index: events.len() - 1,
            reason: "the last event's hash is not its anchor's: the log was rewritten".to_owned(),
        }),
        _ => None,
    }
}

/// What is wrong with an event apart from its hash: its format, its place, its link to the
/// event before it, `record` first and only first.
fn structural_problem(events: &[Event], index: usize, event: &Event) -> Option<String> {
    if !EVENT_FORMATS_READ.contains(&event.format) {
        return Some(format!(
            "event format {} is not one this build reads ({})",
            event.format,
            formats_read()
        ));
    }
    if u64::try_from(index).ok() != Some(event.seq) {
        return Some(format!(
            "sequence number {} where {index} was expected",
            event.seq
        ));
    }
    let previous = index.checked_sub(1).and_then(|i| events.get(i));
    if previous.is_some_and(|previous| previous.format > event.format) {
        return Some(format!(
            "an event of format {} follows one of a later format",
            event.format
        ));
    }
    let expected_prev = previous.map_or(GENESIS, |previous| previous.hash.as_str());
    if event.prev_hash != expected_prev {
        return Some("its previous-hash does not match the event before it".to_owned());
    }
    if index == 0 && event.command.action.kind() != super::CommandKind::Record {
        return Some("a log starts with `record`".to_owned());
    }
    if index > 0 && event.command.action.kind() == super::CommandKind::Record {
        return Some("`record` may only start a log".to_owned());
    }
    if event.seal.is_some() && event.format < SEALED_FORMAT {
        return Some(format!("a format-{} event carries no seal", event.format));
    }
    let warranty = event
        .assessment
        .as_ref()
        .is_some_and(|a| a.warranty.is_some());
    if event.format < SEALED_FORMAT && warranty {
        return Some(format!(
            "a format-{} event carries no warranty assessment",
            event.format
        ));
    }
    let review = event
        .assessment
        .as_ref()
        .is_some_and(|a| a.review.is_some());
    if event.format < SEALED_FORMAT && review {
        return Some(format!(
            "a format-{} event carries no tier review: it predates the model",
            event.format
        ));
    }
    let kind = event.command.action.kind();
    if event.format < EVENT_FORMAT
        && (super::emergency::is_emergency_command(kind) || kind == super::CommandKind::UpdateFacts)
    {
        return Some(format!(
            "a format-{} event carries no `{kind}`: it predates the emergency plan",
            event.format
        ));
    }
    match (index == 0, event.format, event.assessment.is_some()) {
        (_, JSON_HASHED_FORMAT, true) => Some("a format-1 event carries no assessment".to_owned()),
        (true, JSON_HASHED_FORMAT, false) => None,
        (true, _, false) => Some("the `record` event lacks the engine's assessment".to_owned()),
        (false, _, true) => Some("only the `record` event carries an assessment".to_owned()),
        _ => None,
    }
}

/// Rebuilds a case from its log: verifies the chain, then applies every event at its instant.
/// A log cut short replays to the case it was then: use [`replay_with`] and an anchor to refuse
/// it.
///
/// One pass: each event is checked in place, applied with the same checks and transition as
/// [`apply`](fn@super::apply) (only the case is built, not the effects), and its hash recomputed once — the
/// replayed event must hash exactly as stored, which also proves the stored event intact. On any
/// failure the whole log is verified, so that a corrupt log is reported as corrupt (at its first
/// bad event) rather than as whatever the corruption made it do.
pub fn replay(policy: &Policy, events: &[Event]) -> Result<Case, Error> {
    replay_with(policy, events, &LogCheck::default())
}

/// Rebuilds a case from its log as [`replay`] does, refusing it (as [`verify_log_with`] would)
/// when a seal is not the key's or the log does not end at its anchor.
pub fn replay_with(policy: &Policy, events: &[Event], log_check: &LogCheck) -> Result<Case, Error> {
    let expected = PolicyRef::of(policy);
    let Some(first) = events.first() else {
        return Err(Error::single(
            ErrorCode::InvalidInput,
            "empty event log",
            Diagnostic::error(
                "empty",
                &JsonPath::root().field("events"),
                "a log has at least its `record` event",
            ),
        ));
    };
    let corrupt_log = || corrupt(events, log_check);
    let replay_error = |index: usize, e: Error| {
        corrupt_log().unwrap_or_else(|| {
            Error::single(
                ErrorCode::CorruptLog,
                "the event log does not replay",
                Diagnostic::error(
                    "invalid_transition",
                    &JsonPath::root().field("events").index(index),
                    format!("event {index} is refused on replay: {}", e.message),
                ),
            )
        })
    };
    let admit_at = |index: usize, event: &Event| {
        admit(events, index, event, &expected, log_check.key.as_ref())
    };
    admit_at(0, first)?;
    // The case is folded in place: a failed event ends the replay, so there is no earlier state
    // to protect, and moving a whole case per event would cost more than the transition itself.
    let (mut case, _) = open(
        policy,
        &first.command,
        first.at,
        false,
        first.assessment.as_ref(),
        first.format >= EVENT_FORMAT,
    )
    .map_err(|e| replay_error(0, e))?;
    seal_replayed(events, 0, first, &expected, &mut case, log_check)?;
    for (index, event) in events.iter().enumerate().skip(1) {
        admit_at(index, event)?;
        check(policy, &case, &event.command, event.at)
            .and_then(|()| {
                let further = event.format >= FURTHER_EMERGENCY_FORMAT;
                transition(policy, &mut case, &event.command, event.at, false, further)
            })
            .map_err(|e| replay_error(index, e))?;
        seal_replayed(events, index, event, &expected, &mut case, log_check)?;
    }
    match &log_check.anchor {
        Some(anchor) if anchor_problem(events, anchor).is_some() => {
            Err(corrupt_log().unwrap_or_else(|| hash_mismatch(&JsonPath::root().field("events"))))
        }
        _ => Ok(case),
    }
}

/// Refuses an event that is malformed, unsealed or sealed by another key (when a key is given)
/// or was decided under another policy, before it is applied.
fn admit(
    events: &[Event],
    index: usize,
    event: &Event,
    expected: &PolicyRef,
    key: Option<&SealKey>,
) -> Result<(), Error> {
    let path = || JsonPath::root().field("events").index(index);
    let corrupt_log = || {
        let check = LogCheck {
            anchor: None,
            key: key.cloned(),
        };
        corrupt(events, &check)
    };
    if structural_problem(events, index, event).is_some() || seal_problem(event, key).is_some() {
        return Err(corrupt_log().unwrap_or_else(|| hash_mismatch(&path())));
    }
    if event.policy != *expected {
        return Err(corrupt_log().unwrap_or_else(|| Error::single(
            ErrorCode::CorruptLog,
            "the event log needs another policy",
            Diagnostic::error(
                "policy_mismatch",
                &path().field("policy"),
                format!(
                    "event {index} was decided under policy `{}` version `{}`{}; replaying it needs that policy, not `{}` version `{}`{}",
                    event.policy.name,
                    event.policy.version,
                    describe_model(event.policy.model.as_ref()),
                    expected.name,
                    expected.version,
                    describe_model(expected.model.as_ref()),
                ),
            ),
        )));
    }
    Ok(())
}

/// Checks that the replayed event hashes exactly as stored, then moves the case's log position on.
fn seal_replayed(
    events: &[Event],
    index: usize,
    event: &Event,
    expected: &PolicyRef,
    case: &mut Case,
    log_check: &LogCheck,
) -> Result<(), Error> {
    let hash = hash_of(&HashedBody {
        format: event.format,
        seq: case.events,
        at: &event.at,
        policy: expected,
        command: &event.command,
        assessment: event.assessment.as_ref(),
        prev_hash: if case.last_hash.is_empty() {
            GENESIS
        } else {
            &case.last_hash
        },
    })?;
    if hash != event.hash {
        let path = JsonPath::root().field("events").index(index).field("hash");
        return Err(corrupt(events, log_check).unwrap_or_else(|| hash_mismatch(&path)));
    }
    advance(case, hash, event.at);
    Ok(())
}

/// The first problem [`verify_log_with`] finds, as a replay error.
fn corrupt(events: &[Event], check: &LogCheck) -> Option<Error> {
    let bad = verify_log_with(events, check).first_bad?;
    Some(Error::single(
        ErrorCode::CorruptLog,
        "the event log failed verification",
        Diagnostic::error(
            "corrupt_log",
            &JsonPath::root().field("events").index(bad.index),
            bad.reason,
        ),
    ))
}

fn hash_mismatch(path: &JsonPath) -> Error {
    Error::single(
        ErrorCode::CorruptLog,
        "the event log does not replay",
        Diagnostic::error(
            "hash_mismatch",
            path,
            "the replayed event hashes differently",
        ),
    )
}
