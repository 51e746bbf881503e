//! caseflow beside GoRules ZEN: the default policy's category and tier rules written as a ZEN
//! decision graph (JDM), generated from the policy document so that it follows the policy.
//!
//! # The graph
//!
//! Four nodes after the input, each a plain ZEN node:
//!
//! 1. `terms` (expression node): `text = lower(description)`, then one boolean per term list the
//!    rules read, `mentions.<list>`: `contains($.text, "w1") or contains($.text, "w2") or …` over
//!    the list's words.
//! 2. `scores` (expression node): per category, the sum of the weights of its category rules
//!    whose condition holds (`(cond ? weight : 0) + …`), the policy's `highest_score` strategy.
//! 3. `category` (decision table, first hit): the clerk's category when the report names one;
//!    then, in the policy's tie-break order, the first category whose score is positive and not
//!    below any other's; then the fallback.
//! 4. `tier` (decision table, first hit): the emergency triggers (each implies tier 1), then the
//!    tier rules in the policy's order (an `any` is one row per branch, so a branch that cannot be
//!    evaluated does not hide its siblings), then each category's default tier.
//!
//! # What it cannot express (the limits of `contains` tables)
//!
//! - **Negation**: caseflow does not count "没有渗水" / "no leak" as a mention; `contains` does.
//!   A `negated` condition is read as false (nothing is ever negated), so `not negated` is true.
//! - **Quantities**: "12户", "80万元", "over 30 households" are numbers with units read from the
//!   text; a `quantity` condition is read as false.
//! - **Facts as written**: a fact given as a JSON number or `true` is read (`facts.injuries >=
//!   1`); the other forms caseflow accepts (`"yes"`, `"12"`, `"80万"`) are not.
//! - **The text as caseflow reads it**: caseflow normalises the description (full-width forms,
//!   traditional characters, invisible format characters), matches words leftmost-longest with
//!   word boundaries for words that start with a Latin letter or digit, and lets one list hide
//!   another's nested matches (`masks`) or a hedge cancel a mention (`cancelled_by`); the graph
//!   only lower-cases the text and looks for each word anywhere in it.
//! - **The learned model**: the policy's model (`model_use`: category by the model, tier raised
//!   by it, review above a tier-1 probability) has no counterpart in a decision table.
//!
//! The graph also has no explanation, evidence, routing or deadlines: it answers the category
//! and the tier only.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use zen_engine::DecisionEngine;
use zen_engine::model::DecisionContent;

/// Where the generated graph of the default policy is committed.
pub const DEFAULT_GRAPH_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/graph/default.json");

/// Where the default policy is.
pub const DEFAULT_POLICY_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../core/policy/default.json"
);

/// The graph of a policy file, as the committed JSON text (two-space indented, newline-ended).
pub fn graph_text(policy_path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(policy_path)
        .map_err(|e| format!("cannot read {policy_path}: {e}"))?;
    let policy: Value =
        serde_json::from_str(&text).map_err(|e| format!("{policy_path} does not read: {e}"))?;
    let graph = graph(&policy)?;
    serde_json::to_string_pretty(&graph)
        .map(|t| t + "\n")
        .map_err(|e| e.to_string())
}

/// A category and a tier, as both engines answer them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// `quality`, `technical`, …
    pub category: String,
    /// 1, 2 or 3.
    pub tier: u64,
}

/// Writes the policy's category and tier rules as a JDM decision graph.
///
/// `policy` is a policy document (`core/policy/default.json`'s shape). Errors name what the
/// graph cannot carry (a strategy other than `highest_score` / `first_match`, an emergency that
/// implies a tier other than 1, a word with both kinds of quote).
pub fn graph(policy: &Value) -> Result<Value, String> {
    let classification = member(policy, "classification")?;
    let terms = member(classification, "terms")?
        .as_object()
        .ok_or("classification.terms is not an object")?;
    let category = member(classification, "category")?;
    let tier = member(classification, "tier")?;
    let emergency = member(policy, "emergency")?;
    let categories = member(policy, "categories")?
        .as_object()
        .ok_or("categories is not an object")?;

    expect_str(category, "strategy", "highest_score")?;
    expect_str(tier, "strategy", "first_match")?;
    if emergency.get("implies_tier").and_then(Value::as_u64) != Some(1) {
        return Err("emergency.implies_tier is not 1: its triggers cannot be tier-1 rows".into());
    }

    let category_rules = array(category, "rules")?;
    let tier_rules = array(tier, "rules")?;
    let triggers = array(emergency, "triggers")?;

    // The term lists any rule reads, in name order.
    let mut used = BTreeSet::new();
    for rule in category_rules.iter().chain(tier_rules).chain(triggers) {
        lists_in(member(rule, "when")?, &mut used);
    }
    let mut term_expressions = vec![expression("text", "lower(description)")];
    for name in &used {
        let words = terms
            .get(name.as_str())
            .and_then(|t| t.get("words"))
            .and_then(Value::as_array)
            .ok_or_else(|| format!("classification.terms.{name}.words is missing"))?;
        let mut tests = Vec::with_capacity(words.len());
        for word in words {
            let word = word.as_str().ok_or("a word is not a string")?;
            tests.push(format!(
                "contains($.text, {})",
                quote(&word.to_lowercase())?
            ));
        }
        let value = if tests.is_empty() {
            "false".to_owned()
        } else {
            tests.join(" or ")
        };
        term_expressions.push(expression(&format!("mentions.{name}"), &value));
    }

    // Scores: the sum of the weights of each category's rules that hold.
    let order = array(category, "tie_break")?
        .iter()
        .map(|c| {
            c.as_str()
                .map(str::to_owned)
                .ok_or("a tie_break entry is not a string")
        })
        .collect::<Result<Vec<String>, _>>()?;
    let mut score_expressions = Vec::new();
    for name in categories.keys() {
        let mut parts = Vec::new();
        for rule in category_rules {
            if rule.get("category").and_then(Value::as_str) == Some(name.as_str()) {
                let weight = rule.get("weight").and_then(Value::as_u64).unwrap_or(1);
                parts.push(format!(
                    "({} ? {weight} : 0)",
                    condition(member(rule, "when")?)?
                ));
            }
        }
        let value = if parts.is_empty() {
            "0".to_owned()
        } else {
            parts.join(" + ")
        };
        score_expressions.push(expression(&format!("score.{name}"), &value));
    }

    // Category: the clerk's, then the highest score in tie-break order, then the fallback.
    let mut ranked: Vec<&String> = order.iter().collect();
    ranked.extend(categories.keys().filter(|c| !order.contains(c)));
    let mut category_rows = vec![row(
        "clerk",
        "the clerk's category, when the report names one",
        "category != null",
        &[("category", "category")],
    )];
    for name in &ranked {
        let others: Vec<String> = categories
            .keys()
            .filter(|o| o != name)
            .map(|o| format!(" and score.{name} >= score.{o}"))
            .collect();
        category_rows.push(row(
            &format!("highest.{name}"),
            &format!("{name}: the highest score, first in the tie-break order"),
            &format!("score.{name} > 0{}", others.concat()),
            &[("category", &quote(name)?)],
        ));
    }
    let fallback = member(category, "fallback")?
        .as_str()
        .ok_or("fallback is not a string")?;
    category_rows.push(row(
        "fallback",
        "no category rule holds",
        "",
        &[("category", &quote(fallback)?)],
    ));

    // Tier: emergency triggers, the tier rules in order, then the category's default tier.
    let mut tier_rows = Vec::new();
    for trigger in triggers {
        let id = member(trigger, "id")?.as_str().unwrap_or("trigger");
        for (i, branch) in branches(member(trigger, "when")?).iter().enumerate() {
            tier_rows.push(row(
                &format!("{id}.{i}"),
                &format!("{id}: an emergency implies tier 1"),
                &condition(branch)?,
                &[("tier", "1"), ("category", "category")],
            ));
        }
    }
    for rule in tier_rules {
        let id = member(rule, "id")?.as_str().unwrap_or("rule");
        let tier = member(rule, "tier")?
            .as_u64()
            .ok_or("a tier rule's tier is not a number")?;
        for (i, branch) in branches(member(rule, "when")?).iter().enumerate() {
            tier_rows.push(row(
                &format!("{id}.{i}"),
                id,
                &condition(branch)?,
                &[("tier", &tier.to_string()), ("category", "category")],
            ));
        }
    }
    for (name, spec) in categories {
        let default = spec
            .get("default_tier")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("categories.{name}.default_tier is missing"))?;
        tier_rows.push(row(
            &format!("default.{name}"),
            &format!("{name}'s default tier"),
            &format!("category == {}", quote(name)?),
            &[("tier", &default.to_string()), ("category", "category")],
        ));
    }

    Ok(json!({
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "input", "name": "report", "type": "inputNode", "content": {}, "position": {"x": 0, "y": 0}},
            expression_node("terms", "terms", term_expressions, 250),
            expression_node("scores", "scores", score_expressions, 500),
            table_node("category", "category", category_rows, &["category"], true, 750),
            table_node("tier", "tier", tier_rows, &["tier", "category"], false, 1000),
            {"id": "output", "name": "answer", "type": "outputNode", "content": {}, "position": {"x": 1250, "y": 0}},
        ],
        "edges": [
            edge("input", "terms"),
            edge("terms", "scores"),
            edge("scores", "category"),
            edge("category", "tier"),
            edge("tier", "output"),
        ],
    }))
}

/// A decision ready to evaluate, from a graph's JSON text.
pub fn decision(graph_json: &str) -> Result<zen_engine::Decision, String> {
    let content: DecisionContent =
        serde_json::from_str(graph_json).map_err(|e| format!("the graph does not read: {e}"))?;
    let mut decision = DecisionEngine::default()
        .create_decision(Arc::new(content))
        .map_err(|e| format!("not a graph: {e}"))?;
    decision.compile();
    Ok(decision)
}

/// ZEN's answer for one report (the report's JSON as given to caseflow).
pub fn zen_answer(decision: &zen_engine::Decision, report: &Value) -> Result<Answer, String> {
    let response = pollster::block_on(decision.evaluate(report.clone().into()))
        .map_err(|e| format!("ZEN refused the report: {e}"))?;
    let result: Value = response.result.to_value();
    let category = result
        .get("category")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("ZEN's answer has no category: {result}"))?
        .to_owned();
    let tier = result
        .get("tier")
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("ZEN's answer has no tier: {result}"))?;
    Ok(Answer { category, tier })
}

/// caseflow's answer for one report: by the rules alone, or as the policy decides (rules and
/// model).
pub fn caseflow_answer(
    policy: &caseflow_core::Policy,
    report: &caseflow_core::Report,
    with_model: bool,
) -> Result<Answer, String> {
    let (category, tier) = if with_model {
        let result = caseflow_core::api::classify_report(policy, report)
            .map_err(|e| format!("caseflow refused the report: {e:?}"))?;
        (result.category, result.tier)
    } else {
        let c = policy.classify_by_rules(report);
        (c.category, c.tier)
    };
    let category = serde_json::to_value(category)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or("a category that does not write as text")?;
    let tier = serde_json::to_value(tier)
        .ok()
        .and_then(|v| v.as_u64())
        .ok_or("a tier that does not write as a number")?;
    Ok(Answer { category, tier })
}

fn member<'a>(value: &'a Value, name: &str) -> Result<&'a Value, String> {
    value
        .get(name)
        .ok_or_else(|| format!("`{name}` is missing"))
}

fn array<'a>(value: &'a Value, name: &str) -> Result<&'a Vec<Value>, String> {
    member(value, name)?
        .as_array()
        .ok_or_else(|| format!("`{name}` is not an array"))
}

fn expect_str(value: &Value, name: &str, expected: &str) -> Result<(), String> {
    match value.get(name).and_then(Value::as_str) {
        Some(s) if s == expected => Ok(()),
        other => Err(format!(
            "`{name}` is {other:?}: the graph is written for `{expected}` only"
        )),
    }
}

/// The names in a `mentions` or `negated` member: one name or a list of names.
fn names(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn lists_in(condition: &Value, out: &mut BTreeSet<String>) {
    if let Some(m) = condition.get("mentions") {
        out.extend(names(m).into_iter().map(str::to_owned));
    }
    for key in ["all", "any"] {
        if let Some(Value::Array(items)) = condition.get(key) {
            for item in items {
                lists_in(item, out);
            }
        }
    }
    if let Some(inner) = condition.get("not") {
        lists_in(inner, out);
    }
}

/// The top-level branches of a condition: each member of an `any`, or the condition itself.
fn branches(condition: &Value) -> Vec<&Value> {
    match condition.get("any") {
        Some(Value::Array(items)) => items.iter().collect(),
        _ => vec![condition],
    }
}

/// A policy condition as a ZEN expression (see the crate's documentation for what each kind
/// becomes).
fn condition(c: &Value) -> Result<String, String> {
    let join = |items: &Value, op: &str| -> Result<String, String> {
        let parts = items
            .as_array()
            .ok_or("`all`/`any` is not an array")?
            .iter()
            .map(condition)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", parts.join(op)))
    };
    if let Some(items) = c.get("all") {
        return join(items, " and ");
    }
    if let Some(items) = c.get("any") {
        return join(items, " or ");
    }
    if let Some(inner) = c.get("not") {
        return Ok(format!("not {}", condition(inner)?));
    }
    if let Some(m) = c.get("mentions") {
        let tests: Vec<String> = names(m)
            .into_iter()
            .map(|n| format!("mentions.{n}"))
            .collect();
        return Ok(format!("({})", tests.join(" or ")));
    }
    if c.get("negated").is_some() || c.get("quantity").is_some() {
        return Ok("false".to_owned());
    }
    if let Some(fact) = c.get("fact").and_then(Value::as_str) {
        return Ok(match c.get("at_least").and_then(Value::as_u64) {
            Some(n) => format!("(type(facts.{fact}) == \"number\" and facts.{fact} >= {n})"),
            None => format!("(facts.{fact} == true)"),
        });
    }
    Err(format!("a condition the graph cannot write: {c}"))
}

/// A string literal of ZEN's expression language.
fn quote(text: &str) -> Result<String, String> {
    if text.contains('\\') {
        return Err(format!("a word with a backslash: {text}"));
    }
    match (text.contains('"'), text.contains('\'')) {
        (false, _) => Ok(format!("\"{text}\"")),
        (true, false) => Ok(format!("'{text}'")),
        (true, true) => Err(format!("a word with both kinds of quote: {text}")),
    }
}

fn expression(key: &str, value: &str) -> Value {
    json!({"id": key, "key": key, "value": value})
}

fn expression_node(id: &str, name: &str, expressions: Vec<Value>, x: u32) -> Value {
    json!({
        "id": id, "name": name, "type": "expressionNode", "position": {"x": x, "y": 0},
        "content": {"expressions": expressions, "passThrough": true, "executionMode": "single"},
    })
}

fn row(id: &str, description: &str, when: &str, outputs: &[(&str, &str)]) -> Value {
    let mut row = Map::new();
    row.insert("_id".into(), Value::from(id));
    row.insert("_description".into(), Value::from(description));
    row.insert("when".into(), Value::from(when));
    for (field, value) in outputs {
        row.insert(format!("out.{field}"), Value::from(*value));
    }
    Value::Object(row)
}

fn table_node(
    id: &str,
    name: &str,
    rows: Vec<Value>,
    outputs: &[&str],
    pass_through: bool,
    x: u32,
) -> Value {
    let outputs: Vec<Value> = outputs
        .iter()
        .map(|f| json!({"id": format!("out.{f}"), "name": f, "field": f}))
        .collect();
    json!({
        "id": id, "name": name, "type": "decisionTableNode", "position": {"x": x, "y": 0},
        "content": {
            "hitPolicy": "first",
            "inputs": [{"id": "when", "name": "condition"}],
            "outputs": outputs,
            "rules": rows,
            "passThrough": pass_through,
            "executionMode": "single",
        },
    })
}

fn edge(from: &str, to: &str) -> Value {
    json!({"id": format!("{from}-{to}"), "sourceId": from, "targetId": to, "type": "edge"})
}
