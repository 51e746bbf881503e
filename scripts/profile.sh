#!/usr/bin/env bash
# Instructions per classification (callgrind), the typed and the JSON call on each report of
# benches/data/classify-reports.json, and where they go: a measure of a change to the
# classifier's speed that the load of a shared machine does not move. scripts/bench.sh runs it
# too and puts its table in BENCHMARKS.md.
#
#   scripts/profile.sh [--calls N] [--out FILE]   (default target/bench/instructions.json)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
cargo build --locked --release --example classify_calls
python3 scripts/lib/instructions.py "$@"
