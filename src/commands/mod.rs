//! One module per subcommand.

pub mod calendar;
pub mod classify;
pub mod deadline;
pub mod demo;
pub mod diff;
pub mod drills;
pub mod kpi;
pub mod learn;
pub mod policy;
pub mod simulate;
pub mod verify;
pub mod warranty;
