#!/usr/bin/env bash
# Java: the Maven project bindings/java (cn.caseflow: the typed tier and the string tier over JNA,
# AutoCloseable policy with a Cleaner, CaseflowException) built and tested offline with Debian's
# Maven repository on OpenJDK 17: JUnit 5 runs the conformance corpus through both tiers, the native
# contract, threads, the Cleaner; then the README's example runs against the packaged jar.
set -euo pipefail
. scripts/lib/setup.sh
setup_rust
setup_java

build_ffi_for_tests
bash bindings/java/build.sh
