//! The `caseflow` command-line tool's library: what the tool runs on top of the engine and is
//! not part of it.
//!
//! [`scenario`] drives a report and its timed commands through the lifecycle as a timeline, for
//! `caseflow simulate` and `caseflow demo`. It lives here, beside the tool, because the engine
//! (`caseflow-core`) is the rules alone: a host applies commands itself, one at a time.

#![forbid(unsafe_code)]

pub mod report;
pub mod scenario;
