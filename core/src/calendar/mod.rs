//! The company's working calendar and deadline arithmetic (policy.md §5).
//!
//! INTERIM: only wall-clock units are implemented; the calendar units arrive with the calendar
//! issue. This module's public API is the contract the rest of the engine codes against.

pub mod duration;
pub mod spec;

use chrono::{DateTime, FixedOffset};

use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use duration::{Duration, Unit};
use spec::CalendarSpec;

/// A due instant and any warnings the computation produced (e.g. an uncovered year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// The due instant, in the calendar's offset.
    pub at: DateTime<FixedOffset>,
    /// Warnings, such as a date in a year the calendar does not cover (lenient mode).
    pub warnings: Vec<Diagnostic>,
}

/// The compiled calendar.
#[derive(Clone, Debug)]
pub struct Calendar {
    offset: FixedOffset,
}

impl Calendar {
    /// Checks and compiles a calendar specification; `path` locates it for diagnostics.
    pub fn compile(spec: &CalendarSpec, path: &JsonPath) -> Result<Calendar, Vec<Diagnostic>> {
        let offset = parse_offset(&spec.utc_offset).ok_or_else(|| {
            vec![Diagnostic::error(
                "invalid_offset",
                &path.field("utc_offset"),
                format!("`{}` is not a UTC offset such as +08:00", spec.utc_offset),
            )]
        })?;
        Ok(Calendar { offset })
    }

    /// The calendar's UTC offset; results are written in it.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The years with an official schedule, in order.
    pub fn covered_years(&self) -> Vec<i32> {
        Vec::new()
    }

    /// The instant `duration` after `start`.
    pub fn add(&self, start: DateTime<FixedOffset>, duration: Duration) -> Result<Due, Error> {
        let minutes = match duration.unit {
            Unit::Minutes => i64::from(duration.amount),
            Unit::Hours => i64::from(duration.amount) * 60,
            _ => {
                return Err(Error::single(
                    ErrorCode::InvalidInput,
                    "unsupported unit",
                    Diagnostic::error(
                        "unsupported_unit",
                        &JsonPath::root(),
                        format!("{} is not supported yet", duration.unit),
                    ),
                ));
            }
        };
        Ok(Due {
            at: (start + chrono::Duration::minutes(minutes)).with_timezone(&self.offset),
            warnings: Vec::new(),
        })
    }
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let probe = format!("2000-01-01T00:00:00{text}");
    DateTime::parse_from_rfc3339(&probe)
        .ok()
        .map(|t| *t.offset())
}
