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

/// What a condition is evaluated against.
pub(crate) struct Context<'a> {
    pub text: &'a TextFacts,
    /// The description as written, and the byte offset of each of its characters followed by
    /// its length: evidence quotes it by character spans.
    pub description: &'a str,
    pub char_starts: &'a [usize],
    pub facts: &'a Facts,
    pub list_names: &'a [String],
    pub list_negatable: &'a [bool],
    pub quantity_names: &'a [String],
    /// For each term list: does the text mention one of its terms in a way that counts?
    mentioned: Vec<bool>,
    /// For each term list: does the text mention one of its terms and negate it?
    negated: Vec<bool>,
}

impl<'a> Context<'a> {
    /// A context over what was read from one report.
    pub(crate) fn new(
        text: &'a TextFacts,
        (description, char_starts): (&'a str, &'a [usize]),
        facts: &'a Facts,
        list_names: &'a [String],
        list_negatable: &'a [bool],
        quantity_names: &'a [String],
    ) -> Context<'a> {
        let mut context = Context {
            text,
            description,
            char_starts,
            facts,
            list_names,
            list_negatable,
            quantity_names,
            mentioned: vec![false; list_names.len()],
            negated: vec![false; list_names.len()],
        };
        for hit in &text.terms {
            for list in &hit.lists {
                let counts = context.counts(hit, *list);
                if let Some(slot) = context.mentioned.get_mut(*list) {
                    *slot |= counts;
                }
                if let Some(slot) = context.negated.get_mut(*list) {
                    *slot |= hit.negated_by.is_some();
                }
            }
        }
        context
    }
}

impl Context<'_> {
    /// The evidence when the condition holds, `None` when it does not.
    pub(crate) fn evaluate(&self, condition: &Cond) -> Option<Vec<Evidence>> {
        // Most rules do not fire: decide first without building any evidence, then collect the
        // evidence of the rules that do (the same conditions, read the same way).
        if !self.truth(condition) {
            return None;
        }
        let mut evidence = Vec::new();
        if self.holds(condition, &mut evidence) {
            evidence.dedup();
            evidence.truncate(MAX_EVIDENCE_PER_RULE);
            Some(evidence)
        } else {
            None
        }
    }

    /// Whether a condition holds, short-circuiting and allocating nothing.
    fn truth(&self, condition: &Cond) -> bool {
        match condition {
            Cond::Any(cs) => cs.iter().any(|c| self.truth(c)),
            Cond::All(cs) => cs.iter().all(|c| self.truth(c)),
            Cond::Not(inner) => !self.truth(inner),
            Cond::Mentions(lists) => lists
                .iter()
                .any(|(l, _)| self.mentioned.get(*l).copied().unwrap_or(false)),
            Cond::Negated(lists) => lists
                .iter()
                .any(|(l, _)| self.negated.get(*l).copied().unwrap_or(false)),
            Cond::Fact(fact, at_least) => self.facts.get(*fact).is_some_and(|v| v >= *at_least),
            Cond::Quantity(quantity, at_least) => self
                .text
                .quantities
                .iter()
                .any(|q| q.quantity == *quantity && q.value >= *at_least),
        }
    }

    /// Evaluates every branch (no short-circuit), so the explanation lists all the evidence.
    /// Appends the evidence when the condition holds, and leaves `evidence` as it was when it
    /// does not.
    fn holds(&self, condition: &Cond, evidence: &mut Vec<Evidence>) -> bool {
        match condition {
            Cond::Any(cs) => {
                let mut any = false;
                for c in cs {
                    // A branch that does not hold leaves nothing behind.
                    any |= self.holds(c, evidence);
                }
                any
            }
            Cond::All(cs) => {
                let before = evidence.len();
                let all = cs.iter().all(|c| self.holds(c, evidence));
                if !all {
                    evidence.truncate(before);
                }
                all
            }
            Cond::Not(inner) => {
                let before = evidence.len();
                let inner_holds = self.holds(inner, evidence);
                evidence.truncate(before);
                !inner_holds
            }
            Cond::Mentions(lists) | Cond::Negated(lists) => {
                let want_negated = matches!(condition, Cond::Negated(_));
                let before = evidence.len();
                for hit in &self.text.terms {
                    let owner = lists.iter().map(|(l, _)| *l).find(|l| {
                        hit.lists.contains(l)
                            && if want_negated {
                                hit.negated_by.is_some()
                            } else {
                                self.counts(hit, *l)
                            }
                    });
                    if let Some(list) = owner {
                        evidence.push(Evidence::Text {
                            list: self.list_names.get(list).cloned().unwrap_or_default(),
                            text: self.slice(hit.span.start, hit.span.end),
                            start: hit.span.start,
                            end: hit.span.end,
                        });
                    }
                }
                evidence.len() > before
            }
            Cond::Fact(fact, at_least) => match self.facts.get(*fact) {
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
                for q in &self.text.quantities {
                    if q.quantity == *quantity && q.value >= *at_least {
                        evidence.push(Evidence::Quantity {
                            quantity: self
                                .quantity_names
                                .get(q.quantity)
                                .cloned()
                                .unwrap_or_default(),
                            value: q.value,
                            text: self.slice(q.span.start, q.span.end),
                            start: q.span.start,
                            end: q.span.end,
                        });
                    }
                }
                evidence.len() > before
            }
        }
    }

    /// A hit counts for a list unless a hedge of the list cancels it, or it is negated and the
    /// list is negatable.
    fn counts(&self, hit: &TermHit, list: usize) -> bool {
        !hit.cancelled_for.contains(&list)
            && (hit.negated_by.is_none() || !self.list_negatable.get(list).copied().unwrap_or(true))
    }

    /// The characters `start..end` of the description, copied as one slice.
    fn slice(&self, start: usize, end: usize) -> String {
        let from = self.char_starts.get(start);
        let to = self.char_starts.get(end);
        from.zip(to)
            .and_then(|(from, to)| self.description.get(*from..*to))
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
