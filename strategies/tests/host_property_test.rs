//! A host's own property test, as a host writes it in its `tests/` directory: its policy (here
//! the built-in default; a host loads its file with `Policy::from_json`), the crate's
//! strategies, and the lifecycle's invariants — plus a property of the host's own.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, LazyLock};

use caseflow_core::Policy;
use caseflow_strategies::{history::histories, invariants, report::reports};
use proptest::prelude::*;

static POLICY: LazyLock<Arc<Policy>> = LazyLock::new(|| Arc::new(Policy::builtin().unwrap()));

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every invariant holds on every generated case history under the host's policy.
    #[test]
    fn every_case_history_keeps_the_invariants(history in histories(Arc::clone(&POLICY))) {
        if let Err(violation) = invariants::check(&POLICY, &history) {
            prop_assert!(false, "{}", violation);
        }
    }

    /// The host's own property: a report classifies the same way twice.
    #[test]
    fn classification_is_deterministic(report in reports(Arc::clone(&POLICY))) {
        prop_assert_eq!(POLICY.classify(&report), POLICY.classify(&report));
    }
}
