//! Fixtures shared by the lifecycle tests: the policy, sample reports and commands, and cases
//! walked to each state.

#![allow(dead_code)]

use caseflow_core::lifecycle::{
    Applied, Case, CaseState, Command, CommandKind, Event, apply, record,
};
use caseflow_core::{Policy, Role, Tier};
use chrono::{DateTime, Duration, FixedOffset};
use serde_json::{Value, json};

/// The default policy, compiled once per test binary.
pub fn policy() -> &'static Policy {
    static POLICY: std::sync::LazyLock<Policy> =
        std::sync::LazyLock::new(|| Policy::builtin().unwrap());
    &POLICY
}

pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// A report the default policy classifies at `tier` (none is an emergency).
pub fn report(tier: Tier) -> Value {
    let description = match tier {
        Tier::One => "5号楼地下车库顶板承重梁出现多条裂缝",
        Tier::Two => "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水",
        Tier::Three => "入户门有一处划痕，踢脚线有色差",
    };
    json!({
        "id": format!("F-{tier}"), "project": "P-2026-017", "channel": "phone",
        "description": description, "raised_at": "2026-03-02T09:00:00+08:00",
        "location": "3号楼2单元801", "contact": {"name": "业主", "phone": "13800000000"}
    })
}

pub fn actor_json(id: &str, roles: &[Role]) -> Value {
    let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    json!({"id": id, "roles": roles})
}

/// A plan that satisfies every tier (measures, people, milestones, all three departments).
pub fn full_plan(milestone_due: &str) -> Value {
    json!({
        "measures": ["更换排水管接口"],
        "responsible": [{"name": "王班长"}],
        "milestones": [{"description": "完成维修", "due": milestone_due}],
        "consulted": [
            {"department": "technical", "expert": "李工"},
            {"department": "quality", "expert": "张工"},
            {"department": "safety", "expert": "赵工"}
        ]
    })
}

/// A well-formed command of `kind` by an actor holding `roles`, valid in the state the command
/// belongs to (a category change for `reclassify`, so that no tier rule is involved). The actor
/// is one person per set of roles (named after them), so that duties given to different roles
/// are done by different people.
pub fn sample(kind: CommandKind, roles: &[Role], role: Option<Role>) -> Command {
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let id = if names.len() > 2 {
        format!("holder-of-{}-roles", names.len())
    } else {
        names.join("+")
    };
    let actor = actor_json(&id, roles);
    let mut command = match kind {
        CommandKind::Record => json!({"type": "record", "report": report(Tier::Two)}),
        CommandKind::Accept => {
            json!({"type": "accept", "committed_deadline": "2026-03-06T17:30:00+08:00"})
        }
        CommandKind::Reclassify => {
            json!({"type": "reclassify", "category": "other", "reason": "复核"})
        }
        CommandKind::SubmitPlan => {
            json!({"type": "submit_plan", "plan": full_plan("2026-03-05T17:30:00+08:00")})
        }
        CommandKind::ApprovePlan => json!({"type": "approve_plan"}),
        CommandKind::RejectPlan => json!({"type": "reject_plan", "reasons": "补充节点"}),
        CommandKind::ReportProgress => json!({"type": "report_progress", "note": "进行中"}),
        CommandKind::CompleteWork => json!({"type": "complete_work"}),
        CommandKind::Verify => json!({"type": "verify", "passed": true, "report_ref": "VR-1"}),
        CommandKind::NotifyCustomer => json!({"type": "notify_customer"}),
        CommandKind::CustomerConfirm => {
            json!({"type": "customer_confirm", "signed_form_ref": "CF-1", "satisfaction": 5})
        }
        CommandKind::CustomerReject => json!({"type": "customer_reject", "reasons": "不满意"}),
        CommandKind::Hold => json!({"type": "hold", "reason": "业主出差"}),
        CommandKind::Resume => json!({"type": "resume"}),
        CommandKind::Withdraw => json!({"type": "withdraw", "reason": "业主撤回"}),
        CommandKind::ReviewTier => {
            json!({"type": "review_tier", "tier": 1, "reason": "现场核实，确属一级"})
        }
        CommandKind::DeclareEmergency => {
            json!({"type": "declare_emergency", "level": "III", "reason": "现场发现安全隐患"})
        }
        CommandKind::RaiseEmergency => {
            json!({"type": "raise_emergency", "level": "I", "reason": "事态扩大"})
        }
        CommandKind::CompleteEmergencyAction => {
            json!({"type": "complete_emergency_action", "action": "notify_command"})
        }
        CommandKind::WaiveEmergencyAction => {
            json!({"type": "waive_emergency_action", "action": "initial_report", "reason": "口头汇报"})
        }
        CommandKind::EmergencyStatusUpdate => {
            json!({"type": "emergency_status_update", "note": "现场已控制"})
        }
        CommandKind::EndEmergency => json!({"type": "end_emergency"}),
        CommandKind::FileEmergencyReview => {
            json!({"type": "file_emergency_review", "summary": "加强巡检"})
        }
        CommandKind::ReleaseMediaStatement => {
            json!({"type": "release_media_statement", "statement": "已妥善处置"})
        }
        CommandKind::UpdateFacts => {
            json!({"type": "update_facts", "facts": {"delivery_blocked": true}, "reason": "业主来电"})
        }
        other => panic!("no sample command of `{}`: add one here", other.as_str()),
    };
    command["actor"] = actor;
    if let (Some(role), CommandKind::Verify) = (role, kind) {
        command["role"] = json!(role.as_str());
    }
    Command::from_value(&command, &caseflow_core::JsonPath::root()).unwrap()
}

/// Where each command is allowed (docs/policy.md §4): the specification this file checks the engine
/// against, written out independently of the engine's own table.
pub fn allowed(kind: CommandKind) -> &'static [CaseState] {
    use CaseState::*;
    const ACTIVE: &[CaseState] = &[
        Recorded,
        Planning,
        AwaitingApproval,
        InProgress,
        AwaitingVerification,
        Verified,
        AwaitingConfirmation,
    ];
    const OPEN: &[CaseState] = &[
        Recorded,
        Planning,
        AwaitingApproval,
        InProgress,
        AwaitingVerification,
        Verified,
        AwaitingConfirmation,
        OnHold,
    ];
    match kind {
        CommandKind::Record => &[],
        CommandKind::Accept => &[Recorded],
        CommandKind::Reclassify | CommandKind::Hold | CommandKind::ReviewTier => ACTIVE,
        CommandKind::SubmitPlan => &[Planning],
        CommandKind::ApprovePlan | CommandKind::RejectPlan => &[AwaitingApproval],
        CommandKind::ReportProgress | CommandKind::CompleteWork => &[InProgress],
        CommandKind::Verify => &[AwaitingVerification],
        CommandKind::NotifyCustomer => &[Verified],
        CommandKind::CustomerConfirm | CommandKind::CustomerReject => &[AwaitingConfirmation],
        CommandKind::Resume => &[OnHold],
        CommandKind::Withdraw => OPEN,
        CommandKind::UpdateFacts | CommandKind::DeclareEmergency => ACTIVE,
        // The emergency runs beside the handling and may outlive it (docs/policy.md §7).
        k if is_emergency(k) => CaseState::ALL,
        // A command newer than this table must be given its states here, independently of the
        // engine's: the tests that walk every `CommandKind::ALL` fail until it is.
        other => panic!(
            "no independent states for `{}`: add them here",
            other.as_str()
        ),
    }
}

/// Who may issue each command at each tier under the default policy (docs/policy.md §4.1, §4.3,
/// §4.5; `lifecycle.permissions` and each tier's routing in default.json).
pub fn granted(kind: CommandKind, tier: Tier) -> &'static [Role] {
    use Role::*;
    match (kind, tier) {
        (CommandKind::Record, _) => &[IntakeClerk, ProjectLeader],
        (CommandKind::Reclassify, _) => &[
            ProjectLeader,
            ProjectManager,
            CompanyLeadership,
            QualityDept,
        ],
        (CommandKind::SubmitPlan, Tier::Three) => &[SiteManager],
        (CommandKind::ApprovePlan | CommandKind::RejectPlan, Tier::One) => &[CompanyLeadership],
        (CommandKind::ApprovePlan | CommandKind::RejectPlan, Tier::Two) => &[ProjectManager],
        (CommandKind::ApprovePlan | CommandKind::RejectPlan, Tier::Three) => &[],
        (CommandKind::Verify, Tier::One) => &[TechnicalDept, QualityDept],
        (CommandKind::CustomerConfirm | CommandKind::CustomerReject, _) => &[Customer],
        (CommandKind::ReviewTier, _) => &[CompanyLeadership],
        (CommandKind::UpdateFacts, _) => &[
            ProjectLeader,
            ProjectManager,
            CompanyLeadership,
            QualityDept,
        ],
        // The emergency's commands: its levels' commanders (company leadership for I and II,
        // the project manager for III), and for actions and status updates the project leader.
        (CommandKind::CompleteEmergencyAction | CommandKind::EmergencyStatusUpdate, _) => {
            &[ProjectLeader, ProjectManager, CompanyLeadership]
        }
        (k, _) if is_emergency(k) => &[ProjectManager, CompanyLeadership],
        _ => &[ProjectLeader],
    }
}

/// The commands of the emergency plan (docs/policy.md §7), authorised by the emergency's levels.
pub fn is_emergency(kind: CommandKind) -> bool {
    matches!(
        kind,
        CommandKind::DeclareEmergency
            | CommandKind::RaiseEmergency
            | CommandKind::CompleteEmergencyAction
            | CommandKind::WaiveEmergencyAction
            | CommandKind::EmergencyStatusUpdate
            | CommandKind::EndEmergency
            | CommandKind::FileEmergencyReview
            | CommandKind::ReleaseMediaStatement
    )
}

/// The roles that may verify at `tier`.
pub fn verifiers(tier: Tier) -> &'static [Role] {
    match tier {
        Tier::One => &[Role::TechnicalDept, Role::QualityDept],
        _ => &[Role::ProjectLeader],
    }
}

/// A case of `tier` walked to `state` from its record, with its log and the time of its last
/// event.
pub struct Walked {
    pub case: Case,
    pub events: Vec<Event>,
    pub now: DateTime<FixedOffset>,
}

impl Walked {
    pub fn step(&mut self, command: Command) {
        self.now += Duration::minutes(30);
        let Applied { case, event, .. } = apply(policy(), &self.case, &command, self.now)
            .unwrap_or_else(|e| {
                panic!(
                    "{:?} in {:?}: {e:?}",
                    command.action.kind(),
                    self.case.state
                )
            });
        self.case = case;
        self.events.push(event);
    }
}

/// Walks a case of `tier` to `state`; `None` when the tier never reaches it (a tier-3 plan is
/// never awaiting approval).
pub fn walk(tier: Tier, state: CaseState) -> Option<Walked> {
    if tier == Tier::Three && state == CaseState::AwaitingApproval {
        return None;
    }
    let clerk = [Role::IntakeClerk];
    let opening = Command::from_value(
        &json!({"type": "record", "actor": actor_json("clerk", &clerk), "report": report(tier)}),
        &caseflow_core::JsonPath::root(),
    )
    .unwrap();
    let now = at("2026-03-02T09:30:00+08:00");
    let opened = record(policy(), &opening, now).unwrap();
    assert_eq!(opened.case.tier, tier, "the fixture report is tier {tier}");
    let mut w = Walked {
        case: opened.case,
        events: vec![opened.event],
        now,
    };
    let leader = [Role::ProjectLeader];
    if state == CaseState::Recorded {
        return Some(w);
    }
    w.step(sample(CommandKind::Accept, &leader, None));
    match state {
        CaseState::Planning => return Some(w),
        CaseState::OnHold => {
            w.step(sample(CommandKind::Hold, &leader, None));
            return Some(w);
        }
        CaseState::Withdrawn => {
            w.step(sample(CommandKind::Withdraw, &leader, None));
            return Some(w);
        }
        _ => {}
    }
    let drafter = if tier == Tier::Three {
        Role::SiteManager
    } else {
        Role::ProjectLeader
    };
    w.step(sample(CommandKind::SubmitPlan, &[drafter], None));
    if state == CaseState::AwaitingApproval {
        return Some(w);
    }
    if tier != Tier::Three {
        let approver = if tier == Tier::One {
            Role::CompanyLeadership
        } else {
            Role::ProjectManager
        };
        w.step(sample(CommandKind::ApprovePlan, &[approver], None));
    }
    if state == CaseState::InProgress {
        return Some(w);
    }
    w.step(sample(CommandKind::CompleteWork, &leader, None));
    if state == CaseState::AwaitingVerification {
        return Some(w);
    }
    for verifier in verifiers(tier) {
        w.step(sample(CommandKind::Verify, &[*verifier], None));
    }
    if state == CaseState::Verified {
        return Some(w);
    }
    w.step(sample(CommandKind::NotifyCustomer, &leader, None));
    if state == CaseState::AwaitingConfirmation {
        return Some(w);
    }
    w.step(sample(
        CommandKind::CustomerConfirm,
        &[Role::Customer],
        None,
    ));
    assert_eq!(state, CaseState::Closed);
    Some(w)
}

/// What a host sees when it sends a command through the JSON call and the engine refuses it:
/// an error answer, so no event to append and no effect to carry out, and what it stored —
/// the snapshot's bytes and the log they are the fold of — still agreeing with each other, as
/// before. Returns the error.
pub fn refused_for_host(
    case: &Case,
    events: &[Event],
    command: &Command,
    now: DateTime<FixedOffset>,
) -> caseflow_core::Error {
    let stored = serde_json::to_string(case).unwrap();
    let log = json!({"events": events}).to_string();
    let input = format!(
        r#"{{"case": {stored}, "command": {}, "now": "{}"}}"#,
        serde_json::to_string(command).unwrap(),
        now.to_rfc3339()
    );
    let error = match caseflow_core::api::call(policy(), caseflow_core::api::Call::Apply, &input) {
        Ok(answer) => panic!("{:?} accepted: {answer}", command.action.kind()),
        Err(error) => error,
    };
    assert_eq!(error.code.as_str(), "refused", "{error:?}");
    assert!(
        error.errors.iter().all(|d| d.path.starts_with("$.")),
        "{error:?}"
    );
    // The stored snapshot still reads back to its own bytes, and is still its log's fold.
    let reread = Case::from_json(&stored).unwrap();
    assert_eq!(serde_json::to_string(&reread).unwrap(), stored);
    let replayed = caseflow_core::api::replay(policy(), &log).unwrap();
    assert_eq!(serde_json::to_string(&replayed).unwrap(), stored);
    error
}

/// Drops members that are `null`, `{}` or `[]`, at every depth.
pub fn normalise(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                normalise(v);
            }
            map.retain(|_, v| {
                !(v.is_null()
                    || v.as_object().is_some_and(serde_json::Map::is_empty)
                    || v.as_array().is_some_and(Vec::is_empty))
            });
        }
        Value::Array(items) => items.iter_mut().for_each(normalise),
        _ => {}
    }
}
