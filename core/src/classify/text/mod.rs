//! Reading a description: term matches (aho-corasick), negation, and quantities.
//!
//! The description is normalised one character for one character (ASCII case, full-width forms,
//! curly apostrophes, traditional Chinese characters), and invisible format characters (zero-width
//! spaces and joiners, soft hyphens, direction marks: Unicode category Cf) are dropped, so that
//! "阳\u{200B}台" still reads 阳台. Every span reported is mapped back to the text the customer
//! wrote, counted in Unicode scalar values (characters).

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Input, Match, MatchKind, PatternID};

use crate::error::{Diagnostic, JsonPath};

use super::spec::{NegationSpec, QuantitySpec};

mod intern;
mod normalise;
mod numerals;

use intern::Interner;
pub(crate) use normalise::{NormalisedText, normalise};
use numerals::{CompiledQuantity, each_number};

/// A half-open span `[start, end)` of a description, in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

/// One occurrence of a term in a description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TermHit {
    /// Which term lists the matched word belongs to.
    pub lists: Vec<usize>,
    pub span: Span,
    /// The negation cue that cancels this occurrence, if any.
    pub negated_by: Option<Span>,
    /// Lists for which a list-specific cue (a hedge) cancels this occurrence.
    pub cancelled_for: Vec<usize>,
}

/// One number with its unit found in a description: "12户", "80万元", "30 households".
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QuantityHit {
    pub quantity: usize,
    pub value: u64,
    pub span: Span,
}

/// Everything the conditions need to know about a description.
#[derive(Debug, Default)]
pub(crate) struct TextFacts {
    pub terms: Vec<TermHit>,
    pub quantities: Vec<QuantityHit>,
}

/// The compiled text matchers of a policy.
#[derive(Debug)]
pub(crate) struct TextMatcher {
    /// Every word of every list (terms, cues, scope breaks, sentence breaks, cancelling cues) in
    /// one automaton, so that a description is scanned once, not five times. The scan reports
    /// every occurrence of every word; the cue and break lists then keep what a leftmost-longest
    /// search of their own words would have found ([`leftmost_longest`]).
    words: Option<DFA>,
    /// For each pattern of `words`: which list it belongs to, and its index there.
    roles: Vec<Role>,
    /// A group holding an empty word, which a leftmost-longest search reports at every position
    /// where nothing longer starts (the overlapping scan cannot reproduce that): its own
    /// automaton, searched apart. `None` for every group of a real policy.
    separate: [Option<DFA>; GROUPS],
    /// For each term pattern: the lists containing the word, and whether the word must start
    /// at a word boundary (it begins with an ASCII letter or digit).
    term_patterns: Vec<(Vec<usize>, bool)>,
    /// For each term pattern: whether one of its lists masks another (most do not), so that
    /// only those are looked at as enclosing matches.
    term_masks: Vec<bool>,
    /// For each pattern of the cue group (cues and not-cues together, leftmost-longest, so
    /// "无法" wins over "无"): what kind of cue it is, and whether it must stand as a whole word.
    cue_patterns: Vec<(CueKind, bool)>,
    break_patterns: Vec<bool>,
    /// For each list, the lists whose nested matches it hides.
    masks: Vec<Vec<usize>>,
    /// List-specific cancelling cues; for each pattern, the lists it cancels and its word
    /// boundary need.
    cancel_patterns: Vec<(Vec<usize>, bool)>,
    max_gap: usize,
    max_gap_words: usize,
    quantities: Vec<CompiledQuantity>,
}

/// The word lists searched leftmost-longest, each apart from the others: in this order, the cues
/// (with the not-cues), the scope breaks, the sentence breaks and the cancelling cues.
const GROUPS: usize = 4;

/// What a pattern of the combined automaton is.
#[derive(Clone, Copy, Debug)]
enum Role {
    /// The term pattern with this index.
    Term(usize),
    /// The pattern with this index in a group (numbered as in [`GROUPS`]).
    Of(usize, usize),
}

/// A match of a word: the word's index (among the terms, or in its group) and its start and end
/// character.
type RawMatch = (usize, usize, usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CueKind {
    /// Negates a term within `max_gap` units.
    Reaching,
    /// Negates only a term that starts right after it.
    Adjacent,
    /// Looks like a cue but is not one (无法, 没人).
    NotCue,
}

/// A negation cue found in a description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cue {
    span: Span,
    adjacent_only: bool,
}

/// Endings an English term may take and still match: `crack` → `cracks`, `cracked`, `cracking`.
const INFLECTIONS: &[&str] = &[
    "", "s", "es", "ed", "d", "ing", "ings", "er", "ers", "y", "ies", "age",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn starts_with_word_char(word: &str) -> bool {
    word.chars().next().is_some_and(is_word_char)
}

fn build<P: AsRef<[u8]>>(patterns: &[P], kind: MatchKind) -> Result<Option<DFA>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    // A DFA directly rather than `AhoCorasick`, which links all three of the crate's automata
    // (its choice is made at run time) for the same speed here: 39 KiB less in the wasm package.
    DFA::builder()
        .match_kind(kind)
        .build(patterns)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The non-overlapping matches of `automaton` in `text`. An unanchored search of a DFA built as
/// above cannot fail; were it to, it would find nothing rather than panic.
fn matches<'a>(automaton: &'a DFA, text: &'a str) -> impl Iterator<Item = Match> + 'a {
    automaton
        .try_find_iter(Input::new(text))
        .into_iter()
        .flatten()
}

/// The lists whose nested matches `list` hides.
fn self_masks(masks: &[Vec<usize>], list: usize) -> impl Iterator<Item = &usize> {
    masks.get(list).into_iter().flatten()
}

/// Reduces every occurrence of a group's non-empty words to the matches a leftmost-longest search
/// reports: from the start of the text, of the matches starting first the longest (of equal ones,
/// the first word), then on from its end.
fn leftmost_longest(found: &mut Vec<RawMatch>) {
    found.sort_unstable_by_key(|&(word, start, end)| (start, std::cmp::Reverse(end), word));
    let mut next = 0;
    found.retain(|&(_, start, end)| {
        let kept = start >= next;
        if kept {
            next = end;
        }
        kept
    });
}

/// Whether a break (positions in text order) lies in `from..to`.
fn break_between(breaks: &[usize], from: usize, to: usize) -> bool {
    let first = breaks.partition_point(|b| *b < from);
    breaks.get(first).is_some_and(|b| *b < to)
}

/// The cancelling cues that reach a term: those that start before it with no sentence break
/// between. Cues are in text order and never overlap, so they are one run of the list: those
/// that start before the term and end after the last sentence break before it.
fn cancels_in_reach<'c, 'a>(
    cancels: &'c [(&'a [usize], Cue)],
    sentences: &[usize],
    term: Span,
) -> &'c [(&'a [usize], Cue)] {
    let before = cancels.partition_point(|(_, cue)| cue.span.start < term.start);
    let last_break = sentences
        .partition_point(|b| *b < term.start)
        .checked_sub(1)
        .and_then(|i| sentences.get(i));
    let first = last_break.map_or(0, |b| {
        cancels.partition_point(|(_, cue)| cue.span.end <= *b)
    });
    cancels.get(first..before).unwrap_or_default()
}

impl TextMatcher {
    /// Compiles the matchers. `lists` holds each term list's words; diagnostics point into
    /// `path` (the `classification` object).
    pub(crate) fn compile(
        lists: &[Vec<String>],
        cancels: &[Vec<String>],
        masks: Vec<Vec<usize>>,
        negation: &NegationSpec,
        quantities: &[QuantitySpec],
        path: &JsonPath,
    ) -> Result<TextMatcher, Vec<Diagnostic>> {
        let mut words = Interner::new();
        let mut term_patterns: Vec<(Vec<usize>, bool)> = Vec::new();
        for (list_index, list) in lists.iter().enumerate() {
            for word in list {
                let word = normalise(word);
                let boundary = starts_with_word_char(&word);
                match words.intern(word) {
                    (i, false) => {
                        if let Some((owners, _)) = term_patterns.get_mut(i) {
                            if !owners.contains(&list_index) {
                                owners.push(list_index);
                            }
                        }
                    }
                    (_, true) => term_patterns.push((vec![list_index], boundary)),
                }
            }
        }
        let words = words.into_words();
        let mut cue_words = Interner::new();
        let mut cue_patterns = Vec::new();
        for (kind, list) in [
            (CueKind::NotCue, &negation.not_cues),
            (CueKind::Reaching, &negation.cues),
            (CueKind::Adjacent, &negation.adjacent_cues),
        ] {
            for word in list {
                let word = normalise(word);
                let boundary = starts_with_word_char(&word);
                if cue_words.intern(word).1 {
                    cue_patterns.push((kind, boundary));
                }
            }
        }
        let cue_words = cue_words.into_words();
        let mut cancel_words = Interner::new();
        let mut cancel_patterns: Vec<(Vec<usize>, bool)> = Vec::new();
        for (list_index, list) in cancels.iter().enumerate() {
            for word in list {
                let word = normalise(word);
                let boundary = starts_with_word_char(&word);
                match cancel_words.intern(word) {
                    (i, false) => {
                        if let Some((owners, _)) = cancel_patterns.get_mut(i) {
                            owners.push(list_index);
                        }
                    }
                    (_, true) => cancel_patterns.push((vec![list_index], boundary)),
                }
            }
        }
        let cancel_words = cancel_words.into_words();
        let break_words: Vec<String> = negation.scope_breaks.iter().map(|w| normalise(w)).collect();
        let break_patterns = break_words
            .iter()
            .map(|w| starts_with_word_char(w))
            .collect();
        let sentence_words: Vec<String> = negation
            .sentence_breaks
            .iter()
            .map(|w| normalise(w))
            .collect();
        let fail = |which: &str, e: String| {
            vec![Diagnostic::error(
                "matcher_too_large",
                &path.field(which),
                format!("the word lists cannot be compiled: {e}"),
            )]
        };
        let groups: [(&[String], &str); GROUPS] = [
            (&cue_words, "negation"),
            (&break_words, "negation"),
            (&sentence_words, "negation"),
            (&cancel_words, "terms"),
        ];
        let mut all_words: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut roles: Vec<Role> = (0..words.len()).map(Role::Term).collect();
        let mut separate: [Option<DFA>; GROUPS] = Default::default();
        for (group, ((list, which), own)) in groups.iter().zip(&mut separate).enumerate() {
            if list.iter().any(String::is_empty) {
                *own = build(list, MatchKind::LeftmostLongest).map_err(|e| fail(which, e))?;
                continue;
            }
            for (i, word) in list.iter().enumerate() {
                all_words.push(word);
                roles.push(Role::Of(group, i));
            }
        }
        let term_masks = term_patterns
            .iter()
            .map(|(lists, _)| {
                lists
                    .iter()
                    .any(|l| self_masks(&masks, *l).next().is_some())
            })
            .collect();
        Ok(TextMatcher {
            words: build(&all_words, MatchKind::Standard).map_err(|e| fail("terms", e))?,
            roles,
            separate,
            term_patterns,
            term_masks,
            cue_patterns,
            masks,
            break_patterns,
            cancel_patterns,
            max_gap: usize::try_from(negation.max_gap).unwrap_or(usize::MAX),
            max_gap_words: usize::try_from(negation.max_gap_words).unwrap_or(usize::MAX),
            quantities: quantities
                .iter()
                .map(|q| CompiledQuantity {
                    units: q
                        .units
                        .iter()
                        .map(|u| {
                            (
                                normalise(&u.word).chars().collect(),
                                u.multiplier,
                                u.position,
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// Reads a description (the tests' shorthand for [`TextMatcher::read_text`]).
    #[cfg(test)]
    pub(crate) fn read(&self, description: &str) -> TextFacts {
        self.read_text(&NormalisedText::new(description))
    }

    /// Reads a normalised description: the classifier normalises once for the rules and the
    /// model.
    pub(crate) fn read_text(&self, text: &NormalisedText) -> TextFacts {
        let (found_terms, groups) = self.scan(text);
        let [found_cues, found_breaks, found_sentences, found_cancels] = &groups;
        let terms = self.unmasked(self.find_terms(text, found_terms));
        let cues = self.find_cues(text, found_cues, &terms);
        let breaks = self.find_breaks(text, found_breaks);
        let cancels = self.find_cancels(text, found_cancels);
        let sentences: Vec<usize> = found_sentences.iter().map(|&(_, start, _)| start).collect();
        let mut terms: Vec<TermHit> = terms
            .into_iter()
            .map(|(lists, span)| {
                let negated_by = self.negating_cue(text, &cues, span, &breaks);
                let in_reach = cancels_in_reach(&cancels, &sentences, span);
                let cancelled_for = lists
                    .iter()
                    .copied()
                    .filter(|list| in_reach.iter().any(|(owners, _)| owners.contains(list)))
                    .collect();
                TermHit {
                    lists,
                    span,
                    negated_by,
                    cancelled_for,
                }
            })
            .collect();
        let mut quantities = self.find_quantities(text);
        for term in &mut terms {
            term.span = text.original(term.span);
            term.negated_by = term.negated_by.map(|s| text.original(s));
        }
        for quantity in &mut quantities {
            quantity.span = text.original(quantity.span);
        }
        TextFacts { terms, quantities }
    }

    /// One scan of the description for every word: the term occurrences (pattern, start and end
    /// character, overlapping), and for each group the matches of a leftmost-longest search.
    fn scan(&self, text: &NormalisedText) -> (Vec<RawMatch>, [Vec<RawMatch>; GROUPS]) {
        // Room for a typical description's matches, so the vectors rarely grow. (Room for a long
        // description's, sized by its length, cost more than the growing saved: measured.)
        let mut terms = Vec::with_capacity(32);
        let mut groups: [Vec<RawMatch>; GROUPS] = std::array::from_fn(|_| Vec::with_capacity(16));
        let haystack = text.normalised.as_str();
        // Matches come in order of their end: one cursor maps them all to characters.
        let mut cursor = 0;
        let mut on_match = |pattern: PatternID, start: usize, end: usize| {
            let found = match self.roles.get(pattern.as_usize()) {
                Some(Role::Term(i)) => Some((*i, &mut terms)),
                Some(Role::Of(group, i)) => groups.get_mut(*group).map(|found| (*i, found)),
                None => None,
            };
            if let Some((i, found)) = found {
                let span = text.span_from(&mut cursor, start, end);
                found.push((i, span.start, span.end));
            }
        };
        if let Some(Ok(iter)) = self
            .words
            .as_ref()
            .map(|all| all.try_find_overlapping_iter(Input::new(haystack)))
        {
            for m in iter {
                on_match(m.pattern(), m.start(), m.end());
            }
        }
        for (found, own) in groups.iter_mut().zip(&self.separate) {
            match own {
                Some(own) => {
                    let mut cursor = 0;
                    *found = matches(own, haystack)
                        .map(|m| {
                            let span = text.span_from(&mut cursor, m.start(), m.end());
                            (m.pattern().as_usize(), span.start, span.end)
                        })
                        .collect();
                }
                None => leftmost_longest(found),
            }
        }
        (terms, groups)
    }

    /// The term occurrences that stand as words, as (term pattern, span), sorted by span.
    fn find_terms(&self, text: &NormalisedText, found: Vec<RawMatch>) -> Vec<(usize, Span)> {
        let mut hits: Vec<(usize, Span)> = found
            .into_iter()
            .filter_map(|(pattern, start, end)| {
                let (_, needs_boundary) = self.term_patterns.get(pattern)?;
                let span = Span { start, end };
                // A digit may run into a term ("1.5mm² cable"), a letter may not ("bleak").
                if *needs_boundary
                    && (text.letter_before(span.start) || !text.inflection_at(span.end))
                {
                    return None;
                }
                Some((pattern, span))
            })
            .collect();
        // Two words cannot match the same span (the patterns are distinct words): the order is
        // total, and an unstable sort gives what a stable one gives.
        hits.sort_unstable_by_key(|a| a.1);
        hits
    }

    /// Real cues, minus those that sit inside a term (the 没 of 没人回复 belongs to the term).
    fn find_cues(
        &self,
        text: &NormalisedText,
        found: &[RawMatch],
        terms: &[(Vec<usize>, Span)],
    ) -> Vec<Cue> {
        // The terms are sorted by start; the furthest end among the first i of them says at
        // once whether a position lies inside any term that starts at or before it.
        let furthest_end: Vec<usize> = terms
            .iter()
            .scan(0, |end, (_, t)| {
                *end = (*end).max(t.end);
                Some(*end)
            })
            .collect();
        found
            .iter()
            .filter_map(|&(pattern, start, end)| {
                let (kind, needs_boundary) = *self.cue_patterns.get(pattern)?;
                let span = Span { start, end };
                if needs_boundary
                    && (text.word_char_before(span.start) || text.word_char_at(span.end))
                {
                    return None;
                }
                let started = terms.partition_point(|(_, t)| t.start <= span.start);
                let inside_term = started
                    .checked_sub(1)
                    .and_then(|last| furthest_end.get(last))
                    .is_some_and(|end| span.start < *end);
                (kind != CueKind::NotCue && !inside_term).then_some(Cue {
                    span,
                    adjacent_only: kind == CueKind::Adjacent,
                })
            })
            .collect()
    }

    fn find_cancels(&self, text: &NormalisedText, found: &[RawMatch]) -> Vec<(&[usize], Cue)> {
        found
            .iter()
            .filter_map(|&(pattern, start, end)| {
                let (owners, needs_boundary) = self.cancel_patterns.get(pattern)?;
                let span = Span { start, end };
                if *needs_boundary
                    && (text.word_char_before(span.start) || text.word_char_at(span.end))
                {
                    return None;
                }
                Some((
                    owners.as_slice(),
                    Cue {
                        span,
                        adjacent_only: false,
                    },
                ))
            })
            .collect()
    }

    /// The lists of each term occurrence, minus those that a longer enclosing match masks;
    /// occurrences left with no list are dropped.
    fn unmasked(&self, hits: Vec<(usize, Span)>) -> Vec<(Vec<usize>, Span)> {
        let lists_of = |pattern: usize| {
            self.term_patterns
                .get(pattern)
                .map_or(&[][..], |(lists, _)| lists.as_slice())
        };
        // Only matches of a masking list (`term_masks`) can mask; most texts have none, and
        // then no occurrence is compared with any other.
        let maskers: Vec<(usize, Span)> = hits
            .iter()
            .filter(|(pattern, _)| self.term_masks.get(*pattern).copied().unwrap_or(false))
            .copied()
            .collect();
        let mut kept = Vec::with_capacity(hits.len());
        for &(pattern, inner) in &hits {
            let masking = maskers.iter().filter(|(_, outer)| {
                outer.start <= inner.start && inner.end <= outer.end && *outer != inner
            });
            let lists: Vec<usize> = if maskers.is_empty() {
                lists_of(pattern).to_vec()
            } else {
                lists_of(pattern)
                    .iter()
                    .copied()
                    .filter(|l| {
                        !masking.clone().any(|(outer, _)| {
                            lists_of(*outer)
                                .iter()
                                .any(|o| self_masks(&self.masks, *o).any(|m| m == l))
                        })
                    })
                    .collect()
            };
            if !lists.is_empty() {
                kept.push((lists, inner));
            }
        }
        kept
    }

    fn find_breaks(&self, text: &NormalisedText, found: &[RawMatch]) -> Vec<usize> {
        found
            .iter()
            .filter_map(|&(pattern, start, end)| {
                let needs_boundary = *self.break_patterns.get(pattern)?;
                let span = Span { start, end };
                if needs_boundary
                    && (text.word_char_before(span.start) || text.word_char_at(span.end))
                {
                    return None;
                }
                Some(span.start)
            })
            .collect()
    }

    /// The nearest cue before `term` that negates it. Cues are in text order and never overlap,
    /// so once a cue is cut off from the term (a scope break between them, or more units than
    /// the gap allows), so is every cue before it: the search stops there, and a long
    /// description costs each term the cues of its own scope, not every cue of the text.
    fn negating_cue(
        &self,
        text: &NormalisedText,
        cues: &[Cue],
        term: Span,
        breaks: &[usize],
    ) -> Option<Span> {
        let before = cues.partition_point(|cue| cue.span.start < term.start);
        for cue in cues.get(..before)?.iter().rev() {
            if self.negates(text, cue, term, breaks) {
                return Some(cue.span);
            }
            if cue.span.end < term.start
                && (break_between(breaks, cue.span.end, term.start)
                    || !self.within_gap(text, cue.span.end, term.start))
            {
                return None;
            }
        }
        None
    }

    /// A cue cancels a term when it starts before the term, no scope break lies between them,
    /// and at most `max_gap` units (CJK characters or English words) separate them.
    fn negates(&self, text: &NormalisedText, cue: &Cue, term: Span, breaks: &[usize]) -> bool {
        let cue_span = cue.span;
        if cue_span.start >= term.start {
            return false;
        }
        if cue.adjacent_only {
            return cue_span.end == term.start;
        }
        !break_between(breaks, cue_span.end, term.start)
            && self.within_gap(text, cue_span.end, term.start)
    }

    fn within_gap(&self, text: &NormalisedText, from: usize, to: usize) -> bool {
        text.units_within(from, to, self.max_gap, self.max_gap_words)
    }

    fn find_quantities(&self, text: &NormalisedText) -> Vec<QuantityHit> {
        let mut hits = Vec::new();
        each_number(&text.chars, |number| {
            for (quantity, compiled) in self.quantities.iter().enumerate() {
                if let Some(hit) = compiled.attach(quantity, number, &text.chars) {
                    hits.push(hit);
                }
            }
        });
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::spec::{QuantityUnit, UnitPosition};

    fn matcher(lists: &[&[&str]]) -> TextMatcher {
        matcher_with(lists, &negation_spec())
    }

    fn negation_spec() -> NegationSpec {
        NegationSpec {
            cues: [
                "无",
                "没有",
                "未",
                "不存在",
                "no",
                "not",
                "without",
                "nobody",
            ]
            .map(String::from)
            .to_vec(),
            adjacent_cues: vec!["不".to_owned()],
            not_cues: ["无法", "无人", "没有人来", "not only", "不断"]
                .map(String::from)
                .to_vec(),
            scope_breaks: ["，", ",", "。", "但", "but"].map(String::from).to_vec(),
            sentence_breaks: ["。", ". "].map(String::from).to_vec(),
            max_gap: 6,
            max_gap_words: 3,
        }
    }

    /// The cancelling cues of the fixture: for the first list only.
    const CANCELS: [&str; 2] = ["差点", "could"];

    fn matcher_with(lists: &[&[&str]], negation: &NegationSpec) -> TextMatcher {
        let lists: Vec<Vec<String>> = lists
            .iter()
            .map(|l| l.iter().map(|w| (*w).to_owned()).collect())
            .collect();
        let mut cancels = vec![Vec::new(); lists.len()];
        if let Some(first) = cancels.first_mut() {
            *first = CANCELS.map(String::from).to_vec();
        }
        let quantities = vec![
            QuantitySpec {
                description: None,
                units: vec![
                    QuantityUnit {
                        word: "户".into(),
                        multiplier: 1,
                        position: UnitPosition::After,
                    },
                    QuantityUnit {
                        word: "households".into(),
                        multiplier: 1,
                        position: UnitPosition::After,
                    },
                ],
            },
            QuantitySpec {
                description: None,
                units: vec![
                    QuantityUnit {
                        word: "million".into(),
                        multiplier: 1_000_000,
                        position: UnitPosition::After,
                    },
                    QuantityUnit {
                        word: "万元".into(),
                        multiplier: 10_000,
                        position: UnitPosition::After,
                    },
                    QuantityUnit {
                        word: "元".into(),
                        multiplier: 1,
                        position: UnitPosition::After,
                    },
                    QuantityUnit {
                        word: "¥".into(),
                        multiplier: 1,
                        position: UnitPosition::Before,
                    },
                ],
            },
        ];
        let masks = vec![Vec::new(); lists.len()];
        TextMatcher::compile(
            &lists,
            &cancels,
            masks,
            negation,
            &quantities,
            &JsonPath::root(),
        )
        .unwrap()
    }

    fn live(facts: &TextFacts) -> Vec<(usize, usize)> {
        facts
            .terms
            .iter()
            .filter(|t| t.negated_by.is_none() && t.cancelled_for.is_empty())
            .map(|t| (t.span.start, t.span.end))
            .collect()
    }

    #[test]
    fn negation_cancels_only_within_its_clause() {
        let m = matcher(&[&["安全隐患", "漏水", "裂缝"]]);
        assert!(live(&m.read("外墙轻微色差，无安全隐患")).is_empty());
        assert_eq!(live(&m.read("没有漏水，但是墙面有裂缝")), vec![(10, 12)]);
        assert!(live(&m.read("经检查未发现任何漏水")).is_empty());
        assert_eq!(live(&m.read("无法入住，漏水严重")), vec![(5, 7)]);
    }

    #[test]
    fn an_adjacent_cue_reaches_only_the_next_term() {
        let m = matcher(&[&["漏水", "危险"]]);
        assert!(live(&m.read("屋顶已经不漏水了")).is_empty());
        assert_eq!(live(&m.read("不知为何一直漏水")).len(), 1);
        assert_eq!(
            live(&m.read("卫生间不断漏水")).len(),
            1,
            "不断 is not a negation"
        );
    }

    #[test]
    fn list_specific_cues_cancel_only_their_list() {
        let m = matcher(&[&["砸伤", "hurt"], &["砸"]]);
        let facts = m.read("差点砸伤小孩");
        assert_eq!(facts.terms.len(), 2);
        assert!(facts.terms.iter().all(|t| t.negated_by.is_none()));
        let injury = facts.terms.iter().find(|t| t.lists == [0]).unwrap();
        let falling = facts.terms.iter().find(|t| t.lists == [1]).unwrap();
        assert_eq!(
            injury.cancelled_for,
            [0],
            "the hedge cancels the injury list"
        );
        assert!(falling.cancelled_for.is_empty(), "and no other list");
        assert!(m.read("someone could get hurt").terms[0].cancelled_for == vec![0]);
    }

    #[test]
    fn a_cue_inside_a_term_belongs_to_the_term() {
        let m = matcher(&[&["没有回复"], &["漏水"]]);
        let facts = m.read("没有回复漏水问题");
        assert_eq!(live(&facts), vec![(0, 4), (4, 6)]);
    }

    #[test]
    fn english_terms_match_at_word_starts_and_negate_by_words() {
        let m = matcher(&[&["leak", "crack"]]);
        assert_eq!(
            live(&m.read("The roof LEAKS and walls are cracking")),
            vec![(9, 13), (29, 34)]
        );
        assert!(live(&m.read("there is no sign of any leak")).is_empty());
        assert!(
            live(&m.read("bleak outlook")).is_empty(),
            "leak inside bleak"
        );
        assert!(
            live(&m.read("a crackdown")).is_empty(),
            "not an inflection of crack"
        );
        assert_eq!(live(&m.read("no leak, but a crack")).len(), 1);
        assert_eq!(
            live(&m.read("Nobody came to fix the leak")).len(),
            1,
            "gap of 4 words"
        );
        assert!(live(&m.read("there is no evidence of any leak")).is_empty());
        assert_eq!(
            live(&m.read("no evidence at all of any leak")).len(),
            1,
            "5 words is too far"
        );
    }

    #[test]
    fn spans_count_characters_of_the_original_text() {
        let m = matcher(&[&["leak"]]);
        let facts = m.read("ＬＥＡＫ");
        assert_eq!(
            live(&facts),
            vec![(0, 4)],
            "full-width letters match and keep their span"
        );
    }

    #[test]
    fn format_characters_cannot_hide_a_term_and_spans_stay_in_the_written_text() {
        let m = matcher(&[&["阳台护栏"], &["漏水"]]);
        let facts = m.read("一\u{200B}阳\u{200B}台护\u{2060}栏松动，\u{FEFF}漏水");
        assert_eq!(
            live(&facts),
            vec![(2, 8), (12, 14)],
            "the zero-width characters are skipped, and the spans cover them as written"
        );
    }

    #[test]
    fn no_invisible_format_character_splits_a_term_in_chinese_or_english() {
        // Zero-width space and joiner, byte-order mark, soft hyphen, and the bidi marks and
        // overrides: each hides nothing, and the span covers the term as written.
        let m = matcher(&[&["阳台护栏"], &["leak"]]);
        for mark in [
            '\u{200B}', '\u{200D}', '\u{FEFF}', '\u{AD}', '\u{200E}', '\u{200F}', '\u{202E}',
            '\u{2066}',
        ] {
            let chinese = format!("阳台{mark}护栏松动");
            assert_eq!(live(&m.read(&chinese)), vec![(0, 5)], "{mark:?} in Chinese");
            let english = format!("a le{mark}ak");
            let want = if mark == '\u{200B}' {
                // Between two letters a zero-width space is read as the word break it is used as
                // ("burst\u{200B}pipe", below), so it does split an English word.
                vec![]
            } else {
                vec![(2, 7)]
            };
            assert_eq!(live(&m.read(&english)), want, "{mark:?} in English");
        }
    }

    #[test]
    fn a_zero_width_space_between_words_still_separates_them() {
        let m = matcher(&[&["pipe"]]);
        assert_eq!(live(&m.read("burst\u{200B}pipe")), vec![(6, 10)]);
        assert_eq!(
            live(&m.read("burst\u{2060}pipe")),
            vec![],
            "a word joiner joins"
        );
    }

    #[test]
    fn traditional_characters_meet_simplified_terms_and_keep_their_span() {
        let m = matcher(&[&["漏水", "律师函"]]);
        assert_eq!(live(&m.read("天花板漏水")), vec![(3, 5)]);
        assert_eq!(live(&m.read("樓上漏水，已寄律師函")), vec![(2, 4), (7, 10)]);
        // Negation reads traditional text too: 沒有 is 没有.
        assert!(live(&m.read("沒有漏水")).is_empty());
        // A term written in traditional characters meets simplified text as well.
        let m = matcher(&[&["樓頂"]]);
        assert_eq!(live(&m.read("楼顶")), vec![(0, 2)]);
    }

    #[test]
    fn the_traditional_table_is_sorted_and_maps_to_other_characters() {
        let table = crate::classify::traditional::TRADITIONAL_TO_SIMPLIFIED;
        assert!(table.len() > 1000);
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(table.iter().all(|(t, s)| t != s));
        assert_eq!(super::normalise("醫院裡來電話說"), "医院里来电话说");
    }

    #[test]
    fn quantities_read_digits_and_chinese_numerals() {
        let m = matcher(&[]);
        let values = |t: &str| -> Vec<(usize, u64)> {
            m.read(t)
                .quantities
                .iter()
                .map(|q| (q.quantity, q.value))
                .collect()
        };
        assert_eq!(values("12户业主联名投诉"), vec![(0, 12)]);
        assert_eq!(values("三十多户受影响"), vec![(0, 30)]);
        assert_eq!(values("损失约80万元"), vec![(1, 800_000)]);
        assert_eq!(values("损失1.5万元"), vec![(1, 15_000)]);
        assert_eq!(values("about 45 households"), vec![(0, 45)]);
        assert_eq!(values("claim ¥600,000"), vec![(1, 600_000)]);
        assert_eq!(values("几十户"), vec![(0, 20)]);
        assert_eq!(values("十几户业主"), vec![(0, 12)]);
        assert_eq!(values("twenty-odd households"), vec![(0, 20)]);
        assert_eq!(values("about forty two households"), vec![(0, 42)]);
        assert!(
            values("dozens of households").is_empty(),
            "the unit must follow"
        );
        assert_eq!(values("fifteen households"), vec![(0, 15)]);
        assert_eq!(values("RMB 1.2 million"), vec![(1, 1_200_000)]);
        assert!(values("几户人家").is_empty());
    }

    /// What each list's own automaton finds, the way the matcher searched before it scanned
    /// once for every word: the terms (overlapping, sorted by position) and, for each group,
    /// the matches of a leftmost-longest search of the group's words alone. Byte offsets are
    /// mapped to characters by a binary search each, as they were before the scan's cursor.
    fn separate_scans(
        terms: &[&str],
        negation: &NegationSpec,
        text: &NormalisedText,
    ) -> (Vec<RawMatch>, Vec<Vec<RawMatch>>) {
        fn norm<S: AsRef<str>>(words: &[S]) -> Vec<String> {
            words.iter().map(|w| normalise(w.as_ref())).collect()
        }
        let haystack = text.normalised.as_str();
        let term_words = norm(terms);
        let mut found_terms: Vec<RawMatch> = build(&term_words, MatchKind::Standard)
            .unwrap()
            .map(|dfa| {
                dfa.try_find_overlapping_iter(Input::new(haystack))
                    .unwrap()
                    .map(|m| {
                        let (start, end) = (text.char_index(m.start()), text.char_index(m.end()));
                        (m.pattern().as_usize(), start, end)
                    })
                    .collect()
            })
            .unwrap_or_default();
        found_terms.sort_by_key(|&(p, start, end)| (start, end, p));
        let cue_words: Vec<String> = [&negation.not_cues, &negation.cues, &negation.adjacent_cues]
            .into_iter()
            .flatten()
            .map(|w| normalise(w))
            .collect();
        let groups = [
            cue_words,
            norm(&negation.scope_breaks),
            norm(&negation.sentence_breaks),
            norm(&CANCELS),
        ]
        .iter()
        .map(|words| {
            build(words, MatchKind::LeftmostLongest)
                .unwrap()
                .map(|dfa| {
                    matches(&dfa, haystack)
                        .map(|m| {
                            let start = text.char_index(m.start());
                            (m.pattern().as_usize(), start, text.char_index(m.end()))
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
        (found_terms, groups)
    }

    /// Pieces of the fixture's words and a few other characters: random texts made of them
    /// are full of overlapping and nested words, cues, not-cues and breaks.
    const PIECES: &[&str] = &[
        "无",
        "法",
        "人",
        "没有",
        "来",
        "未",
        "不",
        "断",
        "存在",
        "，",
        ",",
        "。",
        ". ",
        "但",
        "but",
        "no",
        "not",
        " ",
        "only",
        "t",
        "with",
        "out",
        "body",
        "leak",
        "s",
        "漏水",
        "裂",
        "缝",
        "差点",
        "could",
        "x",
        "阳台",
        "护栏",
        "安全隐患",
        "没有回复",
    ];

    proptest::proptest! {
        #[test]
        fn one_scan_finds_what_each_list_s_own_search_finds(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40),
            empty_break in proptest::bool::ANY,
        ) {
            let terms = ["安全隐患", "漏水", "裂缝", "没有回复", "leak", "no", "阳台护栏", "护栏"];
            let mut negation = negation_spec();
            if empty_break {
                // A group with an empty word keeps its own search; the others still share one.
                negation.scope_breaks.push(String::new());
            }
            let m = matcher_with(&[&terms], &negation);
            let text = NormalisedText::new(&pieces.concat());
            let (mut found_terms, groups) = m.scan(&text);
            found_terms.sort_by_key(|&(p, start, end)| (start, end, p));
            let (want_terms, want_groups) = separate_scans(&terms, &negation, &text);
            proptest::prop_assert_eq!(found_terms, want_terms);
            proptest::prop_assert_eq!(groups.to_vec(), want_groups);
        }
    }
}
