//! The named clocks of a case and the events they start from: words the policy's deadlines,
//! routing and the lifecycle all use.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The named clocks of a case (docs/policy.md §4 and §5.3).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClockKind {
    /// Contact the customer after receipt (24 calendar hours).
    ContactCustomer,
    /// The handling deadline committed to the customer at acceptance.
    Commitment,
    /// Submit the plan after acceptance.
    Plan,
    /// Approve the plan after submission.
    Approval,
    /// Update the customer on progress, repeatedly, during the work.
    ProgressUpdate,
    /// Verify the work after completion.
    Verification,
    /// The customer's answer after notification (a reminder, not a breach of the team).
    CustomerReply,
    /// Confirm or lower a provisional tier 1 (the model's review) after receipt.
    TierReview,
    /// A mandated emergency action or status update after the declaration (§7).
    EmergencyAction,
    /// The post-event review after an emergency ends (§7).
    EmergencyReview,
}

/// The event a clock starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClockStart {
    /// The report's receipt.
    Received,
    /// The case's acceptance.
    Accepted,
    /// The plan's submission.
    PlanSubmitted,
    /// The start of the work (plan approved or filed), and each progress update after it.
    WorkStarted,
    /// The work's completion.
    WorkCompleted,
    /// The customer's notification.
    CustomerNotified,
}
