//! Instants as the engine reads and writes them: RFC 3339 with an explicit offset.
//!
//! The engine never reads a clock; every "now" is an argument. An instant may arrive in any offset
//! (`Z`, `+08:00`, `-05:00`) and means the same moment whatever the offset; results are written in
//! the offset of the policy's calendar so that hosts see local company time.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat, Timelike};

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
    rfc3339_text(&instant.with_timezone(&offset))
}

/// `instant` as chrono's `to_rfc3339_opts(SecondsFormat::AutoSi, false)` writes it, in its own
/// offset. Every answer writes instants (a due instant, each event's time), and chrono's
/// formatter goes through `fmt::write` at about a thousand instructions an instant: the common
/// case (a year of four digits, whole seconds, an offset of whole minutes) is written here
/// directly, and chrono writes the rest.
fn rfc3339_text(instant: &DateTime<FixedOffset>) -> String {
    match Digits::instant(instant) {
        Some(text) => text.as_str().to_owned(),
        None => instant.to_rfc3339_opts(SecondsFormat::AutoSi, false),
    }
}

/// A short ASCII text written on the stack, for the instants and dates written by hand.
pub(crate) struct Digits {
    bytes: [u8; 32],
    len: usize,
}

impl Digits {
    /// An empty text to append to.
    pub(crate) fn new() -> Digits {
        Digits {
            bytes: [0; 32],
            len: 0,
        }
    }

    /// Appends one ASCII byte (a text longer than the buffer is cut, which no caller writes).
    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// Appends `value`'s last `width` decimal digits, zero-padded.
    fn number(&mut self, value: u32, width: u32) {
        let mut scale = 10u32.pow(width.saturating_sub(1));
        while scale > 0 {
            self.push(b'0' + u8::try_from(value / scale % 10).unwrap_or(0));
            scale /= 10;
        }
    }

    /// Appends `value` in decimal without padding.
    pub(crate) fn decimal(&mut self, value: u32) {
        self.number(value, value.checked_ilog10().unwrap_or(0) + 1);
    }

    /// Appends ASCII text.
    pub(crate) fn text(&mut self, text: &str) {
        text.bytes().for_each(|b| self.push(b));
    }

    /// The text written.
    pub(crate) fn as_str(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// `YYYY-MM-DD`, as chrono writes a date of a year from 0 to 9999; `None` for other years.
    fn date(date: NaiveDate) -> Option<Digits> {
        let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
        let mut text = Digits::new();
        text.number(year, 4);
        text.push(b'-');
        text.number(date.month(), 2);
        text.push(b'-');
        text.number(date.day(), 2);
        Some(text)
    }

    /// `YYYY-MM-DDTHH:MM:SS+HH:MM` in the instant's own offset, as chrono writes it; `None` for
    /// what chrono writes differently (fractions of a second, a leap second, other years, an
    /// offset with seconds).
    fn instant(instant: &DateTime<FixedOffset>) -> Option<Digits> {
        let local = instant.naive_local();
        let offset = instant.offset().local_minus_utc();
        if local.nanosecond() != 0 || offset % 60 != 0 {
            return None;
        }
        let mut text = Digits::date(local.date())?;
        text.push(b'T');
        text.number(local.hour(), 2);
        text.push(b':');
        text.number(local.minute(), 2);
        text.push(b':');
        text.number(local.second(), 2);
        text.push(if offset < 0 { b'-' } else { b'+' });
        let minutes = offset.unsigned_abs() / 60;
        text.number(minutes / 60, 2);
        text.push(b':');
        text.number(minutes % 60, 2);
        Some(text)
    }
}

/// serde support for dates written `YYYY-MM-DD`: the same text as chrono's own `Serialize`,
/// written without `fmt::write` in the common case.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Serialize, Serializer};

    /// A date serialised by [`serialize`].
    struct Date(NaiveDate);

    impl Serialize for Date {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match super::Digits::date(self.0) {
                Some(text) => s.serialize_str(text.as_str()),
                None => self.0.serialize(s),
            }
        }
    }

    /// Serialises as `YYYY-MM-DD`, as chrono does.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        Date(*date).serialize(s)
    }

    /// The same for an optional date (`None` as chrono's `Option` writes it).
    pub mod option {
        use chrono::NaiveDate;
        use serde::Serializer;

        /// Serialises `Some` date as `YYYY-MM-DD`, `None` as none.
        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => s.serialize_some(&super::Date(*date)),
                None => s.serialize_none(),
            }
        }
    }
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
            match super::Digits::instant(t) {
                Some(text) => s.serialize_str(text.as_str()),
                None => s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
            }
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
    use proptest::prelude::*;

    /// An instant from 0000 to 10000, with or without a fraction of a second, in an offset of
    /// whole minutes or with seconds.
    fn any_instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
        (
            -62_167_219_200i64..253_402_387_200,
            prop_oneof![
                Just(0u32),
                0u32..2_000_000_000,
                Just(1_000_000),
                Just(123_000)
            ],
            prop_oneof![(-1439i32..=1439).prop_map(|m| m * 60), -86_399i32..86_400],
        )
            .prop_filter_map("a representable instant", |(seconds, nanos, offset)| {
                let offset = FixedOffset::east_opt(offset)?;
                Some(DateTime::from_timestamp(seconds, nanos)?.with_timezone(&offset))
            })
    }

    proptest! {
        /// The instants and dates written by hand are chrono's text, byte for byte, and chrono
        /// writes the rest.
        #[test]
        fn instants_and_dates_are_written_as_chrono_writes_them(instant in any_instant()) {
            let chrono = instant.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            prop_assert_eq!(rfc3339_text(&instant), chrono.clone());
            let json = serde_json::to_string(&Instant(instant)).unwrap();
            prop_assert_eq!(json, serde_json::to_string(&chrono).unwrap());
            let date = instant.date_naive();
            let json = serde_json::to_string(&Date(date)).unwrap();
            prop_assert_eq!(json, serde_json::to_string(&date).unwrap());
            let json = serde_json::to_string(&OptionalDate(Some(date))).unwrap();
            prop_assert_eq!(json, serde_json::to_string(&Some(date)).unwrap());
        }
    }

    #[derive(serde::Serialize)]
    struct Instant(#[serde(with = "rfc3339")] DateTime<FixedOffset>);

    #[derive(serde::Serialize)]
    struct Date(#[serde(serialize_with = "date::serialize")] NaiveDate);

    #[derive(serde::Serialize)]
    struct OptionalDate(#[serde(serialize_with = "date::option::serialize")] Option<NaiveDate>);

    #[test]
    fn the_hand_written_common_case_is_the_one_answers_meet() {
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        let at = parse_instant("2026-03-02T01:15:00Z").unwrap();
        assert_eq!(
            Digits::instant(&at.with_timezone(&beijing)).map(|t| t.as_str().to_owned()),
            Some("2026-03-02T09:15:00+08:00".to_owned())
        );
        let date = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert!(Digits::date(date).is_none(), "chrono writes +10000-01-01");
        assert_eq!(serde_json::to_string(&OptionalDate(None)).unwrap(), "null");
    }

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
