//! Normalising a description before it is read: one character for one (ASCII case, full-width
//! forms, curly apostrophes, traditional characters), with invisible format characters dropped and
//! every span mapped back to the text as written.

use crate::classify::traditional::TRADITIONAL_TO_SIMPLIFIED;

use super::{INFLECTIONS, Span, is_word_char};

/// Normalises one character: ASCII lower case, full-width ASCII to half-width, curly apostrophes
/// to straight ones, the ideographic space to a space, traditional Chinese characters to their
/// simplified forms. Always one character for one.
pub(crate) fn normalise_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{4E00}'..='\u{9FFF}' => simplified(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

pub(super) fn simplified(c: char) -> char {
    let Ok(code) = u16::try_from(u32::from(c)) else {
        return c;
    };
    TRADITIONAL_TO_SIMPLIFIED
        .binary_search_by_key(&code, |&(traditional, _)| traditional)
        .ok()
        .and_then(|i| TRADITIONAL_TO_SIMPLIFIED.get(i))
        .and_then(|&(_, simple)| char::from_u32(u32::from(simple)))
        .unwrap_or(c)
}

/// Normalises a whole string (used for the patterns, so they meet the text on equal terms).
pub(crate) fn normalise(text: &str) -> String {
    text.chars().map(normalise_char).collect()
}

/// Unicode format characters (general category Cf, Unicode 14; regenerate with
/// `python3 scripts/gen/format_chars.py`): invisible, and dropped before reading so that they
/// cannot hide a term from the rules or the model.
pub(super) const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether a character is an invisible format character (Cf).
pub(crate) fn is_format_character(c: char) -> bool {
    let code = u32::from(c);
    let i = FORMAT_CHARACTERS.partition_point(|&(_, last)| last < code);
    FORMAT_CHARACTERS
        .get(i)
        .is_some_and(|&(first, _)| first <= code)
}

/// A description with its normalised form, a map from byte offsets to character indices, and a
/// map from each normalised character back to its place in the description.
pub(crate) struct NormalisedText {
    pub(super) normalised: String,
    pub(super) chars: Vec<char>,
    /// Byte offset in `normalised` of each character, plus the total length at the end.
    pub(super) byte_starts: Vec<usize>,
    /// For each character of `chars`, its index among the description's characters; then the
    /// description's length in characters.
    pub(super) origin: Vec<usize>,
}

impl NormalisedText {
    pub(crate) fn new(description: &str) -> NormalisedText {
        let mut chars: Vec<char> = Vec::with_capacity(description.len());
        let mut normalised = String::with_capacity(description.len());
        let mut byte_starts: Vec<usize> = Vec::with_capacity(description.len() + 1);
        let mut origin: Vec<usize> = Vec::with_capacity(description.len() + 1);
        let mut total = 0;
        let mut chars_in = description.chars().enumerate().peekable();
        while let Some((index, c)) = chars_in.next() {
            total = index + 1;
            if is_format_character(c) {
                // A zero-width space between two words still separates them ("burst\u{200B}pipe"
                // reads "burst pipe"); every other format character is dropped.
                let between_words = c == '\u{200B}'
                    && chars.last().is_some_and(char::is_ascii_alphanumeric)
                    && chars_in
                        .peek()
                        .is_some_and(|(_, next)| next.is_ascii_alphanumeric());
                if !between_words {
                    continue;
                }
                byte_starts.push(normalised.len());
                normalised.push(' ');
                chars.push(' ');
                origin.push(index);
                continue;
            }
            let c = normalise_char(c);
            byte_starts.push(normalised.len());
            normalised.push(c);
            chars.push(c);
            origin.push(index);
        }
        byte_starts.push(normalised.len());
        origin.push(total);
        NormalisedText {
            normalised,
            chars,
            byte_starts,
            origin,
        }
    }

    /// The normalised characters.
    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The normalised characters `start..end` as text (a slice: no copy).
    pub(crate) fn text_of(&self, start: usize, end: usize) -> Option<&str> {
        let from = *self.byte_starts.get(start)?;
        let to = *self.byte_starts.get(end)?;
        self.normalised.get(from..to)
    }

    /// A span of the normalised characters as a span of the description.
    pub(crate) fn original(&self, span: Span) -> Span {
        let start = self.origin.get(span.start).copied().unwrap_or(span.start);
        let end = match span.end.checked_sub(1).and_then(|i| self.origin.get(i)) {
            Some(last) if span.end > span.start => last + 1,
            _ => start,
        };
        Span { start, end }
    }

    pub(super) fn char_index(&self, byte: usize) -> usize {
        self.byte_starts.partition_point(|b| *b < byte)
    }

    pub(super) fn span(&self, start_byte: usize, end_byte: usize) -> Span {
        Span {
            start: self.char_index(start_byte),
            end: self.char_index(end_byte),
        }
    }

    pub(super) fn letter_before(&self, index: usize) -> bool {
        index
            .checked_sub(1)
            .and_then(|i| self.chars.get(i))
            .is_some_and(char::is_ascii_alphabetic)
    }

    pub(super) fn word_char_before(&self, index: usize) -> bool {
        index
            .checked_sub(1)
            .and_then(|i| self.chars.get(i))
            .is_some_and(|c| is_word_char(*c))
    }

    /// True when the word running on from `index` is a permitted inflection (or nothing).
    pub(super) fn inflection_at(&self, index: usize) -> bool {
        let tail: String = self
            .chars
            .get(index..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        INFLECTIONS.contains(&tail.as_str())
    }

    pub(super) fn word_char_at(&self, index: usize) -> bool {
        self.chars.get(index).is_some_and(|c| is_word_char(*c))
    }

    /// Whether at most `max_cjk` CJK units and `max_words` words lie between `from` and `to`
    /// (a CJK unit is any other non-ASCII, non-space character; a word, a run of word
    /// characters), reading no further than needed to say no.
    pub(super) fn units_within(
        &self,
        from: usize,
        to: usize,
        max_cjk: usize,
        max_words: usize,
    ) -> bool {
        let Some(gap) = self.chars.get(from..to) else {
            return true;
        };
        let (mut cjk, mut words) = (0, 0);
        let mut in_word = false;
        for c in gap {
            if is_word_char(*c) {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
                if !c.is_ascii() && !c.is_whitespace() {
                    cjk += 1;
                }
            }
            if cjk > max_cjk || words > max_words {
                return false;
            }
        }
        true
    }
}
