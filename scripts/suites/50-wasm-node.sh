#!/usr/bin/env bash
# The WebAssembly package: build it (bindings/js/build.sh, into wasm/pkg), hold its size, then the
# Node tests over the package (the shared conformance corpus, errors, the TypeScript types with
# tsc) and a short benchmark run that proves the benchmark script works.
set -euo pipefail
. scripts/lib/setup.sh
setup_wasm
bash bindings/js/build.sh
bash bindings/js/build.sh --test-panic
setup_node

# The size as built; see BENCHMARKS.md for the budget and where the bytes go.
# These ceilings catch growth: raise them only with a reason in the commit.
wasm=wasm/pkg/web/caseflow_wasm_bg.wasm
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
# Issue 12 set 300 KB (300,000 bytes) gzipped for the whole engine, with the model's inference
# inside and its data beside the .wasm. Issue 13 asks for the emergency plan and supervision in
# every host, this package included: after the savings measured in BENCHMARKS.md ("Size") they
# took it to 878,944 / 340,565 bytes (888,907 / 344,438 after the review's fixes: a few hundred
# bytes of margin left). The ceilings below are that first build with a small margin, a
# decision recorded there; they still catch growth. Issue 14 (policy analysis, which the browser
# form runs on a loaded policy) and the further emergency took it to 1,078,638 / 416,042 bytes:
# raised again with the same small margin, and the two-package option recorded there.
[ "$raw" -le $((1060 * 1024)) ] || { echo "the .wasm grew to $raw bytes (ceiling 1,060 KiB)" >&2; exit 1; }
[ "$gz" -le 420000 ] || { echo "the gzipped .wasm grew to $gz bytes (ceiling 420,000)" >&2; exit 1; }

cd bindings/js
node --test test/
node bench.mjs --quick
