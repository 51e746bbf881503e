//! Numbers written in a description (Arabic, Chinese and English numerals) and the quantities
//! they make with a unit ("3户", "over 20 households").

use super::{QuantityHit, Span, is_word_char};
use crate::classify::spec::UnitPosition;

#[derive(Debug)]
pub(super) struct CompiledQuantity {
    pub(super) units: Vec<(Vec<char>, u64, UnitPosition)>,
}

/// A number written in a description, with its value and span.
#[derive(Debug)]
pub(super) struct NumberToken {
    /// The value multiplied by 100, to keep two decimals ("1.5万") without floating point.
    centi: u128,
    span: Span,
}

pub(super) const MODIFIERS: &[char] = &['多', '余', '来', '几', '+', ' ', '个'];

impl CompiledQuantity {
    pub(super) fn attach(
        &self,
        quantity: usize,
        number: &NumberToken,
        chars: &[char],
    ) -> Option<QuantityHit> {
        // Where a unit written after the number starts (past 多, 余, a space...), and where one
        // written before it ends (before spaces): the same for every unit, so found once.
        let mut after = number.span.end;
        while chars.get(after).is_some_and(|c| MODIFIERS.contains(c)) {
            after += 1;
        }
        let mut before = number.span.start;
        while before > 0 && chars.get(before - 1) == Some(&' ') {
            before -= 1;
        }
        // Whether `unit` is written at `at`: its first character is compared first, as most
        // units differ there.
        let written_at = |unit: &[char], at: usize| {
            unit.first()
                .is_none_or(|first| chars.get(at) == Some(first))
                && chars.get(at..at + unit.len()) == Some(unit)
        };
        for (unit, multiplier, position) in &self.units {
            let span = match position {
                UnitPosition::After => {
                    let end = after + unit.len();
                    // The boundary is looked at only where the unit is written.
                    let found = written_at(unit, after)
                        && (!unit.first().is_some_and(|c| is_word_char(*c))
                            || !chars.get(end).is_some_and(|c| c.is_ascii_alphabetic()));
                    found.then_some(Span {
                        start: number.span.start,
                        end,
                    })
                }
                UnitPosition::Before => {
                    // A unit longer than the text before the number ends the search (as it
                    // always has): no later unit is tried.
                    let start = before.checked_sub(unit.len())?;
                    written_at(unit, start).then_some(Span {
                        start,
                        end: number.span.end,
                    })
                }
            };
            if let Some(span) = span {
                let value = number.centi.saturating_mul(u128::from(*multiplier)) / 100;
                return Some(QuantityHit {
                    quantity,
                    value: u64::try_from(value).unwrap_or(u64::MAX),
                    span,
                });
            }
        }
        None
    }
}

/// Finds numbers: Arabic digits with optional thousands separators and decimals, and Chinese
/// numerals (一二三...十百千, 两, 几十 read as 20). Each is handed to `found` in text order
/// (not gathered in a vector: the caller keeps only those with a unit).
pub(super) fn each_number(chars: &[char], mut found: impl FnMut(&NumberToken)) {
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        // Most characters start no number: each is told apart with a test or two, the ASCII
        // ones by their class, the others by whether they are a Chinese numeral.
        let parsed = if c.is_ascii_digit() {
            arabic(chars, &mut i)
        } else if c.is_ascii_alphabetic() {
            let at_word_start =
                i == 0 || !chars.get(i - 1).is_some_and(char::is_ascii_alphanumeric);
            if at_word_start {
                english(chars, &mut i)
            } else {
                None
            }
        } else if !c.is_ascii()
            && (chinese_digit(c).is_some() || matches!(c, '几' | '数' | '十' | '百'))
        {
            chinese(chars, &mut i)
        } else {
            None
        };
        match parsed {
            Some(centi) if i > start => found(&NumberToken {
                centi,
                span: Span { start, end: i },
            }),
            _ => i = start + 1,
        }
    }
}

pub(super) fn arabic(chars: &[char], i: &mut usize) -> Option<u128> {
    let mut whole: u128 = 0;
    while let Some(c) = chars.get(*i) {
        if let Some(d) = c.to_digit(10) {
            whole = whole.checked_mul(10)?.checked_add(u128::from(d))?;
            *i += 1;
        } else if *c == ',' && chars.get(*i + 1).is_some_and(char::is_ascii_digit) {
            *i += 1;
        } else {
            break;
        }
    }
    let mut centi = whole.checked_mul(100)?;
    if chars.get(*i) == Some(&'.') && chars.get(*i + 1).is_some_and(char::is_ascii_digit) {
        *i += 1;
        let mut scale = 10;
        while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
            centi = centi.checked_add(u128::from(d) * scale)?;
            scale /= 10;
            *i += 1;
        }
    }
    Some(centi)
}

/// Reads English number words: "twelve", "twenty-five", "forty two", "twenty-odd", "a dozen",
/// "dozens", "three hundred".
pub(super) fn english(chars: &[char], i: &mut usize) -> Option<u128> {
    let start = *i;
    let mut total: u128 = 0;
    let mut current: u128 = 0;
    let mut any = false;
    loop {
        let word_start = *i;
        let mut end = word_start;
        while chars.get(end).is_some_and(char::is_ascii_alphabetic) {
            end += 1;
        }
        let word = chars.get(word_start..end).unwrap_or_default();
        let Some(value) = may_be_number_word(word)
            .then(|| english_word_value(&word_of(Some(word))))
            .flatten()
        else {
            break;
        };
        any = true;
        match value {
            100 => current = current.max(1) * 100,
            1000 => {
                total += current.max(1) * 1000;
                current = 0;
            }
            v => current += v,
        }
        *i = end;
        // "twenty-five", "forty two", "twenty-odd": read on after a hyphen or a space.
        match (chars.get(*i), chars.get(*i + 1)) {
            (Some('-' | ' '), Some(c)) if c.is_ascii_alphabetic() => {
                if chars.get(*i + 1..*i + 4) == Some(&['o', 'd', 'd'][..]) {
                    *i += 4;
                    break;
                }
                *i += 1;
            }
            _ => break,
        }
    }
    // A separator that led to no further number word is not part of the number.
    while *i > start && matches!(chars.get(*i - 1), Some('-' | ' ')) {
        *i -= 1;
    }
    if !any {
        *i = start;
        return None;
    }
    Some((total + current) * 100)
}

/// An ASCII word as a string on the stack (no allocation for every word of an English text),
/// or an empty one when it is longer than any number word.
fn word_of(word: Option<&[char]>) -> WordBuffer {
    let mut buffer = WordBuffer {
        bytes: [0; LONGEST_NUMBER_WORD],
        len: 0,
    };
    let word = word.unwrap_or_default();
    if word.len() <= LONGEST_NUMBER_WORD {
        for (slot, c) in buffer.bytes.iter_mut().zip(word) {
            *slot = u8::try_from(*c).unwrap_or(0);
        }
        buffer.len = word.len();
    }
    buffer
}

/// Whether `word` may be one `english_word_value` knows: every one has 3 to 9 letters and
/// starts with one of eight. Most words of a text are told apart here, without being copied.
fn may_be_number_word(word: &[char]) -> bool {
    (3..=LONGEST_NUMBER_WORD).contains(&word.len())
        && word
            .first()
            .is_some_and(|c| matches!(c, 'o' | 't' | 'f' | 's' | 'e' | 'n' | 'd' | 'h'))
}

/// "seventeen" is the longest word `english_word_value` knows.
const LONGEST_NUMBER_WORD: usize = 9;

struct WordBuffer {
    bytes: [u8; LONGEST_NUMBER_WORD],
    len: usize,
}

impl std::ops::Deref for WordBuffer {
    type Target = str;
    fn deref(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

pub(super) fn english_word_value(word: &str) -> Option<u128> {
    Some(match word {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "dozen" => 12,
        "dozens" => 24,
        "hundred" | "hundreds" => 100,
        "thousand" => 1000,
        _ => return None,
    })
}

pub(super) fn chinese_digit(c: char) -> Option<u128> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

pub(super) fn chinese_unit(c: char) -> Option<u128> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Reads Chinese numerals below 10,000 (万 is left to the unit, as in 八十万元).
pub(super) fn chinese(chars: &[char], i: &mut usize) -> Option<u128> {
    let start = *i;
    let mut total: u128 = 0;
    let mut digit: Option<u128> = None;
    while let Some(c) = chars.get(*i) {
        if let Some(d) = chinese_digit(*c) {
            digit = Some(d);
        } else if *c == '几' || *c == '数' {
            digit = Some(2);
        } else if let Some(unit) = chinese_unit(*c) {
            total += digit.unwrap_or(1) * unit;
            digit = None;
        } else {
            break;
        }
        *i += 1;
    }
    total += digit.unwrap_or(0);
    // A lone 几 or 数 is not a number ("几户" says nothing about how many).
    let lone_vague = *i == start + 1 && matches!(chars.get(start), Some('几' | '数'));
    if *i == start || lone_vague || total == 0 {
        *i = start;
        return None;
    }
    Some(total * 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word `english_word_value` knows passes the quick test: the words of its match,
    /// read from this file, so that a word added there and not here fails.
    #[test]
    fn every_number_word_may_be_a_number_word() {
        let source = include_str!("numerals.rs");
        let body = source
            .split("pub(super) fn english_word_value")
            .nth(1)
            .and_then(|rest| rest.split("_ => return None").next())
            .unwrap_or_default();
        let words: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        assert!(words.len() >= 30, "{words:?}");
        for word in words {
            let chars: Vec<char> = word.chars().collect();
            assert!(english_word_value(word).is_some(), "{word}");
            assert!(may_be_number_word(&chars), "{word}");
        }
        for other in ["a", "of", "water", "zero", "million"] {
            let chars: Vec<char> = other.chars().collect();
            assert!(!may_be_number_word(&chars) || english_word_value(other).is_none());
        }
    }
}
