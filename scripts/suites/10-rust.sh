#!/usr/bin/env bash
# Rust: format, lints, docs, every test (unit, property, corpus, CLI, conformance), benches build.
set -euo pipefail
. scripts/lib/setup.sh
setup_rust

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet
cargo test --workspace --locked
cargo bench --workspace --locked --no-run --quiet
