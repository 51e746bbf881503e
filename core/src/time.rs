//! Instants as the engine reads and writes them: RFC 3339 with an explicit offset.
//!
//! The engine never reads a clock; every "now" is an argument. An instant may arrive in any offset
//! (`Z`, `+08:00`, `-05:00`) and means the same moment whatever the offset; results are written in
//! the offset of the policy's calendar so that hosts see local company time.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat};

/// The last year an instant or date the engine writes may fall in: RFC 3339 (and ISO 8601's
/// basic form, `YYYY-MM-DD`) has four digits for the year, so a later one would be written
/// `+10000-…`, which caseflow itself, and most readers, refuse to read back.
pub const MAX_YEAR: i32 = 9999;

/// The first such year (RFC 3339's `0000`).
pub const MIN_YEAR: i32 = 0;

/// Whether `date` can be written as `YYYY-MM-DD` and read back.
pub fn writable_date(date: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&date.year())
}

/// Whether `instant` can be written as RFC 3339 in its own offset and read back.
pub fn writable_instant(instant: &DateTime<FixedOffset>) -> bool {
    writable_date(instant.date_naive())
}

/// Parses an RFC 3339 instant that carries an explicit offset.
pub fn parse_instant(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        format!(
            "`{text}` is not an RFC 3339 instant with an offset, such as 2026-03-02T09:15:00+08:00 ({e})"
        )
    })
}

/// Writes `instant` in `offset` as RFC 3339, with seconds and without fractions unless present.
pub fn format_instant(instant: &DateTime<FixedOffset>, offset: FixedOffset) -> String {
    instant
        .with_timezone(&offset)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// serde support for instants written in a fixed offset on output and accepted in any offset.
pub mod rfc3339 {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serialises as RFC 3339 keeping the instant's own offset; for formats that are not
    /// human-readable (the canonical bytes an event's hash covers), as the numbers
    /// (seconds since the epoch, nanoseconds, offset in seconds east of UTC).
    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
        } else {
            (
                t.timestamp(),
                t.timestamp_subsec_nanos(),
                t.offset().local_minus_utc(),
            )
                .serialize(s)
        }
    }

    /// Deserialises any RFC 3339 instant with an offset (or, from a format that is not
    /// human-readable, the numbers [`serialize`] writes).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            super::parse_instant(&text).map_err(serde::de::Error::custom)
        } else {
            let (seconds, nanos, offset) = <(i64, u32, i32)>::deserialize(d)?;
            FixedOffset::east_opt(offset)
                .and_then(|o| DateTime::from_timestamp(seconds, nanos).map(|t| t.with_timezone(&o)))
                .ok_or_else(|| serde::de::Error::custom("not an instant"))
        }
    }

    /// The same for an optional instant: `None` is written as `null` (or skipped by the field's
    /// own attributes) and read from `null`.
    pub mod option {
        use chrono::{DateTime, FixedOffset};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serialises as RFC 3339 keeping the instant's own offset, or `null`.
        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<FixedOffset>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        /// Deserialises `null` or any RFC 3339 instant with an offset.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            #[derive(Deserialize)]
            struct Instant(#[serde(with = "super")] DateTime<FixedOffset>);
            Ok(Option::<Instant>::deserialize(d)?.map(|i| i.0))
        }
    }
}

/// Reads a date written exactly `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *b else {
        return None;
    };
    let year = two_digits(y1, y2)? * 100 + two_digits(y3, y4)?;
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        two_digits(m1, m2)?,
        two_digits(d1, d2)?,
    )
}

pub(crate) fn two_digits(a: u8, b: u8) -> Option<u32> {
    (a.is_ascii_digit() && b.is_ascii_digit())
        .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_need_an_offset() {
        assert!(parse_instant("2026-03-02T09:15:00+08:00").is_ok());
        assert!(parse_instant("2026-03-02T01:15:00Z").is_ok());
        let err = parse_instant("2026-03-02T09:15:00").unwrap_err();
        assert!(err.contains("with an offset"), "{err}");
    }

    #[test]
    fn the_same_instant_is_written_the_same_way_whatever_offset_it_came_in() {
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        let a = parse_instant("2026-03-02T01:15:00Z").unwrap();
        let b = parse_instant("2026-03-01T20:15:00-05:00").unwrap();
        assert_eq!(format_instant(&a, beijing), "2026-03-02T09:15:00+08:00");
        assert_eq!(format_instant(&a, beijing), format_instant(&b, beijing));
    }
}
