#!/usr/bin/env bash
# Retrains the default policy's model (core/policy/default-model.json) on the repository's
# labelled corpora. Deterministic: the same corpora give the same bytes. The corpora it names
# are the ones scored before they were used; see docs/classification.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo run --release --quiet -- train \
    --policy core/policy/default.json \
    --name caseflow-default-2026-12 \
    --corpus tests/data/corpus/reports-{1..12}.jsonl \
    --out core/policy/default-model.json
