//! The policy the code cites is in the repository and says what the default policy holds:
//! every `§N` the sources cite (comments, and the rules the engine reports, "docs/policy.md §4.2")
//! is a heading of `docs/policy.md`, and every `[default: `$.path`]` there names a member of
//! `core/policy/default.json`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

const POLICY_DOC: &str = "docs/policy.md";

/// Where the sources are (relative to the repository root), and the extensions read there.
const SOURCES: &[&str] = &[
    "core/src",
    "core/tests",
    "src",
    "ffi/src",
    "ffi/include",
    "ffi/tests",
    "wasm/src",
    "wasm/js",
    "wasm/tests",
    "train/src",
    "strategies/src",
    "strategies/tests",
    "tests",
    "benches",
    "bindings",
    "docs",
];
const EXTENSIONS: &[&str] = &[
    "rs", "h", "c", "cs", "java", "js", "mjs", "ts", "html", "md",
];
/// Not sources: what is built, installed or generated data.
const SKIPPED: &[&str] = &[
    "node_modules",
    "target",
    "pkg",
    "data",
    "conformance",
    "bin",
    "obj",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIPPED.contains(&name.as_str()) {
                sources(&path, out);
            }
        } else if path
            .extension()
            .is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().as_ref()))
        {
            out.push(path);
        }
    }
}

/// The section numbers cited in `text`: each `§` followed by a number ("§4.2", "§3.3 rule 3"),
/// and the end of a range ("§4.2–4.6" cites 4.6 too). A section of another document ("RFC 2104
/// §3") is not the policy's.
fn citations(text: &str) -> Vec<String> {
    fn number(s: &str) -> &str {
        let end = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
            .map_or(s.len(), |(i, _)| i);
        s[..end].trim_end_matches('.')
    }
    let mut found = Vec::new();
    for (at, _) in text.match_indices('§') {
        let before = &text[..at];
        if before
            .trim_end()
            .rsplit(' ')
            .nth(1)
            .is_some_and(|word| word.ends_with("RFC"))
        {
            continue;
        }
        let rest = &text[at + '§'.len_utf8()..];
        let first = number(rest);
        if first.is_empty() {
            continue;
        }
        found.push(first.to_owned());
        let after = &rest[first.len()..];
        if let Some(end) = after.strip_prefix('–').or_else(|| after.strip_prefix('-')) {
            let last = number(end);
            if !last.is_empty() {
                found.push(last.to_owned());
            }
        }
    }
    found
}

/// The numbers of the headings of `docs/policy.md` ("## 4. Handling" is 4, "### 4.2 Acceptance"
/// is 4.2).
fn headings(doc: &str) -> Vec<String> {
    doc.lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|line| line.trim_start_matches('#').trim_start())
        .filter_map(|title| title.split(' ').next())
        .map(|n| n.trim_end_matches('.').to_owned())
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect()
}

#[test]
fn every_section_the_sources_cite_is_a_heading_of_docs_policy_md() {
    let doc = std::fs::read_to_string(POLICY_DOC).unwrap();
    let sections = headings(&doc);
    let unique: BTreeSet<_> = sections.iter().collect();
    assert_eq!(
        unique.len(),
        sections.len(),
        "a section number is used twice"
    );

    let mut files = Vec::new();
    for dir in SOURCES {
        sources(Path::new(dir), &mut files);
    }
    for file in ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md"] {
        files.push(PathBuf::from(file));
    }
    let mut cited = 0;
    let mut missing = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (line, content) in text.lines().enumerate() {
            for section in citations(content) {
                cited += 1;
                if !sections.contains(&section) {
                    missing.push(format!("{}:{}: §{section}", file.display(), line + 1));
                }
            }
        }
    }
    // The scan found the citations (the code cites the policy a few hundred times).
    assert!(cited > 200, "only {cited} citations found");
    assert!(
        missing.is_empty(),
        "cited but not a heading of {POLICY_DOC}:\n{}",
        missing.join("\n")
    );
}

#[test]
fn citations_are_read_as_written() {
    assert_eq!(citations("(policy.md §1.1)"), ["1.1"]);
    assert_eq!(citations("policy.md §4.2–4.6: routing"), ["4.2", "4.6"]);
    assert_eq!(citations("(policy.md §2–§4)"), ["2", "4"]);
    assert_eq!(citations("policy.md §3.3 rule 3."), ["3.3"]);
    assert_eq!(citations("policy.md §3.2, §3.4"), ["3.2", "3.4"]);
    assert_eq!(citations("(§7)."), ["7"]);
    assert!(citations("in bytes (RFC 2104 §3)").is_empty());
    assert_eq!(
        headings("# Title\n## 4. Handling\n### 4.2 Acceptance (问题受理)\ntext \u{a7}9"),
        ["4", "4.2"]
    );
}

/// Each `[default: ...]` tag of the numbered sections with the JSON paths it names: the text up
/// to the tag's closing bracket, brackets inside backticks (`rules[7]`) not counted.
fn default_tags(doc: &str) -> Vec<(String, Vec<String>)> {
    let body = &doc[doc.find("\n## ").unwrap()..];
    let mut tags = Vec::new();
    for (at, _) in body.match_indices("[default") {
        let rest = &body[at + "[default".len()..];
        let mut in_code = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '`' {
                    in_code = !in_code;
                }
                c == ']' && !in_code
            })
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("an unclosed tag: [default{}", &rest[..40]));
        let tag = &rest[..end];
        let paths = tag
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        tags.push((format!("[default{tag}]"), paths));
    }
    tags
}

/// The member of `value` at `path` (`$.tiers.1.deadlines.plan`, `$.emergency.triggers[0]`).
fn member<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = value;
    for step in path.strip_prefix("$.")?.split('.') {
        let mut parts = step.split('[');
        at = at.as_object()?.get(parts.next()?)?;
        for index in parts {
            at = at
                .as_array()?
                .get(index.strip_suffix(']')?.parse::<usize>().ok()?)?;
        }
    }
    Some(at)
}

#[test]
fn every_default_docs_policy_md_names_is_a_member_of_the_default_policy() {
    let doc = std::fs::read_to_string(POLICY_DOC).unwrap();
    let policy: Value =
        serde_json::from_str(&std::fs::read_to_string("core/policy/default.json").unwrap())
            .unwrap();
    let tags = default_tags(&doc);
    assert!(tags.len() > 50, "only {} [default] tags found", tags.len());
    for (tag, paths) in &tags {
        assert!(
            tag.strip_prefix("[default:")
                .is_some_and(|rest| rest.trim_start().starts_with('`')),
            "{tag}: every [default] names the member of core/policy/default.json that holds it"
        );
        for path in paths {
            assert!(
                member(&policy, path).is_some(),
                "{tag}: `{path}` is not a member of core/policy/default.json"
            );
        }
    }
}

#[test]
fn member_paths_are_read_as_written() {
    let value = serde_json::json!({"a": {"1": [{"b": null}]}});
    assert_eq!(member(&value, "$.a.1[0].b"), Some(&Value::Null));
    assert_eq!(member(&value, "$.a.2"), None);
    assert_eq!(member(&value, "$.a.1[1]"), None);
    assert_eq!(member(&value, "a.1"), None);
    let doc =
        "legend [default: `$.x`]\n## 1. Scope\nsome [default: `$.a.1[0]`, `$.a`] and [default]";
    assert_eq!(
        default_tags(doc),
        [
            (
                "[default: `$.a.1[0]`, `$.a`]".to_owned(),
                vec!["$.a.1[0]".to_owned(), "$.a".to_owned()]
            ),
            ("[default]".to_owned(), vec![])
        ]
    );
}

/// A comment that cites the policy names its file, `docs/policy.md`, so that a reader finds it
/// (the engine's own rule texts, quoted in comments as `"docs/policy.md §4.2; ..."`, stay as the engine
/// writes them).
#[test]
fn comments_cite_the_policy_by_its_path() {
    let mut files = Vec::new();
    for dir in SOURCES {
        sources(Path::new(dir), &mut files);
    }
    let mut bare = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e != "md"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, content) in text.lines().enumerate() {
            let trimmed = content.trim_start();
            let comment = ["//", "/*", "* ", "<!--"]
                .iter()
                .any(|start| trimmed.starts_with(start));
            if !comment {
                continue;
            }
            for (at, _) in content.match_indices("policy.md") {
                let before = &content[..at];
                if !before.ends_with("docs/") && !before.ends_with('"') {
                    bare.push(format!("{}:{}: {}", file.display(), line + 1, trimmed));
                }
            }
        }
    }
    assert!(
        bare.is_empty(),
        "comments citing policy.md without its path (write docs/policy.md):\n{}",
        bare.join("\n")
    );
}

/// GitHub's anchor of a heading: lower case, letters, digits, `-` and `_` kept, spaces as `-`.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (a repeated heading's later anchors get `-1`, `-2`).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let Some(title) = line.strip_prefix('#').filter(|_| !in_code) else {
            continue;
        };
        let base = anchor(title.trim_start_matches('#').trim());
        let mut name = base.clone();
        let mut n = 0;
        while !found.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}");
        }
    }
    found
}

/// Every relative link of the guides leads to a file that exists, and to a heading of it when
/// it names one: moving a section must not leave a link behind.
#[test]
fn the_links_of_the_guides_resolve() {
    let mut files = vec![
        PathBuf::from("README.md"),
        PathBuf::from("ARCHITECTURE.md"),
        PathBuf::from("BENCHMARKS.md"),
    ];
    for entry in std::fs::read_dir("docs").unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap()];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let linked = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            checked += 1;
            if !linked.exists() {
                broken.push(format!("{}: {target}: no such file", file.display()));
            } else if !fragment.is_empty() {
                let headings = anchors(&std::fs::read_to_string(&linked).unwrap());
                if !headings.contains(fragment) {
                    broken.push(format!("{}: {target}: no such heading", file.display()));
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn anchors_are_githubs() {
    assert_eq!(
        anchors("# A\n## The C ABI: cost of the boundary\n```\n# not a heading\n```\n## A"),
        BTreeSet::from([
            "a".to_owned(),
            "a-1".to_owned(),
            "the-c-abi-cost-of-the-boundary".to_owned()
        ])
    );
    assert_eq!(
        anchor("First scores (each corpus scored once, before it taught anything)"),
        "first-scores-each-corpus-scored-once-before-it-taught-anything"
    );
}
