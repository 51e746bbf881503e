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
    // The table is sorted, so the entries of one block of CJK characters are one run of it:
    // looking in that run alone takes about 2 comparisons instead of 11. Outside the CJK block,
    // the whole table.
    let run = usize::from(code)
        .checked_sub(CJK_FIRST)
        .map(|offset| offset >> BLOCK_BITS)
        .and_then(|block| Some((*BLOCK_STARTS.get(block)?, *BLOCK_STARTS.get(block + 1)?)))
        .and_then(|(from, to)| TRADITIONAL_TO_SIMPLIFIED.get(usize::from(from)..usize::from(to)))
        .unwrap_or(TRADITIONAL_TO_SIMPLIFIED);
    run.binary_search_by_key(&code, |&(traditional, _)| traditional)
        .ok()
        .and_then(|i| run.get(i))
        .and_then(|&(_, simple)| char::from_u32(u32::from(simple)))
        .unwrap_or(c)
}

/// The CJK Unified Ideographs block, where the traditional characters are, cut into blocks of
/// `1 << BLOCK_BITS` characters.
const CJK_FIRST: usize = 0x4E00;
const CJK_END: usize = 0xA000;
const BLOCK_BITS: u32 = 6;
const BLOCKS: usize = (CJK_END - CJK_FIRST) >> BLOCK_BITS;

/// For each block, the index of its first entry in `TRADITIONAL_TO_SIMPLIFIED` (and the table's
/// length at the end), computed when compiling.
const BLOCK_STARTS: [u16; BLOCKS + 1] = block_starts();

// Evaluated by the compiler: an index out of bounds or a table too long for u16 would fail the
// build, not a call.
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
const fn block_starts() -> [u16; BLOCKS + 1] {
    let table = TRADITIONAL_TO_SIMPLIFIED;
    assert!(table.len() <= u16::MAX as usize);
    let mut starts = [0u16; BLOCKS + 1];
    let mut block = 0;
    let mut i = 0;
    while block <= BLOCKS {
        let first = CJK_FIRST + (block << BLOCK_BITS);
        while i < table.len() && (table[i].0 as usize) < first {
            i += 1;
        }
        starts[block] = i as u16;
        block += 1;
    }
    starts
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
    // Most text is below the first one or among the CJK characters, where there is none.
    if code < 0xAD || (0x2070..0xFEFF).contains(&code) {
        return false;
    }
    let i = FORMAT_CHARACTERS.partition_point(|&(_, last)| last < code);
    FORMAT_CHARACTERS
        .get(i)
        .is_some_and(|&(first, _)| first <= code)
}

/// The length of `text` as a `u32` (a description is far shorter than 4 GiB).
fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

/// A description with its normalised form, a map from byte offsets to character indices, and a
/// map from each normalised character back to its place in the description.
pub(crate) struct NormalisedText {
    pub(super) normalised: String,
    pub(super) chars: Vec<char>,
    /// Byte offset in `normalised` of each character, plus the total length at the end. `u32`
    /// (a description is far shorter than 4 GiB): half the memory of `usize`, and for a long
    /// description an allocation under 1 KiB, which glibc serves without first consolidating
    /// its free lists.
    pub(super) byte_starts: Vec<u32>,
    /// For each character of `chars`, its index among the description's characters; then the
    /// description's length in characters. `None` when no character was dropped (nearly every
    /// description): then each character is the description's character of the same index.
    origin: Option<Vec<usize>>,
}

impl NormalisedText {
    pub(crate) fn new(description: &str) -> NormalisedText {
        let count = description.chars().count();
        let mut text = NormalisedText {
            normalised: String::with_capacity(description.len()),
            chars: Vec::with_capacity(count),
            byte_starts: Vec::with_capacity(count + 1),
            origin: None,
        };
        // Nearly every description holds no format character: until one comes, each character
        // is normalised and written down, nothing more (no index, no look ahead).
        let mut chars_in = description.chars();
        while let Some(c) = chars_in.next() {
            let c = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else if is_format_character(c) {
                text.read_from_format_character(c, chars_in, count);
                break;
            } else {
                normalise_char(c)
            };
            text.push(c);
        }
        text.finish(count);
        text
    }

    /// Closes the tables of a description of `count` characters: the end's byte offset, and
    /// the end's origin when one was written down.
    fn finish(&mut self, count: usize) {
        self.byte_starts.push(offset(&self.normalised));
        if let Some(origin) = &mut self.origin {
            origin.push(count);
        }
    }

    fn push(&mut self, c: char) {
        self.byte_starts.push(offset(&self.normalised));
        self.normalised.push(c);
        self.chars.push(c);
    }

    /// Reads the rest of a description of `count` characters from its first format character
    /// `first` on (`rest` follows it), dropping format characters and writing down where each
    /// character kept comes from.
    fn read_from_format_character(&mut self, first: char, rest: std::str::Chars<'_>, count: usize) {
        // Nothing was dropped before `first`: its index is the number of characters read.
        let from = self.chars.len();
        let mut chars_in = std::iter::once(first)
            .chain(rest)
            .enumerate()
            .map(|(i, c)| (from + i, c))
            .peekable();
        while let Some((index, c)) = chars_in.next() {
            let c = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else if is_format_character(c) {
                // A zero-width space between two words still separates them
                // ("burst\u{200B}pipe" reads "burst pipe"); every other format character is
                // dropped.
                let between_words = c == '\u{200B}'
                    && self.chars.last().is_some_and(char::is_ascii_alphanumeric)
                    && chars_in
                        .peek()
                        .is_some_and(|(_, next)| next.is_ascii_alphanumeric());
                if !between_words {
                    // From the first dropped character on, indices differ: write them down.
                    let read = self.chars.len();
                    self.origin.get_or_insert_with(|| {
                        let mut origin = Vec::with_capacity(count + 1);
                        origin.extend(0..read);
                        origin
                    });
                    continue;
                }
                ' '
            } else {
                normalise_char(c)
            };
            self.push(c);
            if let Some(origin) = &mut self.origin {
                origin.push(index);
            }
        }
    }

    /// The normalised characters.
    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The normalised characters `start..end` as text (a slice: no copy).
    pub(crate) fn text_of(&self, start: usize, end: usize) -> Option<&str> {
        let from = self.byte_start(start)?;
        let to = self.byte_start(end)?;
        self.normalised.get(from..to)
    }

    /// The byte offset of character `index` (or of the end, one past the last character).
    fn byte_start(&self, index: usize) -> Option<usize> {
        self.byte_starts
            .get(index)
            .and_then(|b| usize::try_from(*b).ok())
    }

    /// A span of the normalised characters as a span of the description.
    pub(crate) fn original(&self, span: Span) -> Span {
        let Some(origin) = &self.origin else {
            // Nothing dropped: the same indices, up to the end of the text.
            let end = if span.end > span.start && span.end <= self.chars.len() + 1 {
                span.end
            } else {
                span.start
            };
            return Span {
                start: span.start,
                end,
            };
        };
        let start = origin.get(span.start).copied().unwrap_or(span.start);
        let end = match span.end.checked_sub(1).and_then(|i| origin.get(i)) {
            Some(last) if span.end > span.start => last + 1,
            _ => start,
        };
        Span { start, end }
    }

    /// The index of the character starting at byte `byte` (or of the first after it).
    pub(super) fn char_index(&self, byte: usize) -> usize {
        self.byte_starts
            .partition_point(|b| usize::try_from(*b).is_ok_and(|b| b < byte))
    }

    /// The characters of the bytes `start..end` (on character boundaries), for matches met in
    /// order of their end, as a scan reports them: `cursor` (a character index, from 0) moves
    /// on to the match's end, then a span walks back from there to its start: a few steps
    /// instead of two binary searches per match. A match ending before the cursor (a scan
    /// reports none) takes a binary search.
    pub(super) fn span_from(&self, cursor: &mut usize, start: usize, end: usize) -> Span {
        let byte = |i: usize| self.byte_start(i).unwrap_or(usize::MAX);
        if byte(*cursor) > end {
            *cursor = self.char_index(end);
        }
        // Offsets strictly increase, so the first character at or after `end` is found by
        // going forward, and the first at or after `start` by going back from it.
        while byte(*cursor) < end {
            *cursor += 1;
        }
        let mut first = *cursor;
        while first > 0 && byte(first - 1) >= start {
            first -= 1;
        }
        Span {
            start: first,
            end: *cursor,
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
        let rest = self.chars.get(index..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        // Compared in place, character by character: no string is built for every term.
        let tail = rest.get(..len).unwrap_or_default();
        INFLECTIONS
            .iter()
            .any(|ending| ending.len() == len && ending.chars().eq(tail.iter().copied()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_lookup_finds_what_a_search_of_the_whole_table_finds() {
        let whole = |c: char| {
            u16::try_from(u32::from(c))
                .ok()
                .and_then(|code| {
                    TRADITIONAL_TO_SIMPLIFIED
                        .binary_search_by_key(&code, |&(t, _)| t)
                        .ok()
                })
                .and_then(|i| char::from_u32(u32::from(TRADITIONAL_TO_SIMPLIFIED[i].1)))
                .unwrap_or(c)
        };
        let mut changed = 0;
        for code in 0..0x1_0000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(simplified(c), whole(c), "{c:?}");
            changed += usize::from(simplified(c) != c);
        }
        assert_eq!(changed, TRADITIONAL_TO_SIMPLIFIED.len());
        assert_eq!(
            usize::from(BLOCK_STARTS[BLOCKS]),
            TRADITIONAL_TO_SIMPLIFIED.len()
        );
    }

    #[test]
    fn with_nothing_dropped_spans_map_as_through_an_identity_table() {
        let text = NormalisedText::new("阳台ＬＥＡＫ，leak");
        assert!(text.origin.is_none(), "nothing was dropped");
        let n = text.chars.len();
        let table = NormalisedText {
            normalised: text.normalised.clone(),
            chars: text.chars.clone(),
            byte_starts: text.byte_starts.clone(),
            origin: Some((0..=n).collect()),
        };
        for start in 0..n + 3 {
            for end in 0..n + 3 {
                let span = Span { start, end };
                assert_eq!(text.original(span), table.original(span), "{span:?}");
            }
        }
    }

    /// Characters the fast loop and the careful one treat differently, and others.
    const PIECES: &[&str] = &[
        "a", "B", "7", " ", "阳", "臺", "Ｌ", "\u{200B}", "\u{200D}", "\u{AD}", "’", "。", "é",
    ];

    proptest::proptest! {
        /// The loop for descriptions without format characters gives what the careful loop,
        /// run from the first character, gives.
        #[test]
        fn the_fast_loop_reads_as_the_careful_one(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
        ) {
            let description = pieces.concat();
            let fast = NormalisedText::new(&description);
            let count = description.chars().count();
            let mut careful = NormalisedText {
                normalised: String::new(),
                chars: Vec::new(),
                byte_starts: Vec::new(),
                origin: None,
            };
            let mut chars_in = description.chars();
            if let Some(first) = chars_in.next() {
                careful.read_from_format_character(first, chars_in, count);
            }
            careful.finish(count);
            proptest::prop_assert_eq!(&fast.normalised, &careful.normalised);
            proptest::prop_assert_eq!(&fast.chars, &careful.chars);
            proptest::prop_assert_eq!(&fast.byte_starts, &careful.byte_starts);
            proptest::prop_assert_eq!(&fast.origin, &careful.origin);
        }

        /// The cursor maps byte offsets met in any order as two binary searches do.
        #[test]
        fn the_cursor_maps_spans_as_binary_searches_do(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
            picks in proptest::collection::vec((0..64usize, 0..64usize), 0..20),
        ) {
            let text = NormalisedText::new(&pieces.concat());
            let n = text.chars.len();
            let mut cursor = 0;
            for (a, b) in picks {
                let (a, b) = ((a % (n + 1)), (b % (n + 1)));
                let (start, end) = (a.min(b), a.max(b));
                let bytes = |i: usize| usize::try_from(text.byte_starts[i]).unwrap();
                let (start_byte, end_byte) = (bytes(start), bytes(end));
                let span = text.span_from(&mut cursor, start_byte, end_byte);
                proptest::prop_assert_eq!(span, Span { start, end });
                proptest::prop_assert_eq!(
                    span,
                    Span { start: text.char_index(start_byte), end: text.char_index(end_byte) }
                );
            }
        }

        /// An ending is recognised in place as the list of endings says.
        #[test]
        fn an_inflection_is_read_in_place_as_the_list_says(
            tail in "[a-z]{0,5}",
            after in proptest::sample::select(&[" ", "7", "阳", ""][..]),
        ) {
            let text = NormalisedText::new(&format!("crack{tail}{after}"));
            proptest::prop_assert_eq!(text.inflection_at(5), INFLECTIONS.contains(&tail.as_str()));
        }
    }

    #[test]
    fn a_dropped_character_shifts_the_spans_after_it_only() {
        let text = NormalisedText::new("ab\u{200D}cd");
        assert_eq!(text.normalised, "abcd");
        let at = |start, end| text.original(Span { start, end });
        assert_eq!(at(0, 2), Span { start: 0, end: 2 });
        assert_eq!(at(2, 4), Span { start: 3, end: 5 });
        assert_eq!(at(1, 3), Span { start: 1, end: 4 });
    }
}
