//! The names of the lifecycle's commands: used by the policy's permissions and duties, by
//! routing and by the lifecycle itself.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The name of a command, as used in permissions and errors.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CommandKind {
    /// `record`.
    Record,
    /// `accept`.
    Accept,
    /// `reclassify`.
    Reclassify,
    /// `submit_plan`.
    SubmitPlan,
    /// `approve_plan`.
    ApprovePlan,
    /// `reject_plan`.
    RejectPlan,
    /// `report_progress`.
    ReportProgress,
    /// `complete_work`.
    CompleteWork,
    /// `verify`.
    Verify,
    /// `notify_customer`.
    NotifyCustomer,
    /// `customer_confirm`.
    CustomerConfirm,
    /// `customer_reject`.
    CustomerReject,
    /// `hold`.
    Hold,
    /// `resume`.
    Resume,
    /// `withdraw`.
    Withdraw,
    /// `review_tier`.
    ReviewTier,
    /// `declare_emergency` (§7).
    DeclareEmergency,
    /// `raise_emergency` (§7).
    RaiseEmergency,
    /// `complete_emergency_action` (§7).
    CompleteEmergencyAction,
    /// `waive_emergency_action` (§7).
    WaiveEmergencyAction,
    /// `emergency_status_update` (§7).
    EmergencyStatusUpdate,
    /// `end_emergency` (§7).
    EndEmergency,
    /// `file_emergency_review` (§7).
    FileEmergencyReview,
    /// `release_media_statement` (§7).
    ReleaseMediaStatement,
    /// `update_facts` (§3.3, §7).
    UpdateFacts,
}

impl CommandKind {
    /// Every command.
    pub const ALL: &'static [CommandKind] = &[
        CommandKind::Record,
        CommandKind::Accept,
        CommandKind::Reclassify,
        CommandKind::SubmitPlan,
        CommandKind::ApprovePlan,
        CommandKind::RejectPlan,
        CommandKind::ReportProgress,
        CommandKind::CompleteWork,
        CommandKind::Verify,
        CommandKind::NotifyCustomer,
        CommandKind::CustomerConfirm,
        CommandKind::CustomerReject,
        CommandKind::Hold,
        CommandKind::Resume,
        CommandKind::Withdraw,
        CommandKind::ReviewTier,
        CommandKind::DeclareEmergency,
        CommandKind::RaiseEmergency,
        CommandKind::CompleteEmergencyAction,
        CommandKind::WaiveEmergencyAction,
        CommandKind::EmergencyStatusUpdate,
        CommandKind::EndEmergency,
        CommandKind::FileEmergencyReview,
        CommandKind::ReleaseMediaStatement,
        CommandKind::UpdateFacts,
    ];

    /// Commands whose roles the policy grants under `lifecycle.permissions` (the others come
    /// from each tier's routing).
    pub const GRANTED: &'static [CommandKind] = &[
        CommandKind::Record,
        CommandKind::Accept,
        CommandKind::Reclassify,
        CommandKind::ReportProgress,
        CommandKind::CompleteWork,
        CommandKind::NotifyCustomer,
        CommandKind::CustomerConfirm,
        CommandKind::CustomerReject,
        CommandKind::Hold,
        CommandKind::Resume,
        CommandKind::Withdraw,
    ];

    /// The command's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandKind::Record => "record",
            CommandKind::Accept => "accept",
            CommandKind::Reclassify => "reclassify",
            CommandKind::SubmitPlan => "submit_plan",
            CommandKind::ApprovePlan => "approve_plan",
            CommandKind::RejectPlan => "reject_plan",
            CommandKind::ReportProgress => "report_progress",
            CommandKind::CompleteWork => "complete_work",
            CommandKind::Verify => "verify",
            CommandKind::NotifyCustomer => "notify_customer",
            CommandKind::CustomerConfirm => "customer_confirm",
            CommandKind::CustomerReject => "customer_reject",
            CommandKind::Hold => "hold",
            CommandKind::Resume => "resume",
            CommandKind::Withdraw => "withdraw",
            CommandKind::ReviewTier => "review_tier",
            CommandKind::DeclareEmergency => "declare_emergency",
            CommandKind::RaiseEmergency => "raise_emergency",
            CommandKind::CompleteEmergencyAction => "complete_emergency_action",
            CommandKind::WaiveEmergencyAction => "waive_emergency_action",
            CommandKind::EmergencyStatusUpdate => "emergency_status_update",
            CommandKind::EndEmergency => "end_emergency",
            CommandKind::FileEmergencyReview => "file_emergency_review",
            CommandKind::ReleaseMediaStatement => "release_media_statement",
            CommandKind::UpdateFacts => "update_facts",
        }
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
