#!/usr/bin/env bash
# Compiles the wrapper and its tests with javac into build/classes and runs the tests on the
# conformance corpus. Needs Debian's JNA (/usr/share/java/jna.jar) and libcaseflow in $CASEFLOW_LIB.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
lib="${CASEFLOW_LIB:-$root/target/debug}"
jna=/usr/share/java/jna.jar
rm -rf build && mkdir -p build/classes
javac -Xlint:all -Werror -encoding UTF-8 -cp "$jna" -d build/classes \
    src/main/java/caseflow/*.java src/test/java/caseflow/*.java
RUST_BACKTRACE=0 java -Djna.library.path="$lib" -cp "build/classes:$jna" caseflow.CaseflowTests "$root/tests/conformance"
