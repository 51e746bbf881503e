//! Checking a [`CalendarSpec`] and building the per-year tables. Every problem is reported at
//! once, each with its JSON path.

use std::collections::BTreeMap;

use chrono::{Datelike, FixedOffset, NaiveDate, Weekday};

use super::Calendar;
use super::spec::{CalendarSpec, YearSpec};
use super::table::{DayKind, Hours, Shift, YearTable, days_in_year, jan1_weekday};
use crate::error::{Diagnostic, JsonPath, Severity};
use crate::time::{parse_date, two_digits};

/// The lowest year a schedule may be keyed by; earlier keys are almost certainly typos.
const FIRST_YEAR: i32 = 1900;

pub(super) fn compile(spec: &CalendarSpec, path: &JsonPath) -> Result<Calendar, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let d = &mut diagnostics;

    let offset = parse_offset(&spec.utc_offset);
    if offset.is_none() {
        d.push(Diagnostic::error(
            "invalid_offset",
            &path.field("utc_offset"),
            format!(
                "`{}` is not a UTC offset: write ±hh:mm between -18:00 and +18:00, such as +08:00",
                spec.utc_offset
            ),
        ));
    }

    let wpath = path.field("working_hours");
    let w = &spec.working_hours;
    let mut week: [Vec<Shift>; 7] = Default::default();
    let named = [
        ("mon", &w.mon),
        ("tue", &w.tue),
        ("wed", &w.wed),
        ("thu", &w.thu),
        ("fri", &w.fri),
        ("sat", &w.sat),
        ("sun", &w.sun),
    ];
    for (day, (name, list)) in week.iter_mut().zip(named) {
        *day = shifts(list, &wpath.field(name), d);
    }
    let week_listed = named.iter().any(|(_, list)| !list.is_empty());
    if !week_listed {
        d.push(Diagnostic::error(
            "no_working_time",
            &wpath,
            "the week has no working hours, so no deadline in working time could ever fall due",
        ));
    }
    let mpath = path.field("make_up_day_hours");
    let make_up = shifts(&spec.make_up_day_hours, &mpath, d);
    if spec.make_up_day_hours.is_empty() {
        d.push(Diagnostic::error(
            "empty_list",
            &mpath,
            "a make-up working day needs working hours, such as [\"08:30-12:00\", \"13:30-17:30\"]",
        ));
    }
    let hours = Hours { week, make_up };

    let ypath = path.field("years");
    let mut holidays = Vec::new();
    let mut years = Vec::new();
    for (key, year_spec) in &spec.years {
        let kpath = ypath.field(key);
        let Some(year) = parse_year(key) else {
            d.push(Diagnostic::error(
                "invalid_year",
                &kpath,
                format!(
                    "`{key}` is not a year: key each schedule by its four-digit year, such as \"2026\""
                ),
            ));
            continue;
        };
        let kinds = year_kinds(year, year_spec, &kpath, &hours, &mut holidays, d);
        // In order of year (after any equal one, as a stable sort would put it): a few tables,
        // and no sort instantiated for them.
        let at = years.partition_point(|(y, _)| *y <= year);
        years.insert(
            at,
            (year, YearTable::build(jan1_weekday(year), kinds, &hours)),
        );
    }
    coverage_warnings(&years, &ypath, d);

    let offset = match offset {
        Some(offset) if !d.iter().any(|x| x.severity == Severity::Error) => offset,
        _ => return Err(diagnostics),
    };
    let templates = std::array::from_fn(|i| {
        let mut jan1 = Weekday::Mon;
        for _ in 0..i / 2 {
            jan1 = jan1.succ();
        }
        YearTable::template(jan1, 365 + i % 2, &hours)
    });
    Ok(Calendar {
        offset,
        hours,
        coverage: spec.coverage,
        years,
        templates,
        holidays,
        years_path: ypath,
        warnings: diagnostics,
    })
}

/// Reads `±hh:mm`, at most 18 hours either way.
pub(super) fn parse_offset(text: &str) -> Option<FixedOffset> {
    let b = text.as_bytes();
    let [sign, h1, h2, b':', m1, m2] = *b else {
        return None;
    };
    let hours = two_digits(h1, h2)?;
    let minutes = two_digits(m1, m2)?;
    if minutes > 59 || hours * 60 + minutes > 18 * 60 {
        return None;
    }
    let seconds = i32::try_from((hours * 60 + minutes) * 60).ok()?;
    match sign {
        b'+' => FixedOffset::east_opt(seconds),
        b'-' => FixedOffset::west_opt(seconds),
        _ => None,
    }
}

fn parse_year(key: &str) -> Option<i32> {
    let year: i32 = key.parse().ok()?;
    (key.len() == 4 && key.bytes().all(|c| c.is_ascii_digit()) && year >= FIRST_YEAR)
        .then_some(year)
}

/// Reads `hh:mm` as minutes since midnight, 00:00 to 24:00.
fn parse_time(text: &str) -> Result<u16, (&'static str, String)> {
    let syntax = || {
        (
            "invalid_shift",
            format!("`{text}` is not a time: write hh:mm, such as 08:30"),
        )
    };
    let b = text.as_bytes();
    let [h1, h2, b':', m1, m2] = *b else {
        return Err(syntax());
    };
    let (Some(hours), Some(minutes)) = (two_digits(h1, h2), two_digits(m1, m2)) else {
        return Err(syntax());
    };
    if minutes > 59 || hours * 60 + minutes > 24 * 60 {
        return Err((
            "invalid_time",
            format!("`{text}` is not a time of day between 00:00 and 24:00"),
        ));
    }
    u16::try_from(hours * 60 + minutes).map_err(|_| syntax())
}

fn parse_shift(text: &str) -> Result<Shift, (&'static str, String)> {
    let Some((start, end)) = text.split_once('-') else {
        return Err((
            "invalid_shift",
            format!("`{text}` is not a shift: write \"hh:mm-hh:mm\", such as \"08:30-12:00\""),
        ));
    };
    let (start, end) = (parse_time(start)?, parse_time(end)?);
    if start >= end {
        return Err((
            "empty_shift",
            format!("the shift `{text}` does not end after it starts"),
        ));
    }
    Ok(Shift { start, end })
}

fn shifts(list: &[String], path: &JsonPath, d: &mut Vec<Diagnostic>) -> Vec<Shift> {
    let mut out: Vec<Shift> = Vec::with_capacity(list.len());
    for (i, text) in list.iter().enumerate() {
        match parse_shift(text) {
            Ok(shift) => {
                if let Some(previous) = out.last().filter(|p| shift.start < p.end) {
                    d.push(Diagnostic::error(
                        "overlapping_shifts",
                        &path.index(i),
                        format!(
                            "the shift `{text}` starts before the previous shift ends at {}: list shifts in order, without overlaps",
                            clock_text(previous.end)
                        ),
                    ));
                } else {
                    out.push(shift);
                }
            }
            Err((code, message)) => d.push(Diagnostic::error(code, &path.index(i), message)),
        }
    }
    out
}

fn clock_text(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Where a date was first listed, to name the clash when it is listed again.
enum Listed {
    Off(usize),
    Work,
}

fn year_kinds(
    year: i32,
    spec: &YearSpec,
    path: &JsonPath,
    hours: &Hours,
    holidays: &mut Vec<String>,
    d: &mut Vec<Diagnostic>,
) -> Vec<DayKind> {
    let mut kinds = vec![DayKind::Regular; days_in_year(year)];
    let mut listed: BTreeMap<NaiveDate, Listed> = BTreeMap::new();
    for (i, holiday) in spec.off.iter().enumerate() {
        let hpath = path.field("off").index(i);
        if holiday.name.trim().is_empty() {
            d.push(Diagnostic::error(
                "empty",
                &hpath.field("name"),
                "a holiday needs a name, such as \"春节 Spring Festival\"",
            ));
        }
        if holiday.dates.is_empty() {
            d.push(Diagnostic::error(
                "empty_list",
                &hpath.field("dates"),
                format!("the holiday `{}` lists no dates", holiday.name),
            ));
        }
        let index = holidays.len();
        holidays.push(holiday.name.clone());
        for (j, text) in holiday.dates.iter().enumerate() {
            let dpath = hpath.field("dates").index(j);
            let Some(date) = date_in_year(text, year, &dpath, d) else {
                continue;
            };
            match listed.get(&date) {
                Some(Listed::Off(other)) => d.push(Diagnostic::error(
                    "duplicate_date",
                    &dpath,
                    format!(
                        "{date} is already listed as a day off ({})",
                        holidays.get(*other).map_or("", String::as_str)
                    ),
                )),
                Some(Listed::Work) | None => {
                    listed.insert(date, Listed::Off(index));
                    // A policy file of at most 4 MB cannot list 2^32 holidays.
                    let index = u32::try_from(index).unwrap_or(u32::MAX);
                    set_kind(&mut kinds, date, DayKind::Off(index));
                }
            }
        }
    }
    for (j, text) in spec.work.iter().enumerate() {
        let dpath = path.field("work").index(j);
        let Some(date) = date_in_year(text, year, &dpath, d) else {
            continue;
        };
        match listed.get(&date) {
            Some(Listed::Off(holiday)) => d.push(Diagnostic::error(
                "off_and_work",
                &dpath,
                format!(
                    "{date} is listed both as a day off ({}) and as a make-up working day",
                    holidays.get(*holiday).map_or("", String::as_str)
                ),
            )),
            Some(Listed::Work) => d.push(Diagnostic::error(
                "duplicate_date",
                &dpath,
                format!("{date} is listed twice as a make-up working day"),
            )),
            None => {
                listed.insert(date, Listed::Work);
                set_kind(&mut kinds, date, DayKind::MakeUp);
                if !hours.shifts(DayKind::Regular, date.weekday()).is_empty() {
                    d.push(Diagnostic::warning(
                        "make_up_on_working_day",
                        &dpath,
                        format!(
                            "{date} is a {}, already a working day: make-up working days (调休上班) are usually weekend days; its hours become the make-up hours",
                            weekday_name(date.weekday())
                        ),
                    ));
                }
            }
        }
    }
    kinds
}

fn set_kind(kinds: &mut [DayKind], date: NaiveDate, kind: DayKind) {
    if let Some(slot) = kinds.get_mut(date.ordinal0() as usize) {
        *slot = kind;
    }
}

fn date_in_year(
    text: &str,
    year: i32,
    path: &JsonPath,
    d: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let Some(date) = parse_date(text) else {
        d.push(Diagnostic::error(
            "invalid_date",
            path,
            format!("`{text}` is not a date written YYYY-MM-DD, such as 2026-02-16"),
        ));
        return None;
    };
    if date.year() != year {
        d.push(Diagnostic::error(
            "date_outside_year",
            path,
            format!(
                "{date} is listed under {year}: list it under {}",
                date.year()
            ),
        ));
        return None;
    }
    Some(date)
}

fn coverage_warnings(years: &[(i32, YearTable)], path: &JsonPath, d: &mut Vec<Diagnostic>) {
    if years.is_empty() {
        d.push(Diagnostic::warning(
            "no_years",
            path,
            "the calendar covers no year: every date follows the weekday rule, without holidays or make-up days",
        ));
    }
    for pair in years.windows(2) {
        if let [(before, _), (after, _)] = pair {
            if after - before > 1 {
                d.push(Diagnostic::warning(
                    "calendar_gap",
                    path,
                    format!(
                        "the calendar covers {before} and {after} but not {}: dates in between follow the weekday rule, without holidays or make-up days",
                        year_span(before + 1, after - 1)
                    ),
                ));
            }
        }
    }
}

/// `2027` or `2027 to 2029`.
pub(super) fn year_span(first: i32, last: i32) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first} to {last}")
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_signed_hours_and_minutes() {
        assert_eq!(
            parse_offset("+08:00"),
            FixedOffset::east_opt(8 * 3600),
            "Beijing"
        );
        assert_eq!(
            parse_offset("-05:30"),
            FixedOffset::west_opt(5 * 3600 + 1800)
        );
        for bad in ["08:00", "+8:00", "+08", "Z", "+19:00", "+08:60", "+08:00 "] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        assert_eq!(
            parse_date("2026-02-16"),
            NaiveDate::from_ymd_opt(2026, 2, 16)
        );
        for bad in [
            "2026-2-16",
            "2026-02-30",
            "20260216",
            "2026/02/16",
            " 2026-02-16",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn shifts_read_hh_mm_ranges_up_to_midnight() {
        assert_eq!(
            parse_shift("13:30-24:00"),
            Ok(Shift {
                start: 810,
                end: 1440
            })
        );
        assert_eq!(
            parse_shift("8:30-12:00").map_err(|e| e.0),
            Err("invalid_shift")
        );
        assert_eq!(parse_shift("08:30").map_err(|e| e.0), Err("invalid_shift"));
        assert_eq!(
            parse_shift("23:00-24:30").map_err(|e| e.0),
            Err("invalid_time")
        );
        assert_eq!(
            parse_shift("12:00-12:00").map_err(|e| e.0),
            Err("empty_shift")
        );
    }

    #[test]
    fn year_keys_are_four_digit_years() {
        assert_eq!(parse_year("2026"), Some(2026));
        for bad in ["26", "+2026", "02026", "year", "1066"] {
            assert_eq!(parse_year(bad), None, "{bad}");
        }
    }
}
