//! `verify_log` and `replay` on any text (an input `{"events": [...], "anchor"?, "case"?,
//! "key"?}`): an answer or a structured refusal, never a panic, a hang or unbounded memory. A log
//! that replays must also verify as valid.
#![no_main]

use caseflow_core::api;
use caseflow_fuzz::{check_refusal, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verified = api::verify_log(text);
    if let Err(error) = &verified {
        check_refusal(error);
    }
    match api::replay(policy(), text) {
        Ok(_) => {
            let verified = verified.expect("a log that replays is read by verify_log");
            assert!(
                verified.valid,
                "a log that replays does not verify: {verified:?}"
            );
        }
        Err(error) => check_refusal(&error),
    }
});
