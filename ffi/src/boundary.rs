//! The boundary every export goes through: panics caught, arguments checked, outputs written only
//! on success, and the bookkeeping that recognises live policy handles.

use std::collections::BTreeMap;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use caseflow_core::Policy;

use crate::caseflow_policy;
use crate::status::{Failure, Status, to_host};

// Unwinding is how a panic is turned into `Status::Panic`; with `panic = "abort"` a bug in the
// engine would kill the host process instead.
#[cfg(panic = "abort")]
compile_error!("caseflow-ffi must be built with panic = \"unwind\": its exports catch panics");

/// Runs an export's body: catches a panic, and on failure writes the error body to `error_out`
/// (when not NULL) and returns its status. The body writes its own outputs, last, on success.
///
/// # Safety
/// `error_out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard(
    error_out: *mut *mut c_char,
    body: impl FnOnce() -> Result<(), Failure>,
) -> Status {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return Status::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::panic(payload.as_ref()),
    };
    let status = failure.status();
    if !error_out.is_null() {
        // Writing the body allocates; should even that panic, the status alone goes back.
        if let Ok(Ok(body)) = catch_unwind(AssertUnwindSafe(|| to_host(failure.to_json()))) {
            // SAFETY: the caller guarantees a non-NULL `error_out` is valid for one write.
            unsafe { *error_out = body };
        }
    }
    status
}

/// A required text argument: NUL-terminated UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::argument(Status::NullArgument, name, "is NULL"));
    }
    // SAFETY: not NULL, and the caller guarantees a NUL-terminated string alive for the call.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Failure::argument(
            Status::InvalidUtf8,
            name,
            &format!("is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })
}

/// A required out-parameter, checked before any work is done.
pub(crate) fn out<T>(ptr: *mut T, name: &str) -> Result<*mut T, Failure> {
    if ptr.is_null() {
        Err(Failure::argument(Status::NullArgument, name, "is NULL"))
    } else {
        Ok(ptr)
    }
}

/// Writes a JSON result to the host's out-parameter.
///
/// # Safety
/// `out` is valid for writing one pointer (checked non-NULL by [`out`]).
pub(crate) unsafe fn write_text(out: *mut *mut c_char, json: String) -> Result<(), Failure> {
    let text = to_host(json)?;
    // SAFETY: the caller guarantees `out` is valid for one write.
    unsafe { *out = text };
    Ok(())
}

// --- Policy handles ---------------------------------------------------------------------------
//
// A handle is a token, not an address: the number of the policy in `LIVE`, dressed as an opaque
// pointer for C. Numbers are never reused, so a handle that was freed, or was never made here, is
// always `Status::InvalidHandle`, and nothing is ever read or written through a host's pointer.
// A call clones the policy's `Arc` out of `LIVE`, so a free on another thread in the middle of a
// call cannot pull the policy away: it is released when the last call using it returns.

static LIVE: RwLock<BTreeMap<usize, Arc<Policy>>> = RwLock::new(BTreeMap::new());

/// The next handle number. Starts at 1 so that no handle is NULL; at one new policy per
/// nanosecond a 64-bit counter lasts five centuries.
static NEXT: AtomicUsize = AtomicUsize::new(1);

// A poisoned lock only means a panic elsewhere while it was held; the map itself is always
// consistent (each operation is a single insert, lookup or remove), so it is used as it is.
fn live() -> std::sync::RwLockReadGuard<'static, BTreeMap<usize, Arc<Policy>>> {
    LIVE.read().unwrap_or_else(PoisonError::into_inner)
}

fn live_mut() -> std::sync::RwLockWriteGuard<'static, BTreeMap<usize, Arc<Policy>>> {
    LIVE.write().unwrap_or_else(PoisonError::into_inner)
}

/// Hands a new policy to the host.
pub(crate) fn policy_to_host(policy: Policy) -> *mut caseflow_policy {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    live_mut().insert(id, Arc::new(policy));
    std::ptr::without_provenance_mut(id)
}

/// The policy behind a handle, kept alive for the duration of the call.
pub(crate) fn policy_arg(ptr: *const caseflow_policy, name: &str) -> Result<Arc<Policy>, Failure> {
    if ptr.is_null() {
        return Err(Failure::argument(Status::NullArgument, name, "is NULL"));
    }
    let policy = live().get(&ptr.addr()).cloned();
    policy.ok_or_else(|| invalid_handle(name))
}

/// Releases a handle. Freeing NULL does nothing; freeing an unknown or already freed handle is
/// `Status::InvalidHandle`.
pub(crate) fn policy_release(ptr: *const caseflow_policy, name: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        return Ok(());
    }
    let removed = live_mut().remove(&ptr.addr());
    // Dropped here, after the lock: the last reference may take a moment to free.
    removed.map(drop).ok_or_else(|| invalid_handle(name))
}

fn invalid_handle(name: &str) -> Failure {
    Failure::argument(
        Status::InvalidHandle,
        name,
        "is not a live policy handle (already freed, or not made by caseflow_policy_new_*)",
    )
}

/// How many policy handles are live (for leak checks in tests).
pub(crate) fn live_policies() -> usize {
    live().len()
}
