//! The cost of the C ABI: one classify call (JSON in, JSON out) made directly in Rust and made
//! through `caseflow_classify`, with the result string allocated and freed as a host would.
//! The boundary (panic guard, handle lookup, UTF-8 check, string copy) should cost far less
//! than the call itself: the issue's budget is at most 3× the Rust call.
//!
//! Run: `cargo bench -p caseflow-ffi --bench classify -- --warm-up-time 1 --measurement-time 3`.

// Benchmark setup fails loudly: a panic is how a bench reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::ffi::{CString, c_char};
use std::hint::black_box;
use std::ptr;

use caseflow::{Status, caseflow_classify, caseflow_policy_free, caseflow_policy_new_default};
use caseflow_core::Policy;
use caseflow_core::api::{self, Call};
use criterion::{Criterion, criterion_group, criterion_main};

const REPORT: &str = r#"{
    "id": "B-1", "project": "P-2026-017", "channel": "phone",
    "description": "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水，墙面有裂缝",
    "raised_at": "2026-03-02T09:15:00+08:00", "received_at": "2026-03-02T09:20:00+08:00",
    "location": "3号楼2单元801", "contact": {"name": "业主", "phone": "13800000000"}
}"#;

fn bench_classify(c: &mut Criterion) {
    let policy = Policy::builtin().unwrap();
    let mut group = c.benchmark_group("classify");
    group.bench_function("rust api::classify (typed result)", |b| {
        b.iter(|| api::classify(&policy, black_box(REPORT)).unwrap())
    });
    group.bench_function("rust api::call (JSON in, JSON out)", |b| {
        b.iter(|| api::call(&policy, Call::Classify, black_box(REPORT)).unwrap())
    });

    let mut handle = ptr::null_mut();
    // SAFETY: a valid out-pointer; no error body requested.
    let status = unsafe { caseflow_policy_new_default(&mut handle, ptr::null_mut()) };
    assert_eq!(status, Status::Ok);
    let input = CString::new(REPORT).unwrap();
    group.bench_function("C ABI caseflow_classify (JSON in, JSON out, freed)", |b| {
        b.iter(|| {
            let mut out: *mut c_char = ptr::null_mut();
            // SAFETY: a live handle, a NUL-terminated input and a valid out-pointer.
            let status = unsafe {
                caseflow_classify(handle, black_box(input.as_ptr()), &mut out, ptr::null_mut())
            };
            assert_eq!(status, Status::Ok);
            // SAFETY: `out` was written by the call and is freed once.
            unsafe { caseflow::caseflow_string_free(black_box(out)) };
        })
    });
    group.finish();
    assert_eq!(caseflow_policy_free(handle), Status::Ok);
}

criterion_group!(benches, bench_classify);
criterion_main!(benches);
