//! Durations in the policy's units (docs/policy.md §5.1), written `"24 hours"` or `"3 working_days"`.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use serde_json::Value;

use crate::error::{Diagnostic, JsonPath};
use crate::reader::{ObjectReader, ReadMember, ReadValue, i64_value, kind_of, object, string};

pub use crate::domain::limits::{MAX_AMOUNT, MAX_MINUTES};

/// The unit a duration is counted in. The semantics of each unit are in docs/policy.md §5.1.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Wall-clock minutes (emergency actions such as "notify within 30 minutes").
    Minutes,
    /// Wall-clock hours. The 24-hour contact rule is in these.
    Hours,
    /// Hours counted only inside working hours; due at the earliest instant that much working time
    /// has passed.
    BusinessHours,
    /// Working days counted from the day after the start; due at the end of the Nth working day.
    WorkingDays,
    /// Calendar days counted from the day after the start; due at 24:00 of the Nth day, moved to
    /// 24:00 of the next working day when that day is a day off.
    CalendarDays,
}

impl Unit {
    /// Every unit.
    pub const ALL: &'static [Unit] = &[
        Unit::Minutes,
        Unit::Hours,
        Unit::BusinessHours,
        Unit::WorkingDays,
        Unit::CalendarDays,
    ];

    /// The unit's name as written in a duration.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
            Unit::BusinessHours => "business_hours",
            Unit::WorkingDays => "working_days",
            Unit::CalendarDays => "calendar_days",
        }
    }

    /// The largest amount a duration in this unit may have: [`MAX_MINUTES`] minutes, else
    /// [`MAX_AMOUNT`].
    pub fn max_amount(self) -> u32 {
        match self {
            Unit::Minutes => MAX_MINUTES,
            _ => MAX_AMOUNT,
        }
    }

    /// True for units counted on the working calendar rather than on the wall clock.
    pub fn uses_calendar(self) -> bool {
        !matches!(self, Unit::Minutes | Unit::Hours)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of time in one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, JsonSchema)]
#[schemars(with = "DurationSpec")]
pub struct Duration {
    /// How many units; never negative.
    pub amount: u32,
    /// The unit.
    pub unit: Unit,
}

impl Duration {
    /// A duration of `amount` `unit`s.
    pub fn new(amount: u32, unit: Unit) -> Duration {
        Duration { amount, unit }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.unit)
    }
}

/// Why a duration could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// Not of the form "N unit".
    #[error(
        "`{0}` is not a duration: write a whole number and a unit, such as \"24 hours\" or \"3 working_days\""
    )]
    Malformed(String),
    /// The unit is not one of the known units.
    #[error(
        "`{0}` is not a unit: use minutes, hours, business_hours, working_days or calendar_days"
    )]
    UnknownUnit(String),
    /// The amount is negative.
    #[error("a duration cannot be negative, found {0}")]
    Negative(i64),
    /// The amount is beyond the unit's largest ([`Unit::max_amount`]), given second.
    #[error("{0} is more than the largest amount, {1}")]
    TooLarge(i64, u32),
}

impl DurationError {
    /// The diagnostic code for this problem: `negative_duration` or `invalid_duration`.
    pub fn code(&self) -> &'static str {
        match self {
            DurationError::Negative(_) => "negative_duration",
            _ => "invalid_duration",
        }
    }
}

impl FromStr for Duration {
    type Err = DurationError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split_whitespace();
        let (Some(amount), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(DurationError::Malformed(text.to_owned()));
        };
        let amount: i64 = amount
            .parse()
            .map_err(|_| DurationError::Malformed(text.to_owned()))?;
        Duration::from_parts(amount, unit)
    }
}

impl Duration {
    /// A duration from a signed amount and a unit name, checking both.
    pub fn from_parts(amount: i64, unit: &str) -> Result<Duration, DurationError> {
        let unit = Unit::ALL
            .iter()
            .copied()
            .find(|u| u.as_str() == unit)
            .ok_or_else(|| DurationError::UnknownUnit(unit.to_owned()))?;
        if amount < 0 {
            return Err(DurationError::Negative(amount));
        }
        let amount = u32::try_from(amount)
            .ok()
            .filter(|a| *a <= unit.max_amount())
            .ok_or(DurationError::TooLarge(amount, unit.max_amount()))?;
        Ok(Duration { amount, unit })
    }
}

/// A duration as a policy author writes it: `"3 working_days"` or `{"amount": 3, "unit":
/// "working_days"}`. Kept as written in the policy document; checked when the policy loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DurationSpec {
    /// `"N unit"`, e.g. `"24 hours"`.
    Text(String),
    /// The structured form.
    Structured {
        /// A whole number, not negative.
        amount: i64,
        /// minutes, hours, business_hours, working_days or calendar_days.
        unit: String,
    },
}

impl DurationSpec {
    /// The checked duration.
    pub fn parse(&self) -> Result<Duration, DurationError> {
        match self {
            DurationSpec::Text(text) => text.parse(),
            DurationSpec::Structured { amount, unit } => Duration::from_parts(*amount, unit),
        }
    }
}

impl From<Duration> for DurationSpec {
    fn from(d: Duration) -> DurationSpec {
        DurationSpec::Text(d.to_string())
    }
}

impl Serialize for Duration {
    /// The `Display` text (`"24 hours"`), written from a stack buffer rather than through
    /// `collect_str` and `fmt::write`: a routing alone writes six or seven, at a tenth the cost.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = crate::time::Digits::new();
        text.decimal(self.amount);
        text.text(" ");
        text.text(self.unit.as_str());
        s.serialize_str(text.as_str())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DurationSpec::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A duration as written: `"N unit"` or `{"amount": N, "unit": "..."}` (other members of the
/// structured form are ignored, as they always were).
pub(crate) fn read_spec(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<DurationSpec> {
    match v {
        Value::String(text) => Some(DurationSpec::Text(text.clone())),
        Value::Object(_) => {
            let mut r = ObjectReader::new(v, p.clone(), d)?;
            let amount = r.field("amount", i64_value);
            let unit = r.field("unit", string);
            Some(DurationSpec::Structured {
                amount: amount?,
                unit: unit?,
            })
        }
        _ => {
            d.push(Diagnostic::error(
                "invalid_value",
                p,
                "not a duration: write \"N unit\" such as \"3 working_days\", or {\"amount\": N, \"unit\": \"...\"}",
            ));
            None
        }
    }
}

impl ReadValue for DurationSpec {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        read_spec(v, p, d)
    }
}

/// A duration as an API input or a stored case gives it, read and parsed: `"N unit"` (a problem
/// is reported at the duration) or `{"amount": N, "unit": "..."}` (at the member at fault).
impl ReadValue for Duration {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        match v {
            Value::String(text) => match text.parse::<Duration>() {
                Ok(duration) => Some(duration),
                Err(e) => {
                    d.push(Diagnostic::error(e.code(), p, e.to_string()));
                    None
                }
            },
            Value::Object(_) => object(v, p, d, |o| {
                let amount = match o.raw_required("amount") {
                    Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
                    Some(other) => {
                        let found = kind_of(other);
                        o.report(
                            "wrong_type",
                            "amount",
                            format!("expected a whole number, found {found}"),
                        );
                        None
                    }
                    None => None,
                };
                let unit = o.string("unit", true, 32);
                let (Some(amount), Some(unit)) = (amount, unit) else {
                    return None;
                };
                match Duration::from_parts(amount, &unit) {
                    Ok(duration) => Some(duration),
                    Err(e) => {
                        let at = match e {
                            DurationError::UnknownUnit(_) => "unit",
                            _ => "amount",
                        };
                        o.report(e.code(), at, e.to_string());
                        None
                    }
                }
            }),
            other => {
                d.push(Diagnostic::error(
                    "wrong_type",
                    p,
                    format!(
                        "expected a duration such as \"3 working_days\" or {{\"amount\": 3, \"unit\": \"working_days\"}}, found {}",
                        kind_of(other)
                    ),
                ));
                None
            }
        }
    }
}

impl ReadMember for Duration {
    fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self> {
        r.field(name, <Duration as ReadValue>::read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_written_as_its_display_text() {
        for unit in Unit::ALL {
            for amount in [0, 1, 9, 10, 24, 99, 100, 4_321, unit.max_amount(), u32::MAX] {
                let duration = Duration::new(amount, *unit);
                assert_eq!(
                    serde_json::to_string(&duration).unwrap(),
                    serde_json::to_string(&duration.to_string()).unwrap()
                );
            }
        }
    }

    #[test]
    fn both_forms_read_the_same() {
        let text: Duration = serde_json::from_str("\"3 working_days\"").unwrap();
        let structured: Duration =
            serde_json::from_str(r#"{"amount": 3, "unit": "working_days"}"#).unwrap();
        assert_eq!(text, structured);
        assert_eq!(text, Duration::new(3, Unit::WorkingDays));
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"3 working_days\"");
    }

    #[test]
    fn bad_durations_say_what_is_wrong() {
        assert_eq!(
            "-3 hours".parse::<Duration>(),
            Err(DurationError::Negative(-3))
        );
        assert!(matches!(
            "3 weeks".parse::<Duration>(),
            Err(DurationError::UnknownUnit(_))
        ));
        assert!(matches!(
            "three hours".parse::<Duration>(),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            "24".parse::<Duration>(),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            "9999999 hours".parse::<Duration>(),
            Err(DurationError::TooLarge(9_999_999, 100_000))
        ));
        // Minutes go as far as hours do: a commitment clock five years long reads back.
        assert_eq!(
            "2635200 minutes".parse::<Duration>().map(|d| d.amount),
            Ok(2_635_200)
        );
        assert!(matches!(
            "6000001 minutes".parse::<Duration>(),
            Err(DurationError::TooLarge(6_000_001, 6_000_000))
        ));
    }
}
