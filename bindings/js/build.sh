#!/usr/bin/env bash
# Builds the npm package `caseflow-wasm` into wasm/pkg/ (ignored by git): one .wasm, optimised,
# with wasm-bindgen glue for browsers (web/, ES module, `await init()`) and for Node (node/, ES
# module, instantiated on import), the error class, the entry points and package.json.
# Needs the wasm32-unknown-unknown target, wasm-bindgen 0.2.130 and wasm-opt (binaryen);
# scripts/suites/50-wasm-node.sh installs them. Prints the sizes of the shipped .wasm.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=wasm/pkg
wasm=target/wasm32-unknown-unknown/wasm-release/caseflow_wasm.wasm

# The default policy is not embedded in the .wasm (caseflow-core's `default-policy` feature is
# off there): it ships beside it as default.json and as default_policy.js, the ES module the
# .wasm imports it from (`new Policy()`, `Policy.builtin()`), a string literal that any browser
# and Node load without a fetch or a JSON-module import. It is the whole default policy, the
# rules of core/policy/default.json with the model of core/policy/default-model.json, as
# `caseflow policy default` prints it.
policy_json=target/default-policy.json
mkdir -p target
cargo run --quiet --locked -- policy default >"$policy_json"
default_policy_module() {
    {
        echo '// The default policy (rules and model, as `caseflow policy default` prints it), imported by the .wasm: `new Policy()`.'
        printf 'const text = `'
        # A template literal holding the file's exact text: escape \ ` and $.
        sed -e 's/\\/\\\\/g' -e 's/`/\\`/g' -e 's/\$/\\$/g' "$policy_json"
        echo '`;'
        echo 'export function defaultPolicy() { return text; }'
    } >"$1"
}

# `build.sh --test-panic`: a debug build with the `testPanic()` export, for the Node test of what
# a panic does (test/panic.test.mjs), into target/wasm-test-panic/. Never part of the package.
if [ "${1:-}" = "--test-panic" ]; then
    cargo build -p caseflow-wasm --features test-panic --target wasm32-unknown-unknown --locked
    rm -rf target/wasm-test-panic
    wasm-bindgen --target experimental-nodejs-module --out-dir target/wasm-test-panic \
        target/wasm32-unknown-unknown/debug/caseflow_wasm.wasm
    cp wasm/js/caseflow_error.js target/wasm-test-panic/
    default_policy_module target/wasm-test-panic/default_policy.js
    echo "built target/wasm-test-panic"
    exit 0
fi

cargo build -p caseflow-wasm --target wasm32-unknown-unknown --profile wasm-release --locked

# wasm-opt runs before wasm-bindgen: Debian's wasm-opt (108) mislinks the externref table that
# wasm-bindgen adds (it exports the function table in its place, and instantiation fails).
# -Oz: size first, repeated until it no longer shrinks (--converge); --low-memory-unused lets
# it fold constant offsets into loads and stores, which holds because Rust's wasm32 linker puts
# nothing in the first kilobyte (the stack sits below 1 MiB and grows down to it; data starts
# above it). --strip-* drops names and tool metadata. The features are the ones rustc
# enables for wasm32-unknown-unknown (Rust >= 1.82); every current browser and Node >= 20 has
# them.
opt=target/wasm32-unknown-unknown/wasm-release/caseflow_wasm.opt.wasm
wasm-opt "${WASM_OPT_LEVEL:--Oz}" --converge --low-memory-unused --strip-debug --strip-producers \
    --enable-bulk-memory --enable-multivalue --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext \
    "$wasm" -o "$opt"

rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out/web" --out-name caseflow_wasm "$opt"
wasm-bindgen --target experimental-nodejs-module --out-dir "$out/node" --out-name caseflow_wasm "$opt"

for target in web node; do
    cp wasm/js/caseflow_error.js wasm/js/caseflow_error.d.ts "$out/$target/"
    cp "$policy_json" "$out/$target/default.json"
    default_policy_module "$out/$target/default_policy.js"
    cp "wasm/js/index.$target.js" "$out/$target/index.js"
    cp "wasm/js/index.$target.d.ts" "$out/$target/index.d.ts"
done
cp wasm/js/package.json wasm/js/README.md "$out/"

raw=$(stat -c %s "$out/web/caseflow_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/web/caseflow_wasm_bg.wasm" | wc -c)
echo "built $out: caseflow_wasm_bg.wasm $(((raw + 512) / 1024)) KiB ($raw bytes), gzip -9 $(((gz + 512) / 1024)) KiB ($gz bytes)"
