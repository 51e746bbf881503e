//! The shape pass: what of the policy file its types' `#[derive(Read)]` cannot read by type.
//!
//! Every member of every section is read on its own, so one load reports every malformed member
//! of the file at once, each at its JSON path: a wrong type, a missing or unknown member, a name
//! outside a closed set, a condition or duration that is neither of its forms. The document types
//! (`document.rs` and the `spec.rs` of classification, calendar and warranty) read themselves
//! member by member (`#[read(values)]`); the shapes here are the ones with more than one form:
//! conditions, durations, permissions, term-list references and warranty periods. What the
//! members mean (references, rules, durations' values) is checked by the meaning pass afterwards.
//! Reading by hand keeps serde's generic deserialisers out of every host, the WebAssembly
//! package above all.

use serde_json::Value;

use crate::classify::spec::{
    AllOf, AnyOf, Condition, FactTest, Mentions, NegatedTest, NotCondition, OneOrMany, QuantityTest,
};
use crate::error::{Diagnostic, JsonPath};
use crate::intake::Fact;
use crate::reader::{ReadTagged, ReadValue, list, map, name, object, string, strings, u64_value};
use crate::warranty::spec::PeriodSpec;

use super::document::Permission;

type Diagnostics = Vec<Diagnostic>;

impl ReadValue for Condition {
    fn read(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Self> {
        condition(v, p, d)
    }
}

impl ReadValue for OneOrMany {
    fn read(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Self> {
        one_or_many(v, p, d)
    }
}

impl ReadValue for Permission {
    fn read(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Self> {
        permission(v, p, d)
    }
}

impl ReadValue for PeriodSpec {
    fn read(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Self> {
        period(v, p, d)
    }
}

/// The members that name a condition's form, in the order they are looked for.
const CONDITION_FORMS: [&str; 7] = [
    "any", "all", "not", "mentions", "negated", "fact", "quantity",
];

/// A condition: an object whose first member of [`CONDITION_FORMS`] says its form. Members
/// foreign to that form are flagged one by one.
pub(crate) fn condition(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Condition> {
    let form = match v {
        Value::Object(members) => CONDITION_FORMS
            .into_iter()
            .find(|form| members.contains_key(*form)),
        _ => None,
    };
    let Some(form) = form else {
        d.push(Diagnostic::error(
            "invalid_value",
            p,
            "not a condition: write {\"any\": [...]}, {\"all\": [...]}, {\"not\": {...}}, \
             {\"mentions\": \"list\"}, {\"negated\": \"list\"}, {\"fact\": \"name\"}, \
             {\"fact\": \"name\", \"at_least\": n} or {\"quantity\": \"name\", \"at_least\": n}",
        ));
        return None;
    };
    object(v, p, d, |r| match form {
        "any" => {
            let any = r.field("any", |v, p, d| list(v, p, d, condition));
            Some(Condition::Any(AnyOf { any: any? }))
        }
        "all" => {
            let all = r.field("all", |v, p, d| list(v, p, d, condition));
            Some(Condition::All(AllOf { all: all? }))
        }
        "not" => {
            let not = r.field("not", condition);
            Some(Condition::Not(NotCondition {
                not: Box::new(not?),
            }))
        }
        "mentions" => {
            let mentions = r.field("mentions", one_or_many);
            Some(Condition::Mentions(Mentions {
                mentions: mentions?,
            }))
        }
        "negated" => {
            let negated = r.field("negated", one_or_many);
            Some(Condition::Negated(NegatedTest { negated: negated? }))
        }
        "fact" => {
            let fact = r.field("fact", Fact::read);
            let at_least = r.option_field("at_least", u64_value);
            Some(Condition::Fact(FactTest {
                fact: fact?,
                at_least: at_least?,
            }))
        }
        _ => {
            let quantity = r.field("quantity", string);
            let at_least = r.field("at_least", u64_value);
            Some(Condition::Quantity(QuantityTest {
                quantity: quantity?,
                at_least: at_least?,
            }))
        }
    })
}

fn one_or_many(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<OneOrMany> {
    match v {
        Value::String(s) => Some(OneOrMany::One(s.clone())),
        Value::Array(_) => strings(v, p, d).map(OneOrMany::Many),
        other => crate::reader::wrong_type(other, p, d, "a term list's name or a list of names"),
    }
}

fn permission(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Permission> {
    match v {
        Value::Array(_) => strings(v, p, d).map(Permission::Everywhere),
        Value::Object(_) => map(v, p, d, strings).map(Permission::PerTier),
        other => crate::reader::wrong_type(
            other,
            p,
            d,
            "a list of roles, or an object of lists keyed \"1\", \"2\", \"3\"",
        ),
    }
}

/// A period: an object whose `kind` says which members it has.
fn period(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<PeriodSpec> {
    object(v, p, d, |r| {
        let kind = r.field("kind", |v, p, d| {
            let kinds: Vec<(&str, &str)> = PeriodSpec::TAGS.iter().map(|t| (*t, *t)).collect();
            name(v, p, d, &kinds)
        });
        let Some(kind) = kind else {
            // The kind is what is wrong, not the members it would have named.
            r.raw("amount");
            r.raw("season");
            return None;
        };
        PeriodSpec::read_variant(kind, r)
    })
}
