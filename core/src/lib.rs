//! # caseflow-core
//!
//! The caseflow engine: a construction company's customer-issue policy
//! (工程项目客户问题处理管理制度及应急预案) as data, and the rules that run it — intake,
//! classification, routing, deadlines on the working calendar, and the case lifecycle.
//!
//! The engine is pure: it does no I/O, reads no clock and keeps no global state. A host passes
//! facts and "now" in and gets decisions, deadlines and effects back as data. The same types are
//! serialised to JSON for the C ABI (`caseflow-ffi`) and the WebAssembly package
//! (`caseflow-wasm`), so every host sees one model.
//!
//! ```
//! use caseflow_core::{Policy, Report};
//!
//! let policy = Policy::builtin().expect("the default policy loads");
//! let report = Report::from_json(r#"{
//!     "id": "S-20", "project": "P-2026-017", "channel": "phone",
//!     "description": "阳台护栏松动，存在安全隐患",
//!     "raised_at": "2026-03-02T09:15:00+08:00", "location": "10号楼601阳台",
//!     "contact": {"name": "业主", "phone": "13800000000"}
//! }"#).expect("a valid report");
//! let result = policy.classify(&report);
//! assert_eq!(result.tier.number(), 1);
//! assert_eq!(result.emergency.map(|l| l.as_str()), Some("III"));
//! ```

#![forbid(unsafe_code)]

pub mod analysis;
pub mod api;
pub mod calendar;
pub mod classify;
pub mod domain;
pub mod error;
pub mod intake;
pub mod lifecycle;
pub mod policy;
pub mod reader;
pub mod routing;
pub mod supervision;
pub mod time;
pub mod warranty;

pub use classify::Classification;
pub use domain::{
    Category, Channel, Department, EmergencyLevel, Labels, Role, Tier, WarrantyElement,
};
pub use error::{DIAGNOSTIC_CODES, Diagnostic, Error, ErrorCode, JsonPath};
pub use intake::{Contact, Facts, ProjectFacts, Report};
pub use policy::Policy;
pub use warranty::{Warranty, WarrantyStatus};
