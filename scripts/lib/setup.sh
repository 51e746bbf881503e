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

# Java: OpenJDK 17, Maven, and every artifact bindings/java/pom.xml names, from Debian's packages
# into Debian's Maven repository (/usr/share/maven-repo). Writes $MAVEN_SETTINGS, a settings.xml
# whose local repository is that directory, so `mvn -s "$MAVEN_SETTINGS" --offline` builds and
# tests with nothing downloaded.
setup_java() {
    # libjna-java: jna 5.13.0 (with its native part); libgoogle-gson-java: gson 2.10; junit5:
    # jupiter 5.9.2 and the platform launcher; libsurefire-java: surefire 2.22.3 with its
    # junit-platform provider; the compiler, resources and jar plugins at the versions the pom pins.
    apt_install openjdk-17-jdk-headless maven libjna-java libgoogle-gson-java junit5 libsurefire-java \
        libmaven-compiler-plugin-java libmaven-resources-plugin-java libmaven-jar-plugin-java
    MAVEN_SETTINGS="$(pwd)/target/maven-settings.xml"
    mkdir -p target
    cat >"$MAVEN_SETTINGS" <<'XML'
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <localRepository>/usr/share/maven-repo</localRepository>
  <offline>true</offline>
</settings>
XML
    export MAVEN_SETTINGS
    # So that a plain `mvn --offline test` in bindings/java works after this install step too:
    # a machine without Maven settings of its own gets these (never overwritten).
    if [ ! -e "$HOME/.m2/settings.xml" ]; then
        mkdir -p "$HOME/.m2"
        cp "$MAVEN_SETTINGS" "$HOME/.m2/settings.xml"
        echo "wrote $HOME/.m2/settings.xml: Maven resolves offline from Debian's /usr/share/maven-repo"
    fi
    mvn --version | sed -n 1p
}

# libcaseflow for the binding suites (20-c, 30-dotnet, 40-java): target/debug/libcaseflow.so with
# the test-only `caseflow_test_panic` export. A debug build shares the core's artifacts with
# `cargo test`; after the first suite, cargo has nothing to rebuild.
build_ffi_for_tests() {
    cargo build -p caseflow-ffi --features test-panic --locked --quiet
    CASEFLOW_LIB="$(pwd)/target/debug"
    export CASEFLOW_LIB
}

# The WebAssembly toolchain: the wasm32 target, wasm-bindgen-cli at exactly the version of the
# `wasm-bindgen` crate pinned in wasm/Cargo.toml (the CLI refuses any other), and Debian's
# wasm-opt (binaryen).
WASM_BINDGEN_VERSION=0.2.130
setup_wasm() {
    setup_rust
    rustup target list --installed | grep -qx wasm32-unknown-unknown ||
        rustup target add wasm32-unknown-unknown
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
        # Not --locked: the CLI's own lock file names crate versions the registry mirror lacks.
        echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet
    fi
    apt_install binaryen
    wasm-bindgen --version
}

# Node.js (20 or later: playwright-core needs it) and the packages of bindings/js, from its
# package-lock.json. `npm ci` links the built package (wasm/pkg), so build it first.
setup_node() {
    command -v node >/dev/null 2>&1 || apt_install nodejs npm
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        echo "Node.js $(node --version) is too old: bindings/js needs Node.js 20 or later" >&2
        exit 1
    fi
    (cd bindings/js && npm ci --no-audit --no-fund --loglevel=error)
    echo "node $(node --version), npm $(npm --version)"
}

# Debian's Chromium for the browser tests (driven by playwright-core, which never downloads one),
# and a small CJK font so that the form's Chinese renders in the screenshot.
setup_chromium() {
    apt_install chromium fonts-wqy-microhei
    chromium --version
}
