//! The classification rules of a policy, read for rules that cannot fire and outcomes no input
//! reaches (issue 14, item 2; docs/analysis.md, "Rule checks").
//!
//! Every condition of the policy is read as a formula over *atoms*: "the text mentions list L",
//! "the text negates a term of list L", and "variable x is at least n", where a variable is a
//! numeric or yes/no fact (absent, or a value) or a quantity the text states (the largest one
//! stated, or none). The analysis treats the atoms as independent of each other except that the
//! atoms on one variable must agree with one value of it. Every real report gives the atoms a
//! combination that this abstraction allows, so a formula false under every allowed
//! combination is false for every report: a rule found never to fire, or found shadowed, truly
//! never fires or never decides. The converse does not hold: what the abstraction cannot prove
//! (two lists that share a term, a text that cannot mention one list without another) is never
//! reported. A search that would take too long gives up and reports nothing either.

use std::collections::BTreeMap;

use super::Finding;
use crate::classify::spec::{CategoryStrategy, Condition, TierStrategy};
use crate::classify::text::normalise;
use crate::domain::{Category, EmergencyLevel, Tier};
use crate::error::{JsonPath, Severity};
use crate::intake::Fact;
use crate::policy::Policy;
use crate::policy::document::PolicyDocument;

/// The most work (conditions evaluated, counted node by node) one satisfiability question may
/// take before it gives up, and the analysis reports nothing about it.
const QUESTION_WORK: usize = 2_000_000;

/// The most work all the questions of one analysis may take together: after that, every question
/// is left unanswered (about a tenth of a second in a release build).
const TOTAL_WORK: usize = 20_000_000;

/// At most this many terms are quoted in one keyword finding; the message gives the count.
const QUOTED_TERMS: usize = 5;

/// The rule findings of a policy.
pub fn check(policy: &Policy) -> Vec<Finding> {
    let doc = policy.document();
    let atoms = Vocabulary::of(doc);
    let mut work = Work(TOTAL_WORK);
    let rules = RuleSet::read(doc, &atoms, &mut work);
    let mut findings = Vec::new();
    never_fires(&rules, &mut findings);
    let deciding = shadowed(&rules, doc, &mut work, &mut findings);
    unreachable(&rules, doc, &deciding, &mut findings);
    keywords(&rules, doc, &atoms, &mut findings);
    thresholds(&rules, doc, &mut findings);
    findings
}

/// A finding about a policy rule, its code checked against the list like a diagnostic's.
fn finding(severity: Severity, code: &str, path: &JsonPath, message: String) -> Finding {
    debug_assert!(
        crate::error::codes::is_listed(code),
        "diagnostic code `{code}` is not listed in DIAGNOSTIC_CODES"
    );
    Finding {
        code: code.to_owned(),
        severity,
        path: path.to_string(),
        message,
        tier: None,
        counterexample: Vec::new(),
    }
}

fn error(code: &str, path: &JsonPath, message: String) -> Finding {
    finding(Severity::Error, code, path, message)
}

fn warning(code: &str, path: &JsonPath, message: String) -> Finding {
    finding(Severity::Warning, code, path, message)
}

// ---------------------------------------------------------------------------------------------
// Conditions as formulas.

/// A variable the conditions compare with a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Var {
    Fact(Fact),
    /// A quantity, by its index among `classification.quantities`.
    Quantity(usize),
}

/// The value a variable has when a report does not give it: a fact left out, no quantity stated.
const ABSENT: i128 = -1;

/// An atom of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Atom {
    /// The text mentions a term of the list (by index), in a way that counts.
    Mentions(usize),
    /// The text mentions a term of the list and negates it.
    Negated(usize),
    /// The variable is at least the value.
    AtLeast(Var, i128),
}

/// A condition read as a formula.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expr {
    Any(Vec<Expr>),
    All(Vec<Expr>),
    Not(Box<Expr>),
    Atom(Atom),
}

/// The names conditions refer to: term lists and quantities, by index.
struct Vocabulary {
    lists: Vec<String>,
    quantities: Vec<String>,
}

impl Vocabulary {
    fn of(doc: &PolicyDocument) -> Vocabulary {
        Vocabulary {
            lists: doc.classification.terms.keys().cloned().collect(),
            quantities: doc.classification.quantities.keys().cloned().collect(),
        }
    }

    /// The formula of a condition. A loaded policy names only lists and quantities it defines;
    /// an unknown name (which the loader refuses) reads as an empty `any`, never true.
    fn read(&self, condition: &Condition) -> Expr {
        let lists = |names: &[String], atom: fn(usize) -> Atom| {
            Expr::Any(
                names
                    .iter()
                    .filter_map(|n| self.lists.iter().position(|l| l == n))
                    .map(|i| Expr::Atom(atom(i)))
                    .collect(),
            )
        };
        match condition {
            Condition::Any(any) => Expr::Any(any.any.iter().map(|c| self.read(c)).collect()),
            Condition::All(all) => Expr::All(all.all.iter().map(|c| self.read(c)).collect()),
            Condition::Not(not) => Expr::Not(Box::new(self.read(&not.not))),
            Condition::Mentions(m) => lists(m.mentions.names(), Atom::Mentions),
            Condition::Negated(n) => lists(n.negated.names(), Atom::Negated),
            Condition::Fact(test) => Expr::Atom(Atom::AtLeast(
                Var::Fact(test.fact),
                i128::from(test.at_least.unwrap_or(1)),
            )),
            Condition::Quantity(test) => {
                match self.quantities.iter().position(|q| *q == test.quantity) {
                    Some(i) => {
                        Expr::Atom(Atom::AtLeast(Var::Quantity(i), i128::from(test.at_least)))
                    }
                    None => Expr::Any(Vec::new()),
                }
            }
        }
    }
}

impl Expr {
    /// How many nodes the formula has: what one evaluation of it costs.
    fn size(&self) -> usize {
        match self {
            Expr::Any(es) | Expr::All(es) => 1 + es.iter().map(Expr::size).sum::<usize>(),
            Expr::Not(e) => 1 + e.size(),
            Expr::Atom(_) => 1,
        }
    }

    /// What the formula's atoms read.
    fn keys(&self, out: &mut Vec<Key>) {
        match self {
            Expr::Any(es) | Expr::All(es) => es.iter().for_each(|e| e.keys(out)),
            Expr::Not(e) => e.keys(out),
            Expr::Atom(Atom::Mentions(l) | Atom::Negated(l)) => out.push(Key::List(*l)),
            Expr::Atom(Atom::AtLeast(var, _)) => out.push(Key::Var(*var)),
        }
    }

    /// Every variable the formula compares, with its thresholds.
    fn thresholds(&self, out: &mut BTreeMap<Var, Vec<i128>>) {
        match self {
            Expr::Any(es) | Expr::All(es) => es.iter().for_each(|e| e.thresholds(out)),
            Expr::Not(e) => e.thresholds(out),
            Expr::Atom(Atom::AtLeast(var, n)) => out.entry(*var).or_default().push(*n),
            Expr::Atom(_) => {}
        }
    }
}

/// How to take back one step of the search.
enum Undo {
    Mentions(usize),
    Negated(usize),
    /// The variable's range before.
    Range(Var, Option<(i128, i128)>),
}

/// A partial assignment of the atoms: each list's two atoms (`None` when open) and each
/// variable's range of values (inclusive), the whole range when not given.
#[derive(Debug, Default)]
struct Env {
    mentions: BTreeMap<usize, bool>,
    negated: BTreeMap<usize, bool>,
    ranges: BTreeMap<Var, (i128, i128)>,
}

/// The largest value of a variable: facts and quantities are `u64`.
const TOP: i128 = u64::MAX as i128;

fn full_range(var: Var) -> (i128, i128) {
    match var {
        Var::Fact(f) if f.is_boolean() => (ABSENT, 1),
        _ => (ABSENT, TOP),
    }
}

impl Env {
    fn range(&self, var: Var) -> (i128, i128) {
        self.ranges
            .get(&var)
            .copied()
            .unwrap_or_else(|| full_range(var))
    }

    /// The atom's truth, `None` while the assignment leaves it open.
    fn atom(&self, atom: Atom) -> Option<bool> {
        match atom {
            Atom::Mentions(l) => self.mentions.get(&l).copied(),
            Atom::Negated(l) => self.negated.get(&l).copied(),
            Atom::AtLeast(var, n) => {
                let (lo, hi) = self.range(var);
                if lo >= n {
                    Some(true)
                } else if hi < n {
                    Some(false)
                } else {
                    None
                }
            }
        }
    }

    /// Sets the atom, answering how to undo it; `None` (and nothing set) when that leaves a
    /// variable no value.
    fn set(&mut self, atom: Atom, value: bool) -> Option<Undo> {
        match atom {
            Atom::Mentions(l) => {
                self.mentions.insert(l, value);
                Some(Undo::Mentions(l))
            }
            Atom::Negated(l) => {
                self.negated.insert(l, value);
                Some(Undo::Negated(l))
            }
            Atom::AtLeast(var, n) => {
                let (lo, hi) = self.range(var);
                let range = if value {
                    (lo.max(n), hi)
                } else {
                    (lo, hi.min(n - 1))
                };
                if range.0 > range.1 {
                    return None;
                }
                Some(Undo::Range(var, self.ranges.insert(var, range)))
            }
        }
    }

    fn undo(&mut self, undo: Undo) {
        match undo {
            Undo::Mentions(l) => {
                self.mentions.remove(&l);
            }
            Undo::Negated(l) => {
                self.negated.remove(&l);
            }
            Undo::Range(var, Some(range)) => {
                self.ranges.insert(var, range);
            }
            Undo::Range(var, None) => {
                self.ranges.remove(&var);
            }
        }
    }

    /// The formula's truth under the assignment (three-valued: `None` when open), with an open
    /// atom to decide next when it is open.
    fn eval(&self, e: &Expr) -> (Option<bool>, Option<Atom>) {
        match e {
            Expr::Atom(a) => match self.atom(*a) {
                Some(v) => (Some(v), None),
                None => (None, Some(*a)),
            },
            Expr::Not(inner) => {
                let (v, open) = self.eval(inner);
                (v.map(|v| !v), open)
            }
            Expr::Any(es) | Expr::All(es) => {
                let deciding = matches!(e, Expr::Any(_));
                let mut open = None;
                for e in es {
                    match self.eval(e) {
                        (Some(v), _) if v == deciding => return (Some(deciding), None),
                        (Some(_), _) => {}
                        (None, atom) => open = open.or(atom),
                    }
                }
                match open {
                    Some(atom) => (None, Some(atom)),
                    None => (Some(!deciding), None),
                }
            }
        }
    }
}

/// The work the analysis may still spend on satisfiability questions.
struct Work(usize);

/// Whether some assignment makes the formula true: `Some(false)` only when none does, `None`
/// when the search ran out of work.
fn satisfiable(e: &Expr, work: &mut Work) -> Option<bool> {
    let size = e.size().max(1);
    let steps = QUESTION_WORK.min(work.0) / size;
    let mut left = steps;
    let found = search(e, &mut Env::default(), &mut left);
    work.0 = work.0.saturating_sub((steps - left) * size);
    found
}

fn search(e: &Expr, env: &mut Env, budget: &mut usize) -> Option<bool> {
    *budget = budget.checked_sub(1)?;
    match env.eval(e) {
        (Some(v), _) => Some(v),
        (None, None) => None,
        (None, Some(atom)) => {
            for value in [true, false] {
                if let Some(undo) = env.set(atom, value) {
                    let found = search(e, env, budget);
                    env.undo(undo);
                    if found? {
                        return Some(true);
                    }
                }
            }
            Some(false)
        }
    }
}

/// True when the formula is provably never true.
fn never_true(e: &Expr, work: &mut Work) -> bool {
    satisfiable(e, work) == Some(false)
}

/// True when `a` provably implies one of `others` (`a` and none of them is never true).
fn implies_any(a: &Expr, others: &[&Expr], work: &mut Work) -> bool {
    let mut all = vec![a.clone()];
    all.extend(others.iter().map(|o| Expr::Not(Box::new((*o).clone()))));
    never_true(&Expr::All(all), work)
}

// ---------------------------------------------------------------------------------------------
// The rules.

/// What a rule decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Category(Category),
    Tier(Tier),
    Level(EmergencyLevel),
    /// A condition that decides nothing by itself (an emergency action's `only_when`, a
    /// warranty element's `when`): only read for whether it can hold.
    Other,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Category(c) => write!(f, "category `{c}`"),
            Outcome::Tier(t) => write!(f, "tier {}", t.number()),
            Outcome::Level(l) => write!(f, "emergency level {}", l.as_str()),
            Outcome::Other => f.write_str("nothing"),
        }
    }
}

/// One rule of the policy, read.
struct Rule {
    id: String,
    /// The JSON path of the rule (the object holding its condition).
    path: JsonPath,
    /// The member holding the condition: `when` or `only_when`.
    member: &'static str,
    outcome: Outcome,
    weight: u32,
    when: Expr,
    /// Provably never true.
    dead: bool,
    /// What its atoms read: lists and variables, sorted.
    keys: Vec<Key>,
}

/// What an atom reads, for telling which rules can bear on each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    List(usize),
    Var(Var),
}

impl Rule {
    fn new(
        id: &str,
        path: JsonPath,
        (outcome, weight): (Outcome, u32),
        when: Expr,
        work: &mut Work,
    ) -> Rule {
        let dead = never_true(&when, work);
        let mut keys = Vec::new();
        when.keys(&mut keys);
        keys.sort();
        keys.dedup();
        Rule {
            keys,
            id: id.to_owned(),
            path,
            member: "when",
            outcome,
            weight,
            when,
            dead,
        }
    }

    fn cite(&self) -> String {
        format!("`{}` ({})", self.id, self.path)
    }
}

struct RuleSet {
    category: Vec<Rule>,
    tier: Vec<Rule>,
    triggers: Vec<Rule>,
    /// Emergency actions' `only_when` and warranty elements' `when`.
    other: Vec<Rule>,
}

impl RuleSet {
    fn read(doc: &PolicyDocument, atoms: &Vocabulary, work: &mut Work) -> RuleSet {
        let classification = JsonPath::root().field("classification");
        let spec = &doc.classification;
        let mut category = Vec::new();
        for (i, r) in spec.category.rules.iter().enumerate() {
            if let Ok(c) = r.category.parse::<Category>() {
                let path = classification.field("category").field("rules").index(i);
                let outcome = (Outcome::Category(c), r.weight);
                category.push(Rule::new(&r.id, path, outcome, atoms.read(&r.when), work));
            }
        }
        let mut tier = Vec::new();
        for (i, r) in spec.tier.rules.iter().enumerate() {
            if let Some(t) = Tier::from_number(r.tier) {
                let path = classification.field("tier").field("rules").index(i);
                let outcome = (Outcome::Tier(t), 1);
                tier.push(Rule::new(&r.id, path, outcome, atoms.read(&r.when), work));
            }
        }
        let emergency = JsonPath::root().field("emergency");
        let mut triggers = Vec::new();
        for (i, t) in doc.emergency.triggers.iter().enumerate() {
            let path = emergency.field("triggers").index(i);
            let outcome = (Outcome::Level(t.level), 1);
            triggers.push(Rule::new(&t.id, path, outcome, atoms.read(&t.when), work));
        }
        let mut other = Vec::new();
        for (key, level) in &doc.emergency.levels {
            for (i, action) in level.actions.iter().enumerate() {
                if let Some(when) = &action.only_when {
                    let path = emergency
                        .field("levels")
                        .field(key)
                        .field("actions")
                        .index(i);
                    let when = atoms.read(when);
                    let mut rule = Rule::new(&action.id, path, (Outcome::Other, 1), when, work);
                    rule.member = "only_when";
                    other.push(rule);
                }
            }
        }
        if let Some(warranty) = &doc.warranty {
            for (key, element) in &warranty.elements {
                if let Some(when) = &element.when {
                    let path = JsonPath::root()
                        .field("warranty")
                        .field("elements")
                        .field(key);
                    let when = atoms.read(when);
                    other.push(Rule::new(key, path, (Outcome::Other, 1), when, work));
                }
            }
        }
        RuleSet {
            category,
            tier,
            triggers,
            other,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rules that can never fire.

fn never_fires(rules: &RuleSet, findings: &mut Vec<Finding>) {
    let all = rules
        .category
        .iter()
        .chain(&rules.tier)
        .chain(&rules.triggers)
        .chain(&rules.other);
    for rule in all.filter(|r| r.dead) {
        findings.push(error(
            "never_fires",
            &rule.path.field(rule.member),
            format!(
                "rule `{}` can never fire: no report makes its condition true (it requires something together with its opposite, or a value above a limit it must stay below)",
                rule.id
            ),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Rules shadowed under the declared hit policy.

/// Which rules can decide: for each rule list, `true` where a rule may be the one that decides.
struct Deciding {
    category: Vec<bool>,
    tier: Vec<bool>,
}

/// Reports the rules that can fire but never decide, because whenever they fire a rule that
/// takes precedence fires too; answers which rules may decide.
fn shadowed(
    rules: &RuleSet,
    doc: &PolicyDocument,
    work: &mut Work,
    findings: &mut Vec<Finding>,
) -> Deciding {
    let category = match doc.classification.category.strategy {
        CategoryStrategy::FirstMatch => shadowed_in(&rules.category, earlier, work, findings),
        // Under `highest_score` a rule is shadowed only when adding its weight can never change
        // the winner, a question about sums over every combination of firing rules that this
        // analysis does not answer (docs/analysis.md).
        CategoryStrategy::HighestScore => rules.category.iter().map(|r| !r.dead).collect(),
    };
    let tier = match doc.classification.tier.strategy {
        TierStrategy::FirstMatch => shadowed_in(&rules.tier, earlier, work, findings),
        TierStrategy::MostSerious => {
            shadowed_in(&rules.tier, more_serious_or_earlier, work, findings)
        }
    };
    // The most serious level wins; among triggers of that level, the first one is named.
    shadowed_in(&rules.triggers, more_serious_or_earlier, work, findings);
    Deciding { category, tier }
}

/// Under "the most serious wins, the first of equals": whether rule `i` takes precedence over
/// rule `j`.
fn more_serious_or_earlier(i: usize, by: &Rule, j: usize, rule: &Rule) -> bool {
    match (by.outcome, rule.outcome) {
        (Outcome::Tier(a), Outcome::Tier(b)) => a < b || (a == b && i < j),
        (Outcome::Level(a), Outcome::Level(b)) => a < b || (a == b && i < j),
        _ => false,
    }
}

/// A rule with its place in its list.
type Numbered<'a> = (usize, &'a Rule);

/// The rules that read, directly or through one another, what `rule` reads. The others cannot
/// help to show it shadowed unless together they always fire, and leaving a conjunct out only
/// weakens the question: what is proved without them stays proved.
fn related<'a>(rule: &Rule, mut others: Vec<Numbered<'a>>) -> Vec<&'a Rule> {
    let mut keys = rule.keys.clone();
    let mut kept = Vec::new();
    loop {
        let (near, far): (Vec<Numbered<'a>>, Vec<Numbered<'a>>) = others
            .into_iter()
            .partition(|(_, o)| o.keys.iter().any(|k| keys.contains(k)));
        if near.is_empty() {
            break;
        }
        for (_, o) in &near {
            keys.extend(o.keys.iter().copied());
        }
        kept.extend(near);
        others = far;
    }
    // In the rules' order, for the message.
    kept.sort_by_key(|(i, _)| *i);
    kept.into_iter().map(|(_, r)| r).collect()
}

/// Under "the first that fires": whether rule `i` takes precedence over rule `j`.
fn earlier(i: usize, _: &Rule, j: usize, _: &Rule) -> bool {
    i < j
}

/// Reports each live rule that provably never decides: whenever it fires, one of the rules that
/// take precedence over it fires too. `precedes(i, rules[i], j, rules[j])` says whether rule `i`
/// takes precedence over rule `j`.
fn shadowed_in(
    rules: &[Rule],
    precedes: impl Fn(usize, &Rule, usize, &Rule) -> bool,
    work: &mut Work,
    findings: &mut Vec<Finding>,
) -> Vec<bool> {
    let mut deciding = Vec::with_capacity(rules.len());
    for (j, rule) in rules.iter().enumerate() {
        if rule.dead {
            deciding.push(false);
            continue;
        }
        let above: Vec<Numbered<'_>> = rules
            .iter()
            .enumerate()
            .filter(|(i, other)| !other.dead && *i != j && precedes(*i, other, j, rule))
            .collect();
        let above = related(rule, above);
        // All of them together; when that holds, one alone if one suffices (the clearer
        // message).
        let whens: Vec<&Expr> = above.iter().map(|o| &o.when).collect();
        let by: Vec<&Rule> = if !above.is_empty() && implies_any(&rule.when, &whens, work) {
            match above
                .iter()
                .find(|o| implies_any(&rule.when, &[&o.when], work))
            {
                Some(one) => vec![*one],
                None => above,
            }
        } else {
            Vec::new()
        };
        deciding.push(by.is_empty());
        if by.is_empty() {
            continue;
        }
        let names: Vec<String> = by.iter().map(|o| o.cite()).collect();
        let same = by.iter().all(|o| o.outcome == rule.outcome);
        let message = format!(
            "rule `{}` ({}) never decides: whenever it fires, {} fires too and takes precedence{}",
            rule.id,
            rule.outcome,
            names.join(" or "),
            if same {
                " with the same outcome, so the rule is redundant"
            } else {
                ", so its outcome is never given"
            }
        );
        findings.push(if same {
            warning("redundant_rule", &rule.path, message)
        } else {
            error("shadowed_rule", &rule.path, message)
        });
    }
    deciding
}

// ---------------------------------------------------------------------------------------------
// Categories and tiers no input reaches.

fn unreachable(
    rules: &RuleSet,
    doc: &PolicyDocument,
    deciding: &Deciding,
    findings: &mut Vec<Finding>,
) {
    let spec = &doc.classification;
    // The model takes part only when the policy has both a model and says how it decides.
    let model_use = doc.model.as_ref().zip(spec.model_use.as_ref());
    let model_categories: Vec<Category> = model_use
        .filter(|(_, u)| u.category == crate::classify::spec::CategoryDecider::Model)
        .map(|(m, _)| m.categories.iter().filter_map(|c| c.parse().ok()).collect())
        .unwrap_or_default();
    let fallback = spec.category.fallback.parse::<Category>().ok();
    for category in Category::ALL {
        let by_rule = rules
            .category
            .iter()
            .zip(&deciding.category)
            .any(|(r, d)| *d && r.outcome == Outcome::Category(*category));
        if by_rule || fallback == Some(*category) || model_categories.contains(category) {
            continue;
        }
        findings.push(error(
            "unreachable_category",
            &JsonPath::root().field("categories").field(category.as_str()),
            format!(
                "no report can get category `{category}` from the engine: no category rule for it can decide{}, it is not the fallback, and the model does not choose it",
                cited(&rules.category, Outcome::Category(*category)),
            ),
        ));
    }

    let defaults: Vec<Tier> = doc
        .categories
        .values()
        .filter_map(|c| Tier::from_number(c.default_tier))
        .collect();
    let emergency_tier = Tier::from_number(doc.emergency.implies_tier)
        .filter(|_| rules.triggers.iter().any(|t| !t.dead));
    let by_rules = |tier: Tier| {
        rules
            .tier
            .iter()
            .zip(&deciding.tier)
            .any(|(r, d)| *d && r.outcome == Outcome::Tier(tier))
            || defaults.contains(&tier)
            || emergency_tier == Some(tier)
    };
    let tiers = [Tier::One, Tier::Two, Tier::Three];
    let without_model: Vec<Tier> = tiers.into_iter().filter(|t| by_rules(*t)).collect();
    for tier in tiers {
        // The model only raises a tier (to one of its tiers, more serious than the rules'), and
        // asks for a review as a provisional tier 1.
        let by_model = model_use.is_some_and(|(model, u)| {
            tier == Tier::One
                || (u.tier == crate::classify::spec::TierDecider::Raise
                    && model.tiers.contains(&tier.number())
                    && without_model.iter().any(|t| tier.is_more_serious_than(*t)))
        });
        if without_model.contains(&tier) || by_model {
            continue;
        }
        let message = format!(
            "no report can get tier {}: no tier rule for it can decide{}, no category has it as its default tier, no emergency implies it, and the model cannot give it",
            tier.number(),
            cited(&rules.tier, Outcome::Tier(tier)),
        );
        let path = JsonPath::root()
            .field("tiers")
            .field(&tier.number().to_string());
        let mut f = if tier == Tier::One {
            error("unreachable_tier", &path, message)
        } else {
            warning("unreachable_tier", &path, message)
        };
        f.tier = Some(tier);
        findings.push(f);
    }
}

/// The rules with an outcome, cited (they are all dead or shadowed where this is used).
fn cited(rules: &[Rule], outcome: Outcome) -> String {
    let names: Vec<String> = rules
        .iter()
        .filter(|r| r.outcome == outcome)
        .map(Rule::cite)
        .collect();
    if names.is_empty() {
        " (it has none)".to_owned()
    } else {
        format!(" ({})", names.join(", "))
    }
}

// ---------------------------------------------------------------------------------------------
// Keywords claimed by two categories.

/// Truth of a formula when the text mentions exactly the given lists, negates nothing, and no
/// fact or quantity is given (`value` gives one variable a value instead).
fn holds(e: &Expr, mentioned: &[usize], value: Option<(Var, i128)>) -> bool {
    match e {
        Expr::Any(es) => es.iter().any(|e| holds(e, mentioned, value)),
        Expr::All(es) => es.iter().all(|e| holds(e, mentioned, value)),
        Expr::Not(e) => !holds(e, mentioned, value),
        Expr::Atom(Atom::Mentions(l)) => mentioned.contains(l),
        Expr::Atom(Atom::Negated(_)) => false,
        Expr::Atom(Atom::AtLeast(var, n)) => match value {
            Some((v, x)) if v == *var => x >= *n,
            _ => ABSENT >= *n,
        },
    }
}

/// Under `highest_score`, a term that on its own (a report saying only that term) makes
/// category rules of two categories fire with the same total weight: neither the weights nor
/// any rule decide between them, only the category tie-break order.
fn keywords(
    rules: &RuleSet,
    doc: &PolicyDocument,
    atoms: &Vocabulary,
    findings: &mut Vec<Finding>,
) {
    let spec = &doc.classification;
    if spec.category.strategy != CategoryStrategy::HighestScore {
        return;
    }
    // Each term as the matcher reads it, with the lists it is in.
    let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (index, list) in spec.terms.values().enumerate() {
        for word in &list.words {
            let key = normalise(word.trim());
            if key.is_empty() {
                continue;
            }
            let entry = terms
                .entry(key)
                .or_insert_with(|| (word.clone(), Vec::new()));
            if !entry.1.contains(&index) {
                entry.1.push(index);
            }
        }
    }
    let rank = |c: Category| {
        spec.category
            .tie_break
            .iter()
            .position(|t| t.parse::<Category>().ok() == Some(c))
            .unwrap_or(usize::MAX)
    };
    // The pair of rules (winner's, loser's) to the terms they tie on.
    let mut ties: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    let mut decided: BTreeMap<Vec<usize>, Option<(usize, usize)>> = BTreeMap::new();
    for (word, lists) in terms.values() {
        let tie = decided.entry(lists.clone()).or_insert_with(|| {
            let mut scores: BTreeMap<Category, (u64, usize)> = BTreeMap::new();
            for (i, rule) in rules.category.iter().enumerate() {
                if let (Outcome::Category(c), true) = (rule.outcome, holds(&rule.when, lists, None))
                {
                    let entry = scores.entry(c).or_insert((0, i));
                    entry.0 += u64::from(rule.weight);
                }
            }
            let mut ranked: Vec<(Category, u64, usize)> =
                scores.into_iter().map(|(c, (s, i))| (c, s, i)).collect();
            ranked.sort_by_key(|(c, s, _)| (std::cmp::Reverse(*s), rank(*c)));
            match ranked.as_slice() {
                [(_, a, winner), (_, b, loser), ..] if a == b => Some((*winner, *loser)),
                _ => None,
            }
        });
        if let Some(pair) = tie {
            ties.entry(*pair).or_default().push(word.clone());
        }
    }
    for ((winner, loser), words) in ties {
        let (Some(w), Some(l)) = (rules.category.get(winner), rules.category.get(loser)) else {
            continue;
        };
        let quoted: Vec<String> = words
            .iter()
            .take(QUOTED_TERMS)
            .map(|w| format!("`{w}`"))
            .collect();
        let more = words.len().saturating_sub(QUOTED_TERMS);
        let list_names = |r: &Rule| -> String {
            let mut names: Vec<&str> = Vec::new();
            mentioned_lists(&r.when, &mut names, atoms);
            names.join(", ")
        };
        findings.push(warning(
            "keyword_in_two_categories",
            &l.path,
            format!(
                "{} term{} {}{} count{} as much for {} by rule {} (lists {}) as for {} by rule {} (lists {}); with no weight or rule to tell them apart, only the tie-break order gives such a report {}",
                words.len(),
                if words.len() == 1 { "" } else { "s" },
                quoted.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() },
                if words.len() == 1 { "s" } else { "" },
                w.outcome,
                w.cite(),
                list_names(w),
                l.outcome,
                l.cite(),
                list_names(l),
                w.outcome,
            ),
        ));
    }
}

/// The names of the lists a formula mentions.
fn mentioned_lists<'a>(e: &Expr, out: &mut Vec<&'a str>, atoms: &'a Vocabulary) {
    match e {
        Expr::Any(es) | Expr::All(es) => es.iter().for_each(|e| mentioned_lists(e, out, atoms)),
        Expr::Not(e) => mentioned_lists(e, out, atoms),
        Expr::Atom(Atom::Mentions(l)) => {
            if let Some(name) = atoms.lists.get(*l) {
                if !out.contains(&name.as_str()) {
                    out.push(name);
                }
            }
        }
        Expr::Atom(_) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Numeric thresholds.

/// What a report giving one variable a value (and nothing else) gets.
struct Reading<'a> {
    /// The tier rule that decides, if any.
    rule: Option<&'a Rule>,
    /// The most serious emergency trigger that holds (the first of its level), if any.
    trigger: Option<&'a Rule>,
    /// The tier after the emergency's: `None` when no rule and no emergency decides (the
    /// category's default tier applies).
    tier: Option<Tier>,
}

fn tier_of(rule: &Rule) -> Option<Tier> {
    match rule.outcome {
        Outcome::Tier(t) => Some(t),
        _ => None,
    }
}

fn level_of(rule: &Rule) -> Option<EmergencyLevel> {
    match rule.outcome {
        Outcome::Level(l) => Some(l),
        _ => None,
    }
}

/// A rule that fires on the variable's value and not without it.
fn reads(rule: &Rule, var: Var, x: i128) -> bool {
    !rule.dead && holds(&rule.when, &[], Some((var, x))) && !holds(&rule.when, &[], None)
}

fn reading<'a>(
    rules: &'a RuleSet,
    doc: &PolicyDocument,
    var: Var,
    x: i128,
) -> (Reading<'a>, Vec<&'a Rule>) {
    let firing: Vec<&Rule> = rules.tier.iter().filter(|r| reads(r, var, x)).collect();
    let rule = match doc.classification.tier.strategy {
        TierStrategy::FirstMatch => firing.first().copied(),
        TierStrategy::MostSerious => firing.iter().copied().min_by_key(|r| tier_of(r)),
    };
    let trigger = rules
        .triggers
        .iter()
        .filter(|r| reads(r, var, x))
        .min_by_key(|r| level_of(r));
    let mut tier = rule.and_then(tier_of);
    if trigger.is_some() {
        if let Some(e) = Tier::from_number(doc.emergency.implies_tier) {
            tier = Some(tier.map_or(e, |t| t.min(e)));
        }
    }
    (
        Reading {
            rule,
            trigger,
            tier,
        },
        firing,
    )
}

fn var_name(var: Var, doc: &PolicyDocument) -> String {
    match var {
        Var::Fact(f) => format!("fact `{}`", f.as_str()),
        Var::Quantity(i) => format!(
            "quantity `{}`",
            doc.classification
                .quantities
                .keys()
                .nth(i)
                .map_or("?", String::as_str)
        ),
    }
}

/// The values from `x` up to the next point, in words.
fn span(x: i128, next: Option<i128>) -> String {
    let from = if x == ABSENT {
        "absent".to_owned()
    } else {
        x.to_string()
    };
    match next {
        Some(n) if n - 1 == x => format!("= {from}"),
        Some(n) => format!("from {from} to {}", n - 1),
        None => format!("from {from} up"),
    }
}

/// For each number a tier rule or trigger reads, a report giving that number alone: overlaps
/// where an earlier, less serious tier rule hides a more serious one, and gaps where the number
/// falls through to the default while values on both sides get more.
fn thresholds(rules: &RuleSet, doc: &PolicyDocument, findings: &mut Vec<Finding>) {
    let mut vars: BTreeMap<Var, Vec<i128>> = BTreeMap::new();
    for rule in rules.tier.iter().chain(&rules.triggers) {
        rule.when.thresholds(&mut vars);
    }
    // The least serious default: a category whose reports fall to it.
    let least_default = doc
        .categories
        .values()
        .filter_map(|c| Tier::from_number(c.default_tier))
        .max();
    for (var, mut points) in vars {
        if matches!(var, Var::Fact(f) if f.is_boolean()) {
            continue;
        }
        points.push(ABSENT);
        points.retain(|p| *p >= ABSENT);
        points.sort_unstable();
        points.dedup();
        let name = var_name(var, doc);
        let readings: Vec<(i128, Reading<'_>, Vec<&Rule>)> = points
            .iter()
            .map(|x| {
                let (r, firing) = reading(rules, doc, var, *x);
                (*x, r, firing)
            })
            .collect();
        let next = |k: usize| points.get(k + 1).copied();
        // Overlaps.
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for (k, (x, reading, firing)) in readings.iter().enumerate() {
            let (Some(decisive), Some(tier)) = (reading.rule, reading.tier) else {
                continue;
            };
            for hidden in firing {
                let Some(t) = tier_of(hidden) else { continue };
                if !t.is_more_serious_than(tier) {
                    continue;
                }
                let key = (
                    rules
                        .tier
                        .iter()
                        .position(|r| std::ptr::eq(r, *hidden))
                        .unwrap_or(0),
                    rules
                        .tier
                        .iter()
                        .position(|r| std::ptr::eq(r, decisive))
                        .unwrap_or(0),
                );
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                findings.push(warning(
                    "threshold_overlap",
                    &hidden.path,
                    format!(
                        "{name} {}: rule {} gives tier {}, but rule {} before it reads the same values and gives tier {} first",
                        span(*x, next(k)),
                        hidden.cite(),
                        t.number(),
                        decisive.cite(),
                        tier.number(),
                    ),
                ));
            }
        }
        // Gaps in the tier, and in the emergency levels.
        let serious = |t: Tier| least_default.is_none_or(|d| t.is_more_serious_than(d));
        gaps(
            &readings,
            |r| Some((r.tier?, r.rule.or(r.trigger)?)),
            |t| serious(t).then(|| format!("tier {}", t.number())),
            "fall through to the category's default tier",
            &name,
            findings,
        );
        gaps(
            &readings,
            |r| r.trigger.and_then(|t| Some((level_of(t)?, t))),
            |l| Some(format!("emergency level {}", l.as_str())),
            "declare no emergency",
            &name,
            findings,
        );
    }
}

/// Reports each run of values where `outcome` gives nothing, between values where it gives an
/// outcome that `shown` words (an outcome worth more than nothing) on both sides.
fn gaps<'a, T: Copy>(
    readings: &[(i128, Reading<'a>, Vec<&'a Rule>)],
    outcome: impl Fn(&Reading<'a>) -> Option<(T, &'a Rule)>,
    shown: impl Fn(T) -> Option<String>,
    falls: &str,
    name: &str,
    findings: &mut Vec<Finding>,
) {
    // The last value with an outcome, and the first value of the run without one after it.
    let mut below: Option<(i128, T, &Rule)> = None;
    let mut gap_from: Option<i128> = None;
    for (x, reading, _) in readings {
        let Some((here, rule)) = outcome(reading) else {
            if below.is_some() && gap_from.is_none() {
                gap_from = Some(*x);
            }
            continue;
        };
        if let (Some((low_x, low, low_rule)), Some(from)) = (below, gap_from) {
            if let (Some(low_shown), Some(here_shown)) = (shown(low), shown(here)) {
                findings.push(warning(
                    "threshold_gap",
                    &rule.path,
                    format!(
                        "{name} {} would {falls}, while {name} {} gets {low_shown} by rule {} and {name} at {x} gets {here_shown} by rule {}",
                        span(from, Some(*x)),
                        span(low_x, Some(from)),
                        low_rule.cite(),
                        rule.cite(),
                    ),
                ));
            }
        }
        below = Some((*x, here, rule));
        gap_from = None;
    }
}
