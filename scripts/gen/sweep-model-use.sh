#!/usr/bin/env bash
# Reproduces the choice of the default policy's `classification.model_use` and of the trainer's C
# (docs/classification.md, "Why these settings"): leave-one-corpus-out over corpora 1-10 for each
# of 24 settings (tier rules/raise x review threshold 0.25-0.4 x C 3/10/30), one JSON file of
# scores per setting in target/sweep/. Judge them on the folds of corpora 9 and 10, which the
# rules never saw. Needs python3 (to write the policy variants); about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/sweep
mkdir -p "$out"
cargo build --release --quiet --locked
for tier in rules raise; do
    for threshold in 0.25 0.3 0.35 0.4; do
        python3 - "$tier" "$threshold" "$out/policy-$tier-$threshold.json" <<'PY'
import json, sys
tier, threshold, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
policy = json.load(open("core/policy/default.json"))
policy["classification"]["model_use"] = {"category": "model", "tier": tier, "review_threshold": threshold}
json.dump(policy, open(path, "w"), ensure_ascii=False)
PY
        for c in 3 10 30; do
            ./target/release/caseflow evaluate --cross-validate --json --c "$c" \
                --policy "$out/policy-$tier-$threshold.json" \
                --corpus tests/data/corpus/reports-{1..10}.jsonl \
                >"$out/cv-$tier-$threshold-$c.json" 2>/dev/null
            echo "$out/cv-$tier-$threshold-$c.json"
        done
    done
done
