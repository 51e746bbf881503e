#!/usr/bin/env bash
# The browser form (bindings/js/form/) in Debian's Chromium, headless, driven by playwright-core:
# type a report, see the classification change, a validation error, the language switch, a
# policy file loaded; screenshots of the filled form go to test-artifacts/.
set -euo pipefail
. scripts/lib/setup.sh
setup_wasm
setup_chromium
bash bindings/js/build.sh # incremental: cargo has nothing to do when suite 50 built it
setup_node

cd bindings/js
node --test browser/
echo "screenshots: $(ls ../../test-artifacts/*.png | tr '\n' ' ')"
