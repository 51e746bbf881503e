//! One module per subcommand.

pub mod classify;
pub mod demo;
pub mod policy;
