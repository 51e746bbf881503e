//! Conditions: compiled from the policy, evaluated on a report, with the evidence that made them
//! true.

use crate::error::{Diagnostic, JsonPath};
use crate::intake::{Fact, Facts};

use super::spec::{Condition, OneOrMany};
use super::text::{TermHit, TextFacts};
use super::{Evidence, FactValue, MAX_EVIDENCE_PER_RULE, NegatedTerm};

/// A checked condition. Lists and quantities are referred to by index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cond {
    Any(Vec<Cond>),
    All(Vec<Cond>),
    Not(Box<Cond>),
    /// Indices of term lists, and whether each list has words at all.
    Mentions(Vec<(usize, bool)>),
    /// Term lists of which a negated mention is sought.
    Negated(Vec<(usize, bool)>),
    /// A fact and the least value that satisfies it (1 for yes/no facts).
    Fact(Fact, u64),
    Quantity(usize, u64),
}

impl Cond {
    /// False when no report can make the condition true.
    pub(crate) fn can_fire(&self) -> bool {
        match self {
            Cond::Any(cs) => cs.iter().any(Cond::can_fire),
            Cond::All(cs) => {
                cs.iter().all(Cond::can_fire)
                    && !cs.iter().any(|c| match c {
                        Cond::Not(inner) => cs.contains(inner),
                        _ => false,
                    })
            }
            Cond::Not(inner) => !inner.always_true(),
            Cond::Mentions(lists) | Cond::Negated(lists) => {
                lists.iter().any(|(_, has_words)| *has_words)
            }
            Cond::Fact(fact, at_least) => !fact.is_boolean() || *at_least <= 1,
            Cond::Quantity(_, _) => true,
        }
    }

    /// True when every report makes the condition true.
    pub(crate) fn always_true(&self) -> bool {
        match self {
            Cond::Any(cs) => cs.iter().any(Cond::always_true),
            Cond::All(cs) => cs.iter().all(Cond::always_true),
            Cond::Not(inner) => !inner.can_fire(),
            Cond::Mentions(_) | Cond::Negated(_) | Cond::Fact(_, _) | Cond::Quantity(_, _) => false,
        }
    }
}

/// Names the conditions may refer to.
pub(crate) struct Names<'a> {
    pub lists: &'a [String],
    pub empty_lists: &'a [bool],
    pub quantities: &'a [String],
}

/// Checks a condition, recording a diagnostic for each problem; `None` when any was found.
pub(crate) fn compile_condition(
    condition: &Condition,
    path: &JsonPath,
    names: &Names<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Cond> {
    let before = diagnostics.len();
    let compiled = compile(condition, path, names, diagnostics);
    (diagnostics.len() == before).then_some(compiled)
}

fn compile(
    condition: &Condition,
    path: &JsonPath,
    names: &Names<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cond {
    let group = |items: &[Condition], key: &str, diagnostics: &mut Vec<Diagnostic>| -> Vec<Cond> {
        if items.is_empty() {
            diagnostics.push(Diagnostic::error(
                "empty_condition",
                &path.field(key),
                format!("`{key}` needs at least one condition"),
            ));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, c)| compile(c, &path.field(key).index(i), names, diagnostics))
            .collect()
    };
    match condition {
        Condition::Any(any) => Cond::Any(group(&any.any, "any", diagnostics)),
        Condition::All(all) => Cond::All(group(&all.all, "all", diagnostics)),
        Condition::Not(not) => Cond::Not(Box::new(compile(
            &not.not,
            &path.field("not"),
            names,
            diagnostics,
        ))),
        Condition::Mentions(m) => Cond::Mentions(list_refs(
            &m.mentions,
            &path.field("mentions"),
            names,
            diagnostics,
        )),
        Condition::Negated(n) => Cond::Negated(list_refs(
            &n.negated,
            &path.field("negated"),
            names,
            diagnostics,
        )),
        Condition::Fact(test) => {
            let fact = test.fact;
            match (fact.is_boolean(), test.at_least) {
                (true, Some(n)) if n != 1 => {
                    diagnostics.push(Diagnostic::error(
                        "invalid_fact_test",
                        &path.field("at_least"),
                        format!("`{}` is a yes/no fact: leave out `at_least`", fact.as_str()),
                    ));
                    Cond::Fact(fact, n)
                }
                (true, _) => Cond::Fact(fact, 1),
                (false, None) => {
                    diagnostics.push(Diagnostic::error(
                        "invalid_fact_test",
                        &path.field("at_least"),
                        format!(
                            "`{}` is a number: say how much with `at_least`",
                            fact.as_str()
                        ),
                    ));
                    Cond::Fact(fact, 1)
                }
                (false, Some(0)) => {
                    diagnostics.push(Diagnostic::error(
                        "always_true",
                        &path.field("at_least"),
                        format!(
                            "`at_least: 0` holds for every report, even without `{}`",
                            fact.as_str()
                        ),
                    ));
                    Cond::Fact(fact, 0)
                }
                (false, Some(n)) => Cond::Fact(fact, n),
            }
        }
        Condition::Quantity(test) => {
            match names.quantities.iter().position(|q| *q == test.quantity) {
                Some(index) => Cond::Quantity(index, test.at_least),
                None => {
                    diagnostics.push(Diagnostic::error(
                        "unknown_quantity",
                        &path.field("quantity"),
                        format!(
                            "no quantity is named `{}` under classification.quantities",
                            test.quantity
                        ),
                    ));
                    Cond::Quantity(0, test.at_least)
                }
            }
        }
    }
}

fn list_refs(
    refs: &OneOrMany,
    path: &JsonPath,
    names: &Names<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(usize, bool)> {
    if refs.names().is_empty() {
        diagnostics.push(Diagnostic::error(
            "empty_condition",
            path,
            "name at least one term list",
        ));
    }
    let mut lists = Vec::new();
    for (i, name) in refs.names().iter().enumerate() {
        match names.lists.iter().position(|l| l == name) {
            Some(index) => {
                let has_words = !names.empty_lists.get(index).copied().unwrap_or(true);
                lists.push((index, has_words));
            }
            None => diagnostics.push(Diagnostic::error(
                "unknown_term_list",
                &match refs {
                    OneOrMany::One(_) => path.clone(),
                    OneOrMany::Many(_) => path.index(i),
                },
                format!("no term list is named `{name}` under classification.terms"),
            )),
        }
    }
    lists
}

/// Evidence as found while a condition is read: positions in the reading of the report, not yet
/// copied into strings. Two items are equal exactly when the [`Evidence`] they become is equal
/// (list and quantity names are unique, and a span determines its text), so duplicates are
/// removed and the per-rule limit applied before any string is copied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    Text {
        list: usize,
        start: usize,
        end: usize,
    },
    Fact {
        fact: Fact,
        value: u64,
    },
    Quantity {
        quantity: usize,
        value: u64,
        start: usize,
        end: usize,
    },
}

/// What a condition is evaluated against.
pub(crate) struct Context<'a> {
    pub text: &'a TextFacts,
    /// The description as written: evidence quotes it by character spans.
    pub description: &'a str,
    /// The byte offset of each character of the description followed by its length; empty when
    /// the description is ASCII, where a character's offset is its index.
    char_starts: Vec<usize>,
    pub facts: &'a Facts,
    pub list_names: &'a [String],
    pub list_negatable: &'a [bool],
    pub quantity_names: &'a [String],
    /// The hits each term list owns, for `mentions` and `negated`.
    owners: Owners,
}

/// The term hits each list owns, grouped by a key: list `l`'s counting hits under `l`, its
/// negated hits under `lists + l`. The hits of key `k` are indices into `TextFacts::terms`, in
/// text order: `hits[starts[k]..starts[k + 1]]`. Conditions then find their hits without reading
/// every hit of the text.
struct Owners {
    lists: usize,
    starts: Vec<usize>,
    hits: Vec<usize>,
}

impl Owners {
    /// Groups the hits by key, by a counting sort: one pass counts, one places them.
    fn new(terms: &[TermHit], lists: usize, list_negatable: &[bool]) -> Owners {
        let mut starts = vec![0usize; 2 * lists + 1];
        for hit in terms {
            Owners::keys(hit, lists, list_negatable, |key| {
                if let Some(count) = starts.get_mut(key) {
                    *count += 1;
                }
            });
        }
        // Running totals: `starts[k]` becomes the end of key `k`'s hits; placing them from the
        // last hit backwards moves it back to their start.
        let mut total = 0;
        for at in &mut starts {
            total += *at;
            *at = total;
        }
        let mut hits = vec![0usize; total];
        for (index, hit) in terms.iter().enumerate().rev() {
            Owners::keys(hit, lists, list_negatable, |key| {
                if let Some(at) = starts.get_mut(key) {
                    *at -= 1;
                    if let Some(slot) = hits.get_mut(*at) {
                        *slot = index;
                    }
                }
            });
        }
        Owners {
            lists,
            starts,
            hits,
        }
    }

    /// The keys a hit is owned under. A hit counts for a list unless a hedge of the list cancels
    /// it, or it is negated and the list is negatable.
    fn keys(hit: &TermHit, lists: usize, list_negatable: &[bool], mut key: impl FnMut(usize)) {
        let negated = hit.negated_by.is_some();
        for &list in &hit.lists {
            if !hit.cancelled_for.contains(&list)
                && (!negated || !list_negatable.get(list).copied().unwrap_or(true))
            {
                key(list);
            }
            if negated {
                key(lists + list);
            }
        }
    }

    /// The hits `list` owns (its negated hits when `negated`), in text order.
    fn of(&self, list: usize, negated: bool) -> &[usize] {
        let key = if negated { self.lists + list } else { list };
        let from = self.starts.get(key).copied().unwrap_or(0);
        let to = self.starts.get(key + 1).copied().unwrap_or(0);
        self.hits.get(from..to).unwrap_or_default()
    }

    /// Whether any of `lists` owns a hit (its range of hits is not empty).
    fn any(&self, lists: &[(usize, bool)], negated: bool) -> bool {
        let offset = if negated { self.lists } else { 0 };
        lists.iter().any(|(l, _)| {
            let key = offset + l;
            matches!(
                (self.starts.get(key), self.starts.get(key + 1)),
                (Some(from), Some(to)) if from < to
            )
        })
    }
}

impl<'a> Context<'a> {
    /// A context over what was read from one report.
    pub(crate) fn new(
        text: &'a TextFacts,
        description: &'a str,
        facts: &'a Facts,
        list_names: &'a [String],
        list_negatable: &'a [bool],
        quantity_names: &'a [String],
    ) -> Context<'a> {
        let char_starts = if description.is_ascii() {
            Vec::new()
        } else {
            let mut starts = Vec::with_capacity(description.len() + 1);
            starts.extend(description.char_indices().map(|(at, _)| at));
            starts.push(description.len());
            starts
        };
        Context {
            text,
            description,
            char_starts,
            facts,
            list_names,
            list_negatable,
            quantity_names,
            owners: Owners::new(&text.terms, list_names.len(), list_negatable),
        }
    }
}

impl Context<'_> {
    /// The evidence when the condition holds, `None` when it does not. `found` is scratch space,
    /// reused from rule to rule so that reading a condition allocates nothing.
    pub(crate) fn evaluate(
        &self,
        condition: &Cond,
        found: &mut Vec<Found>,
    ) -> Option<Vec<Evidence>> {
        // Most rules do not fire: decide first without collecting anything, then collect the
        // evidence of the rules that do (the same conditions, read the same way).
        if !self.truth(condition) {
            return None;
        }
        found.clear();
        self.collect(condition, found);
        found.dedup();
        found.truncate(MAX_EVIDENCE_PER_RULE);
        Some(found.iter().map(|f| self.evidence(*f)).collect())
    }

    /// The evidence a found item stands for, its strings copied from the policy and the
    /// description.
    fn evidence(&self, found: Found) -> Evidence {
        match found {
            Found::Text { list, start, end } => Evidence::Text {
                list: self.list_names.get(list).cloned().unwrap_or_default(),
                text: self.slice(start, end),
                start,
                end,
            },
            Found::Fact { fact, value } => Evidence::Fact {
                fact,
                value: if fact.is_boolean() {
                    FactValue::Flag(value != 0)
                } else {
                    FactValue::Count(value)
                },
            },
            Found::Quantity {
                quantity,
                value,
                start,
                end,
            } => Evidence::Quantity {
                quantity: self
                    .quantity_names
                    .get(quantity)
                    .cloned()
                    .unwrap_or_default(),
                value,
                text: self.slice(start, end),
                start,
                end,
            },
        }
    }

    /// Whether a condition holds, short-circuiting and allocating nothing.
    fn truth(&self, condition: &Cond) -> bool {
        match condition {
            Cond::Any(cs) => cs.iter().any(|c| self.truth(c)),
            Cond::All(cs) => cs.iter().all(|c| self.truth(c)),
            Cond::Not(inner) => !self.truth(inner),
            Cond::Mentions(lists) => self.owners.any(lists, false),
            Cond::Negated(lists) => self.owners.any(lists, true),
            Cond::Fact(fact, at_least) => self.facts.get(*fact).is_some_and(|v| v >= *at_least),
            Cond::Quantity(quantity, at_least) => self
                .text
                .quantities
                .iter()
                .any(|q| q.quantity == *quantity && q.value >= *at_least),
        }
    }

    /// Appends the evidence of a condition that holds, reading every branch that holds (no
    /// short-circuit) so that the explanation lists all of it. Only the branches of an `any` are
    /// decided again: every part of a holding `all`, and the condition itself, are known to hold,
    /// so nothing is collected and then dropped.
    fn collect(&self, condition: &Cond, evidence: &mut Vec<Found>) {
        match condition {
            Cond::Any(cs) => {
                for c in cs {
                    if self.truth(c) {
                        self.collect(c, evidence);
                    }
                }
            }
            Cond::All(cs) => {
                for c in cs {
                    self.collect(c, evidence);
                }
            }
            // A negation brings no evidence of its own.
            Cond::Not(_) => {}
            Cond::Mentions(lists) | Cond::Negated(lists) => {
                self.collect_hits(lists, matches!(condition, Cond::Negated(_)), evidence);
            }
            Cond::Fact(fact, _) => {
                if let Some(value) = self.facts.get(*fact) {
                    evidence.push(Found::Fact { fact: *fact, value });
                }
            }
            Cond::Quantity(quantity, at_least) => {
                for q in &self.text.quantities {
                    if q.quantity == *quantity && q.value >= *at_least {
                        evidence.push(Found::Quantity {
                            quantity: q.quantity,
                            value: q.value,
                            start: q.span.start,
                            end: q.span.end,
                        });
                    }
                }
            }
        }
    }

    /// Quotes, in text order, every hit one of `lists` owns (its negated hits, when `negated`),
    /// each once, for the first of `lists` (in the condition's order) that owns it.
    fn collect_hits(&self, lists: &[(usize, bool)], negated: bool, evidence: &mut Vec<Found>) {
        let mut quote = |list: usize, hit: usize| {
            if let Some(hit) = self.text.terms.get(hit) {
                evidence.push(Found::Text {
                    list,
                    start: hit.span.start,
                    end: hit.span.end,
                });
            }
        };
        if let [(list, _)] = lists {
            // One list (most conditions): its hits as they are, a hit listed twice quoted once.
            let mut last = None;
            for hit in self.owners.of(*list, negated) {
                if last != Some(*hit) {
                    quote(*list, *hit);
                    last = Some(*hit);
                }
            }
            return;
        }
        // Several lists: merge their hits in text order, the earliest not yet quoted first.
        let mut next = 0;
        loop {
            let mut earliest: Option<(usize, usize)> = None;
            for (list, _) in lists {
                let hits = self.owners.of(*list, negated);
                if let Some(hit) = hits.get(hits.partition_point(|h| *h < next)) {
                    // Strictly earlier: on a tie the list named first keeps the hit.
                    if earliest.is_none_or(|(e, _)| *hit < e) {
                        earliest = Some((*hit, *list));
                    }
                }
            }
            let Some((hit, list)) = earliest else {
                break;
            };
            quote(list, hit);
            next = hit + 1;
        }
    }

    /// The characters `start..end` of the description, copied as one slice.
    fn slice(&self, start: usize, end: usize) -> String {
        let bytes = if self.char_starts.is_empty() {
            // ASCII: characters are bytes (and `get` refuses a span past the end, as the table
            // does).
            Some((start, end))
        } else {
            self.char_starts
                .get(start)
                .copied()
                .zip(self.char_starts.get(end).copied())
        };
        bytes
            .and_then(|(from, to)| self.description.get(from..to))
            .map(str::to_owned)
            .unwrap_or_default()
    }

    /// Terms of negatable lists that a cue cancelled.
    pub(crate) fn negated_terms(&self) -> Vec<NegatedTerm> {
        self.text
            .terms
            .iter()
            .filter_map(|hit| {
                let cue = hit.negated_by?;
                let lists: Vec<String> = hit
                    .lists
                    .iter()
                    .filter(|l| self.list_negatable.get(**l).copied().unwrap_or(true))
                    .filter_map(|l| self.list_names.get(*l).cloned())
                    .collect();
                (!lists.is_empty()).then(|| NegatedTerm {
                    lists,
                    text: self.slice(hit.span.start, hit.span.end),
                    start: hit.span.start,
                    end: hit.span.end,
                    cue: self.slice(cue.start, cue.end),
                    cue_start: cue.start,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    //! `evaluate` decides first, collects positions, drops duplicates and copies strings last,
    //! and slices ASCII descriptions without a table. These tests hold it to the direct reading:
    //! every branch evaluated, evidence built as found, characters located through a table.
    use super::*;
    use crate::classify::text::{QuantityHit, Span};
    use proptest::prelude::*;

    /// The direct reading, as `evaluate` was first written.
    fn reference(context: &Context<'_>, condition: &Cond) -> Option<Vec<Evidence>> {
        let starts: Vec<usize> = context
            .description
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(context.description.len()))
            .collect();
        let slice = |start: usize, end: usize| {
            starts
                .get(start)
                .zip(starts.get(end))
                .and_then(|(from, to)| context.description.get(*from..*to))
                .map(str::to_owned)
                .unwrap_or_default()
        };
        fn holds(
            context: &Context<'_>,
            slice: &dyn Fn(usize, usize) -> String,
            condition: &Cond,
            evidence: &mut Vec<Evidence>,
        ) -> bool {
            match condition {
                Cond::Any(cs) => {
                    let mut any = false;
                    for c in cs {
                        any |= holds(context, slice, c, evidence);
                    }
                    any
                }
                Cond::All(cs) => {
                    let before = evidence.len();
                    let all = cs.iter().all(|c| holds(context, slice, c, evidence));
                    if !all {
                        evidence.truncate(before);
                    }
                    all
                }
                Cond::Not(inner) => {
                    let before = evidence.len();
                    let inner_holds = holds(context, slice, inner, evidence);
                    evidence.truncate(before);
                    !inner_holds
                }
                Cond::Mentions(lists) | Cond::Negated(lists) => {
                    let want_negated = matches!(condition, Cond::Negated(_));
                    let before = evidence.len();
                    for hit in &context.text.terms {
                        let owner = lists.iter().map(|(l, _)| *l).find(|l| {
                            hit.lists.contains(l)
                                && if want_negated {
                                    hit.negated_by.is_some()
                                } else {
                                    !hit.cancelled_for.contains(l)
                                        && (hit.negated_by.is_none()
                                            || !context
                                                .list_negatable
                                                .get(*l)
                                                .copied()
                                                .unwrap_or(true))
                                }
                        });
                        if let Some(list) = owner {
                            evidence.push(Evidence::Text {
                                list: context.list_names.get(list).cloned().unwrap_or_default(),
                                text: slice(hit.span.start, hit.span.end),
                                start: hit.span.start,
                                end: hit.span.end,
                            });
                        }
                    }
                    evidence.len() > before
                }
                Cond::Fact(fact, at_least) => match context.facts.get(*fact) {
                    Some(value) if value >= *at_least => {
                        evidence.push(Evidence::Fact {
                            fact: *fact,
                            value: if fact.is_boolean() {
                                FactValue::Flag(value != 0)
                            } else {
                                FactValue::Count(value)
                            },
                        });
                        true
                    }
                    _ => false,
                },
                Cond::Quantity(quantity, at_least) => {
                    let before = evidence.len();
                    for q in &context.text.quantities {
                        if q.quantity == *quantity && q.value >= *at_least {
                            evidence.push(Evidence::Quantity {
                                quantity: context
                                    .quantity_names
                                    .get(q.quantity)
                                    .cloned()
                                    .unwrap_or_default(),
                                value: q.value,
                                text: slice(q.span.start, q.span.end),
                                start: q.span.start,
                                end: q.span.end,
                            });
                        }
                    }
                    evidence.len() > before
                }
            }
        }
        let mut evidence = Vec::new();
        holds(context, &slice, condition, &mut evidence).then(|| {
            evidence.dedup();
            evidence.truncate(MAX_EVIDENCE_PER_RULE);
            evidence
        })
    }

    const LISTS: usize = 4;
    const QUANTITIES: usize = 2;

    fn condition() -> impl Strategy<Value = Cond> {
        let list = (0..LISTS, any::<bool>());
        let leaf = prop_oneof![
            prop::collection::vec(list.clone(), 1..3).prop_map(Cond::Mentions),
            prop::collection::vec(list, 1..3).prop_map(Cond::Negated),
            (0..3usize, 0..3u64).prop_map(|(f, at_least)| {
                let fact = [Fact::SafetyHazard, Fact::Injuries, Fact::HouseholdsAffected];
                Cond::Fact(fact.get(f).copied().unwrap_or(Fact::Injuries), at_least)
            }),
            (0..QUANTITIES, 0..20u64).prop_map(|(q, at_least)| Cond::Quantity(q, at_least)),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::Any),
                prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::All),
                inner.prop_map(|c| Cond::Not(Box::new(c))),
            ]
        })
    }

    fn span(chars: usize) -> impl Strategy<Value = Span> {
        (0..=chars + 1, 0..4usize).prop_map(|(start, len)| Span {
            start,
            end: start + len,
        })
    }

    /// Hits over a description of `chars` characters; spans may repeat (duplicate evidence) and
    /// run past the end (quoted as empty).
    fn text(chars: usize) -> impl Strategy<Value = TextFacts> {
        let hit = (
            prop::collection::vec(0..LISTS, 1..3),
            span(chars),
            prop::option::of(span(chars)),
            prop::collection::vec(0..LISTS, 0..2),
        )
            .prop_map(|(lists, span, negated_by, cancelled_for)| TermHit {
                lists,
                span,
                negated_by,
                cancelled_for,
            });
        let quantity =
            (0..QUANTITIES, 0..30u64, span(chars)).prop_map(|(quantity, value, span)| {
                QuantityHit {
                    quantity,
                    value,
                    span,
                }
            });
        (
            prop::collection::vec(hit, 0..24),
            prop::collection::vec(quantity, 0..4),
        )
            .prop_map(|(terms, quantities)| TextFacts { terms, quantities })
    }

    fn case() -> impl Strategy<Value = (String, TextFacts, Facts, Vec<bool>, Vec<Cond>)> {
        // ASCII descriptions take the path without a table; the others mix in wide characters.
        prop_oneof!["[a-z ]{0,12}", "[a-z 渗漏水裂缝，é]{0,12}"].prop_flat_map(
            |description: String| {
                let chars = description.chars().count();
                let facts = (
                    prop::option::of(any::<bool>()),
                    prop::option::of(0..4u64),
                    prop::option::of(0..4u64),
                )
                    .prop_map(|(safety_hazard, injuries, households_affected)| Facts {
                        safety_hazard,
                        injuries,
                        households_affected,
                        ..Facts::default()
                    });
                (
                    Just(description),
                    text(chars),
                    facts,
                    prop::collection::vec(any::<bool>(), LISTS),
                    prop::collection::vec(condition(), 1..6),
                )
            },
        )
    }

    proptest! {
        #[test]
        fn evaluate_gives_the_evidence_of_the_direct_reading(
            (description, text, facts, negatable, conditions) in case()
        ) {
            let lists: Vec<String> = (0..LISTS).map(|i| format!("list_{i}")).collect();
            let quantities: Vec<String> = (0..QUANTITIES).map(|i| format!("q_{i}")).collect();
            let context = Context::new(&text, &description, &facts, &lists, &negatable, &quantities);
            let mut found = Vec::new();
            for condition in &conditions {
                let expected = reference(&context, condition);
                prop_assert_eq!(context.truth(condition), expected.is_some());
                prop_assert_eq!(context.evaluate(condition, &mut found), expected);
            }
        }
    }

    #[test]
    fn ascii_and_wide_descriptions_are_quoted_by_characters() {
        let text = TextFacts::default();
        let facts = Facts::default();
        for (description, span, quoted) in [
            ("no leak here", (3, 7), "leak"),
            ("阳台护栏松动", (2, 4), "护栏"),
            ("a渗水b", (1, 3), "渗水"),
            ("short", (3, 9), ""),
        ] {
            let context = Context::new(&text, description, &facts, &[], &[], &[]);
            assert_eq!(context.slice(span.0, span.1), quoted, "{description}");
        }
    }
}
