#!/usr/bin/env bash
# Every benchmark, then BENCHMARKS.md's figures: one command (issue 15).
#
#   scripts/bench.sh            everything: the root benches (calendar, classify, lifecycle, the
#                               scale curves), the C ABI's, caseflow beside GoRules ZEN
#                               (peers/zen: timing and agreement), the wasm package's size and
#                               its speed in Node, and the instructions of one classification
#                               (callgrind, scripts/profile.sh)
#   scripts/bench.sh --no-wasm  without the wasm package (its build is a few minutes of LTO)
#
# Criterion runs with short settings (BENCH_WARMUP=1 s, BENCH_MEASURE=2 s per benchmark; the
# large scale points take 10 samples) so that the whole run stays within about 20-30 minutes on
# a 2-core machine, the first build included. Then scripts/lib/bench_summary.py reads every
# estimate this run wrote (target/criterion/**/new/estimates.json, peers/zen/target/criterion/…;
# an estimate older than the run is never used), writes BENCHMARKS.json (machine-readable) and
# replaces the part of BENCHMARKS.md between `<!-- bench:begin -->` and `<!-- bench:end -->`,
# naming the machine (nproc, CPU model, rustc), the date and the load while it ran.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=1
for arg in "$@"; do
    case "$arg" in
        --no-wasm) wasm=0 ;;
        *) echo "usage: scripts/bench.sh [--no-wasm]" >&2; exit 2 ;;
    esac
done

export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
criterion=(--warm-up-time "${BENCH_WARMUP:-1}" --measurement-time "${BENCH_MEASURE:-2}")
work=target/bench
mkdir -p "$work"
rm -f "$work"/*.json "$work"/*.md "$work"/steps.txt
start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# Each step's name and start, so that the summary knows which bench wrote which estimate.
step() {
    echo "== $1" >&2
    printf '%s %s\n' "$(date +%s.%N)" "$1" >>"$work/steps.txt"
}

# Built first, so that no bench's timing is taken while the next one compiles.
cargo bench --locked --no-run --bench calendar --bench classify --bench lifecycle --bench scale --bench supervision --bench analysis --bench verify
cargo bench --locked --no-run -p caseflow-ffi --bench classify
cargo build --locked --release --example classify_calls
(cd peers/zen && cargo build --locked --release --bins && cargo bench --locked --no-run --bench zen)

for bench in calendar classify lifecycle scale supervision analysis verify; do
    step "$bench"
    cargo bench --locked --bench "$bench" -- "${criterion[@]}"
done

step ffi
cargo bench --locked -p caseflow-ffi --bench classify -- "${criterion[@]}"

step zen
(
    cd peers/zen
    cargo run --locked --release --quiet --bin zen-graph -- --check
    cargo run --locked --release --quiet --bin zen-agreement -- --out "../../$work/zen-agreement.md"
    cargo bench --locked --bench zen -- "${criterion[@]}"
)

if [ "$wasm" = 1 ]; then
    step "the wasm package: size, and classification in Node"
    bash bindings/js/build.sh >&2
    file=wasm/pkg/web/caseflow_wasm_bg.wasm
    printf '{"raw": %s, "gzip9": %s, "file": "%s"}\n' \
        "$(stat -c %s "$file")" "$(gzip -9 -c "$file" | wc -c)" "$file" >"$work/wasm-size.json"
    if (cd bindings/js && node -e "import('caseflow-wasm')" 2>/dev/null); then
        (cd bindings/js && node bench.mjs --json) >"$work/wasm-speed.json"
    else
        echo "node cannot import caseflow-wasm (run scripts/suites/50-wasm-node.sh once): no wasm speed" >&2
    fi
fi

# Instructions per classification (callgrind): after the timings, which it would disturb; its
# counts do not depend on the load.
if command -v valgrind >/dev/null; then
    step "instructions per classification (callgrind)"
    python3 scripts/lib/instructions.py --out "$work/instructions.json"
else
    echo "valgrind is missing: no instruction counts (apt-get install valgrind)" >&2
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
python3 scripts/lib/bench_summary.py \
    --since "$start" --load-start "$load_start" --load-end "$load_end" \
    --command "scripts/bench.sh $*" --work "$work" \
    --criterion target/criterion --criterion peers/zen/target/criterion \
    --json BENCHMARKS.json --markdown BENCHMARKS.md
echo "wrote BENCHMARKS.json and BENCHMARKS.md ($(($(date +%s) - start)) s)" >&2
