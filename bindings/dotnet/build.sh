#!/usr/bin/env bash
# Builds the wrapper (Caseflow.dll) and its NUnit tests (Caseflow.Tests.dll) with Mono's mcs from the
# sources Caseflow.csproj packs, lays libcaseflow.so out as the package does
# (build/runtimes/linux-x64/native/), runs the tests with Debian's nunit-console (NUnit 2.6), then
# compiles and runs the README's example. Needs libcaseflow in $CASEFLOW_LIB.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
lib="${CASEFLOW_LIB:-$root/target/debug}"
nunit=/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll
rm -rf build && mkdir -p build/runtimes/linux-x64/native
cp "$lib/libcaseflow.so" build/runtimes/linux-x64/native/
native="$(pwd)/build/runtimes/linux-x64/native"
mcs -nologo -warnaserror -target:library -out:build/Caseflow.dll -r:System.Core.dll src/*.cs
mcs -nologo -warnaserror -target:library -out:build/Caseflow.Tests.dll -r:build/Caseflow.dll -r:System.Core.dll -r:"$nunit" tests/*.cs
cp "$nunit" build/

# Mono resolves DllImport("caseflow") to libcaseflow.so on the library path (.NET 8 reads runtimes/ itself).
export LD_LIBRARY_PATH="$native${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CASEFLOW_CONFORMANCE="$root/tests/conformance" RUST_BACKTRACE=0
nunit-console -nologo -noshadow build/Caseflow.Tests.dll -xml=build/TestResult.xml 2>&1 | grep -v '^\.*$' | tail -n 20
grep -q '<test-results [^>]* failures="0"' build/TestResult.xml
grep -q '<test-results [^>]* errors="0"' build/TestResult.xml

# The README's example, extracted between its markers.
sed -n '/^\/\/ example: begin/,/^\/\/ example: end/p' README.md >build/Example.cs
mcs -nologo -warnaserror -out:build/Example.exe -r:build/Caseflow.dll -r:System.Core.dll build/Example.cs
mono build/Example.exe
