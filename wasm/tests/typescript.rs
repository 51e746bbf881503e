//! The package's TypeScript definitions (`src/types.d.ts`), generated from the core's own types.
//!
//! Every value the JavaScript API takes or returns is a core type that derives `JsonSchema`
//! (schemars): the same schemas that document the policy format. This test turns those JSON
//! Schemas into TypeScript declarations, so the types can never drift from the Rust types, and
//! it keeps the core free of any JavaScript-specific derive. wasm-bindgen attaches the file to
//! the package's `.d.ts` (`typescript_custom_section` in `src/lib.rs`).
//!
//! The inputs of the calendar and lifecycle calls are the core's own input types
//! (`caseflow_core::api::DeadlineInput` and the others), the very types their JSON readers are
//! derived from; the Node conformance suite runs every case of the shared corpus through them,
//! and `tsc` checks a typed example against them.
//!
//! Run `CASEFLOW_BLESS=1 cargo test -p caseflow-wasm --test typescript` after a change of a core
//! type and commit the result; without it, this test fails when the committed file is stale.

// A generator that meets a schema it cannot translate stops loudly: a panic is how a test fails.
#![allow(clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write;

use caseflow_core::analysis::Analysis;
use caseflow_core::analysis::diff::PolicyDiff;
use caseflow_core::api::{
    AnalyzeInput, ApplyInput, AssessInput, AuditInput, CalendarDaysInput, CalendarDaysResult, Call,
    ClassifyResult, ClockStatusInput, DeadlineInput, DeadlineResult, DiffInput, DrillStatusInput,
    EventsInput, MergeInput, RecordInput, SpotCheckInput, TickInput, WarrantyInput,
};
use caseflow_core::calendar::ClockStatus;
use caseflow_core::lifecycle::{Applied, Case, DrillStatus, LogVerification, TickReport};
use caseflow_core::policy::document::PolicyDocument;
use caseflow_core::policy::{CheckReport, PolicySummary};
use caseflow_core::supervision::{AuditReport, Kpis, SpotCheck};
use caseflow_core::{Diagnostic, Error, Report, Warranty};
use schemars::JsonSchema;
use serde_json::Value;

const FILE: &str = "src/types.d.ts";

/// One named type of the generated file.
struct Root {
    name: String,
    schema: Value,
}

fn root<T: JsonSchema>() -> Root {
    Root {
        name: T::schema_name().into_owned(),
        schema: schemars::schema_for!(T).to_value(),
    }
}

/// Each call's input and result types, by name. A call added to the core (the emergency plan,
/// KPIs) fails this test until the package types it: `Call` is non-exhaustive, so the check is
/// the fallback arm, reached through `Call::ALL`.
fn call_types(call: Call) -> (Root, Root) {
    match call {
        Call::Classify => (root::<Report>(), root::<ClassifyResult>()),
        Call::Deadline => (root::<DeadlineInput>(), root::<DeadlineResult>()),
        Call::CalendarDays => (root::<CalendarDaysInput>(), root::<CalendarDaysResult>()),
        Call::ClockStatus => (root::<ClockStatusInput>(), root::<ClockStatus>()),
        Call::Record => (root::<RecordInput>(), root::<Applied>()),
        Call::Apply => (root::<ApplyInput>(), root::<Applied>()),
        Call::Tick => (root::<TickInput>(), root::<TickReport>()),
        Call::Replay => (root::<EventsInput>(), root::<Case>()),
        Call::VerifyLog => (root::<EventsInput>(), root::<LogVerification>()),
        Call::Warranty => (root::<WarrantyInput>(), root::<Warranty>()),
        Call::DrillStatus => (root::<DrillStatusInput>(), root::<DrillStatus>()),
        Call::Assess => (root::<AssessInput>(), root::<Kpis>()),
        Call::MergeAssessments => (root::<MergeInput>(), root::<Kpis>()),
        Call::SpotCheck => (root::<SpotCheckInput>(), root::<SpotCheck>()),
        Call::Audit => (root::<AuditInput>(), root::<AuditReport>()),
        Call::AnalyzePolicy => (root::<AnalyzeInput>(), root::<Analysis>()),
        Call::DiffPolicies => (root::<DiffInput>(), root::<PolicyDiff>()),
        other => panic!(
            "the package does not type the call `{}`: add it here",
            other.as_str()
        ),
    }
}

/// Every type of the file by name, with the types it refers to.
fn definitions() -> BTreeMap<String, Value> {
    let mut roots = vec![
        root::<Call>(),
        root::<Error>(),
        root::<Diagnostic>(),
        root::<PolicyDocument>(),
        root::<PolicySummary>(),
        root::<CheckReport>(),
    ];
    for call in Call::ALL {
        let (input, output) = call_types(*call);
        roots.push(input);
        roots.push(output);
    }
    let mut defs = BTreeMap::new();
    for Root { name, mut schema } in roots {
        let Value::Object(object) = &mut schema else {
            panic!("the schema of {name} is not an object");
        };
        if let Some(Value::Object(nested)) = object.remove("$defs") {
            for (key, mut value) in nested {
                // A root's title (the policy document's "caseflow policy") is dropped where it
                // is a root; it is dropped where it is nested too, so both are one type.
                if let Value::Object(nested_object) = &mut value {
                    nested_object.remove("title");
                }
                add(&mut defs, key, value);
            }
        }
        object.remove("$schema");
        object.remove("title");
        add(&mut defs, name, schema);
    }
    defs
}

fn add(defs: &mut BTreeMap<String, Value>, name: String, schema: Value) {
    if let Some(existing) = defs.get(&name) {
        assert_eq!(existing, &schema, "two different types are named {name}");
    }
    defs.insert(name, schema);
}

/// The TypeScript text of the whole file.
fn generate() -> String {
    let mut out = String::from(
        "// Generated by wasm/tests/typescript.rs from the core's types (schemars): do not edit.\n\
         // Regenerate: CASEFLOW_BLESS=1 cargo test -p caseflow-wasm --test typescript\n",
    );
    for (name, schema) in definitions() {
        out.push('\n');
        doc(&mut out, schema.get("description"), "");
        let is_interface = schema.get("properties").is_some()
            && ["oneOf", "anyOf", "allOf"]
                .iter()
                .all(|k| schema.get(*k).is_none());
        if is_interface {
            let _ = writeln!(out, "export interface {name} {}", object(&schema, ""));
        } else {
            let _ = writeln!(out, "export type {name} = {};", ts(&schema, ""));
        }
    }
    out.push_str("\n/** The name of a call of the JSON API (`caseflow_core::api::Call`). */\n");
    out.push_str("export type CallName = Call;\n");
    for (title, pick) in [("input", 0), ("result", 1)] {
        let _ = writeln!(
            out,
            "\n/** Each call's {title} type, by call name. */\nexport interface Call{} {{",
            if pick == 0 { "Inputs" } else { "Results" }
        );
        for call in Call::ALL {
            let (input, output) = call_types(*call);
            let name = if pick == 0 { input.name } else { output.name };
            let _ = writeln!(out, "  {}: {name};", call.as_str());
        }
        out.push_str("}\n");
    }
    out
}

/// A JSDoc comment from a schema's description.
fn doc(out: &mut String, description: Option<&Value>, indent: &str) {
    let Some(text) = description.and_then(Value::as_str) else {
        return;
    };
    let text = text.replace("*/", "*\\/");
    let lines: Vec<&str> = text.lines().collect();
    if let [line] = lines.as_slice() {
        let _ = writeln!(out, "{indent}/** {line} */");
    } else {
        let _ = writeln!(out, "{indent}/**");
        for line in lines {
            let _ = writeln!(out, "{}", format!("{indent} * {line}").trim_end());
        }
        let _ = writeln!(out, "{indent} */");
    }
}

/// The TypeScript type of a schema.
fn ts(schema: &Value, indent: &str) -> String {
    let Value::Object(s) = schema else {
        // `true` accepts anything.
        return "unknown".to_owned();
    };
    if let Some(Value::String(reference)) = s.get("$ref") {
        return reference.trim_start_matches("#/$defs/").to_owned();
    }
    if let Some(value) = s.get("const") {
        return value.to_string();
    }
    if let Some(Value::Array(values)) = s.get("enum") {
        return values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let mut parts = Vec::new();
    if let Some(Value::Array(all)) = s.get("allOf") {
        parts.extend(all.iter().map(|x| ts(x, indent)));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(any)) = s.get(key) {
            let members: Vec<String> = any.iter().map(|x| ts(x, indent)).collect();
            parts.push(members.join(" | "));
        }
    }
    match s.get("type") {
        Some(Value::String(kind)) => parts.insert(0, of_type(kind, s, indent)),
        Some(Value::Array(kinds)) => {
            let members: Vec<String> = kinds
                .iter()
                .filter_map(Value::as_str)
                .map(|kind| of_type(kind, s, indent))
                .collect();
            parts.insert(0, members.join(" | "));
        }
        _ => {}
    }
    match parts.len() {
        0 => "unknown".to_owned(),
        1 => parts.remove(0),
        _ => parts
            .iter()
            .map(|p| group(p))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

/// Parenthesises a type that is a union at its top level, so that it can be combined with `&`
/// or `[]` (which bind tighter than `|`).
fn group(text: &str) -> String {
    let mut depth = 0i32;
    let mut union = false;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => depth -= 1,
            b'|' if depth == 0 && i > 0 && bytes.get(i - 1) == Some(&b' ') => union = true,
            _ => {}
        }
    }
    if union {
        format!("({text})")
    } else {
        text.to_owned()
    }
}

fn of_type(kind: &str, s: &serde_json::Map<String, Value>, indent: &str) -> String {
    match kind {
        "string" => "string".to_owned(),
        "integer" | "number" => "number".to_owned(),
        "boolean" => "boolean".to_owned(),
        "null" => "null".to_owned(),
        "array" => match (s.get("prefixItems"), s.get("items")) {
            (Some(Value::Array(items)), _) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|x| ts(x, indent))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (_, Some(items)) => {
                let item = group(&ts(items, indent));
                if item.contains(" & ") && !item.starts_with('(') {
                    format!("({item})[]")
                } else {
                    format!("{item}[]")
                }
            }
            _ => "unknown[]".to_owned(),
        },
        "object" => object(&Value::Object(s.clone()), indent),
        other => panic!("unexpected JSON Schema type {other}"),
    }
}

/// An object type: its properties, or a map when it has none.
fn object(schema: &Value, indent: &str) -> String {
    let properties = schema.get("properties").and_then(Value::as_object);
    let extra = schema.get("additionalProperties");
    let Some(properties) = properties else {
        return match extra {
            Some(Value::Bool(false)) => "Record<string, never>".to_owned(),
            Some(value @ Value::Object(_)) => format!("{{ [key: string]: {} }}", ts(value, indent)),
            _ => "{ [key: string]: unknown }".to_owned(),
        };
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let inner = format!("{indent}  ");
    let mut out = String::from("{\n");
    for (name, property) in properties {
        doc(&mut out, property.get("description"), &inner);
        let key = if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            name.clone()
        } else {
            Value::String(name.clone()).to_string()
        };
        let optional = if required.contains(&name.as_str()) {
            ""
        } else {
            "?"
        };
        let _ = writeln!(out, "{inner}{key}{optional}: {};", ts(property, &inner));
    }
    if let Some(value @ Value::Object(_)) = extra {
        let _ = writeln!(out, "{inner}[key: string]: {};", ts(value, &inner));
    }
    out.push_str(indent);
    out.push('}');
    out
}

#[test]
fn the_typescript_definitions_are_generated_from_the_core_types() {
    let generated = generate();
    if std::env::var_os("CASEFLOW_BLESS").is_some() {
        std::fs::write(FILE, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        committed == generated,
        "{FILE} is stale: run `CASEFLOW_BLESS=1 cargo test -p caseflow-wasm --test typescript` and commit it"
    );
}

#[test]
fn every_call_has_an_input_and_a_result_type() {
    let text = generate();
    for call in Call::ALL {
        let (input, output) = call_types(*call);
        for name in [input.name, output.name] {
            assert!(
                text.contains(&format!("export interface {name} "))
                    || text.contains(&format!("export type {name} =")),
                "{name} is not declared"
            );
        }
    }
    assert!(!text.contains(": any"), "no value is typed `any`");
}
