//! Distinct words in the order first seen, each found again in logarithmic time.
//!
//! A policy's term, cue and cancelling lists are deduplicated when its matchers are compiled.
//! A generated or merged policy can hold hundreds of thousands of words; a linear search per
//! word made compiling one quadratic (about four minutes for 100 × the default's term lists,
//! `benches/scale.rs`, `scale/policy/compile`).

use std::collections::BTreeMap;

/// Words and the index each was first given.
#[derive(Debug)]
pub(crate) struct Interner<K> {
    index: BTreeMap<K, usize>,
}

impl<K: Ord> Interner<K> {
    pub(crate) fn new() -> Self {
        Interner {
            index: BTreeMap::new(),
        }
    }

    /// The word's index (the number of distinct words before it), and whether it is new.
    pub(crate) fn intern(&mut self, word: K) -> (usize, bool) {
        let next = self.index.len();
        match self.index.entry(word) {
            std::collections::btree_map::Entry::Occupied(seen) => (*seen.get(), false),
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(next);
                (next, true)
            }
        }
    }

    /// The distinct words, in the order first seen.
    pub(crate) fn into_words(self) -> Vec<K> {
        let mut words: Vec<(usize, K)> = self.index.into_iter().map(|(k, i)| (i, k)).collect();
        words.sort_unstable_by_key(|(i, _)| *i);
        words.into_iter().map(|(_, k)| k).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::cmp::Ordering;
    use std::rc::Rc;

    /// A word that counts the comparisons made with it.
    #[derive(Debug)]
    struct Counted {
        word: String,
        comparisons: Rc<Cell<u64>>,
    }

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Counted {}
    impl PartialOrd for Counted {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Counted {
        fn cmp(&self, other: &Self) -> Ordering {
            self.comparisons.set(self.comparisons.get() + 1);
            self.word.cmp(&other.word)
        }
    }

    #[test]
    fn words_keep_the_order_first_seen_and_repeats_get_the_first_index() {
        let mut interner = Interner::new();
        assert_eq!(interner.intern("渗水"), (0, true));
        assert_eq!(interner.intern("leak"), (1, true));
        assert_eq!(interner.intern("渗水"), (0, false));
        assert_eq!(interner.intern("crack"), (2, true));
        assert_eq!(interner.into_words(), ["渗水", "leak", "crack"]);
    }

    /// Compiling a large policy must not compare each word with every word before it: 20,000
    /// distinct words (then each again) take under a million comparisons, where a linear search
    /// took about 200 million.
    #[test]
    fn interning_n_words_takes_about_n_log_n_comparisons() {
        let comparisons = Rc::new(Cell::new(0));
        let word = |i: usize| Counted {
            word: format!("word{i}"),
            comparisons: Rc::clone(&comparisons),
        };
        let n = 20_000;
        let mut interner = Interner::new();
        for i in (0..n).chain(0..n) {
            interner.intern(word(i));
        }
        let words = interner.into_words();
        assert_eq!(words.len(), n);
        assert_eq!(words.first().map(|w| w.word.as_str()), Some("word0"));
        // 2n lookups of about 22 comparisons each (a B-tree searches each node of up to 11 keys
        // in order: about 900,000 in all), bounded at 40 each; a linear search makes 200 million.
        let bound = 2 * 40 * u64::try_from(n).unwrap_or(u64::MAX);
        assert!(
            comparisons.get() <= bound,
            "{} comparisons for {n} words (bound {bound})",
            comparisons.get()
        );
    }
}
