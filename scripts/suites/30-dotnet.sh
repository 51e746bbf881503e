#!/usr/bin/env bash
# .NET: the C# binding (Caseflow.csproj's sources: the typed tier and the string tier, SafeHandle,
# IDisposable, CaseflowException) compiled with Mono's mcs and tested on Mono with Debian's NUnit 2.6:
# the conformance corpus through both tiers, the native contract, threads, finalizers; then the
# README's example. No .NET SDK here: the csproj itself is not built (see bindings/dotnet/README.md).
set -euo pipefail
. scripts/lib/setup.sh
setup_rust
apt_install mono-mcs mono-runtime nunit-console libnunit-cil-dev

build_ffi_for_tests
bash bindings/dotnet/build.sh
