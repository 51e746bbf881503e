//! Analysis of a policy before it goes live (issue 14): what its workflow and its rules do, found
//! by exploring them, and what a change of policy does to real reports.
//!
//! - [`workflow`]: the lifecycle's state space under the policy, explored for every tier: states
//!   no case can reach, states closure cannot be reached from, commands no role may issue, paths
//!   to closure that skip an approval, a verification or the signed confirmation the rules demand,
//!   and deadlines that cannot all be met. Each failure comes with a counterexample path.
//! - [`rules`]: classification rules that can never fire, categories and tiers no input reaches,
//!   keywords claimed by two categories without a priority, numeric thresholds that overlap or
//!   leave gaps.
//! - [`diff`]: the semantic differences between two policies and the reports they treat apart.
//!
//! A finding never stops a policy from loading: `check` (the CLI) and the `analyze_policy` call
//! report them, and the author decides.

pub mod diff;
pub mod rules;
pub mod workflow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::{CommandKind, Role, Tier};
use crate::error::Severity;
use crate::lifecycle::CaseState;
use crate::policy::Policy;

/// Everything the analysis found in a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    /// The findings, errors first, then by path.
    pub findings: Vec<Finding>,
    /// How much of the workflow was explored.
    pub workflow: workflow::Exploration,
}

/// One thing the analysis found, with the JSON path of the policy member it concerns. (Named
/// `PolicyFinding` in the JSON Schema and the bindings, beside the audit's `Finding`.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PolicyFinding")]
pub struct Finding {
    /// A stable code listed in `docs/errors.md`, e.g. `unreachable_state`.
    pub code: String,
    /// `error`: the policy breaks a rule the company's policy demands; `warning`: it deserves a
    /// look.
    pub severity: Severity,
    /// JSON path of the policy member at fault, e.g. `$.tiers.1.plan.approved_by`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// The tier the finding holds for, when it is about one tier's workflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// The shortest path of commands that shows it, from the case's recording.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counterexample: Vec<PathStep>,
}

/// One command on a counterexample path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathStep {
    /// The command.
    pub command: CommandKind,
    /// The roles of the actor who issued it.
    pub by: Vec<Role>,
    /// The case's state after it.
    pub state: CaseState,
    /// The command as given to the engine (its `type`, `actor` and payload), so that the path
    /// replays through `apply`; every step is given at the report's receipt.
    pub input: serde_json::Value,
}

/// Analyses a policy's workflow and rules.
pub fn analyze(policy: &Policy) -> Analysis {
    let (mut findings, exploration) = workflow::check(policy);
    findings.extend(rules::check(policy));
    findings.sort_by(|a, b| {
        (a.severity != Severity::Error, &a.path, &a.code, a.tier).cmp(&(
            b.severity != Severity::Error,
            &b.path,
            &b.code,
            b.tier,
        ))
    });
    Analysis {
        findings,
        workflow: exploration,
    }
}
