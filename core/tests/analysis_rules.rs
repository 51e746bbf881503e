//! The rule checks of the policy analysis (issue 14 item 2, docs/analysis.md "Rule checks").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::Policy;
use caseflow_core::analysis::rules::check;

fn default_value() -> serde_json::Value {
    serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap()
}

#[test]
fn default_policy_has_no_rule_finding() {
    let policy = Policy::from_value(&default_value()).unwrap();
    let t = std::time::Instant::now();
    let findings = check(&policy);
    eprintln!("{:?}", t.elapsed());
    for f in &findings {
        eprintln!("{} {:?} {} {}", f.code, f.severity, f.path, f.message);
    }
    assert!(findings.is_empty());
}
