#!/usr/bin/env bash
# Java: the JNA wrapper (AutoCloseable policy with a Cleaner, CaseflowException, java.time) and its
# tests on OpenJDK 17: the conformance corpus, the native contract, threads, the Cleaner.
set -euo pipefail
. scripts/lib/setup.sh
setup_rust
# Both are no-ops where installed; JNA is Debian's (libjna-java brings its native part).
apt_install openjdk-17-jdk-headless libjna-java

build_ffi_for_tests
bash bindings/java/build.sh
