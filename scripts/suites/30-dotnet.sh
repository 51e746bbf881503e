#!/usr/bin/env bash
# .NET: the C# wrapper (SafeHandle, IDisposable, CaseflowException) and its tests, compiled with
# Mono's mcs and run on Mono: the conformance corpus, the native contract, threads, finalizers.
set -euo pipefail
. scripts/lib/setup.sh
setup_rust
apt_install mono-mcs mono-runtime

build_ffi_for_tests
bash bindings/dotnet/build.sh
