//! Commands: who does what to a case. Read field by field so that a bad command names every
//! offending field at once.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::domain::{Category, Department, EmergencyLevel, Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use caseflow_derive::Read;

use crate::intake::{MAX_SHORT_TEXT_CHARS, Report};
use crate::reader::{ObjectReader, ReadObject, ReadTagged, kind_of};

pub use crate::domain::commands::CommandKind;
pub use crate::domain::limits::{MAX_ITEMS, MAX_TEXT_CHARS};

/// A command: the actor and the action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Command {
    /// Who issues it, with the roles the host says they hold.
    pub actor: Actor,
    /// What they do.
    #[serde(flatten)]
    pub action: Action,
}

/// The person issuing a command. The host vouches for the roles; the engine decides whether
/// they suffice (docs/policy.md §4.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(check = holds_a_role)]
pub struct Actor {
    /// The host's id for the person.
    #[read(id)]
    pub id: String,
    /// A display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(text = MAX_SHORT_TEXT_CHARS)]
    pub name: Option<String>,
    /// The roles held.
    pub roles: Vec<Role>,
    /// The department, for company experts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Department>,
}

/// What a command does. Written with its `type` beside the actor:
/// `{"type": "accept", "actor": {...}, "committed_deadline": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// Record a report and open the case (§2, §4.2).
    Record {
        /// The report.
        report: std::sync::Arc<Report>,
    },
    /// The project leader has contacted the customer, confirmed the problem and commits a
    /// deadline (§4.2).
    Accept {
        /// The handling deadline committed to the customer; within the tier's cap.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "String")]
        committed_deadline: DateTime<FixedOffset>,
        /// When the customer was contacted; "now" when omitted.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::time::rfc3339::option"
        )]
        #[schemars(with = "Option<String>")]
        contacted_at: Option<DateTime<FixedOffset>>,
        /// Notes of the contact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// Change the category or the tier, with a reason (§3.2, §3.4).
    #[read(check = names_a_change)]
    Reclassify {
        /// The new tier.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<Tier>,
        /// The new category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<Category>,
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Submit (or, for tier 3, file) the plan (§4.3).
    SubmitPlan {
        /// The plan.
        plan: std::sync::Arc<Plan>,
    },
    /// Approve the plan (§4.3).
    ApprovePlan {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// Send the plan back to drafting with reasons (§4.3).
    RejectPlan {
        /// Why, for the drafters.
        #[read(text = MAX_TEXT_CHARS)]
        reasons: String,
    },
    /// Inform the customer of progress (§4.4).
    ReportProgress {
        /// What was told.
        #[read(text = MAX_TEXT_CHARS)]
        note: String,
    },
    /// The work is done (§4.4).
    CompleteWork {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// Verify the work (§4.5).
    Verify {
        /// Whether the work passed.
        #[read(missing = "`passed` is required: did the work pass?")]
        passed: bool,
        /// The verifying role, when the actor holds several that may verify.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
        /// The verification report's reference (验证报告), required where the tier requires one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(id)]
        report_ref: Option<String>,
        /// Findings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// Notify the customer to confirm the result (§4.6).
    NotifyCustomer {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// The customer is satisfied and has signed the confirmation form (§4.6).
    CustomerConfirm {
        /// The signed form's reference.
        #[read(id)]
        signed_form_ref: String,
        /// Satisfaction, 1 to 5.
        #[read(
            with = satisfaction,
            missing = "`satisfaction` is required: a score from 1 to 5"
        )]
        satisfaction: u8,
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// The customer is not satisfied (§4.6).
    CustomerReject {
        /// The customer's reasons.
        #[read(text = MAX_TEXT_CHARS)]
        reasons: String,
        /// Satisfaction, 1 to 5, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(with = satisfaction)]
        satisfaction: Option<u8>,
    },
    /// Put the case on hold while waiting on the customer (§4.7).
    Hold {
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// End the hold (§4.7).
    Resume {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// The customer withdrew the case (§4.7).
    Withdraw {
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Confirm (tier 1) or lower (2, 3) a provisional tier 1: the answer to the model's review.
    ReviewTier {
        /// The tier decided.
        tier: Tier,
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Declare an emergency by hand (§7).
    DeclareEmergency {
        /// Its level.
        level: EmergencyLevel,
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Raise the emergency's level (never lower it, §7).
    RaiseEmergency {
        /// The new, more serious level.
        level: EmergencyLevel,
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Mark a mandated emergency action done (§7).
    CompleteEmergencyAction {
        /// The action's id, e.g. `people_on_site`.
        #[read(id)]
        action: String,
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// Waive a mandated emergency action, with a reason: the commander only (§7).
    WaiveEmergencyAction {
        /// The action's id.
        #[read(id)]
        action: String,
        /// Why.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Post a status update to the commanding level; the next one is due a cadence later (§7).
    EmergencyStatusUpdate {
        /// The update.
        #[read(text = MAX_TEXT_CHARS)]
        note: String,
    },
    /// Declare the emergency over: the commander only, every action done or waived (§7).
    EndEmergency {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[read(text = MAX_TEXT_CHARS)]
        note: Option<String>,
    },
    /// File the post-event review, which closes the emergency record (§7).
    FileEmergencyReview {
        /// What was learnt.
        #[read(text = MAX_TEXT_CHARS)]
        summary: String,
    },
    /// New facts learnt after intake (§3.3): merged over the report's; an emergency trigger that
    /// now holds declares or raises the emergency (§7).
    UpdateFacts {
        /// The facts that changed; those not given keep their value.
        facts: crate::intake::Facts,
        /// Where they come from.
        #[read(text = MAX_TEXT_CHARS)]
        reason: String,
    },
    /// Release a media statement: the commanding level's approval, so its role (§7).
    ReleaseMediaStatement {
        /// The statement.
        #[read(text = MAX_TEXT_CHARS)]
        statement: String,
    },
}

/// A plan (处理方案, §4.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The measures (处理措施).
    #[read(with = measures)]
    pub measures: Vec<String>,
    /// The responsible people (责任人员).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[read(with = items)]
    pub responsible: Vec<ResponsiblePerson>,
    /// The milestones (时间节点).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[read(with = items)]
    pub milestones: Vec<Milestone>,
    /// The company experts consulted (会诊), one entry per department.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[read(with = items)]
    pub consulted: Vec<Consultation>,
}

/// A person responsible for part of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
pub struct ResponsiblePerson {
    /// Who.
    #[read(text = MAX_SHORT_TEXT_CHARS)]
    pub name: String,
    /// For what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[read(text = MAX_TEXT_CHARS)]
    pub duty: Option<String>,
}

/// A milestone of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// What is done by then.
    #[read(text = MAX_TEXT_CHARS)]
    pub description: String,
    /// By when.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub due: DateTime<FixedOffset>,
}

/// An expert's part in a tier-1 consultation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// The expert's department.
    pub department: Department,
    /// The expert.
    #[read(text = MAX_SHORT_TEXT_CHARS)]
    pub expert: String,
}

impl std::str::FromStr for CommandKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CommandKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = CommandKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "unknown command `{s}`, expected one of: {}",
                    names.join(", ")
                )
            })
    }
}

impl Action {
    /// The command's name.
    pub fn kind(&self) -> CommandKind {
        match self {
            Action::Record { .. } => CommandKind::Record,
            Action::Accept { .. } => CommandKind::Accept,
            Action::Reclassify { .. } => CommandKind::Reclassify,
            Action::SubmitPlan { .. } => CommandKind::SubmitPlan,
            Action::ApprovePlan { .. } => CommandKind::ApprovePlan,
            Action::RejectPlan { .. } => CommandKind::RejectPlan,
            Action::ReportProgress { .. } => CommandKind::ReportProgress,
            Action::CompleteWork { .. } => CommandKind::CompleteWork,
            Action::Verify { .. } => CommandKind::Verify,
            Action::NotifyCustomer { .. } => CommandKind::NotifyCustomer,
            Action::CustomerConfirm { .. } => CommandKind::CustomerConfirm,
            Action::CustomerReject { .. } => CommandKind::CustomerReject,
            Action::Hold { .. } => CommandKind::Hold,
            Action::Resume { .. } => CommandKind::Resume,
            Action::Withdraw { .. } => CommandKind::Withdraw,
            Action::ReviewTier { .. } => CommandKind::ReviewTier,
            Action::DeclareEmergency { .. } => CommandKind::DeclareEmergency,
            Action::RaiseEmergency { .. } => CommandKind::RaiseEmergency,
            Action::CompleteEmergencyAction { .. } => CommandKind::CompleteEmergencyAction,
            Action::WaiveEmergencyAction { .. } => CommandKind::WaiveEmergencyAction,
            Action::EmergencyStatusUpdate { .. } => CommandKind::EmergencyStatusUpdate,
            Action::EndEmergency { .. } => CommandKind::EndEmergency,
            Action::FileEmergencyReview { .. } => CommandKind::FileEmergencyReview,
            Action::ReleaseMediaStatement { .. } => CommandKind::ReleaseMediaStatement,
            Action::UpdateFacts { .. } => CommandKind::UpdateFacts,
        }
    }
}

impl Command {
    /// Reads a command from JSON text, naming every bad field.
    pub fn from_json(text: &str) -> Result<Command, Error> {
        let value = crate::reader::parse_bounded(text, 1024 * 1024, "the command")
            .map_err(|d| invalid_command(vec![d]))?;
        Command::from_value(&value, &JsonPath::root())
    }

    /// Reads a command given as a JSON value at `path`, naming every bad field.
    pub fn from_value(value: &Value, path: &JsonPath) -> Result<Command, Error> {
        let mut diagnostics = Vec::new();
        let command =
            ObjectReader::new(value, path.clone(), &mut diagnostics).and_then(read_command);
        match command {
            Some(command) if diagnostics.is_empty() => Ok(command),
            _ => Err(invalid_command(diagnostics)),
        }
    }
}

fn invalid_command(errors: Vec<Diagnostic>) -> Error {
    Error::new(ErrorCode::InvalidInput, "invalid command", errors)
}

fn read_command(mut r: ObjectReader<'_>) -> Option<Command> {
    let kind = match r.raw_required("type") {
        Some(Value::String(name)) => match name.parse::<CommandKind>() {
            Ok(kind) => Some(kind),
            Err(message) => {
                r.report("unknown_command", "type", message);
                None
            }
        },
        Some(other) => {
            let found = kind_of(other);
            r.report(
                "wrong_type",
                "type",
                format!("expected a command name, found {found}"),
            );
            None
        }
        None => None,
    };
    let actor = r.object("actor", true, |mut a| {
        let actor = Actor::read_members(&mut a);
        a.finish();
        actor
    });
    let action = match kind {
        Some(kind) => Action::read_variant(kind.as_str(), &mut r),
        None => {
            // Without a type, the remaining fields cannot be judged: do not report them.
            return None;
        }
    };
    r.finish();
    Some(Command {
        actor: actor?,
        action: action?,
    })
}

/// Refuses an actor without a role.
fn holds_a_role(r: &mut ObjectReader<'_>, actor: &Actor) -> bool {
    if actor.roles.is_empty() {
        r.report("empty", "roles", "an actor holds at least one role");
        return false;
    }
    true
}

/// Refuses a reclassification that changes nothing.
fn names_a_change(r: &mut ObjectReader<'_>, action: &Action) -> bool {
    if let Action::Reclassify {
        tier: None,
        category: None,
        ..
    } = action
    {
        r.report(
            "missing_field",
            "tier",
            "a reclassification names a new `tier`, a new `category`, or both",
        );
        return false;
    }
    true
}

/// A satisfaction score, 1 to 5.
fn satisfaction(r: &mut ObjectReader<'_>, name: &'static str) -> Option<u8> {
    let score = r.count(name, 5)?;
    if score == 0 {
        r.report("out_of_range", name, "satisfaction is a score from 1 to 5");
        return None;
    }
    u8::try_from(score).ok()
}

/// A plan's measures: at least the member, at most [`MAX_ITEMS`] of them, each non-blank text.
fn measures(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Vec<String>> {
    read_list(r, name, true, text_item)
}

/// A plan's list of objects, at most [`MAX_ITEMS`] of them.
fn items<T: ReadObject>(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Vec<T>> {
    read_list(r, name, false, |item, path, diagnostics| {
        T::read_value(item, &path, diagnostics)
    })
}

fn text_item(item: &Value, path: JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    match item {
        Value::String(s) if !s.trim().is_empty() && s.chars().count() <= MAX_TEXT_CHARS => {
            Some(s.clone())
        }
        Value::String(_) => {
            diagnostics.push(Diagnostic::error(
                "invalid_value",
                &path,
                format!("must be non-blank text of at most {MAX_TEXT_CHARS} characters"),
            ));
            None
        }
        other => {
            diagnostics.push(Diagnostic::error(
                "wrong_type",
                &path,
                format!("expected a string, found {}", kind_of(other)),
            ));
            None
        }
    }
}

/// Reads an array member item by item, so that every bad item is named.
fn read_list<T>(
    r: &mut ObjectReader<'_>,
    name: &'static str,
    required: bool,
    read: impl Fn(&Value, JsonPath, &mut Vec<Diagnostic>) -> Option<T>,
) -> Option<Vec<T>> {
    let value = if required {
        r.raw_required(name)?
    } else {
        r.raw(name)?
    };
    let path = r.path_of(name);
    let Value::Array(items) = value else {
        let found = kind_of(value);
        r.report(
            "wrong_type",
            name,
            format!("expected a list, found {found}"),
        );
        return None;
    };
    if items.len() > MAX_ITEMS {
        r.report(
            "too_many",
            name,
            format!("at most {MAX_ITEMS} items, found {}", items.len()),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let mut found = Vec::new();
        match read(item, path.index(i), &mut found) {
            Some(v) if found.is_empty() => out.push(v),
            _ => ok = false,
        }
        for d in found {
            r.push(d);
        }
    }
    ok.then_some(out)
}
