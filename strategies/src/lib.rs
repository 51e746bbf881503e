//! Proptest strategies for a caseflow policy, and the lifecycle's invariants as checks: what
//! `caseflow verify` runs, for a host's own property tests.
//!
//! - [`report`]: reports whose Chinese and English descriptions are built from the policy's own
//!   term lists and negation cues with noise between them, with facts, channels and instants
//!   ([`report::reports`]).
//! - [`command`]: commands of every [`CommandKind`](caseflow_core::lifecycle::CommandKind) with
//!   plausible payloads, by actors holding the roles the policy grants them, often with other
//!   roles besides ([`command::commands`]).
//! - [`history`]: a recorded case and a sequence of timed commands, time moving forward, each
//!   command made against the case it meets so that cases go far ([`history::histories`]).
//! - [`invariants`]: what must hold after every step, as functions over a policy and a history
//!   ([`invariants::check`]): a refusal names its rule, time runs forward, states move along the
//!   edges of docs/policy.md §4, actors hold the roles the policy grants, separation of duties,
//!   a closed case has what the company's rules demand of its tier (docs/policy.md §4), clocks
//!   are due no earlier than they start, the log verifies and replays to the case. Each
//!   violation is a typed [`invariants::Violation`] with a message.
//!
//! Every strategy takes the policy (an `Arc<Policy>`) it generates for: a company that edits
//! its policy tests its own terms, roles and routing.
//!
//! # A host's property test
//!
//! A host that builds on the engine checks the invariants on its own policy in its own test
//! suite (here with the built-in default policy; a host would load its file with
//! `Policy::from_json`):
//!
//! ```
//! use std::sync::Arc;
//!
//! use caseflow_core::Policy;
//! use caseflow_strategies::{history::histories, invariants};
//! use proptest::prelude::*;
//! use proptest::test_runner::{Config, TestRunner};
//!
//! let policy = Arc::new(Policy::builtin().unwrap());
//! let mut runner = TestRunner::new(Config { cases: 32, failure_persistence: None, ..Config::default() });
//! let outcome = runner.run(&histories(Arc::clone(&policy)), |history| {
//!     invariants::check(&policy, &history)
//!         .map(|_| ())
//!         .map_err(|violation| TestCaseError::fail(violation.to_string()))
//! });
//! assert!(outcome.is_ok(), "{outcome:?}");
//! ```
//!
//! The same with the `proptest!` macro, as a host writes it in its `tests/` directory, is
//! this crate's own `tests/host_property_test.rs` (run by `cargo test --workspace`).

#![forbid(unsafe_code)]

pub mod command;
pub mod history;
pub mod invariants;
pub mod report;

pub use history::{CaseHistory, TimedCommand, histories};
pub use invariants::{Invariant, Violation, check};
