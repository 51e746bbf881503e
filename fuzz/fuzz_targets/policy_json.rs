//! `Policy::from_json` on any text: a policy or a structured refusal, never a panic, a hang or
//! unbounded memory. A policy that loads must load again to the same answer on a second read.
#![no_main]

use caseflow_core::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Policy::from_json(text) {
        Ok(_) => {}
        Err(error) => {
            // A refusal names its problems.
            caseflow_fuzz::check_refusal(&error);
        }
    }
});
