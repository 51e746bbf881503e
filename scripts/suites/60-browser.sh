#!/usr/bin/env bash
# The browser form (bindings/js/form/) in Debian's Chromium, headless, driven by playwright-core:
# type a report, see the classification change, a validation error, the language switch, a
# policy file loaded; screenshots of the filled form go to test-artifacts/. Then the monthly
# supervision report of `caseflow kpi --html` (tests/browser/), its screenshot in target/artifacts/.
set -euo pipefail
. scripts/lib/setup.sh
setup_wasm
setup_chromium
bash bindings/js/build.sh # incremental: cargo has nothing to do when suite 50 built it
setup_node

cd bindings/js
node --test browser/
echo "screenshots: $(ls ../../test-artifacts/*.png | tr '\n' ' ')"

# The quality department's monthly report (`caseflow kpi --html`), opened from file://: its
# charts render, no error, no request; the page and its screenshot are kept in target/artifacts/.
cd ../..
cargo build --bin caseflow --locked --quiet
node --test tests/browser/
echo "kpi report: target/artifacts/kpi-report.html, screenshot target/artifacts/kpi-report.png"
