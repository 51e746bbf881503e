//! The event log: every accepted command as an event, chained by SHA-256.
//!
//! An event's hash covers its canonical JSON (format, sequence number, instant, policy, command
//! and the previous event's hash), so editing, removing, reordering or inserting any stored event
//! breaks the chain at that event. [`verify_log`] names the first bad event; [`replay`] verifies
//! the chain and folds the events back into the case, so a stored history and a live case can
//! always be compared.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Case;
use super::apply::{advance, check, open, transition};
use super::command::Command;
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::Policy;

/// The event format this build reads and writes.
pub const EVENT_FORMAT: u32 = 1;

/// The hash before the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Which policy an event was decided under; replaying needs the same one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    /// The policy's name.
    pub name: String,
    /// The policy's version label.
    pub version: String,
}

impl PolicyRef {
    /// The reference of a loaded policy.
    pub fn of(policy: &Policy) -> PolicyRef {
        PolicyRef {
            name: policy.document().name.clone(),
            version: policy.document().version.clone(),
        }
    }
}

/// One accepted command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
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
    pub command: Command,
    /// The previous event's hash (64 zeros for the first event).
    pub prev_hash: String,
    /// SHA-256 of this event's other fields, lowercase hex.
    pub hash: String,
}

/// What the hash covers: everything but the hash itself, in this order.
#[derive(Serialize)]
struct HashedBody<'a> {
    format: u32,
    seq: u64,
    #[serde(with = "crate::time::rfc3339")]
    at: &'a DateTime<FixedOffset>,
    policy: &'a PolicyRef,
    command: &'a Command,
    prev_hash: &'a str,
}

impl Event {
    /// A new event, hashed.
    pub fn new(
        seq: u64,
        at: DateTime<FixedOffset>,
        policy: PolicyRef,
        command: Command,
        prev_hash: String,
    ) -> Result<Event, Error> {
        let prev_hash = if prev_hash.is_empty() {
            GENESIS.to_owned()
        } else {
            prev_hash
        };
        let mut event = Event {
            format: EVENT_FORMAT,
            seq,
            at,
            policy,
            command,
            prev_hash,
            hash: String::new(),
        };
        event.hash = event.computed_hash()?;
        Ok(event)
    }

    /// Reads a stored event given as a JSON value at `path`. An event of another format version
    /// that this build cannot read fails with `unsupported_format` (code `corrupt_log`), never
    /// with a puzzling complaint about its fields; one that reads is still checked by
    /// [`verify_log`], which refuses every format but [`EVENT_FORMAT`].
    pub fn from_value(value: &serde_json::Value, path: &JsonPath) -> Result<Event, Error> {
        let mut diagnostics = Vec::new();
        let event = super::snapshot::event(value, path, &mut diagnostics);
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
            if format == Some(u64::from(EVENT_FORMAT)) {
                return error;
            }
            let found = format.map_or_else(|| "none".to_owned(), |f| f.to_string());
            Error::single(
                ErrorCode::CorruptLog,
                "unsupported event",
                Diagnostic::error(
                    "unsupported_format",
                    &path.field("format"),
                    format!("this build reads events of format {EVENT_FORMAT}, found {found}"),
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
            prev_hash: &self.prev_hash,
        })
    }
}

/// SHA-256 of the body's canonical JSON, lowercase hex. The JSON is written straight into the
/// hash, never held whole.
fn hash_of(body: &HashedBody<'_>) -> Result<String, Error> {
    let mut hashing = Hashing(Sha256::new());
    serde_json::to_writer(&mut hashing, body).map_err(|e| {
        Error::single(
            ErrorCode::Internal,
            "an event could not be written as JSON",
            Diagnostic::error("internal", &JsonPath::root(), e.to_string()),
        )
    })?;
    Ok(hex(&hashing.0.finalize()))
}

/// A writer that feeds a SHA-256.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The verdict of [`verify_log`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogVerification {
    /// True when every event is intact and in place.
    pub valid: bool,
    /// How many events were checked.
    pub events: usize,
    /// The first bad event, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_bad: Option<BadEvent>,
}

/// Where a log first goes wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BadEvent {
    /// The event's index in the log (0 for the first).
    pub index: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks a stored log: formats, sequence numbers, the hash chain, and one case throughout.
pub fn verify_log(events: &[Event]) -> LogVerification {
    let first_bad = events.iter().enumerate().find_map(|(index, event)| {
        let reason = problem_with(events, index, event)?;
        Some(BadEvent { index, reason })
    });
    LogVerification {
        valid: first_bad.is_none(),
        events: events.len(),
        first_bad,
    }
}

fn problem_with(events: &[Event], index: usize, event: &Event) -> Option<String> {
    if let Some(problem) = structural_problem(events, index, event) {
        return Some(problem);
    }
    match event.computed_hash() {
        Ok(hash) if hash == event.hash => None,
        Ok(_) => Some("its content does not match its hash: it was edited".to_owned()),
        Err(e) => Some(e.message),
    }
}

/// What is wrong with an event apart from its hash: its format, its place, its link to the
/// event before it, `record` first and only first.
fn structural_problem(events: &[Event], index: usize, event: &Event) -> Option<String> {
    if event.format != EVENT_FORMAT {
        return Some(format!(
            "event format {} is not the format this build reads ({EVENT_FORMAT})",
            event.format
        ));
    }
    if u64::try_from(index).ok() != Some(event.seq) {
        return Some(format!(
            "sequence number {} where {index} was expected",
            event.seq
        ));
    }
    let expected_prev = match index.checked_sub(1).and_then(|i| events.get(i)) {
        Some(previous) => previous.hash.as_str(),
        None => GENESIS,
    };
    if event.prev_hash != expected_prev {
        return Some("its previous-hash does not match the event before it".to_owned());
    }
    if index == 0 && event.command.action.kind() != super::CommandKind::Record {
        return Some("a log starts with `record`".to_owned());
    }
    if index > 0 && event.command.action.kind() == super::CommandKind::Record {
        return Some("`record` may only start a log".to_owned());
    }
    None
}

/// Rebuilds a case from its log: verifies the chain, then applies every event at its instant.
///
/// One pass: each event is checked in place, applied with the same checks and transition as
/// [`apply`](fn@super::apply) (only the case is built, not the effects), and its hash recomputed once — the
/// replayed event must hash exactly as stored, which also proves the stored event intact. On any
/// failure the whole log is verified, so that a corrupt log is reported as corrupt (at its first
/// bad event) rather than as whatever the corruption made it do.
pub fn replay(policy: &Policy, events: &[Event]) -> Result<Case, Error> {
    let expected = PolicyRef::of(policy);
    let mut case: Option<Case> = None;
    for (index, event) in events.iter().enumerate() {
        let path = || JsonPath::root().field("events").index(index);
        if structural_problem(events, index, event).is_some() {
            return Err(corrupt(events).unwrap_or_else(|| hash_mismatch(&path())));
        }
        if event.policy != expected {
            return Err(corrupt(events).unwrap_or_else(|| Error::single(
                ErrorCode::CorruptLog,
                "the event log needs another policy",
                Diagnostic::error(
                    "policy_mismatch",
                    &path().field("policy"),
                    format!(
                        "event {index} was decided under policy `{}` version `{}`; replaying it needs that policy, not `{}` version `{}`",
                        event.policy.name, event.policy.version, expected.name, expected.version
                    ),
                ),
            )));
        }
        let replayed = match case.take() {
            None => open(policy, &event.command, event.at, false).map(|(case, _)| case),
            Some(mut current) => check(policy, &current, &event.command, event.at)
                .and_then(|()| transition(policy, &mut current, &event.command, event.at, false))
                .map(|_| current),
        };
        let mut replayed = match replayed {
            Ok(replayed) => replayed,
            Err(e) => {
                return Err(corrupt(events).unwrap_or_else(|| {
                    Error::single(
                        ErrorCode::CorruptLog,
                        "the event log does not replay",
                        Diagnostic::error(
                            "invalid_transition",
                            &path(),
                            format!("event {index} is refused on replay: {}", e.message),
                        ),
                    )
                }));
            }
        };
        let hash = hash_of(&HashedBody {
            format: EVENT_FORMAT,
            seq: replayed.events,
            at: &event.at,
            policy: &expected,
            command: &event.command,
            prev_hash: if replayed.last_hash.is_empty() {
                GENESIS
            } else {
                &replayed.last_hash
            },
        })?;
        if hash != event.hash {
            return Err(corrupt(events).unwrap_or_else(|| hash_mismatch(&path().field("hash"))));
        }
        advance(&mut replayed, hash, event.at);
        case = Some(replayed);
    }
    case.ok_or_else(|| {
        Error::single(
            ErrorCode::InvalidInput,
            "empty event log",
            Diagnostic::error(
                "empty",
                &JsonPath::root().field("events"),
                "a log has at least its `record` event",
            ),
        )
    })
}

/// The first problem [`verify_log`] finds, as a replay error.
fn corrupt(events: &[Event]) -> Option<Error> {
    let bad = verify_log(events).first_bad?;
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
