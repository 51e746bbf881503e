//! Writes `graph/default.json`, the default policy's category and tier rules as a ZEN decision
//! graph, from `core/policy/default.json`. With `--check`, writes nothing and fails when the
//! committed graph is not what the policy gives (the policy changed, the graph was not
//! regenerated).
//!
//! Run: `cargo run --release --bin zen-graph [-- --check]` (in `peers/zen`).

use caseflow_peer_zen::{DEFAULT_GRAPH_PATH, DEFAULT_POLICY_PATH, graph_text};
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let text = match graph_text(DEFAULT_POLICY_PATH) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("zen-graph: {e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let committed = std::fs::read_to_string(DEFAULT_GRAPH_PATH).unwrap_or_default();
        if committed != text {
            eprintln!(
                "zen-graph: {DEFAULT_GRAPH_PATH} is not the default policy's graph; run `cargo run --release --bin zen-graph`"
            );
            return ExitCode::FAILURE;
        }
        println!("zen-graph: {DEFAULT_GRAPH_PATH} is up to date");
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::write(DEFAULT_GRAPH_PATH, &text) {
        eprintln!("zen-graph: cannot write {DEFAULT_GRAPH_PATH}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "zen-graph: wrote {DEFAULT_GRAPH_PATH} ({} bytes)",
        text.len()
    );
    ExitCode::SUCCESS
}
