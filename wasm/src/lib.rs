//! # caseflow-wasm
//!
//! The caseflow engine for browsers and Node, built with wasm-bindgen. The package's JavaScript
//! API is a thin shell over `caseflow_core::api::call`, the one JSON surface every host uses, so a
//! browser gets the same answers as the CLI and the C ABI, byte for byte.
//!
//! - **Values cross as plain objects.** An input object is turned into JSON text with the host's
//!   `JSON.stringify`, read by the core exactly as any other host's input, and the core's JSON
//!   answer is handed back through `JSON.parse`. The TypeScript types of those objects are
//!   generated from the core's schemars schemas into `src/types.d.ts` (see
//!   `tests/typescript.rs`) and attached to the package's `.d.ts` by wasm-bindgen.
//! - **Errors are `CaseflowError`s** (`js/caseflow_error.js`, a real `Error` subclass) carrying
//!   the core's `code`, `message` and every diagnostic in `errors`, with the first diagnostic's
//!   JSON path as `path`. Nothing throws a bare string.
//! - **A panic is a bug, and it is never silent.** The core is panic-free by lint; should a panic
//!   happen anyway, wasm traps (the caller sees a `WebAssembly.RuntimeError`), and because a
//!   trapped instance may hold broken state, every later call on the module throws a
//!   `CaseflowError` with code `internal` naming the panic instead of running on it.

use std::sync::{Once, OnceLock};

use caseflow_core::api::{self, Call};
use caseflow_core::error::{Diagnostic, Error, ErrorCode, JsonPath};
use wasm_bindgen::prelude::*;

// The TypeScript types of every value the API takes or returns, generated from the core's types.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen(raw_module = "./caseflow_error.js")]
extern "C" {
    /// The JavaScript error class (`js/caseflow_error.js`), shipped beside the generated glue.
    #[wasm_bindgen(js_name = CaseflowError)]
    type JsCaseflowError;

    #[wasm_bindgen(constructor, js_class = CaseflowError)]
    fn new(code: &str, message: &str, errors: JsValue) -> JsCaseflowError;
}

#[wasm_bindgen(raw_module = "./default_policy.js")]
extern "C" {
    /// The default policy's JSON text (`core/policy/default.json`), shipped beside the .wasm as
    /// a JavaScript module by `bindings/js/build.sh` rather than embedded in it: the .wasm stays
    /// about 100 KB smaller.
    #[wasm_bindgen(js_name = defaultPolicy)]
    fn default_policy() -> String;
}

/// The message of the first panic, once one has happened.
static PANICKED: OnceLock<String> = OnceLock::new();

/// Installs the panic hook on the first call (not in a `start` function, which wasm-bindgen
/// would export as part of the API).
static HOOK: Once = Once::new();

fn record_panic(message: &str) {
    let _ = PANICKED.set(message.to_owned());
}

/// Refuses to run once the module has panicked: its memory may be inconsistent. Every entry
/// point calls this before it touches the engine.
fn healthy() -> Result<(), Error> {
    HOOK.call_once(|| std::panic::set_hook(Box::new(|info| record_panic(&info.to_string()))));
    match PANICKED.get() {
        None => Ok(()),
        Some(message) => Err(internal(format!(
            "caseflow stopped after an internal error and must be reloaded: {message}"
        ))),
    }
}

fn internal(message: String) -> Error {
    Error::single(
        ErrorCode::Internal,
        "internal error",
        Diagnostic::error("internal", &JsonPath::root(), message),
    )
}

/// An engine error as a thrown `CaseflowError`.
fn throw(error: Error) -> JsValue {
    let errors = api::to_json(&error.errors)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or_else(|| js_sys::Array::new().into());
    JsCaseflowError::new(error.code.as_str(), &error.message, errors).into()
}

/// A JavaScript value as JSON text, or an `invalid_json` error when it has no JSON form
/// (`undefined`, a function, a `BigInt`, a cycle).
fn to_text(value: &JsValue, what: &str) -> Result<String, Error> {
    let refused = |why: &str| {
        Error::single(
            ErrorCode::InvalidJson,
            &format!("{what} is not JSON"),
            Diagnostic::error("invalid_json", &JsonPath::root(), why),
        )
    };
    match js_sys::JSON::stringify(value) {
        Ok(text) => text.as_string().ok_or_else(|| {
            refused("expected a plain object, found a value with no JSON form (undefined or a function)")
        }),
        Err(e) => {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "JSON.stringify refused it".to_owned());
            Err(refused(&why))
        }
    }
}

/// JSON text written by the core as a JavaScript value.
fn from_text(text: &str) -> Result<JsValue, Error> {
    js_sys::JSON::parse(text)
        .map_err(|_| internal("the engine wrote JSON that JSON.parse refused".to_owned()))
}

/// Runs a call on JSON text: the byte-identical surface.
fn run_text(policy: &caseflow_core::Policy, call: Call, input: &str) -> Result<String, Error> {
    healthy()?;
    api::call(policy, call, input)
}

/// Runs a call on a plain object.
fn run(policy: &caseflow_core::Policy, call: Call, input: &JsValue) -> Result<JsValue, JsValue> {
    let result = to_text(input, "the input")
        .and_then(|text| run_text(policy, call, &text))
        .and_then(|text| from_text(&text));
    result.map_err(throw)
}

/// A checked, compiled policy: the company's rules, loaded once and used for every call.
///
/// `new Policy()` is the built-in default policy; `new Policy(text)` loads a policy file's JSON
/// text and `new Policy(object)` a policy already parsed. Every problem of a bad policy is in the
/// thrown `CaseflowError`'s `errors`, each with its JSON path. Call `free()` (or rely on the
/// garbage collector's finalizer) to release the policy's memory in the module.
#[wasm_bindgen]
pub struct Policy {
    inner: caseflow_core::Policy,
}

#[wasm_bindgen]
impl Policy {
    /// Loads a policy: the default when no argument is given, else JSON text or a parsed object.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "string | PolicyDocument")] policy: Option<
            JsValue,
        >,
    ) -> Result<Policy, JsValue> {
        let loaded = match policy {
            None => healthy().and_then(|()| caseflow_core::Policy::from_json(&default_policy())),
            Some(value) => match value.as_string() {
                Some(text) => healthy().and_then(|()| caseflow_core::Policy::from_json(&text)),
                None => to_text(&value, "the policy").and_then(|text| {
                    healthy().and_then(|()| caseflow_core::Policy::from_json(&text))
                }),
            },
        };
        loaded.map(|inner| Policy { inner }).map_err(throw)
    }

    /// The built-in default policy (docs/policy.md as data).
    pub fn builtin() -> Result<Policy, JsValue> {
        Policy::new(None)
    }

    /// Checks a policy file's JSON text without throwing: every error and warning, and a summary
    /// when it is valid.
    #[wasm_bindgen(unchecked_return_type = "CheckReport")]
    pub fn check(text: &str) -> Result<JsValue, JsValue> {
        healthy()
            .and_then(|()| api::to_json(&caseflow_core::Policy::check(text)))
            .and_then(|text| from_text(&text))
            .map_err(throw)
    }

    /// The policy document as loaded: labels, rules, routing, calendar.
    #[wasm_bindgen(unchecked_return_type = "PolicyDocument")]
    pub fn document(&self) -> Result<JsValue, JsValue> {
        self.answer(self.inner.document())
    }

    /// The policy at a glance: name, version, covered calendar years, rule counts.
    #[wasm_bindgen(unchecked_return_type = "PolicySummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        self.answer(&self.inner.summary())
    }

    /// What loading found worth a look without refusing the policy.
    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        self.answer(&self.inner.warnings().to_vec())
    }

    fn answer<T: serde::Serialize>(&self, value: &T) -> Result<JsValue, JsValue> {
        healthy()
            .and_then(|()| api::to_json(value))
            .and_then(|text| from_text(&text))
            .map_err(throw)
    }

    /// Classifies and routes one report (docs/policy.md §2–§4): category, tier, emergency level, the
    /// explanation with its evidence (spans in characters, i.e. code points: index
    /// `Array.from(description)`, not the string), who drafts, approves and verifies, the
    /// deadlines, and whether it is under warranty (§1.1).
    #[wasm_bindgen(unchecked_return_type = "ClassifyResult")]
    pub fn classify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Classify, &report)
    }

    /// An instant plus a duration on the policy's calendar (docs/policy.md §5.1).
    #[wasm_bindgen(unchecked_return_type = "DeadlineResult")]
    pub fn deadline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeadlineInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Deadline, &input)
    }

    /// Each date of a range: working day or day off, and why.
    #[wasm_bindgen(js_name = calendarDays, unchecked_return_type = "CalendarDaysResult")]
    pub fn calendar_days(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CalendarDaysInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::CalendarDays, &input)
    }

    /// A clock's state at an instant: running, at risk, breached, met or paused.
    #[wasm_bindgen(js_name = clockStatus, unchecked_return_type = "ClockStatus")]
    pub fn clock_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ClockStatusInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::ClockStatus, &input)
    }

    /// Opens a case from a `record` command.
    #[wasm_bindgen(unchecked_return_type = "Applied")]
    pub fn record(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RecordInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Record, &input)
    }

    /// Applies a command to a case: the new case, the event to store, the effects to carry out.
    #[wasm_bindgen(unchecked_return_type = "Applied")]
    pub fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApplyInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Apply, &input)
    }

    /// A case's clocks, reminders and escalations at an instant.
    #[wasm_bindgen(unchecked_return_type = "TickReport")]
    pub fn tick(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TickInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Tick, &input)
    }

    /// Rebuilds a case from its event log.
    #[wasm_bindgen(unchecked_return_type = "Case")]
    pub fn replay(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventsInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Replay, &input)
    }

    /// Checks an event log's hash chain, and with `anchor` or `case` and `key` its end and its
    /// seals (the policy is not needed; also `verifyLog`).
    #[wasm_bindgen(js_name = verifyLog, unchecked_return_type = "LogVerification")]
    pub fn verify_log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventsInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::VerifyLog, &input)
    }

    /// Is an element of a project under warranty on a day (docs/policy.md §1.1): the clerk's direct
    /// question. `classify` answers the same for a report.
    #[wasm_bindgen(unchecked_return_type = "Warranty")]
    pub fn warranty(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WarrantyInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Warranty, &input)
    }

    /// When the next emergency drill is due (docs/policy.md §7), from the days of past drills
    /// (also `drillStatus`).
    #[wasm_bindgen(js_name = drillStatus, unchecked_return_type = "DrillStatus")]
    pub fn drill_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DrillStatusInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::DrillStatus, &input)
    }

    /// The supervision figures of docs/policy.md §6 over a set of cases' event logs: a mergeable
    /// summary, every figure with its numerator and denominator.
    #[wasm_bindgen(unchecked_return_type = "Kpis")]
    pub fn assess(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AssessInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Assess, &input)
    }

    /// The summary of the union of disjoint case sets, from theirs (also `mergeAssessments`).
    #[wasm_bindgen(js_name = mergeAssessments, unchecked_return_type = "Kpis")]
    pub fn merge_assessments(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MergeInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::MergeAssessments, &input)
    }

    /// A reproducible sample of case records per project (also `spotCheck`).
    #[wasm_bindgen(js_name = spotCheck, unchecked_return_type = "SpotCheck")]
    pub fn spot_check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SpotCheckInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::SpotCheck, &input)
    }

    /// Incomplete or broken case records, each finding naming its case.
    #[wasm_bindgen(unchecked_return_type = "AuditReport")]
    pub fn audit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AuditInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::Audit, &input)
    }

    /// The policy's workflow explored and its rules read (also `analyzePolicy`): every finding
    /// with its code, severity, the JSON path of the policy member at fault and, for a workflow
    /// finding, a counterexample path. The input is `{}` (or nothing).
    #[wasm_bindgen(js_name = analyzePolicy, unchecked_return_type = "Analysis")]
    pub fn analyze_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AnalyzeInput | undefined")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let input = if input.is_undefined() {
            js_sys::Object::new().into()
        } else {
            input
        };
        run(&self.inner, Call::AnalyzePolicy, &input)
    }

    /// What changes from an older policy to this one, and for which past reports (also
    /// `diffPolicies`).
    #[wasm_bindgen(js_name = diffPolicies, unchecked_return_type = "PolicyDiff")]
    pub fn diff_policies(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DiffInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run(&self.inner, Call::DiffPolicies, &input)
    }

    /// Any call by name on JSON text, answered as JSON text: the same bytes as the CLI and the
    /// C ABI give. For hosts that store or forward JSON as it is.
    #[wasm_bindgen(js_name = callJson)]
    pub fn call_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CallName")] call: &str,
        input: &str,
    ) -> Result<String, JsValue> {
        healthy()
            .and_then(|()| call.parse::<Call>())
            .and_then(|call| run_text(&self.inner, call, input))
            .map_err(throw)
    }
}

/// Checks an event log's hash chain: `{"events": [...]}`, and with `anchor` (`{"events",
/// "last_hash"}`) or `case` and `key` (hex) its end and its seals.
#[wasm_bindgen(js_name = verifyLog, unchecked_return_type = "LogVerification")]
pub fn verify_log(
    #[wasm_bindgen(unchecked_param_type = "EventsInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    to_text(&input, "the input")
        .and_then(|text| healthy().and_then(|()| api::verify_log(&text)))
        .and_then(|log| api::to_json(&log))
        .and_then(|text| from_text(&text))
        .map_err(throw)
}

/// The names of the calls this build knows, in the order of `caseflow_core::api::Call`.
#[wasm_bindgen(unchecked_return_type = "CallName[]")]
pub fn calls() -> Vec<String> {
    Call::ALL.iter().map(|c| c.as_str().to_owned()).collect()
}

/// The package's version (the workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Panics on purpose, so that the Node tests can see a panic trap the call and every later call
/// refuse to run. Only in the `test-panic` build (`bindings/js/build.sh --test-panic`), never in
/// the package.
#[cfg(feature = "test-panic")]
#[wasm_bindgen(js_name = testPanic)]
pub fn test_panic() -> Result<(), JsValue> {
    healthy().map_err(throw)?;
    #[allow(clippy::panic)]
    {
        panic!("a panic on purpose (test-panic)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_a_panic_every_call_is_refused_with_the_panic_named() {
        assert!(healthy().is_ok());
        record_panic("index out of bounds at core/src/x.rs:1:1");
        record_panic("a second panic does not replace the first");
        let error = healthy().unwrap_err();
        assert_eq!(error.code, ErrorCode::Internal);
        assert!(
            error.errors[0].message.contains("index out of bounds"),
            "{}",
            error.message
        );
    }
}
