#!/usr/bin/env bash
# Builds the wrapper (Caseflow.dll) and its tests (Caseflow.Tests.exe) with Mono's mcs into build/,
# then runs the tests on the conformance corpus. Needs libcaseflow in $CASEFLOW_LIB.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
lib="${CASEFLOW_LIB:-$root/target/debug}"
rm -rf build && mkdir -p build
mcs -nologo -warnaserror -target:library -out:build/Caseflow.dll -r:System.Core.dll src/*.cs
mcs -nologo -warnaserror -out:build/Caseflow.Tests.exe -r:build/Caseflow.dll -r:System.Core.dll tests/*.cs
# DllImport("caseflow") resolves to libcaseflow.so on the library path.
LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" RUST_BACKTRACE=0 \
    mono --debug build/Caseflow.Tests.exe "$root/tests/conformance"
