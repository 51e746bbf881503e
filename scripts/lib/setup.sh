# Installers shared by the test scripts: each installs only what is missing.
# Sourced, not run. Needs root on a fresh Debian machine (apt-get).

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing from Debian: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

setup_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2
        exit 1
    fi
    rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
    cargo --version
}

# libcaseflow for the binding suites (20-c, 30-dotnet, 40-java): target/debug/libcaseflow.so with
# the test-only `caseflow_test_panic` export. A debug build shares the core's artifacts with
# `cargo test`; after the first suite, cargo has nothing to rebuild.
build_ffi_for_tests() {
    cargo build -p caseflow-ffi --features test-panic --locked --quiet
    CASEFLOW_LIB="$(pwd)/target/debug"
    export CASEFLOW_LIB
}
