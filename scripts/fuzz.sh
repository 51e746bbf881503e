#!/usr/bin/env bash
# Fuzzing (cargo-fuzz, libFuzzer, AddressSanitizer): builds the targets of fuzz/, writes their
# seed corpora (fuzz/seeds.py) and runs each target in turn for SECONDS (default 600), niced,
# then prints the executions of each. Not part of scripts/test-all: it needs the nightly
# toolchain and cargo-fuzz (`cargo install cargo-fuzz`), and takes 6 × SECONDS.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# A crash, hang (over 10 s for one input; 60 s for policy_analysis) or out-of-memory (over 2 GB) stops that target and
# leaves its input in fuzz/artifacts/<target>/; minimise it with `cargo +nightly fuzz tmin`,
# fix it with a regression test in core/tests/ or tests/, and commit the minimised input under
# fuzz/regressions/<target>/. Exits non-zero when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(policy_json policy_analysis classify commands event_log ffi)

cargo +nightly fuzz --version >/dev/null 2>&1 || {
    echo "cargo-fuzz is missing: cargo install cargo-fuzz (and rustup toolchain install nightly)" >&2
    exit 1
}
python3 fuzz/seeds.py
(cd fuzz && nice -n 10 cargo +nightly fuzz build -O)

mkdir -p fuzz/logs
summary=()
failed=0
for target in "${targets[@]}"; do
    log="fuzz/logs/$target.log"
    echo "== $target: $seconds s (log: $log)"
    started=$(date +%s)
    status=0
    # One input may take 10 s, except a policy's whole analysis: the default policy alone takes
    # about 45 ms natively and seconds under ASan and coverage on a busy machine.
    timeout=10
    [ "$target" = policy_analysis ] && timeout=60
    (cd fuzz && nice -n 10 cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1) \
        >"$log" 2>&1 || status=$?
    # libFuzzer's own time (without the build); the wall time when it stopped on a finding.
    ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    ran=${ran:-$(( $(date +%s) - started ))}
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        result="no finding"
    else
        failed=1
        result="FOUND: $(grep -m1 -E '^==[0-9]+== ?ERROR|panicked at|^SUMMARY' "$log" || echo "exit $status") ($(grep -m1 -o 'written to [^ ]*' "$log" || echo 'see the log'))"
    fi
    summary+=("$(printf '%-12s %6ss %12s execs  %s' "$target" "$ran" "${execs:-?}" "$result")")
done
echo
echo "target         time   executions"
printf '%s\n' "${summary[@]}"
exit "$failed"
