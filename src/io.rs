//! Reading inputs, writing outputs, and turning failures into an exit status.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use caseflow_core::api::to_json;
use caseflow_core::{Error, Policy};
use serde::Serialize;

/// Why a command failed: an engine error (printed as JSON) or an I/O problem.
pub enum Failure {
    /// The engine refused the input.
    Engine(Error),
    /// A file could not be read or written.
    Io(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Engine(e)
    }
}

impl Failure {
    /// Prints the failure on standard error and returns the exit status: 1 for refused input, 2
    /// for I/O problems.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Engine(error) => {
                let json = to_json(&error).unwrap_or_else(|_| error.message.clone());
                eprintln!("{json}");
                ExitCode::from(1)
            }
            Failure::Io(message) => {
                eprintln!("caseflow: {message}");
                ExitCode::from(2)
            }
        }
    }
}

/// Reads a file, or standard input when `path` is `-`.
pub fn read_input(path: &Path) -> Result<String, Failure> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Io(format!("cannot read standard input: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))
    }
}

/// Loads the policy at `path`, or the built-in default policy when there is none.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, Failure> {
    match path {
        Some(path) => Ok(Policy::from_json(&read_input(path)?)?),
        None => Ok(Policy::builtin()?),
    }
}

/// Writes one line to standard output.
pub fn print_line(line: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").map_err(|e| Failure::Io(format!("cannot write the output: {e}")))
}

/// Writes a value as one line of JSON.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    print_line(&to_json(value)?)
}

/// Writes a value as indented JSON.
pub fn print_pretty<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Io(format!("cannot write the output: {e}")))?;
    print_line(&text)
}
