//! Commands: who does what to a case. Read field by field so that a bad command names every
//! offending field at once.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{Category, Department, Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::intake::{Report, read_report};
use crate::reader::{ObjectReader, kind_of};

pub use crate::domain::commands::CommandKind;
pub use crate::domain::limits::{MAX_ITEMS, MAX_TEXT_CHARS};

/// A command: the actor and the action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Command {
    /// Who issues it, with the roles the host says they hold.
    pub actor: Actor,
    /// What they do.
    #[serde(flatten)]
    pub action: Action,
}

/// The person issuing a command. The host vouches for the roles; the engine decides whether
/// they suffice (docs/policy.md §4.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The host's id for the person.
    pub id: String,
    /// A display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The roles held.
    pub roles: Vec<Role>,
    /// The department, for company experts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Department>,
}

/// What a command does. Written with its `type` beside the actor:
/// `{"type": "accept", "actor": {...}, "committed_deadline": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
        note: Option<String>,
    },
    /// Change the category or the tier, with a reason (§3.2, §3.4).
    Reclassify {
        /// The new tier.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<Tier>,
        /// The new category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<Category>,
        /// Why.
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
        note: Option<String>,
    },
    /// Send the plan back to drafting with reasons (§4.3).
    RejectPlan {
        /// Why, for the drafters.
        reasons: String,
    },
    /// Inform the customer of progress (§4.4).
    ReportProgress {
        /// What was told.
        note: String,
    },
    /// The work is done (§4.4).
    CompleteWork {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Verify the work (§4.5).
    Verify {
        /// Whether the work passed.
        passed: bool,
        /// The verifying role, when the actor holds several that may verify.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
        /// The verification report's reference (验证报告), required where the tier requires one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report_ref: Option<String>,
        /// Findings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Notify the customer to confirm the result (§4.6).
    NotifyCustomer {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The customer is satisfied and has signed the confirmation form (§4.6).
    CustomerConfirm {
        /// The signed form's reference.
        signed_form_ref: String,
        /// Satisfaction, 1 to 5.
        satisfaction: u8,
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The customer is not satisfied (§4.6).
    CustomerReject {
        /// The customer's reasons.
        reasons: String,
        /// Satisfaction, 1 to 5, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        satisfaction: Option<u8>,
    },
    /// Put the case on hold while waiting on the customer (§4.7).
    Hold {
        /// Why.
        reason: String,
    },
    /// End the hold (§4.7).
    Resume {
        /// Remarks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The customer withdrew the case (§4.7).
    Withdraw {
        /// Why.
        reason: String,
    },
    /// Confirm (tier 1) or lower (2, 3) a provisional tier 1: the answer to the model's review.
    ReviewTier {
        /// The tier decided.
        tier: Tier,
        /// Why.
        reason: String,
    },
}

/// A plan (处理方案, §4.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The measures (处理措施).
    pub measures: Vec<String>,
    /// The responsible people (责任人员).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsible: Vec<ResponsiblePerson>,
    /// The milestones (时间节点).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// The company experts consulted (会诊), one entry per department.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consulted: Vec<Consultation>,
}

/// A person responsible for part of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponsiblePerson {
    /// Who.
    pub name: String,
    /// For what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty: Option<String>,
}

/// A milestone of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// What is done by then.
    pub description: String,
    /// By when.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "String")]
    pub due: DateTime<FixedOffset>,
}

/// An expert's part in a tier-1 consultation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// The expert's department.
    pub department: Department,
    /// The expert.
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
    let actor = r.object("actor", true, read_actor);
    let action = match kind {
        Some(kind) => read_action(kind, &mut r),
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

pub(crate) fn read_actor(mut r: ObjectReader<'_>) -> Option<Actor> {
    let id = r.identifier("id", true);
    let name = r.string("name", false, crate::intake::MAX_SHORT_TEXT_CHARS);
    let roles = r.typed::<Vec<Role>>("roles", true);
    if roles.as_ref().is_some_and(Vec::is_empty) {
        r.report("empty", "roles", "an actor holds at least one role");
    }
    let department = r.typed::<Department>("department", false);
    r.finish();
    Some(Actor {
        id: id?,
        name,
        roles: roles?,
        department,
    })
}

fn text(r: &mut ObjectReader<'_>, name: &'static str, required: bool) -> Option<String> {
    r.string(name, required, MAX_TEXT_CHARS)
}

/// Reads the fields of one action; `None` when any required field is missing or bad.
fn read_action(kind: CommandKind, r: &mut ObjectReader<'_>) -> Option<Action> {
    Some(match kind {
        CommandKind::Record => {
            let value = r.raw_required("report")?;
            match read_report(value, r.path_of("report")) {
                Ok(report) => Action::Record {
                    report: std::sync::Arc::new(report),
                },
                Err(error) => {
                    for d in error.errors {
                        r.push(d);
                    }
                    return None;
                }
            }
        }
        CommandKind::Accept => {
            let committed_deadline = r.instant("committed_deadline", true);
            let contacted_at = r.instant("contacted_at", false);
            let note = text(r, "note", false);
            Action::Accept {
                committed_deadline: committed_deadline?,
                contacted_at,
                note,
            }
        }
        CommandKind::Reclassify => {
            let tier = r.typed::<Tier>("tier", false);
            let category = r.typed::<Category>("category", false);
            let reason = text(r, "reason", true);
            if tier.is_none()
                && category.is_none()
                && r.raw("tier").is_none()
                && r.raw("category").is_none()
            {
                r.report(
                    "missing_field",
                    "tier",
                    "a reclassification names a new `tier`, a new `category`, or both",
                );
                return None;
            }
            Action::Reclassify {
                tier,
                category,
                reason: reason?,
            }
        }
        CommandKind::SubmitPlan => {
            let plan = r.object("plan", true, read_plan);
            Action::SubmitPlan {
                plan: std::sync::Arc::new(plan?),
            }
        }
        CommandKind::ApprovePlan => Action::ApprovePlan {
            note: text(r, "note", false),
        },
        CommandKind::RejectPlan => Action::RejectPlan {
            reasons: text(r, "reasons", true)?,
        },
        CommandKind::ReportProgress => Action::ReportProgress {
            note: text(r, "note", true)?,
        },
        CommandKind::CompleteWork => Action::CompleteWork {
            note: text(r, "note", false),
        },
        CommandKind::Verify => {
            let passed = r.boolean("passed");
            if r.raw("passed").is_none() {
                r.report(
                    "missing_field",
                    "passed",
                    "`passed` is required: did the work pass?",
                );
            }
            let role = r.typed::<Role>("role", false);
            let report_ref = r.identifier("report_ref", false);
            let note = text(r, "note", false);
            Action::Verify {
                passed: passed?,
                role,
                report_ref,
                note,
            }
        }
        CommandKind::NotifyCustomer => Action::NotifyCustomer {
            note: text(r, "note", false),
        },
        CommandKind::CustomerConfirm => {
            let signed_form_ref = r.identifier("signed_form_ref", true);
            let satisfaction = read_satisfaction(r, true);
            let note = text(r, "note", false);
            Action::CustomerConfirm {
                signed_form_ref: signed_form_ref?,
                satisfaction: satisfaction?,
                note,
            }
        }
        CommandKind::CustomerReject => {
            let reasons = text(r, "reasons", true);
            let satisfaction = read_satisfaction(r, false);
            Action::CustomerReject {
                reasons: reasons?,
                satisfaction,
            }
        }
        CommandKind::Hold => Action::Hold {
            reason: text(r, "reason", true)?,
        },
        CommandKind::Resume => Action::Resume {
            note: text(r, "note", false),
        },
        CommandKind::Withdraw => Action::Withdraw {
            reason: text(r, "reason", true)?,
        },
        CommandKind::ReviewTier => {
            let tier = r.typed::<Tier>("tier", true);
            let reason = text(r, "reason", true);
            Action::ReviewTier {
                tier: tier?,
                reason: reason?,
            }
        }
    })
}

fn read_satisfaction(r: &mut ObjectReader<'_>, required: bool) -> Option<u8> {
    if required && r.raw("satisfaction").is_none() {
        r.report(
            "missing_field",
            "satisfaction",
            "`satisfaction` is required: a score from 1 to 5",
        );
        return None;
    }
    let score = r.count("satisfaction", 5)?;
    if score == 0 {
        r.report(
            "out_of_range",
            "satisfaction",
            "satisfaction is a score from 1 to 5",
        );
        return None;
    }
    u8::try_from(score).ok()
}

pub(crate) fn read_plan(mut r: ObjectReader<'_>) -> Option<Plan> {
    let measures = read_list(&mut r, "measures", true, |item, path, diagnostics| {
        text_item(item, path, diagnostics)
    });
    let responsible = read_list(&mut r, "responsible", false, |item, path, diagnostics| {
        let mut reader = ObjectReader::new(item, path, diagnostics)?;
        let name = reader.string("name", true, crate::intake::MAX_SHORT_TEXT_CHARS);
        let duty = reader.string("duty", false, MAX_TEXT_CHARS);
        reader.finish();
        Some(ResponsiblePerson { name: name?, duty })
    });
    let milestones = read_list(&mut r, "milestones", false, |item, path, diagnostics| {
        let mut reader = ObjectReader::new(item, path, diagnostics)?;
        let description = reader.string("description", true, MAX_TEXT_CHARS);
        let due = reader.instant("due", true);
        reader.finish();
        Some(Milestone {
            description: description?,
            due: due?,
        })
    });
    let consulted = read_list(&mut r, "consulted", false, |item, path, diagnostics| {
        let mut reader = ObjectReader::new(item, path, diagnostics)?;
        let department = reader.typed::<Department>("department", true);
        let expert = reader.string("expert", true, crate::intake::MAX_SHORT_TEXT_CHARS);
        reader.finish();
        Some(Consultation {
            department: department?,
            expert: expert?,
        })
    });
    r.finish();
    Some(Plan {
        measures: measures?,
        responsible: responsible.unwrap_or_default(),
        milestones: milestones.unwrap_or_default(),
        consulted: consulted.unwrap_or_default(),
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
