//! How often ZEN's graph (`graph/default.json`) gives the category and tier caseflow gives, on
//! the samples and the labelled corpora: against caseflow's rules alone and against the default
//! policy as it decides (rules and the learned model); and how often each is right by the
//! corpora's labels. Prints a markdown table; `--out FILE` also writes it there (the benchmark
//! script puts it in BENCHMARKS.md).
//!
//! Run: `cargo run --release --bin zen-agreement [-- --out FILE]` (in `peers/zen`).

use std::process::ExitCode;

use caseflow_core::{Policy, Report};
use caseflow_peer_zen::{Answer, DEFAULT_GRAPH_PATH, caseflow_answer, decision, zen_answer};
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[derive(Default)]
struct Tally {
    reports: usize,
    rules: [usize; 3],
    policy: [usize; 3],
    zen_right: [usize; 2],
    caseflow_right: [usize; 2],
}

/// Category, tier, both.
fn agree(a: &Answer, b: &Answer) -> [usize; 3] {
    let c = usize::from(a.category == b.category);
    let t = usize::from(a.tier == b.tier);
    [c, t, c * t]
}

fn add<const N: usize>(sum: &mut [usize; N], more: [usize; N]) {
    for (s, m) in sum.iter_mut().zip(more) {
        *s += m;
    }
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        return "—".into();
    }
    format!("{:.1}%", 100.0 * n as f64 / of as f64)
}

fn run() -> Result<String, String> {
    let policy = Policy::builtin().map_err(|e| format!("{e:?}"))?;
    let graph = std::fs::read_to_string(DEFAULT_GRAPH_PATH)
        .map_err(|e| format!("cannot read {DEFAULT_GRAPH_PATH}: {e}"))?;
    let zen = decision(&graph)?;
    let mut files = vec!["tests/data/samples.jsonl".to_owned()];
    files.extend((1..=12).map(|i| format!("tests/data/corpus/reports-{i}.jsonl")));

    let mut out = String::from(
        "| reports | n | ZEN = caseflow rules: category / tier / both | ZEN = caseflow policy (rules and model): category / tier / both | right by the labels, ZEN: category / tier | right by the labels, caseflow policy: category / tier |\n|---|---|---|---|---|---|\n",
    );
    let mut total = Tally::default();
    let mut line = |name: &str, t: &Tally| {
        out.push_str(&format!(
            "| {name} | {} | {} / {} / {} | {} / {} / {} | {} / {} | {} / {} |\n",
            t.reports,
            pct(t.rules[0], t.reports),
            pct(t.rules[1], t.reports),
            pct(t.rules[2], t.reports),
            pct(t.policy[0], t.reports),
            pct(t.policy[1], t.reports),
            pct(t.policy[2], t.reports),
            pct(t.zen_right[0], t.reports),
            pct(t.zen_right[1], t.reports),
            pct(t.caseflow_right[0], t.reports),
            pct(t.caseflow_right[1], t.reports),
        ));
    };
    for file in &files {
        let text = std::fs::read_to_string(format!("{ROOT}/{file}"))
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        let mut tally = Tally::default();
        for (n, l) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let entry: Value =
                serde_json::from_str(l).map_err(|e| format!("{file}:{}: {e}", n + 1))?;
            let raw = entry
                .get("report")
                .ok_or(format!("{file}:{}: no report", n + 1))?;
            let report = Report::from_value(raw).map_err(|e| format!("{file}:{}: {e:?}", n + 1))?;
            let z = zen_answer(&zen, raw).map_err(|e| format!("{file}:{}: {e}", n + 1))?;
            let rules = caseflow_answer(&policy, &report, false)?;
            let full = caseflow_answer(&policy, &report, true)?;
            tally.reports += 1;
            add(&mut tally.rules, agree(&z, &rules));
            add(&mut tally.policy, agree(&z, &full));
            if let Some(expect) = entry.get("expect") {
                let label = Answer {
                    category: expect
                        .get("category")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .into(),
                    tier: expect.get("tier").and_then(Value::as_u64).unwrap_or(0),
                };
                let [c, t, _] = agree(&z, &label);
                add(&mut tally.zen_right, [c, t]);
                let [c, t, _] = agree(&full, &label);
                add(&mut tally.caseflow_right, [c, t]);
            }
        }
        line(&format!("`{file}`"), &tally);
        total.reports += tally.reports;
        add(&mut total.rules, tally.rules);
        add(&mut total.policy, tally.policy);
        add(&mut total.zen_right, tally.zen_right);
        add(&mut total.caseflow_right, tally.caseflow_right);
    }
    line("**all**", &total);
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));
    match run() {
        Ok(table) => {
            print!("{table}");
            if let Some(path) = out {
                if let Err(e) = std::fs::write(path, &table) {
                    eprintln!("zen-agreement: cannot write {path}: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zen-agreement: {e}");
            ExitCode::FAILURE
        }
    }
}
