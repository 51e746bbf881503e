#!/usr/bin/env bash
# C ABI: the Rust-side ABI tests with the test-panic export, then the C example and the C test
# suite (contract tests and the whole conformance corpus) under valgrind: zero leaks, zero errors;
# then the same two built with AddressSanitizer (LeakSanitizer on) and UndefinedBehaviorSanitizer
# on the C side, linked against the same debug libcaseflow: any report fails.
set -euo pipefail
. scripts/lib/setup.sh
setup_rust
apt_install gcc make libc6-dev valgrind

cargo test -p caseflow-ffi --features test-panic --locked --quiet
build_ffi_for_tests
# The panic test prints the panic's message on stderr (the default hook); no backtrace needed.
RUST_BACKTRACE=0 make -C bindings/c --no-print-directory clean check
# gcc's sanitizer runtimes (libasan, libubsan) come with it on Debian.
RUST_BACKTRACE=0 make -C bindings/c --no-print-directory sanitize
