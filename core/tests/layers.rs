//! The engine's layers and the one direction their dependencies run (ARCHITECTURE.md, "Layers").
//!
//! Every top-level module of `core/src` sits in one layer; a module may use modules of lower
//! layers only. This test reads the sources, collects every `crate::module` a module names (in
//! `use` lines, grouped `use crate::{a, b}` lines and paths written inline), and fails on an edge
//! that runs sideways or back up, naming the file and line, so a newcomer learns the rule when
//! they break it rather than from a review.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

/// The layers, bottom first. Modules in one layer must not use each other.
const LAYERS: &[&[&str]] = &[
    // Errors and instants: what every other module reports with and reads times with.
    &["error", "time"],
    // The vocabulary every layer shares: categories, tiers, roles, clock and command names, the
    // policy reference, the input limits.
    &["domain"],
    // The member-by-member JSON reader the input shapes are read with.
    &["reader"],
    // The working calendar and the report as recorded.
    &["calendar", "intake"],
    // Classification of a report (the rules' and the model's).
    &["classify"],
    // Warranty periods, which look at the classification's category.
    &["warranty"],
    // The policy: its document, checked and compiled, with its classifier and warranty.
    &["policy"],
    // Who drafts, approves and verifies, and the deadlines.
    &["routing"],
    // The case and its event log.
    &["lifecycle"],
    // Supervision over many cases: figures, spot checks, audit (docs/policy.md §6).
    &["supervision"],
    // Analysis of a policy before it goes live: its workflow explored, its rules read, two
    // policies compared (issue 14).
    &["analysis"],
    // The JSON calls every host uses.
    &["api"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `core/src` belongs to (`None` for `lib.rs`, the root).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()?
        .as_os_str()
        .to_str()?
        .to_owned();
    match first.strip_suffix(".rs") {
        Some("lib") => None,
        Some(name) => Some(name.to_owned()),
        None => Some(first),
    }
}

/// The top-level modules named after `crate::` on one line of code.
fn crate_modules(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::b, c}`: the names at the group's top level (a group may span lines;
            // its continuation lines are read by `continued_group`).
            found.extend(group_names(group));
        } else {
            found.push(identifier(rest));
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The first names of each item of a `{...}` group, up to its closing brace.
fn group_names(group: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut at_item_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_item_start = true,
            c if at_item_start && (c.is_ascii_alphanumeric() || c == '_') => {
                names.push(identifier(&group[i..]));
                at_item_start = false;
            }
            _ => {}
        }
    }
    names
}

struct Edge {
    from: String,
    to: String,
    place: String,
}

fn edges() -> Vec<Edge> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut edges = Vec::new();
    for file in &files {
        let Some(from) = module_of(&src, file) else {
            continue;
        };
        let text = fs::read_to_string(file).unwrap();
        let mut in_group = false;
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let mut targets = crate_modules(code);
            // A grouped `use crate::{` split over lines: each following line up to `};` starts
            // with one item (or several, comma-separated).
            if in_group {
                targets.extend(group_names(code));
                if code.starts_with('}') || code.contains("};") {
                    in_group = false;
                }
            } else if code.contains("crate::{") && !code.contains('}') {
                in_group = true;
            }
            // `super::super::x` from a file two levels down names the crate's module `x`.
            let depth = file.strip_prefix(&src).unwrap().components().count();
            if depth >= 2 && code.contains("super::super::") {
                for part in code.split("super::super::").skip(1) {
                    targets.push(identifier(part));
                }
            }
            for to in targets {
                if to != from && !to.is_empty() {
                    edges.push(Edge {
                        from: from.clone(),
                        to,
                        place: format!("{}:{}", file.strip_prefix(&src).unwrap().display(), n + 1),
                    });
                }
            }
        }
    }
    edges
}

#[test]
fn every_module_is_in_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut missing: Vec<String> = files
        .iter()
        .filter_map(|f| module_of(&src, f))
        .filter(|m| layer_of(m).is_none())
        .collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "modules not placed in a layer (add them to LAYERS and ARCHITECTURE.md): {missing:?}"
    );
}

#[test]
fn dependencies_run_down_the_layers_only() {
    let edges = edges();
    // The reader must have found the edges it checks: the api uses the lifecycle, and the
    // policy uses the calendar, through a grouped or a plain `use`.
    assert!(edges.iter().any(|e| e.from == "api" && e.to == "lifecycle"));
    assert!(
        edges
            .iter()
            .any(|e| e.from == "policy" && e.to == "calendar")
    );
    let wrong: Vec<String> = edges
        .iter()
        .filter(|e| match (layer_of(&e.from), layer_of(&e.to)) {
            (Some(from), Some(to)) => to >= from,
            // A name after `crate::` that is not a module (a macro, say) is not an edge.
            _ => false,
        })
        .map(|e| format!("{}: `{}` uses `{}`", e.place, e.from, e.to))
        .collect();
    assert!(
        wrong.is_empty(),
        "dependencies that run sideways or up the layers (ARCHITECTURE.md, \"Layers\"):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_edge_reader_finds_grouped_and_inline_paths() {
    assert_eq!(
        crate_modules("use crate::{calendar::Calendar, domain::{Tier, Role}, error};"),
        ["calendar", "domain", "error"]
    );
    assert_eq!(
        crate_modules("let x = crate::policy::read::duration(v, p, d)?;"),
        ["policy"]
    );
    assert_eq!(
        group_names("    lifecycle::Case, routing,"),
        ["lifecycle", "routing"]
    );
}
