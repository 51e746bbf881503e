//! The diagnostic codes hosts switch on are exactly those of `DIAGNOSTIC_CODES`, and
//! `docs/errors.md` documents that table.
//!
//! A scan of the source finds every code written where a diagnostic is made (the constructors,
//! the readers' `report`, the helpers that forward a code to them, and the few functions and
//! tuples that hand a code to one of those) and fails on a code the table does not list, and on
//! a listed code that nothing makes. The constructors' `debug_assert!` checks the codes that tests
//! actually emit; this scan covers the paths no test reaches.
//!
//! `CASEFLOW_BLESS=1 cargo test --test diagnostic_codes` rewrites `docs/errors.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use caseflow_core::ErrorCode;
use caseflow_core::error::DIAGNOSTIC_CODES;

/// The source trees that make diagnostics: the engine, the C ABI's boundary, the wasm package's
/// boundary and the CLI.
const TREES: &[&str] = &["core/src", "ffi/src", "wasm/src", "src"];

/// Calls that take a diagnostic code: the callee's name, which argument is the code (0-based),
/// and the file the callee is private to (`None`: any file).
const SINKS: &[(&str, usize, Option<&str>)] = &[
    // `Diagnostic::error`, `Diagnostic::warning`; also the policy checker's `self.error` and the
    // model compiler's `error` closure, which forward to `Diagnostic::error`.
    ("error", 0, None),
    ("warning", 0, None),
    // `ObjectReader::report`, `ObjectReader::report_object`.
    ("report", 0, None),
    ("report_object", 0, None),
    // `lifecycle::apply::refusal` (also used by `duties.rs`).
    ("refusal", 0, None),
    // The clock's `refused(code, ..)` and `invalid(what, code, ..)`.
    ("refused", 0, Some("core/src/calendar/clock.rs")),
    ("invalid", 1, Some("core/src/calendar/clock.rs")),
];

/// Functions whose every string literal is a code they return for a diagnostic
/// (`DurationError::code`, the C ABI's `Status::name`, `reader::code_of`).
const CODE_FUNCTIONS: &[(&str, &str)] = &[
    ("core/src/calendar/duration.rs", "code"),
    ("ffi/src/status.rs", "name"),
    // The strict JSON parser's code for a serde_json error about one value.
    ("core/src/reader.rs", "code_of"),
];

/// Places where a sink's code is not a literal, and why that is covered: a new one fails the
/// test until it is listed here with where its codes come from (so that the scan sees them).
const FORWARDS: &[(&str, &str)] = &[
    // The helpers themselves, forwarding their `code` parameter; their callers are SINKS.
    ("core/src/error.rs", "code"),
    ("core/src/reader.rs", "code"),
    ("core/src/policy/check.rs", "code"),
    ("core/src/classify/model.rs", "code"),
    ("core/src/lifecycle/guards.rs", "code"),
    ("core/src/calendar/clock.rs", "code"),
    // `DurationError::code`: a CODE_FUNCTION.
    ("core/src/policy/check.rs", "e.code()"),
    ("core/src/calendar/duration.rs", "e.code()"),
    // `parse_shift`'s and `amount`'s `(code, message)` tuples: tuple literals are scanned.
    ("core/src/calendar/compile.rs", "code"),
    ("core/src/warranty/mod.rs", "problem.0"),
];

/// Codes the C ABI's `Status::name` returns that are not diagnostic codes.
const NOT_CODES: &[&str] = &["ok"];

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
}

/// A Rust lexer just good enough for this scan: identifiers, string literals (plain, raw, byte),
/// punctuation; comments, char literals, lifetimes and numbers dropped.
fn lex(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'r' || c == 'b') && matches!(at(i + 1), '"' | '#' | 'r')) {
            // A string literal: "..", r".." / r#".."#, b"..", br"..".
            let start_line = line;
            let mut j = i;
            if chars[j] == 'b' {
                j += 1;
            }
            let raw = at(j) == 'r';
            if raw {
                j += 1;
            }
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                // An identifier starting with r or b after all.
                let start = i;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
                out.push((Token::Ident(chars[start..i].iter().collect()), line));
                continue;
            }
            j += 1;
            let mut value = String::new();
            loop {
                let d = at(j);
                if d == '\0' {
                    break;
                }
                if !raw && d == '\\' {
                    value.push(d);
                    value.push(at(j + 1));
                    j += 2;
                    continue;
                }
                if d == '"' && (0..hashes).all(|k| at(j + 1 + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                line += usize::from(d == '\n');
                value.push(d);
                j += 1;
            }
            out.push((Token::Str(value), start_line));
            i = j;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 2;
                while at(i) != '\'' && at(i) != '\0' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            // A number, kept as a word: `problem.0` is a forwarded code.
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// Drops `#[cfg(test)]` items (the unit-test modules), whose codes are made up.
fn without_tests(tokens: Vec<(Token, usize)>) -> Vec<(Token, usize)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let is = |i: usize, t: &Token| tokens.get(i).map(|(x, _)| x) == Some(t);
    while i < tokens.len() {
        let cfg_test = is(i, &Token::Punct('#'))
            && is(i + 1, &Token::Punct('['))
            && is(i + 2, &Token::Ident("cfg".into()))
            && is(i + 3, &Token::Punct('('))
            && is(i + 4, &Token::Ident("test".into()))
            && is(i + 5, &Token::Punct(')'))
            && is(i + 6, &Token::Punct(']'));
        if !cfg_test {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        // Skip to the end of the item: its `;`, or its outermost `{ .. }`.
        i += 7;
        let mut depth = 0;
        while let Some((t, _)) = tokens.get(i) {
            i += 1;
            match t {
                Token::Punct('{') => depth += 1,
                Token::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Token::Punct(';') if depth == 0 => break,
                _ => {}
            }
        }
    }
    out
}

/// The tokens of the call's argument `index`, given the position just after its `(`.
fn argument(tokens: &[(Token, usize)], open: usize, index: usize) -> Vec<Token> {
    let mut depth = 0;
    let mut n = 0;
    let mut arg = Vec::new();
    for (t, _) in &tokens[open..] {
        match t {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') if depth == 0 => break,
            Token::Punct(')' | ']' | '}') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                n += 1;
                continue;
            }
            _ => {}
        }
        if n == index {
            arg.push(t.clone());
        }
    }
    arg
}

fn written(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Token::Ident(s) => s.clone(),
            Token::Str(s) => format!("{s:?}"),
            Token::Punct(c) => c.to_string(),
        })
        .collect()
}

fn is_code(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[derive(Default)]
struct Scan {
    /// Each code found, with the places that make it.
    codes: BTreeMap<String, BTreeSet<String>>,
    /// Non-literal codes not accounted for in FORWARDS.
    unexplained: Vec<String>,
}

impl Scan {
    fn found(&mut self, code: &str, file: &str, line: usize) {
        self.codes
            .entry(code.to_owned())
            .or_default()
            .insert(format!("{file}:{line}"));
    }

    fn file(&mut self, file: &str, text: &str) {
        let tokens = without_tests(lex(text));
        let ident = |i: usize| match tokens.get(i) {
            Some((Token::Ident(s), _)) => Some(s.as_str()),
            _ => None,
        };
        let punct =
            |i: usize, c: char| matches!(tokens.get(i), Some((Token::Punct(p), _)) if *p == c);
        for (i, (token, line)) in tokens.iter().enumerate() {
            let line = *line;
            // A call of a sink: `name(`, not its definition `fn name(`.
            if let Token::Ident(name) = token {
                let sink = SINKS
                    .iter()
                    .find(|(s, _, only)| s == name && only.is_none_or(|f| f == file));
                if let Some((_, index, _)) = sink.filter(|_| punct(i + 1, '(')) {
                    // Not a definition (`fn error(`), nor an attribute (`#[error(..)]`).
                    if i > 0 && (ident(i - 1) == Some("fn") || punct(i - 1, '[')) {
                        continue;
                    }
                    let arg = argument(&tokens, i + 2, *index);
                    let literals: Vec<&String> = arg
                        .iter()
                        .filter_map(|t| match t {
                            Token::Str(s) => Some(s),
                            _ => None,
                        })
                        .collect();
                    match arg.as_slice() {
                        // Another method of the same name without arguments (`failure.report()`).
                        [] => {}
                        // A literal, or literals chosen by an `if` or a `match`.
                        _ if !literals.is_empty() => {
                            for code in literals {
                                self.found(code, file, line);
                            }
                        }
                        other => {
                            let expr = written(other);
                            if !FORWARDS.contains(&(file, expr.as_str())) {
                                self.unexplained.push(format!(
                                    "{file}:{line}: `{name}` is given the code `{expr}`"
                                ));
                            }
                        }
                    }
                }
            }
            // A `(code, message)` tuple, as `parse_shift` and the warranty's `amount` return:
            // `("code", format!(..))`, not a call (`name("x", format!(..))`).
            if punct(i, '(')
                && punct(i + 2, ',')
                && ident(i + 3) == Some("format")
                && punct(i + 4, '!')
                && !(i > 0 && (ident(i - 1).is_some() || punct(i - 1, '!')))
            {
                if let Some((Token::Str(s), _)) = tokens.get(i + 1) {
                    self.found(s, file, line);
                }
            }
            // The literals of a code function.
            if ident(i) == Some("fn")
                && CODE_FUNCTIONS
                    .iter()
                    .any(|(f, name)| *f == file && ident(i + 1) == Some(name))
            {
                let mut depth = 0;
                for (t, l) in tokens.iter().skip(i) {
                    match t {
                        Token::Punct('{') => depth += 1,
                        Token::Punct('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Token::Str(s) if !NOT_CODES.contains(&s.as_str()) => {
                            self.found(s, file, *l)
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn scan() -> Scan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut scan = Scan::default();
    for tree in TREES {
        let mut files = Vec::new();
        rust_files(&root.join(tree), &mut files);
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            scan.file(&name, &text);
        }
    }
    scan
}

#[test]
fn every_code_the_source_makes_is_listed_and_every_listed_code_is_made() {
    let scan = scan();
    assert!(
        scan.unexplained.is_empty(),
        "diagnostic codes that this scan cannot see (list the place in FORWARDS, with where its codes come from):\n{}",
        scan.unexplained.join("\n")
    );
    let listed: BTreeSet<&str> = DIAGNOSTIC_CODES.iter().map(|(code, _)| *code).collect();
    let unlisted: Vec<String> = scan
        .codes
        .iter()
        .filter(|(code, _)| !listed.contains(code.as_str()))
        .map(|(code, at)| {
            format!(
                "`{code}` at {}",
                at.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes made but not in DIAGNOSTIC_CODES (core/src/error/codes.rs):\n{}",
        unlisted.join("\n")
    );
    let dead: Vec<&str> = listed
        .iter()
        .filter(|code| !scan.codes.contains_key(**code))
        .copied()
        .collect();
    assert!(
        dead.is_empty(),
        "codes in DIAGNOSTIC_CODES that nothing makes (remove them, or say why they stay): {dead:?}"
    );
}

#[test]
fn the_scan_sees_each_kind_of_place_a_code_is_written() {
    // A scan that found nothing would pass the test above only when the table is empty; this
    // pins one code from each kind of place, so a change that blinds the scanner fails here.
    let scan = scan();
    for (code, place) in [
        ("missing_field", "core/src/reader.rs"),      // report(..)
        ("unknown_role", "core/src/policy/check.rs"), // self.error(..)
        ("records_missing", "core/src/lifecycle/handlers.rs"), // refusal(..)
        ("not_paused", "core/src/calendar/clock.rs"), // refused(..)
        ("out_of_range", "core/src/calendar/clock.rs"), // invalid(what, code, ..)
        ("empty_shift", "core/src/calendar/compile.rs"), // Err((code, message))
        ("invalid_period", "core/src/warranty/mod.rs"), // (code, message)
        ("negative_duration", "core/src/calendar/duration.rs"), // fn code
        ("invalid_utf8", "ffi/src/status.rs"),        // Status::name
        ("invalid_json", "wasm/src/lib.rs"),          // Diagnostic::error
    ] {
        let at = scan
            .codes
            .get(code)
            .map(|at| at.iter().any(|a| a.starts_with(place)));
        assert_eq!(at, Some(true), "`{code}` was not found in {place}");
    }
    assert!(
        !scan.codes.contains_key("x"),
        "the unit tests' codes are not scanned"
    );
}

#[test]
fn the_table_is_sorted_unique_and_explained() {
    for pair in DIAGNOSTIC_CODES.windows(2) {
        assert!(
            pair[0].0 < pair[1].0,
            "`{}` must come before `{}`, once",
            pair[0].0,
            pair[1].0
        );
    }
    for (code, meaning) in DIAGNOSTIC_CODES {
        assert!(is_code(code), "`{code}` is not snake_case");
        assert!(
            !meaning.trim().is_empty() && !meaning.contains(['\n', '|']),
            "`{code}` needs one line of meaning (no `|`: it is a cell of docs/errors.md)"
        );
    }
}

/// The page `docs/errors.md`, written from the tables.
fn errors_page() -> String {
    let mut page = String::from(
        "# Errors and diagnostic codes\n\n\
         <!-- Generated from ErrorCode and DIAGNOSTIC_CODES (core/src/error.rs, core/src/error/codes.rs)\n\
         \x20    by tests/diagnostic_codes.rs: CASEFLOW_BLESS=1 cargo test --test diagnostic_codes -->\n\n\
         Every refused call returns one error body, in every binding:\n\n\
         ```json\n\
         {\"code\": \"invalid_report\", \"message\": \"invalid report: …\",\n \
         \"errors\": [{\"code\": \"missing_field\", \"path\": \"$.contact\", \"message\": \"`contact` is required\"}]}\n\
         ```\n\n\
         `code` is the kind of failure (below, *Error codes*); `errors` lists every problem found, each with a\n\
         diagnostic code (below, *Diagnostic codes*), the JSON path of the value at fault and a message for a\n\
         person. A diagnostic may carry `\"severity\": \"warning\"`: then the input was accepted and the\n\
         warning comes with the answer (a classification's or a policy check's `warnings`). Hosts\n\
         switch on the codes, never on the messages, whose words may change. A release may add codes\n\
         (never rename one or change its meaning): a host should handle a diagnostic code it does not\n\
         know by its error code, and an error code it does not know as a refusal of its input.\n\n\
         ## Error codes\n\n\
         | code | meaning |\n|---|---|\n",
    );
    for code in ErrorCode::ALL {
        writeln!(page, "| `{}` | {} |", code.as_str(), code.meaning()).unwrap();
    }
    page.push_str(
        "\nThe C ABI adds statuses of its own (`ffi/src/status.rs`, `caseflow_status_name`): `null_argument`,\n\
         `invalid_utf8`, `invalid_handle` (the host broke the calling contract) and `panic` (a bug, caught\n\
         at the boundary); their error bodies carry the status name as both codes.\n\n\
         ## Diagnostic codes\n\n\
         | code | meaning |\n|---|---|\n",
    );
    for (code, meaning) in DIAGNOSTIC_CODES {
        writeln!(page, "| `{code}` | {meaning} |").unwrap();
    }
    page
}

#[test]
fn docs_errors_md_is_the_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md");
    let page = errors_page();
    if std::env::var_os("CASEFLOW_BLESS").is_some() {
        std::fs::write(&path, &page).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == page,
        "docs/errors.md differs from the code tables: run `CASEFLOW_BLESS=1 cargo test --test diagnostic_codes` and review the diff"
    );
}
