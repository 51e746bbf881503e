//! The committed header is exactly what the pinned cbindgen generates from the sources, and its
//! version macros agree with Cargo.toml and with `caseflow_version()`.
//!
//! After changing an export: `CASEFLOW_BLESS=1 cargo test -p caseflow-ffi --test header`, then
//! review and commit `ffi/include/caseflow.h`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::ffi::CStr;
use std::path::Path;

const HEADER: &str = "include/caseflow.h";

fn generate() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(dir).join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn the_committed_header_is_what_cbindgen_generates() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(HEADER);
    let generated = generate();
    if std::env::var_os("CASEFLOW_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ffi/{HEADER} is stale: run `CASEFLOW_BLESS=1 cargo test -p caseflow-ffi --test header` and commit it"
    );
}

#[test]
fn the_version_macros_match_cargo_toml_and_the_library() {
    // The generated text, not the file: the other test compares the two, and may be rewriting
    // the file (CASEFLOW_BLESS) while this one runs.
    let header = generate();
    let mut parts = Vec::new();
    for (name, cargo) in [
        ("MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("PATCH", env!("CARGO_PKG_VERSION_PATCH")),
    ] {
        let define = format!("#define CASEFLOW_VERSION_{name} {cargo}\n");
        assert!(
            header.contains(&define),
            "the header lacks `{}`",
            define.trim()
        );
        parts.push(cargo);
    }
    assert_eq!(caseflow::CASEFLOW_VERSION_MAJOR.to_string(), parts[0]);
    assert_eq!(caseflow::CASEFLOW_VERSION_MINOR.to_string(), parts[1]);
    assert_eq!(caseflow::CASEFLOW_VERSION_PATCH.to_string(), parts[2]);
    // SAFETY: the version is a static NUL-terminated string.
    let runtime = unsafe { CStr::from_ptr(caseflow::caseflow_version()) };
    assert_eq!(runtime.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    assert_eq!(parts.join("."), env!("CARGO_PKG_VERSION"));
}
