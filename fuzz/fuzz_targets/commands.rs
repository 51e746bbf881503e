//! A case driven by a sequence of commands. The input is lines of JSON: the first is a `record`
//! input (`{"command": {"type": "record", ...}, "now": ..., "key"?: ...}`), each further line an
//! `apply` input without its case (`{"command": {...}, "now": ..., "key"?: ...}`), to which the
//! case of the last accepted command is added. Every answer is a result or a structured refusal;
//! at the end the accepted commands' events verify as a valid log ending at the case, and replay
//! to that same case, byte for byte; `tick` answers for the case at the last instant.
#![no_main]

use caseflow_core::api::{self, Call};
use caseflow_fuzz::{check_refusal, policy};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

/// Enough commands for every path through the lifecycle, and a bound on an input's time.
const MOST_COMMANDS: usize = 48;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return;
    };
    let applied = match api::call(policy(), Call::Record, first) {
        Ok(applied) => applied,
        Err(error) => return check_refusal(&error),
    };
    let applied: Value = serde_json::from_str(&applied).expect("an answer is JSON");
    let mut case = applied["case"].clone();
    let mut events = vec![applied["event"].clone()];
    let mut now = Value::Null;
    for line in lines.take(MOST_COMMANDS) {
        let input = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut input)) => {
                input.insert("case".to_owned(), case.clone());
                if let Some(at) = input.get("now") {
                    now = at.clone();
                }
                Value::Object(input).to_string()
            }
            // Not an object: the call reads (and refuses) the line as it is.
            _ => line.to_owned(),
        };
        match api::call(policy(), Call::Apply, &input) {
            Ok(applied) => {
                let applied: Value = serde_json::from_str(&applied).expect("an answer is JSON");
                case = applied["case"].clone();
                events.push(applied["event"].clone());
            }
            Err(error) => check_refusal(&error),
        }
    }

    let log = json!({"events": events, "case": case}).to_string();
    let verified = api::verify_log(&log).expect("the engine's own log is read");
    assert!(
        verified.valid,
        "the engine's own log does not verify: {verified:?}\n{log}"
    );
    let replayed = api::replay(policy(), &log).expect("the engine's own log replays");
    let replayed: Value =
        serde_json::from_str(&api::to_json(&replayed).expect("a case is written")).expect("JSON");
    assert_eq!(replayed, case, "the log replays to another case");

    if !now.is_null() {
        let input = json!({"case": case, "now": now}).to_string();
        if let Err(error) = api::tick(policy(), &input) {
            check_refusal(&error);
        }
    }
});
