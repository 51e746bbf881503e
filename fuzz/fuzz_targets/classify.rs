//! The classify call on any text under the default policy: a classification or a structured
//! refusal, never a panic, a hang or unbounded memory; the same input gives the same bytes twice.
#![no_main]

use caseflow_core::api::{self, Call};
use caseflow_fuzz::{check_refusal, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match api::call(policy(), Call::Classify, text) {
        Ok(answer) => {
            let again = api::call(policy(), Call::Classify, text).expect("a second run succeeds");
            assert_eq!(
                answer, again,
                "the same report classified twice differently"
            );
        }
        Err(error) => check_refusal(&error),
    }
});
