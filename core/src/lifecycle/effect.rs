//! Effects: what the host must do after a transition or a tick. The engine never sends a
//! message or sets a timer itself; it says whom to notify with which template, and which clocks
//! started, stopped, paused or resumed. Every effect cites the policy rule behind it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::routing::ClockKind;

/// A message template the host renders; its parameters come with the effect.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Template {
    /// A new case for the project leader, who must contact the customer within the contact time.
    CaseRecorded,
    /// An emergency for its commanding level (§7).
    EmergencyDeclared,
    /// The emergency's level was raised: the new commanding level takes over (§7).
    EmergencyRaised,
    /// The emergency was declared over: the post-event review is due (§7).
    EmergencyEnded,
    /// Draft the plan.
    PlanRequested,
    /// Take part in a tier-1 consultation (会诊).
    ConsultationRequested,
    /// A plan awaits approval.
    PlanSubmitted,
    /// A plan was filed (备案) with you.
    PlanFiled,
    /// The plan was approved: carry it out.
    PlanApproved,
    /// The plan was rejected: redraft it with the reasons.
    PlanRejected,
    /// A progress update for the customer.
    ProgressUpdate,
    /// The work is done: verify it.
    VerificationRequested,
    /// Verification failed: back to work.
    VerificationFailed,
    /// Verification passed: notify the customer.
    VerificationPassed,
    /// Please confirm the result and sign the confirmation form.
    ConfirmationRequested,
    /// The customer confirmed; the case is closed.
    CaseClosed,
    /// The customer is not satisfied: talk again and adjust the plan.
    ConfirmationRejected,
    /// The case's category or tier changed.
    CaseReclassified,
    /// The case is on hold.
    CaseOnHold,
    /// The case resumed.
    CaseResumed,
    /// The case was withdrawn.
    CaseWithdrawn,
    /// A clock is at risk (75% by default).
    ClockAtRisk,
    /// A clock is breached.
    ClockBreached,
    /// The customer has not answered the request for confirmation.
    CustomerReplyOverdue,
    /// The tier is provisional (the model's review): confirm tier 1 or lower it with
    /// `review_tier` before `review_due`.
    TierReviewRequested,
}

/// Something the host must do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Effect {
    /// Send a message to whoever holds `to` on this case.
    Notify {
        /// The recipient role.
        to: Role,
        /// The message.
        template: Template,
        /// Values for the template.
        params: BTreeMap<Cow<'static, str>, String>,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
    /// A clock started.
    StartClock {
        /// The clock.
        clock: ClockKind,
        /// Its due instant.
        due: String,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
    /// A clock stopped.
    StopClock {
        /// The clock.
        clock: ClockKind,
        /// True when stopped at or before its due instant.
        met: bool,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
    /// A clock paused.
    PauseClock {
        /// The clock.
        clock: ClockKind,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
    /// A clock resumed, with its new due instant.
    ResumeClock {
        /// The clock.
        clock: ClockKind,
        /// Its due instant after the pause.
        due: String,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
    /// Remind the assignee of a clock (at risk, or a customer's silence).
    Remind {
        /// A stable id: the same reminder has the same id at every tick, so hosts send it once.
        id: String,
        /// Whom to remind.
        to: Role,
        /// The clock.
        clock: ClockKind,
        /// The emergency action (or `review`) the clock is for, when `clock` is an emergency's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        action: Option<String>,
        /// Its due instant.
        due: String,
        /// The message.
        template: Template,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
    /// Escalate a breached clock to the next level up (§5.3).
    Escalate {
        /// A stable id, as for reminders.
        id: String,
        /// Whom to notify.
        to: Role,
        /// The clock.
        clock: ClockKind,
        /// The emergency action (or `review`) the clock is for, when `clock` is an emergency's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        action: Option<String>,
        /// Its due instant.
        due: String,
        /// The message.
        template: Template,
        /// The policy rule behind it.
        rule: Cow<'static, str>,
    },
}
