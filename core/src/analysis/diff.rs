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

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calendar::duration::Duration;
use crate::classify::Classification;
use crate::domain::{CommandKind, Tier};
use crate::error::JsonPath;
use crate::intake::Report;
use crate::policy::Policy;
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
    /// Every aspect, in order.
    pub const ALL: &'static [Aspect] = &[
        Aspect::Category,
        Aspect::Tier,
        Aspect::Emergency,
        Aspect::Review,
        Aspect::Routing,
        Aspect::Warranty,
    ];

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
    pub by_aspect: AspectCounts,
}

/// How many reports are treated apart in each respect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AspectCounts {
    /// In category.
    pub category: u64,
    /// In tier.
    pub tier: u64,
    /// In emergency level.
    pub emergency: u64,
    /// In review.
    pub review: u64,
    /// In routing.
    pub routing: u64,
    /// In warranty answer.
    pub warranty: u64,
}

impl AspectCounts {
    /// The count of one aspect.
    pub fn get(&self, aspect: Aspect) -> u64 {
        match aspect {
            Aspect::Category => self.category,
            Aspect::Tier => self.tier,
            Aspect::Emergency => self.emergency,
            Aspect::Review => self.review,
            Aspect::Routing => self.routing,
            Aspect::Warranty => self.warranty,
        }
    }

    fn count(&mut self, aspect: Aspect) {
        let count = match aspect {
            Aspect::Category => &mut self.category,
            Aspect::Tier => &mut self.tier,
            Aspect::Emergency => &mut self.emergency,
            Aspect::Review => &mut self.review,
            Aspect::Routing => &mut self.routing,
            Aspect::Warranty => &mut self.warranty,
        };
        *count += 1;
    }
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
                counts.by_aspect.count(*aspect);
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
            return (policy.classify(report), object([("error", json(&error))]));
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
                    let mut keyed = serde_json::Map::new();
                    for mut deadline in deadlines {
                        if let Value::Object(rule) = &mut deadline {
                            rule.remove("rule");
                            if let Some(Value::String(clock)) = rule.remove("clock") {
                                keyed.insert(clock, deadline);
                            }
                        }
                    }
                    members.insert("deadlines".to_owned(), Value::Object(keyed));
                }
            }
            object([("routing", routing), ("warranty", json(&warranty))])
        }
        Err(error) => object([("error", json(&error)), ("warranty", json(&warranty))]),
    };
    (classification, value)
}

/// Every leaf (or list) that differs between two JSON values, objects compared member by member.
fn value_changes(path: JsonPath, old: &Value, new: &Value, out: &mut Vec<ValueChange>) {
    match (old, new) {
        (Value::Object(_), Value::Object(_)) => {
            for key in keys(old, new) {
                value_changes(path.field(key), get(old, key), get(new, key), out);
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

/// A value as JSON, written as every answer is (`serde_json::to_string`) and read back with
/// the engine's reader: one serialisation per type for answers and comparison alike. `null`
/// should it not serialise, which the engine's types always do.
fn json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| crate::reader::parse(&text).ok())
        .unwrap_or(Value::Null)
}

/// An object of the given members.
fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut object = serde_json::Map::new();
    for (name, value) in members {
        object.insert(name.to_owned(), value);
    }
    Value::Object(object)
}

/// `null`, for members that are absent.
static NULL: Value = Value::Null;

/// The member `key` of an object, `null` when absent.
fn get<'a>(value: &'a Value, key: &str) -> &'a Value {
    value.get(key).unwrap_or(&NULL)
}

/// The member names of two objects, sorted, without repeats.
fn keys<'a>(old: &'a Value, new: &'a Value) -> Vec<&'a str> {
    let mut keys: Vec<&str> = [old, new]
        .into_iter()
        .filter_map(Value::as_object)
        .flat_map(|members| members.keys().map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The items of a list as text (a string as itself), sorted, without repeats.
fn items(list: &Value) -> Vec<String> {
    let mut items: Vec<String> = list
        .as_array()
        .map(|items| items.iter().map(text).collect())
        .unwrap_or_default();
    items.sort_unstable();
    items.dedup();
    items
}

/// A value on one line, a string without its quotes.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A duration as written (`"2 working_days"` or `{"amount": 2, "unit": "working_days"}`) as its
/// meaning: the parsed duration's text; `null` stays `null`, and anything that does not parse
/// (a loaded policy's durations all do) stays as written.
fn duration(value: &Value) -> Value {
    let parsed = match value {
        Value::String(text) => text.parse::<Duration>().ok(),
        Value::Object(_) => match (get(value, "amount").as_i64(), get(value, "unit").as_str()) {
            (Some(amount), Some(unit)) => Duration::from_parts(amount, unit).ok(),
            _ => None,
        },
        _ => None,
    };
    parsed.map_or_else(|| value.clone(), |d| Value::String(d.to_string()))
}

/// A rule with its `due` read as a duration (an emergency action).
fn with_due(rule: &Value) -> Value {
    let mut rule = rule.clone();
    if let Value::Object(members) = &mut rule
        && let Some(due) = members.get_mut("due")
    {
        *due = duration(due);
    }
    rule
}

/// A rule as written.
fn as_written(rule: &Value) -> Value {
    rule.clone()
}

/// How the members of a part of the policy are compared.
#[derive(Clone, Copy)]
enum Compare {
    /// As values.
    Value,
    /// As durations.
    Duration,
    /// As sets: the items added, the items removed.
    Set,
}

/// Collects the changes, walking both documents (as JSON) in the same order.
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
    fn value(&mut self, path: &JsonPath, what: &str, old: &Value, new: &Value) {
        if old != new {
            let message = change_message(what, old, new);
            self.push(
                ChangeKind::Changed,
                path,
                Some(old.clone()),
                Some(new.clone()),
                message,
            );
        }
    }

    /// A member present in one policy or both (`null`: absent), compared as a value when in both.
    fn presence(&mut self, path: &JsonPath, what: &str, old: &Value, new: &Value) {
        match (old.is_null(), new.is_null()) {
            (true, true) => {}
            (true, false) => self.push(
                ChangeKind::Added,
                path,
                None,
                Some(new.clone()),
                format!("{what} added"),
            ),
            (false, true) => self.push(
                ChangeKind::Removed,
                path,
                Some(old.clone()),
                None,
                format!("{what} removed"),
            ),
            (false, false) => self.value(path, what, old, new),
        }
    }

    /// A list whose order does not matter: the items added and those removed.
    fn set(&mut self, path: &JsonPath, what: &str, old: Vec<String>, new: Vec<String>) {
        let only_in = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter()
                .filter(|x| b.binary_search(x).is_err())
                .cloned()
                .collect()
        };
        let (added, removed) = (only_in(&new, &old), only_in(&old, &new));
        for (kind, list) in [(ChangeKind::Added, added), (ChangeKind::Removed, removed)] {
            if list.is_empty() {
                continue;
            }
            let message = format!("{what}: {} {}", kind.as_str(), list.join(", "));
            let value = Some(Value::Array(list.into_iter().map(Value::String).collect()));
            let (old, new) = match kind {
                ChangeKind::Removed => (value, None),
                _ => (None, value),
            };
            self.push(kind, path, old, new, message);
        }
    }

    /// The members `names` of `old` and `new` under `path`, each compared as `how` says;
    /// `what` is prefixed to each member's name in the messages.
    fn members(
        &mut self,
        path: &JsonPath,
        what: &str,
        old: &Value,
        new: &Value,
        names: &[(&str, Compare)],
    ) {
        for (name, how) in names {
            let (a, b) = (get(old, name), get(new, name));
            let (here, label) = (
                path.field(name),
                format!("{what}{}", name.replace('_', " ")),
            );
            match how {
                Compare::Value => self.value(&here, &label, a, b),
                Compare::Duration => self.value(&here, &label, &duration(a), &duration(b)),
                Compare::Set => self.set(&here, &label, items(a), items(b)),
            }
        }
    }

    /// A map keyed by id: entries added, removed, and those in both compared by `each`.
    fn map(
        &mut self,
        path: &JsonPath,
        what: &str,
        old: &Value,
        new: &Value,
        each: &mut dyn FnMut(&mut Differ, &JsonPath, &str, &Value, &Value),
    ) {
        for key in keys(old, new) {
            let here = path.field(key);
            match (get(old, key), get(new, key)) {
                (a, b) if !a.is_null() && !b.is_null() => each(self, &here, key, a, b),
                (a, b) => self.presence(&here, &format!("{what} `{key}`"), a, b),
            }
        }
    }

    /// A list of rules with ids: rules added, removed, changed (compared as `meaning` gives
    /// them), and rules whose order among the others changed (which matters under a first-match
    /// strategy).
    fn rules(
        &mut self,
        path: &JsonPath,
        what: &str,
        old: &Value,
        new: &Value,
        meaning: fn(&Value) -> Value,
    ) {
        let list = |v: &Value| -> Vec<(String, Value)> {
            v.as_array()
                .map(|rules| {
                    rules
                        .iter()
                        .map(|r| (text(get(r, "id")), meaning(r)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old, new) = (list(old), list(new));
        let position = |rules: &[(String, Value)], id: &str| rules.iter().position(|r| r.0 == id);
        // The rules in both, in the new order: those outside a longest run kept in the old
        // order moved.
        let kept: Vec<(usize, usize)> = new
            .iter()
            .enumerate()
            .filter_map(|(i, r)| position(&old, &r.0).map(|o| (i, o)))
            .collect();
        let stayed = in_order(&kept.iter().map(|k| k.1).collect::<Vec<_>>());
        let moved: Vec<usize> = kept
            .iter()
            .zip(&stayed)
            .filter(|(_, stayed)| !**stayed)
            .map(|(k, _)| k.0)
            .collect();
        for (index, (id, rule)) in new.iter().enumerate() {
            let here = path.index(index);
            let Some((old_index, (_, old_rule))) =
                position(&old, id).and_then(|i| old.get(i).map(|r| (i, r)))
            else {
                let message = format!("{what} `{id}` added");
                self.push(ChangeKind::Added, &here, None, Some(rule.clone()), message);
                continue;
            };
            let moved = moved.contains(&index);
            if old_rule == rule && !moved {
                continue;
            }
            let name = format!("{what} `{id}`");
            let note = format!("moved from position {} to {}", old_index + 1, index + 1);
            let message = match (old_rule == rule, moved) {
                (true, _) => format!("{name}: {note}"),
                (false, true) => format!("{}; {note}", change_message(&name, old_rule, rule)),
                (false, false) => change_message(&name, old_rule, rule),
            };
            self.changes.push(Change {
                kind: ChangeKind::Changed,
                path: here.to_string(),
                old_path: (old_index != index).then(|| path.index(old_index).to_string()),
                old: Some(old_rule.clone()),
                new: Some(rule.clone()),
                message,
            });
        }
        for (index, (id, rule)) in old.iter().enumerate() {
            if position(&new, id).is_none() {
                let message = format!("{what} `{id}` removed");
                self.push(
                    ChangeKind::Removed,
                    &path.index(index),
                    Some(rule.clone()),
                    None,
                    message,
                );
            }
        }
    }

    /// Both policies, section by section.
    fn documents(&mut self, old_policy: &Policy, new_policy: &Policy) {
        let (old, new) = (json(old_policy.document()), json(new_policy.document()));
        let root = JsonPath::root();
        self.members(
            &root,
            "policy ",
            &old,
            &new,
            &[("name", Compare::Value), ("version", Compare::Value)],
        );
        self.map(
            &root.field("roles"),
            "role",
            get(&old, "roles"),
            get(&new, "roles"),
            &mut |d, p, k, a, b| {
                d.value(p, &format!("role `{k}` labels"), a, b);
            },
        );
        self.map(
            &root.field("categories"),
            "category",
            get(&old, "categories"),
            get(&new, "categories"),
            &mut |d, p, k, a, b| {
                d.members(
                    p,
                    &format!("category `{k}` "),
                    a,
                    b,
                    &[("labels", Compare::Value), ("default_tier", Compare::Value)],
                );
            },
        );
        self.classification(
            &root.field("classification"),
            get(&old, "classification"),
            get(&new, "classification"),
        );
        self.emergency(
            &root.field("emergency"),
            get(&old, "emergency"),
            get(&new, "emergency"),
        );
        self.map(
            &root.field("tiers"),
            "tier",
            get(&old, "tiers"),
            get(&new, "tiers"),
            &mut |d, p, k, a, b| {
                d.tier(p, k, a, b);
            },
        );
        self.members(
            &root.field("clocks"),
            "clocks ",
            get(&old, "clocks"),
            get(&new, "clocks"),
            &[
                ("at_risk_fraction", Compare::Value),
                ("escalation_chain", Compare::Value),
                ("tier1_breach_observers", Compare::Set),
            ],
        );
        self.lifecycle(
            old_policy,
            new_policy,
            get(&old, "lifecycle"),
            get(&new, "lifecycle"),
        );
        self.calendar(
            &root.field("calendar"),
            get(&old, "calendar"),
            get(&new, "calendar"),
        );
        let warranty = root.field("warranty");
        let (a, b) = (get(&old, "warranty"), get(&new, "warranty"));
        match a.is_null() || b.is_null() {
            true => self.presence(&warranty, "warranty section", a, b),
            false => {
                self.members(
                    &warranty,
                    "warranty ",
                    a,
                    b,
                    &[("design_service_life_years", Compare::Value)],
                );
                self.map(
                    &warranty.field("seasons"),
                    "season",
                    get(a, "seasons"),
                    get(b, "seasons"),
                    &mut |d, p, k, x, y| {
                        d.value(p, &format!("season `{k}`"), x, y);
                    },
                );
                self.map(
                    &warranty.field("elements"),
                    "warranty element",
                    get(a, "elements"),
                    get(b, "elements"),
                    &mut |d, p, k, x, y| {
                        d.members(
                            p,
                            &format!("warranty element `{k}` "),
                            x,
                            y,
                            &[("labels", Compare::Value), ("period", Compare::Value)],
                        );
                        d.presence(
                            &p.field("when"),
                            &format!("warranty element `{k}` condition"),
                            get(x, "when"),
                            get(y, "when"),
                        );
                    },
                );
            }
        }
        let model = |policy: &Policy| {
            policy.document().model.as_ref().map_or(Value::Null, |m| {
                object([
                    ("name", Value::String(m.name.clone())),
                    ("sha256", Value::String(m.sha256())),
                    ("features", Value::from(m.vocabulary.len())),
                ])
            })
        };
        self.presence(
            &root.field("model"),
            "learned model",
            &model(old_policy),
            &model(new_policy),
        );
    }

    fn classification(&mut self, base: &JsonPath, a: &Value, b: &Value) {
        self.map(
            &base.field("terms"),
            "term list",
            get(a, "terms"),
            get(b, "terms"),
            &mut |d, p, k, x, y| {
                // `negatable` is omitted when true.
                let negatable = |v: &Value| get(v, "negatable").as_bool().unwrap_or(true);
                d.value(
                    &p.field("negatable"),
                    &format!("term list `{k}` negatable"),
                    &Value::Bool(negatable(x)),
                    &Value::Bool(negatable(y)),
                );
                d.members(
                    p,
                    &format!("term list `{k}` "),
                    x,
                    y,
                    &[
                        ("words", Compare::Set),
                        ("cancelled_by", Compare::Set),
                        ("masks", Compare::Set),
                    ],
                );
            },
        );
        self.members(
            &base.field("negation"),
            "negation ",
            get(a, "negation"),
            get(b, "negation"),
            &[
                ("cues", Compare::Set),
                ("adjacent_cues", Compare::Set),
                ("not_cues", Compare::Set),
                ("scope_breaks", Compare::Set),
                ("sentence_breaks", Compare::Set),
                ("max_gap", Compare::Value),
                ("max_gap_words", Compare::Value),
            ],
        );
        self.map(
            &base.field("quantities"),
            "quantity",
            get(a, "quantities"),
            get(b, "quantities"),
            &mut |d, p, k, x, y| {
                d.members(
                    p,
                    &format!("quantity `{k}` "),
                    x,
                    y,
                    &[("units", Compare::Value)],
                );
            },
        );
        let (ca, cb) = (get(a, "category"), get(b, "category"));
        let category = base.field("category");
        self.members(
            &category,
            "category ",
            ca,
            cb,
            &[
                ("strategy", Compare::Value),
                ("tie_break", Compare::Value),
                ("fallback", Compare::Value),
            ],
        );
        self.rules(
            &category.field("rules"),
            "category rule",
            get(ca, "rules"),
            get(cb, "rules"),
            as_written,
        );
        let (ta, tb) = (get(a, "tier"), get(b, "tier"));
        let tier = base.field("tier");
        self.members(&tier, "tier ", ta, tb, &[("strategy", Compare::Value)]);
        self.rules(
            &tier.field("rules"),
            "tier rule",
            get(ta, "rules"),
            get(tb, "rules"),
            as_written,
        );
        self.presence(
            &base.field("model_use"),
            "model use",
            get(a, "model_use"),
            get(b, "model_use"),
        );
    }

    fn emergency(&mut self, base: &JsonPath, a: &Value, b: &Value) {
        self.members(
            base,
            "emergency ",
            a,
            b,
            &[
                ("implies_tier", Compare::Value),
                ("review_due", Compare::Duration),
                ("drill_interval", Compare::Duration),
            ],
        );
        self.rules(
            &base.field("triggers"),
            "emergency trigger",
            get(a, "triggers"),
            get(b, "triggers"),
            as_written,
        );
        self.map(
            &base.field("levels"),
            "emergency level",
            get(a, "levels"),
            get(b, "levels"),
            &mut |d, p, k, x, y| {
                d.members(
                    p,
                    &format!("emergency level {k} "),
                    x,
                    y,
                    &[
                        ("commander", Compare::Value),
                        ("commanding_role", Compare::Value),
                        ("status_update_every", Compare::Duration),
                    ],
                );
                d.rules(
                    &p.field("actions"),
                    &format!("emergency level {k} action"),
                    get(x, "actions"),
                    get(y, "actions"),
                    with_due,
                );
            },
        );
    }

    fn tier(&mut self, path: &JsonPath, key: &str, a: &Value, b: &Value) {
        let what = format!("tier {key} ");
        self.members(
            path,
            &what,
            a,
            b,
            &[("labels", Compare::Value), ("records", Compare::Set)],
        );
        self.members(
            &path.field("plan"),
            &format!("{what}plan "),
            get(a, "plan"),
            get(b, "plan"),
            &[
                // Ordered: the first drafter leads.
                ("drafted_by", Compare::Value),
                ("with", Compare::Set),
                ("consult_departments", Compare::Set),
                ("must_contain", Compare::Set),
                ("approved_by", Compare::Set),
                ("filed_with", Compare::Value),
            ],
        );
        self.members(
            &path.field("verification"),
            &format!("{what}verification "),
            get(a, "verification"),
            get(b, "verification"),
            &[
                ("by", Compare::Set),
                ("all_must_pass", Compare::Value),
                ("report_required", Compare::Value),
            ],
        );
        self.members(
            &path.field("deadlines"),
            &format!("{what}deadline "),
            get(a, "deadlines"),
            get(b, "deadlines"),
            &[
                ("contact", Compare::Duration),
                ("commitment_cap", Compare::Duration),
                ("plan", Compare::Duration),
                ("approval", Compare::Duration),
                ("progress_every", Compare::Duration),
                ("verification", Compare::Duration),
                ("customer_reply", Compare::Duration),
            ],
        );
        // Each rule a set of duties, the rules a set.
        let duties = |v: &Value| -> Vec<String> {
            let mut rules: Vec<String> = get(v, "separation_of_duties")
                .as_array()
                .map(|rules| rules.iter().map(|rule| items(rule).join(" + ")).collect())
                .unwrap_or_default();
            rules.sort_unstable();
            rules.dedup();
            rules
        };
        self.set(
            &path.field("separation_of_duties"),
            &format!("{what}separation of duties"),
            duties(a),
            duties(b),
        );
    }

    /// The commands `lifecycle.permissions` grants, as the roles each is open to at each tier
    /// (however written); then who lowers a tier-1 case, the rejections that raise a tier, the
    /// review's deadline.
    fn lifecycle(&mut self, old_policy: &Policy, new_policy: &Policy, a: &Value, b: &Value) {
        let base = JsonPath::root().field("lifecycle");
        let (pa, pb) = (get(a, "permissions"), get(b, "permissions"));
        let permissions = base.field("permissions");
        for command in CommandKind::ALL.iter().copied() {
            let name = command.as_str();
            if get(pa, name).is_null() && get(pb, name).is_null() {
                continue;
            }
            let roles = |p: &Policy, tier: Tier| {
                let mut roles: Vec<String> = p
                    .roles_for(command, tier)
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect();
                roles.sort_unstable();
                roles
            };
            let per_tier = |p: &Policy| Tier::ALL.iter().map(|t| roles(p, *t)).collect::<Vec<_>>();
            let (was, is) = (per_tier(old_policy), per_tier(new_policy));
            let uniform = |all: &[Vec<String>]| all.windows(2).all(|w| w.first() == w.last());
            // One list for every tier in the new policy, and the same change at each: said once.
            if !get(pb, name).is_object() && uniform(&was) && uniform(&is) {
                let (a, b) = (was.into_iter().next(), is.into_iter().next());
                let what = format!("`{name}` open to");
                self.set(
                    &permissions.field(name),
                    &what,
                    a.unwrap_or_default(),
                    b.unwrap_or_default(),
                );
                continue;
            }
            for ((tier, a), b) in Tier::ALL.iter().zip(was).zip(is) {
                let number = tier.number().to_string();
                let path = match get(pb, name).is_object() {
                    true => permissions.field(name).field(&number),
                    false => permissions.field(name),
                };
                self.set(&path, &format!("tier {number}: `{name}` open to"), a, b);
            }
        }
        self.members(
            &base,
            "lifecycle ",
            a,
            b,
            &[
                ("lower_tier_1", Compare::Set),
                ("raise_tier_after_rejections", Compare::Value),
                ("tier_review_due", Compare::Duration),
            ],
        );
    }

    /// The calendar: offset, hours, coverage, and per year the days off and make-up days.
    fn calendar(&mut self, base: &JsonPath, a: &Value, b: &Value) {
        self.members(
            base,
            "calendar ",
            a,
            b,
            &[
                ("utc_offset", Compare::Value),
                ("make_up_day_hours", Compare::Value),
                ("coverage", Compare::Value),
            ],
        );
        let hours = base.field("working_hours");
        let (ha, hb) = (get(a, "working_hours"), get(b, "working_hours"));
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            self.value(
                &hours.field(day),
                &format!("working hours on {day}"),
                get(ha, day),
                get(hb, day),
            );
        }
        self.map(
            &base.field("years"),
            "calendar year",
            get(a, "years"),
            get(b, "years"),
            &mut |d, p, k, x, y| {
                let off = |year: &Value| -> Vec<String> {
                    let mut days: Vec<String> = get(year, "off")
                        .as_array()
                        .map(|holidays| {
                            holidays
                                .iter()
                                .flat_map(|h| items(get(h, "dates")))
                                .collect()
                        })
                        .unwrap_or_default();
                    days.sort_unstable();
                    days.dedup();
                    days
                };
                d.set(&p.field("off"), &format!("{k} days off"), off(x), off(y));
                d.set(
                    &p.field("work"),
                    &format!("{k} make-up working days"),
                    items(get(x, "work")),
                    items(get(y, "work")),
                );
            },
        );
    }
}

/// Which of `values` belong to a longest increasing run of them (the first such run found):
/// the rules that kept their order.
fn in_order(values: &[usize]) -> Vec<bool> {
    // longest[i]: the length of the longest increasing run ending at i; before[i]: its previous.
    let mut longest = vec![1usize; values.len()];
    let mut before: Vec<Option<usize>> = vec![None; values.len()];
    for (i, value) in values.iter().enumerate() {
        for (j, earlier) in values.iter().enumerate().take(i) {
            let through = longest.get(j).map_or(0, |l| l + 1);
            if earlier < value && through > longest.get(i).copied().unwrap_or(0) {
                if let Some(l) = longest.get_mut(i) {
                    *l = through;
                }
                if let Some(b) = before.get_mut(i) {
                    *b = Some(j);
                }
            }
        }
    }
    let mut stayed = vec![false; values.len()];
    let mut end = (0..values.len())
        .rev()
        .max_by_key(|i| longest.get(*i).copied().unwrap_or(0));
    while let Some(i) = end {
        if let Some(s) = stayed.get_mut(i) {
            *s = true;
        }
        end = before.get(i).copied().flatten();
    }
    stayed
}

/// `what: old → new` when both are short enough to quote; else the members that differ.
fn change_message(what: &str, old: &Value, new: &Value) -> String {
    if old.is_object() && new.is_object() {
        let differing: Vec<String> = keys(old, new)
            .into_iter()
            .filter(|k| get(old, k) != get(new, k))
            .map(|k| match quoted(get(old, k), get(new, k)) {
                Some(change) => format!("{k} {change}"),
                None => k.to_owned(),
            })
            .collect();
        return format!("{what} changed: {}", differing.join(", "));
    }
    match quoted(old, new) {
        Some(change) => format!("{what}: {change}"),
        None => format!("{what} changed"),
    }
}

/// `old → new`, when both are short enough to quote.
fn quoted(old: &Value, new: &Value) -> Option<String> {
    let short = |v: &Value| Some(text(v)).filter(|t| t.chars().count() <= 60);
    Some(format!("{} → {}", short(old)?, short(new)?))
}
