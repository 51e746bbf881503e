//! What changes between two policies, and which reports they treat apart (issue 14, item 5).
//!
//! The comparison is of meaning, not of text: rules are matched by id wherever they sit, term
//! lists and role lists are compared as sets, durations as parsed (`"2 working_days"` and
//! `{"amount": 2, "unit": "working_days"}` are the same; `"16 business_hours"` is not), the
//! permissions as the roles each command is open to at each tier, the calendar as the days off
//! and make-up days of each year, the model by its hash. Free text for people (`description`,
//! a calendar year's `source`, `$schema`) is not compared.
//!
//! Given past reports, each is classified and routed under both policies ([`Comparison`]);
//! a report whose category, tier, emergency level, review, routing or warranty answer differs is
//! listed with both classifications' explanations. A retrained model is compared the same way:
//! the reports are classified with each policy's own model.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calendar::duration::DurationSpec;
use crate::classify::Classification;
use crate::domain::{CommandKind, Tier};
use crate::error::JsonPath;
use crate::intake::Report;
use crate::policy::Policy;
use crate::policy::document::{Permission, PolicyDocument, TierSpec};
use crate::routing::route;

/// The differences between an old and a new policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDiff {
    /// The members whose meaning changed, in the order of the policy document (roles,
    /// categories, classification, emergency, tiers, clocks, lifecycle, calendar, warranty,
    /// model); within a list of rules, by position in the new policy, removed rules last.
    pub changes: Vec<Change>,
    /// The reports treated apart, in the order they were given.
    pub reports: Vec<ReportChange>,
    /// How many changes of each kind, and how many reports changed in each respect.
    pub counts: DiffCounts,
}

impl PolicyDiff {
    /// True when the two policies mean the same and treat every given report alike.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.reports.is_empty()
    }
}

/// Whether a member appeared, went, or changed its value.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// In the new policy only (for a set, such as a term list's words: the elements added).
    Added,
    /// In the old policy only (for a set: the elements removed).
    Removed,
    /// In both, with another value.
    Changed,
}

impl ChangeKind {
    /// The kind's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference of meaning between the two policies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// JSON path of the member in the new policy (in the old one when it was removed).
    pub path: String,
    /// JSON path of the member in the old policy, when it sits elsewhere there (a rule that moved
    /// in its list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// The old value (for a set: the elements removed); absent when added.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub old: Option<Value>,
    /// The new value (for a set: the elements added); absent when removed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub new: Option<Value>,
    /// The change in plain words.
    pub message: String,
}

/// A member that is present, `null` included (`null` is a value here: no commitment cap).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A respect in which a report is treated differently.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// Its category.
    Category,
    /// Its tier.
    Tier,
    /// Its emergency level (or whether it is an emergency).
    Emergency,
    /// Whether its tier is provisional (the model's review), and the review's figures.
    Review,
    /// Its routing: drafters, approvers, verifiers, records, deadlines (the contact deadline's
    /// due instant among them), the emergency command, a service request.
    Routing,
    /// Its warranty answer.
    Warranty,
}

impl Aspect {
    /// The aspect's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Category => "category",
            Aspect::Tier => "tier",
            Aspect::Emergency => "emergency",
            Aspect::Review => "review",
            Aspect::Routing => "routing",
            Aspect::Warranty => "warranty",
        }
    }
}

/// A report the two policies treat differently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportChange {
    /// The report's position among those given, from 0.
    pub index: u64,
    /// The report's id.
    pub report_id: String,
    /// In which respects its treatment differs, in the order of [`Aspect`].
    pub changed: Vec<Aspect>,
    /// Its classification under the old policy, with its explanation as `classify` gives it.
    pub old: Classification,
    /// Its classification under the new policy, with its explanation.
    pub new: Classification,
    /// The members of its routing and warranty answer that differ (`$.routing.…`,
    /// `$.warranty.…`; a deadline under `$.routing.deadlines.<clock>`); `$.error` when one policy
    /// could not route it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routing: Vec<ValueChange>,
}

/// One member of a report's routing or warranty answer that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueChange {
    /// Where, e.g. `$.routing.plan.approved_by` or `$.routing.deadlines.contact.due`.
    pub path: String,
    /// The value under the old policy (`null` when absent).
    pub old: Value,
    /// The value under the new policy (`null` when absent).
    pub new: Value,
}

/// Counts of the changes and of the reports treated apart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffCounts {
    /// Changes of kind `added`.
    pub added: u64,
    /// Changes of kind `removed`.
    pub removed: u64,
    /// Changes of kind `changed`.
    pub changed: u64,
    /// Reports compared.
    pub reports: u64,
    /// Reports treated apart in at least one respect.
    pub reports_changed: u64,
    /// Reports treated apart in each respect (a report may count under several).
    pub by_aspect: BTreeMap<Aspect, u64>,
}

/// The differences between `old` and `new`, and the reports among `reports` they treat apart.
pub fn diff(old: &Policy, new: &Policy, reports: &[Report]) -> PolicyDiff {
    let mut comparison = Comparison::new(old, new);
    for report in reports {
        comparison.add(report);
    }
    comparison.finish()
}

/// The differences of meaning between two policies, without reports.
pub fn changes(old: &Policy, new: &Policy) -> Vec<Change> {
    let mut differ = Differ::default();
    differ.documents(old, new);
    differ.changes
}

/// A comparison fed one report at a time (so that a host can stream a large file of reports),
/// finished into the same [`PolicyDiff`] as [`diff`].
#[derive(Debug)]
pub struct Comparison<'a> {
    old: &'a Policy,
    new: &'a Policy,
    reports: Vec<ReportChange>,
    compared: u64,
}

impl<'a> Comparison<'a> {
    /// A comparison of `old` with `new`, with no report yet.
    pub fn new(old: &'a Policy, new: &'a Policy) -> Comparison<'a> {
        Comparison {
            old,
            new,
            reports: Vec::new(),
            compared: 0,
        }
    }

    /// Classifies and routes the next report under both policies and keeps it when they treat it
    /// differently; returns whether they did.
    pub fn add(&mut self, report: &Report) -> bool {
        let index = self.compared;
        self.compared += 1;
        let (old, old_routing) = treat(self.old, report);
        let (new, new_routing) = treat(self.new, report);
        let mut routing = Vec::new();
        value_changes(JsonPath::root(), &old_routing, &new_routing, &mut routing);
        let mut changed = Vec::new();
        for (aspect, differs) in [
            (Aspect::Category, old.category != new.category),
            (Aspect::Tier, old.tier != new.tier),
            (Aspect::Emergency, old.emergency != new.emergency),
            (Aspect::Review, old.review != new.review),
            (
                Aspect::Routing,
                routing.iter().any(|c| !c.path.starts_with("$.warranty")),
            ),
            (
                Aspect::Warranty,
                routing.iter().any(|c| c.path.starts_with("$.warranty")),
            ),
        ] {
            if differs {
                changed.push(aspect);
            }
        }
        if changed.is_empty() {
            return false;
        }
        self.reports.push(ReportChange {
            index,
            report_id: report.id.clone(),
            changed,
            old,
            new,
            routing,
        });
        true
    }

    /// The policies' differences and the reports they treat apart, with the counts.
    pub fn finish(self) -> PolicyDiff {
        let changes = changes(self.old, self.new);
        let mut counts = DiffCounts {
            reports: self.compared,
            reports_changed: u64::try_from(self.reports.len()).unwrap_or(u64::MAX),
            ..DiffCounts::default()
        };
        for change in &changes {
            let count = match change.kind {
                ChangeKind::Added => &mut counts.added,
                ChangeKind::Removed => &mut counts.removed,
                ChangeKind::Changed => &mut counts.changed,
            };
            *count += 1;
        }
        for report in &self.reports {
            for aspect in &report.changed {
                *counts.by_aspect.entry(*aspect).or_insert(0) += 1;
            }
        }
        PolicyDiff {
            changes,
            reports: self.reports,
            counts,
        }
    }
}

/// A report's classification under `policy`, and its routing and warranty answer as JSON (a
/// deadline keyed by its clock, without what follows from the tier alone: the tier, its labels,
/// the policy paths of the rules), or `{"error": ...}` when it cannot be routed.
fn treat(policy: &Policy, report: &Report) -> (Classification, Value) {
    let (classification, warranty) = match policy.assess(report) {
        Ok(assessed) => assessed,
        Err(error) => {
            return (policy.classify(report), serde_json::json!({"error": error}));
        }
    };
    let routing = route(
        policy,
        report,
        classification.tier,
        classification.emergency,
        warranty.as_ref(),
        &mut Vec::new(),
    );
    let value = match routing {
        Ok(routing) => {
            let mut routing = json(&routing);
            if let Value::Object(members) = &mut routing {
                members.remove("tier");
                members.remove("labels");
                if let Some(Value::Array(deadlines)) = members.remove("deadlines") {
                    let keyed = deadlines
                        .into_iter()
                        .filter_map(|deadline| match deadline {
                            Value::Object(mut rule) => {
                                rule.remove("rule");
                                let clock = rule.remove("clock")?;
                                Some((clock.as_str()?.to_owned(), Value::Object(rule)))
                            }
                            _ => None,
                        })
                        .collect();
                    members.insert("deadlines".to_owned(), Value::Object(keyed));
                }
            }
            serde_json::json!({"routing": routing, "warranty": warranty})
        }
        Err(error) => serde_json::json!({"error": error, "warranty": warranty}),
    };
    (classification, value)
}

/// Every leaf (or list) that differs between two JSON values, objects compared member by member.
fn value_changes(path: JsonPath, old: &Value, new: &Value, out: &mut Vec<ValueChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                value_changes(path.field(key), x, y, out);
            }
        }
        _ if old != new => out.push(ValueChange {
            path: path.to_string(),
            old: old.clone(),
            new: new.clone(),
        }),
        _ => {}
    }
}

/// A value as JSON (`null` should it not serialise, which the policy's types always do).
fn json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A duration as its meaning: the parsed duration's text (`"2 working_days"`), or as written
/// should it not parse (a loaded policy's always do).
fn duration(spec: &DurationSpec) -> Value {
    spec.parse()
        .map(|d| Value::String(d.to_string()))
        .unwrap_or_else(|_| json(spec))
}

/// An optional duration as its meaning, `null` for none.
fn maybe_duration(spec: Option<&DurationSpec>) -> Value {
    spec.map_or(Value::Null, duration)
}

/// A value short enough to quote in a message, or `None`.
fn quoted(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    (text.chars().count() <= 60).then_some(text)
}

/// The path of a member under `base`.
fn at(base: &JsonPath, names: &[&str]) -> JsonPath {
    names
        .iter()
        .fold(base.clone(), |path, name| path.field(name))
}

/// Collects the changes, walking both documents in the same order.
#[derive(Default)]
struct Differ {
    changes: Vec<Change>,
}

impl Differ {
    fn push(
        &mut self,
        kind: ChangeKind,
        path: &JsonPath,
        old: Option<Value>,
        new: Option<Value>,
        message: String,
    ) {
        self.changes.push(Change {
            kind,
            path: path.to_string(),
            old_path: None,
            old,
            new,
            message,
        });
    }

    /// A changed value, when `old` and `new` differ.
    fn value(&mut self, path: &JsonPath, what: &str, old: Value, new: Value) {
        if old == new {
            return;
        }
        let message = change_message(what, &old, &new);
        self.push(ChangeKind::Changed, path, Some(old), Some(new), message);
    }

    /// A member present in one policy or both (`None`: absent).
    fn presence(&mut self, path: &JsonPath, what: &str, old: Option<Value>, new: Option<Value>) {
        match (old, new) {
            (None, None) => {}
            (None, Some(new)) => self.push(
                ChangeKind::Added,
                path,
                None,
                Some(new),
                format!("{what} added"),
            ),
            (Some(old), None) => self.push(
                ChangeKind::Removed,
                path,
                Some(old),
                None,
                format!("{what} removed"),
            ),
            (Some(old), Some(new)) => self.value(path, what, old, new),
        }
    }

    /// A list whose order does not matter: the elements added and those removed.
    fn set<I, J>(&mut self, path: &JsonPath, what: &str, old: I, new: J)
    where
        I: IntoIterator,
        I::Item: ToString,
        J: IntoIterator,
        J::Item: ToString,
    {
        let old: BTreeSet<String> = old.into_iter().map(|x| x.to_string()).collect();
        let new: BTreeSet<String> = new.into_iter().map(|x| x.to_string()).collect();
        let added: Vec<&String> = new.difference(&old).collect();
        let removed: Vec<&String> = old.difference(&new).collect();
        for (kind, items) in [(ChangeKind::Added, added), (ChangeKind::Removed, removed)] {
            if items.is_empty() {
                continue;
            }
            let list: Vec<&str> = items.iter().map(|s| s.as_str()).collect();
            let message = format!("{what}: {} {}", kind.as_str(), list.join(", "));
            let value = Some(json(&list));
            let (old, new) = match kind {
                ChangeKind::Removed => (value, None),
                _ => (None, value),
            };
            self.push(kind, path, old, new, message);
        }
    }

    /// A map keyed by id: entries added, removed, and those in both compared by `each`.
    fn map<T: Serialize>(
        &mut self,
        path: &JsonPath,
        what: &str,
        old: &BTreeMap<String, T>,
        new: &BTreeMap<String, T>,
        mut each: impl FnMut(&mut Differ, &JsonPath, &str, &T, &T),
    ) {
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let here = path.field(key);
            let label = format!("{what} `{key}`");
            match (old.get(key), new.get(key)) {
                (Some(a), Some(b)) => each(self, &here, key, a, b),
                (a, b) => self.presence(&here, &label, a.map(json), b.map(json)),
            }
        }
    }

    /// A list of rules with ids: rules added, removed, changed (compared as `meaning` gives
    /// them), and rules whose order among the others changed (which matters under a first-match
    /// strategy).
    fn rules<T>(
        &mut self,
        path: &JsonPath,
        what: &str,
        old: &[T],
        new: &[T],
        id: impl Fn(&T) -> &str,
        meaning: impl Fn(&T) -> Value,
    ) {
        let old_at: BTreeMap<&str, usize> =
            old.iter().enumerate().map(|(i, r)| (id(r), i)).collect();
        let new_ids: BTreeSet<&str> = new.iter().map(&id).collect();
        // The rules in both, in the old order: a rule moved when its rank among them changed.
        let kept_old: Vec<&str> = old
            .iter()
            .map(&id)
            .filter(|i| new_ids.contains(i))
            .collect();
        let mut rank = 0;
        for (index, rule) in new.iter().enumerate() {
            let name = id(rule);
            let here = path.index(index);
            let Some((old_index, old_rule)) =
                old_at.get(name).and_then(|i| old.get(*i).map(|r| (*i, r)))
            else {
                self.push(
                    ChangeKind::Added,
                    &here,
                    None,
                    Some(meaning(rule)),
                    format!("{what} `{name}` added"),
                );
                continue;
            };
            let (a, b) = (meaning(old_rule), meaning(rule));
            let moved = kept_old.get(rank) != Some(&name);
            rank += 1;
            if a == b && !moved {
                continue;
            }
            let mut message = change_message(&format!("{what} `{name}`"), &a, &b);
            if moved {
                let note = format!("moved from position {} to {}", old_index + 1, index + 1);
                message = match a == b {
                    true => format!("{what} `{name}`: {note}"),
                    false => format!("{message}; {note}"),
                };
            }
            self.changes.push(Change {
                kind: ChangeKind::Changed,
                path: here.to_string(),
                old_path: (old_index != index).then(|| path.index(old_index).to_string()),
                old: Some(a),
                new: Some(b),
                message,
            });
        }
        for (index, rule) in old.iter().enumerate() {
            let name = id(rule);
            if !new_ids.contains(name) {
                self.push(
                    ChangeKind::Removed,
                    &path.index(index),
                    Some(meaning(rule)),
                    None,
                    format!("{what} `{name}` removed"),
                );
            }
        }
    }

    /// Both documents, section by section.
    fn documents(&mut self, old_policy: &Policy, new_policy: &Policy) {
        let (old, new) = (old_policy.document(), new_policy.document());
        let root = JsonPath::root();
        for (name, a, b) in [
            ("name", &old.name, &new.name),
            ("version", &old.version, &new.version),
        ] {
            self.value(
                &root.field(name),
                &format!("policy {name}"),
                json(a),
                json(b),
            );
        }
        self.map(
            &root.field("roles"),
            "role",
            &old.roles,
            &new.roles,
            |d, p, k, a, b| {
                d.value(p, &format!("role `{k}` labels"), json(a), json(b));
            },
        );
        self.map(
            &root.field("categories"),
            "category",
            &old.categories,
            &new.categories,
            |d, p, k, a, b| {
                d.value(
                    &p.field("labels"),
                    &format!("category `{k}` labels"),
                    json(&a.labels),
                    json(&b.labels),
                );
                d.value(
                    &p.field("default_tier"),
                    &format!("category `{k}` default tier"),
                    json(&a.default_tier),
                    json(&b.default_tier),
                );
            },
        );
        self.classification(old, new);
        self.emergency(old, new);
        self.map(
            &root.field("tiers"),
            "tier",
            &old.tiers,
            &new.tiers,
            |d, p, k, a, b| {
                d.tier(p, k, a, b);
            },
        );
        let clocks = root.field("clocks");
        let (a, b) = (&old.clocks, &new.clocks);
        self.value(
            &clocks.field("at_risk_fraction"),
            "clock at-risk fraction",
            json(&a.at_risk_fraction),
            json(&b.at_risk_fraction),
        );
        self.value(
            &clocks.field("escalation_chain"),
            "escalation chain",
            json(&a.escalation_chain),
            json(&b.escalation_chain),
        );
        self.set(
            &clocks.field("tier1_breach_observers"),
            "tier-1 breach observers",
            &a.tier1_breach_observers,
            &b.tier1_breach_observers,
        );
        self.lifecycle(old_policy, new_policy);
        self.calendar(old, new);
        self.warranty(old, new);
        let model = |d: &PolicyDocument| {
            d.model.as_ref().map(|m| {
                serde_json::json!({"name": m.name, "sha256": m.sha256(), "features": m.vocabulary.len()})
            })
        };
        self.presence(
            &root.field("model"),
            "learned model",
            model(old),
            model(new),
        );
    }

    fn classification(&mut self, old: &PolicyDocument, new: &PolicyDocument) {
        let base = JsonPath::root().field("classification");
        let (a, b) = (&old.classification, &new.classification);
        self.map(
            &base.field("terms"),
            "term list",
            &a.terms,
            &b.terms,
            |d, p, k, a, b| {
                d.set(
                    &p.field("words"),
                    &format!("term list `{k}` words"),
                    &a.words,
                    &b.words,
                );
                d.value(
                    &p.field("negatable"),
                    &format!("term list `{k}` negatable"),
                    json(&a.negatable),
                    json(&b.negatable),
                );
                d.set(
                    &p.field("cancelled_by"),
                    &format!("term list `{k}` cancelled by"),
                    &a.cancelled_by,
                    &b.cancelled_by,
                );
                d.set(
                    &p.field("masks"),
                    &format!("term list `{k}` masks"),
                    &a.masks,
                    &b.masks,
                );
            },
        );
        let (na, nb) = (&a.negation, &b.negation);
        let negation = base.field("negation");
        for (name, x, y) in [
            ("cues", &na.cues, &nb.cues),
            ("adjacent_cues", &na.adjacent_cues, &nb.adjacent_cues),
            ("not_cues", &na.not_cues, &nb.not_cues),
            ("scope_breaks", &na.scope_breaks, &nb.scope_breaks),
            ("sentence_breaks", &na.sentence_breaks, &nb.sentence_breaks),
        ] {
            self.set(&negation.field(name), &format!("negation {name}"), x, y);
        }
        for (name, x, y) in [
            ("max_gap", na.max_gap, nb.max_gap),
            ("max_gap_words", na.max_gap_words, nb.max_gap_words),
        ] {
            self.value(
                &negation.field(name),
                &format!("negation {name}"),
                json(&x),
                json(&y),
            );
        }
        self.map(
            &base.field("quantities"),
            "quantity",
            &a.quantities,
            &b.quantities,
            |d, p, k, a, b| {
                d.value(
                    &p.field("units"),
                    &format!("quantity `{k}` units"),
                    json(&a.units),
                    json(&b.units),
                );
            },
        );
        let (ca, cb) = (&a.category, &b.category);
        let category = base.field("category");
        self.value(
            &category.field("strategy"),
            "category strategy",
            json(&ca.strategy),
            json(&cb.strategy),
        );
        self.value(
            &category.field("tie_break"),
            "category tie-break order",
            json(&ca.tie_break),
            json(&cb.tie_break),
        );
        self.value(
            &category.field("fallback"),
            "category fallback",
            json(&ca.fallback),
            json(&cb.fallback),
        );
        self.rules(
            &category.field("rules"),
            "category rule",
            &ca.rules,
            &cb.rules,
            |r| &r.id,
            json,
        );
        let tier = base.field("tier");
        self.value(
            &tier.field("strategy"),
            "tier strategy",
            json(&a.tier.strategy),
            json(&b.tier.strategy),
        );
        self.rules(
            &tier.field("rules"),
            "tier rule",
            &a.tier.rules,
            &b.tier.rules,
            |r| &r.id,
            json,
        );
        self.presence(
            &base.field("model_use"),
            "model use",
            a.model_use.as_ref().map(json),
            b.model_use.as_ref().map(json),
        );
    }

    fn emergency(&mut self, old: &PolicyDocument, new: &PolicyDocument) {
        let base = JsonPath::root().field("emergency");
        let (a, b) = (&old.emergency, &new.emergency);
        self.value(
            &base.field("implies_tier"),
            "emergency tier",
            json(&a.implies_tier),
            json(&b.implies_tier),
        );
        self.rules(
            &base.field("triggers"),
            "emergency trigger",
            &a.triggers,
            &b.triggers,
            |t| &t.id,
            json,
        );
        self.map(
            &base.field("levels"),
            "emergency level",
            &a.levels,
            &b.levels,
            |d, p, k, a, b| {
                d.value(
                    &p.field("commander"),
                    &format!("emergency level {k} commander"),
                    json(&a.commander),
                    json(&b.commander),
                );
                d.value(
                    &p.field("commanding_role"),
                    &format!("emergency level {k} commanding role"),
                    json(&a.commanding_role),
                    json(&b.commanding_role),
                );
                d.rules(
                    &p.field("actions"),
                    &format!("emergency level {k} action"),
                    &a.actions,
                    &b.actions,
                    |x| &x.id,
                    |x| {
                        let mut value = json(x);
                        if let Value::Object(members) = &mut value {
                            members.insert("due".to_owned(), duration(&x.due));
                        }
                        value
                    },
                );
                d.value(
                    &p.field("status_update_every"),
                    &format!("emergency level {k} status updates"),
                    duration(&a.status_update_every),
                    duration(&b.status_update_every),
                );
            },
        );
        self.value(
            &base.field("review_due"),
            "post-event review due",
            duration(&a.review_due),
            duration(&b.review_due),
        );
        self.value(
            &base.field("drill_interval"),
            "drill interval",
            duration(&a.drill_interval),
            duration(&b.drill_interval),
        );
    }

    fn tier(&mut self, path: &JsonPath, key: &str, a: &TierSpec, b: &TierSpec) {
        let what = |s: &str| format!("tier {key} {s}");
        self.value(
            &path.field("labels"),
            &what("labels"),
            json(&a.labels),
            json(&b.labels),
        );
        let (pa, pb) = (&a.plan, &b.plan);
        let plan = path.field("plan");
        self.value(
            &plan.field("drafted_by"),
            &what("drafters (the first leads)"),
            json(&pa.drafted_by),
            json(&pb.drafted_by),
        );
        self.set(
            &plan.field("with"),
            &what("drafting with"),
            &pa.with,
            &pb.with,
        );
        self.set(
            &plan.field("consult_departments"),
            &what("consulted departments"),
            &pa.consult_departments,
            &pb.consult_departments,
        );
        self.set(
            &plan.field("must_contain"),
            &what("plan contents"),
            pa.must_contain.iter().map(json_name),
            pb.must_contain.iter().map(json_name),
        );
        self.set(
            &plan.field("approved_by"),
            &what("approvers"),
            &pa.approved_by,
            &pb.approved_by,
        );
        self.presence(
            &plan.field("filed_with"),
            &what("plan filed with"),
            pa.filed_with.as_ref().map(json),
            pb.filed_with.as_ref().map(json),
        );
        let (va, vb) = (&a.verification, &b.verification);
        let verification = path.field("verification");
        self.set(
            &verification.field("by"),
            &what("verifiers"),
            &va.by,
            &vb.by,
        );
        self.value(
            &verification.field("all_must_pass"),
            &what("all verifiers must pass"),
            json(&va.all_must_pass),
            json(&vb.all_must_pass),
        );
        self.value(
            &verification.field("report_required"),
            &what("verification report required"),
            json(&va.report_required),
            json(&vb.report_required),
        );
        let (da, db) = (&a.deadlines, &b.deadlines);
        let deadlines = path.field("deadlines");
        for (name, x, y) in [
            ("contact", Some(&da.contact), Some(&db.contact)),
            (
                "commitment_cap",
                da.commitment_cap.as_ref(),
                db.commitment_cap.as_ref(),
            ),
            ("plan", Some(&da.plan), Some(&db.plan)),
            ("approval", da.approval.as_ref(), db.approval.as_ref()),
            (
                "progress_every",
                da.progress_every.as_ref(),
                db.progress_every.as_ref(),
            ),
            (
                "verification",
                Some(&da.verification),
                Some(&db.verification),
            ),
            (
                "customer_reply",
                Some(&da.customer_reply),
                Some(&db.customer_reply),
            ),
        ] {
            self.value(
                &deadlines.field(name),
                &what(&format!("{name} deadline")),
                maybe_duration(x),
                maybe_duration(y),
            );
        }
        self.set(
            &path.field("records"),
            &what("records"),
            a.records.iter().map(json_name),
            b.records.iter().map(json_name),
        );
        let duties = |rules: &[Vec<crate::policy::document::Duty>]| -> Vec<String> {
            rules
                .iter()
                .map(|rule| {
                    rule.iter()
                        .map(|d| d.as_str())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(" + ")
                })
                .collect()
        };
        self.set(
            &path.field("separation_of_duties"),
            &what("separation of duties"),
            duties(&a.separation_of_duties),
            duties(&b.separation_of_duties),
        );
    }

    /// The commands `lifecycle.permissions` grants, as the roles each is open to at each tier;
    /// then who lowers a tier-1 case, the rejections that raise a tier, the review's deadline.
    fn lifecycle(&mut self, old_policy: &Policy, new_policy: &Policy) {
        let base = JsonPath::root().field("lifecycle");
        let (old, new) = (
            &old_policy.document().lifecycle,
            &new_policy.document().lifecycle,
        );
        let permissions = base.field("permissions");
        for command in CommandKind::ALL.iter().copied() {
            let name = command.as_str();
            if !old.permissions.contains_key(name) && !new.permissions.contains_key(name) {
                continue;
            }
            let per_tier = matches!(new.permissions.get(name), Some(Permission::PerTier(_)));
            for tier in Tier::ALL.iter().copied() {
                let path = match per_tier {
                    true => permissions.field(name).field(&tier.number().to_string()),
                    false => permissions.field(name),
                };
                let roles = |p: &Policy| {
                    p.roles_for(command, tier)
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                };
                self.set(
                    &path,
                    &format!("tier {}: `{name}` open to", tier.number()),
                    roles(old_policy),
                    roles(new_policy),
                );
            }
        }
        self.set(
            &base.field("lower_tier_1"),
            "who may lower a tier-1 case",
            &old.lower_tier_1,
            &new.lower_tier_1,
        );
        self.value(
            &base.field("raise_tier_after_rejections"),
            "rejections that raise the tier",
            json(&old.raise_tier_after_rejections),
            json(&new.raise_tier_after_rejections),
        );
        self.value(
            &base.field("tier_review_due"),
            "tier review due",
            maybe_duration(old.tier_review_due.as_ref()),
            maybe_duration(new.tier_review_due.as_ref()),
        );
    }

    /// The calendar: offset, hours, coverage, and per year the days off and make-up days.
    fn calendar(&mut self, old: &PolicyDocument, new: &PolicyDocument) {
        let base = JsonPath::root().field("calendar");
        let (a, b) = (&old.calendar, &new.calendar);
        self.value(
            &base.field("utc_offset"),
            "calendar UTC offset",
            json(&a.utc_offset),
            json(&b.utc_offset),
        );
        let (wa, wb) = (json(&a.working_hours), json(&b.working_hours));
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            self.value(
                &at(&base, &["working_hours", day]),
                &format!("working hours on {day}"),
                wa.get(day).cloned().unwrap_or(Value::Null),
                wb.get(day).cloned().unwrap_or(Value::Null),
            );
        }
        self.value(
            &base.field("make_up_day_hours"),
            "make-up day hours",
            json(&a.make_up_day_hours),
            json(&b.make_up_day_hours),
        );
        self.value(
            &base.field("coverage"),
            "calendar coverage",
            json(&a.coverage),
            json(&b.coverage),
        );
        self.map(
            &base.field("years"),
            "calendar year",
            &a.years,
            &b.years,
            |d, p, k, x, y| {
                let off = |year: &crate::calendar::spec::YearSpec| {
                    year.off
                        .iter()
                        .flat_map(|h| h.dates.iter().cloned())
                        .collect::<Vec<_>>()
                };
                d.set(&p.field("off"), &format!("{k} days off"), off(x), off(y));
                d.set(
                    &p.field("work"),
                    &format!("{k} make-up working days"),
                    &x.work,
                    &y.work,
                );
            },
        );
    }

    fn warranty(&mut self, old: &PolicyDocument, new: &PolicyDocument) {
        let base = JsonPath::root().field("warranty");
        match (&old.warranty, &new.warranty) {
            (Some(a), Some(b)) => {
                self.value(
                    &base.field("design_service_life_years"),
                    "design service life (years)",
                    json(&a.design_service_life_years),
                    json(&b.design_service_life_years),
                );
                self.map(
                    &base.field("seasons"),
                    "season",
                    &a.seasons,
                    &b.seasons,
                    |d, p, k, x, y| {
                        d.value(p, &format!("season `{k}`"), json(x), json(y));
                    },
                );
                self.map(
                    &base.field("elements"),
                    "warranty element",
                    &a.elements,
                    &b.elements,
                    |d, p, k, x, y| {
                        d.value(
                            &p.field("labels"),
                            &format!("warranty element `{k}` labels"),
                            json(&x.labels),
                            json(&y.labels),
                        );
                        d.value(
                            &p.field("period"),
                            &format!("warranty element `{k}` period"),
                            json(&x.period),
                            json(&y.period),
                        );
                        d.presence(
                            &p.field("when"),
                            &format!("warranty element `{k}` condition"),
                            x.when.as_ref().map(json),
                            y.when.as_ref().map(json),
                        );
                    },
                );
            }
            (a, b) => self.presence(
                &base,
                "warranty section",
                a.as_ref().map(json),
                b.as_ref().map(json),
            ),
        }
    }
}

/// A unit enum's name in JSON (`"signed_confirmation"`).
fn json_name<T: Serialize>(value: &T) -> String {
    match json(value) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// `what: old → new` when both are short enough to quote; else the members that differ.
fn change_message(what: &str, old: &Value, new: &Value) -> String {
    if let (Value::Object(a), Value::Object(b)) = (old, new) {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        let differing: Vec<&str> = keys
            .into_iter()
            .filter(|k| a.get(*k) != b.get(*k))
            .map(String::as_str)
            .collect();
        return format!("{what} changed: {}", differing.join(", "));
    }
    match (quoted(old), quoted(new)) {
        (Some(a), Some(b)) => format!("{what}: {a} → {b}"),
        _ => format!("{what} changed"),
    }
}
