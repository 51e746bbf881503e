//! The lifecycle's state space under a policy, explored tier by tier (issue 14, item 1).
//!
//! For every tier, a case is opened at that tier (as a replayed `record` event with that
//! assessment opens it, [`opening`]), and a breadth-first search runs the engine's own checks and
//! transitions (`lifecycle::apply`'s `check` and `transition`, what `apply` and `replay` run) from
//! every case state it finds: each command kind with a representative payload, issued by an actor
//! of each role. A command the engine accepts is an edge. A policy with a learned model also opens
//! a provisional tier 1 (the model's review, docs/policy.md §3.4), which only `review_tier`
//! settles.
//!
//! Every act is given by a person who has not acted on the case before (the actor's id is its
//! role and the step's depth on the path, e.g. `company_leadership-4`), as a company can always
//! send another person. The separation of duties (`tiers.N.separation_of_duties`) compares
//! persons, not roles, so it never refuses such a step: it cannot stop a case from closing, and
//! no property checked here depends on who acted, only in which role. (That one person may not do
//! both halves is the policy checker's `duties_not_separated` warning, and the engine's refusal,
//! tested in `core/tests/lifecycle_duties.rs`.)
//!
//! States are merged on an abstraction of the case (`Key`): its state (and the state a hold
//! returns to), tier, whether it was accepted, whether a plan is on record and the role that
//! approved it, the verifications of the round (role and result), the customer's rejections
//! (counted up to the policy's `raise_tier_after_rejections`, beyond which one more changes
//! nothing) and the tier review (none, pending, answered). With persons out of the picture, that
//! is everything the guards and the handlers read to accept a command and to say what follows;
//! the rest of a case (its texts, instants, clocks, past reclassifications, the category) only
//! shapes notifications and deadlines, which the transitions do not branch on — every step is
//! given at one instant, the report's receipt, so no clock is ever past due. Two cases with the
//! same key accept the same commands and lead to cases with the same keys, so the merged graph
//! has exactly the paths of the real one, and a closure property read from the key (the
//! approval's role, the verifications' roles) and the closing edge (the confirming role) holds
//! on every case merged into it. The number of keys a policy allows bounds the search ([`OpeningExploration::bound`]),
//! so it always completes; `exploration_incomplete` reports a search stopped at a smaller bound
//! ([`check_bounded`]).
//!
//! The emergency plan's commands (§7) are not explored: they run beside the handling and never
//! move a case's state; a declaration (or `update_facts`) only raises the tier to the emergency's,
//! which `reclassify` explores already, and `record`'s assessment is fixed here.
//!
//! Findings (docs/errors.md): `unreachable_state`, `closure_unreachable`,
//! `command_without_role`, `tier1_path_skips_approval`, `tier1_path_skips_verification`,
//! `tier1_path_skips_confirmation`, `tier2_path_skips_review`, `deadlines_unmeetable` and
//! `exploration_incomplete`. What the company's rules demand is docs/policy.md §4: the states a
//! case moves through (§4), leadership's approval of a tier-1 plan and the project manager's of
//! a tier-2 plan (§4.3), both departments' verification at tier 1 (§4.5), the customer's signed
//! confirmation (§4.6).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Finding, PathStep};
use crate::calendar::duration::Duration;
use crate::domain::{CommandKind, Department, Role, Tier};
use crate::error::{Error, Severity};
use crate::intake::Report;
use crate::lifecycle::{
    Action, Actor, Assessment, Case, CaseState, Command, Consultation, Milestone, Plan,
    ResponsiblePerson, allowed_states, check_command, open, transition,
};
use crate::policy::Policy;

/// How much of the workflow the exploration covered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exploration {
    /// Distinct case states visited, over every tier.
    pub states: u64,
    /// Commands tried from them.
    pub transitions: u64,
    /// Commands the engine accepted (the edges of the state graph).
    #[serde(default)]
    pub edges: u64,
    /// False when a search stopped at its bound (an `exploration_incomplete` finding says so).
    #[serde(default)]
    pub complete: bool,
    /// The search from each opening case, in order: tiers 1, 2 and 3, then the provisional
    /// tier 1 of a policy with a model.
    #[serde(default)]
    pub openings: Vec<OpeningExploration>,
}

/// The search from one opening case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningExploration {
    /// The tier the case opened at.
    pub tier: u8,
    /// True for the provisional tier 1 awaiting the model's review.
    pub provisional: bool,
    /// Distinct case states visited.
    pub states: u64,
    /// Commands tried.
    pub transitions: u64,
    /// Commands accepted.
    pub edges: u64,
    /// The bound on distinct states (from the size of the policy).
    pub bound: u64,
    /// False when the search stopped at the bound.
    pub complete: bool,
}

/// Where a search starts: a case opened at a tier, provisional or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opening {
    /// The tier the case opens at.
    pub tier: Tier,
    /// Opened as a provisional tier 1, awaiting `review_tier` (the model's review).
    pub provisional: bool,
}

/// The workflow findings of a policy, and how much was explored.
pub fn check(policy: &Policy) -> (Vec<Finding>, Exploration) {
    check_bounded(policy, None)
}

/// [`check`] with each search stopped after `bound` distinct states (instead of the bound the
/// policy's size gives): what an incomplete exploration reports.
pub fn check_bounded(policy: &Policy, bound: Option<u64>) -> (Vec<Finding>, Exploration) {
    let mut findings = Vec::new();
    roles_findings(policy, &mut findings);
    deadline_findings(policy, &mut findings);
    let mut exploration = Exploration {
        complete: true,
        ..Exploration::default()
    };
    // Which states each tier's cases reach, over every search (a case is of the tier it has).
    let mut reached: BTreeMap<Tier, Vec<CaseState>> = BTreeMap::new();
    let mut all_complete = true;
    for opening in openings(policy) {
        let explorer = Explorer::new(policy, opening);
        let bound = bound.unwrap_or_else(|| explorer.bound());
        let graph = match explorer.explore(bound) {
            Ok(graph) => graph,
            Err(refused) => {
                findings.push(error(
                    "closure_unreachable",
                    "$.lifecycle.permissions.record",
                    format!(
                        "a case of tier {} cannot even be opened: {}",
                        opening.tier,
                        first_message(&refused)
                    ),
                    opening.tier,
                ));
                all_complete = false;
                continue;
            }
        };
        exploration.states += graph.nodes.len() as u64;
        exploration.transitions += graph.tried;
        exploration.edges += graph.edges;
        exploration.openings.push(OpeningExploration {
            tier: opening.tier.number(),
            provisional: opening.provisional,
            states: graph.nodes.len() as u64,
            transitions: graph.tried,
            edges: graph.edges,
            bound,
            complete: graph.complete,
        });
        if !graph.complete {
            exploration.complete = false;
            all_complete = false;
            findings.push(warning(
                "exploration_incomplete",
                "$.tiers",
                format!(
                    "the search from a {}case of tier {} stopped after {bound} distinct states: what it did not reach is not judged",
                    if opening.provisional { "provisional " } else { "" },
                    opening.tier
                ),
                opening.tier,
            ));
            continue;
        }
        for node in &graph.nodes {
            let states = reached.entry(node.key.tier).or_default();
            if !states.contains(&node.key.state) {
                states.push(node.key.state);
            }
        }
        let mut skips = Vec::new();
        explorer.closure_findings(&graph, &mut skips);
        // A skip is one finding however many openings show it: the shortest path, the first
        // opening's on a tie.
        for skip in skips {
            let known = findings
                .iter_mut()
                .find(|f| f.code == skip.code && f.path == skip.path);
            match known {
                Some(f) if f.counterexample.len() > skip.counterexample.len() => *f = skip,
                Some(_) => {}
                None => findings.push(skip),
            }
        }
        explorer.deadlock_findings(&graph, &mut findings);
    }
    if all_complete {
        unreachable_findings(policy, &reached, &mut findings);
    }
    (findings, exploration)
}

/// The case a search starts from: a report received at the start of the calendar's first year,
/// recorded with its assessment fixed at the opening's tier, as replaying a `record` event that
/// stored that assessment opens it (no emergency; a provisional tier 1 awaits its review).
pub fn opening(policy: &Policy, opening: Opening) -> Result<Case, Error> {
    let now = start_instant(policy);
    let command = record_command(policy, opening, now)?;
    let certain = crate::classify::model::Decimal::new(1.0);
    let review = certain
        .filter(|_| opening.provisional)
        .map(|p| crate::classify::ReviewRequest {
            reason: crate::classify::ReviewReason::ModelTier1,
            tier_1_probability: p,
            threshold: p,
            assessed_tier: Tier::Three,
        });
    let assessment = Assessment {
        category: crate::domain::Category::Other,
        tier: opening.tier,
        emergency: None,
        warranty: None,
        review,
    };
    let (case, _) = open(policy, &command, now, false, Some(&assessment), false)?;
    Ok(case)
}

/// The openings a policy is explored from: each tier, and a provisional tier 1 when the policy
/// carries a model (whose reviews open cases that way).
pub fn openings(policy: &Policy) -> Vec<Opening> {
    let mut all: Vec<Opening> = Tier::ALL
        .iter()
        .map(|tier| Opening {
            tier: *tier,
            provisional: false,
        })
        .collect();
    if policy.document().model.is_some() {
        all.push(Opening {
            tier: Tier::One,
            provisional: true,
        });
    }
    all
}

/// The instant every step of the exploration is given at: the first day of the calendar's first
/// covered year (of 1970 when it covers none), at midnight in its offset.
fn start_instant(policy: &Policy) -> DateTime<FixedOffset> {
    let calendar = policy.calendar();
    let year = calendar.covered_years().first().copied().unwrap_or(1970);
    let date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    calendar
        .offset()
        .from_local_datetime(&naive)
        .single()
        .unwrap_or_else(|| {
            DateTime::<FixedOffset>::from_naive_utc_and_offset(naive, calendar.offset())
        })
}

fn record_command(
    policy: &Policy,
    opening: Opening,
    now: DateTime<FixedOffset>,
) -> Result<Command, Error> {
    let report = Report::from_value(&serde_json::json!({
        "id": format!("workflow-tier-{}{}", opening.tier, if opening.provisional { "-provisional" } else { "" }),
        "project": "workflow-analysis",
        "channel": "phone",
        "description": "A report opened by the workflow analysis",
        "raised_at": crate::time::format_instant(&now, policy.calendar().offset()),
        "location": "analysis",
        "contact": {"phone": "10000"},
    }))?;
    let role = policy
        .roles_for(CommandKind::Record, opening.tier)
        .first()
        .copied()
        .unwrap_or(Role::IntakeClerk);
    Ok(Command {
        actor: actor(role, 0),
        action: Action::Record {
            report: Arc::new(report),
        },
    })
}

/// An actor of a role who has not acted on the case before: the id is the role and the depth of
/// the step on its path, so no two acts on a path are by the same person.
fn actor(role: Role, depth: u32) -> Actor {
    Actor {
        id: format!("{role}-{depth}"),
        name: None,
        roles: vec![role],
        department: None,
    }
}

/// A command with its representative payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Move {
    Accept,
    Reclassify(Tier),
    SubmitPlan,
    ApprovePlan,
    RejectPlan,
    ReportProgress,
    CompleteWork,
    Verify(Role, bool),
    NotifyCustomer,
    CustomerConfirm,
    CustomerReject,
    Hold,
    Resume,
    Withdraw,
    ReviewTier(Tier),
}

impl Move {
    fn kind(self) -> CommandKind {
        match self {
            Move::Accept => CommandKind::Accept,
            Move::Reclassify(_) => CommandKind::Reclassify,
            Move::SubmitPlan => CommandKind::SubmitPlan,
            Move::ApprovePlan => CommandKind::ApprovePlan,
            Move::RejectPlan => CommandKind::RejectPlan,
            Move::ReportProgress => CommandKind::ReportProgress,
            Move::CompleteWork => CommandKind::CompleteWork,
            Move::Verify(..) => CommandKind::Verify,
            Move::NotifyCustomer => CommandKind::NotifyCustomer,
            Move::CustomerConfirm => CommandKind::CustomerConfirm,
            Move::CustomerReject => CommandKind::CustomerReject,
            Move::Hold => CommandKind::Hold,
            Move::Resume => CommandKind::Resume,
            Move::Withdraw => CommandKind::Withdraw,
            Move::ReviewTier(_) => CommandKind::ReviewTier,
        }
    }

    /// Every move at a tier: the verifications by each of the tier's verifying roles, the tier
    /// changes to each other tier, and one of each other command.
    fn all(policy: &Policy, tier: Tier) -> Vec<Move> {
        let mut moves = vec![
            Move::Accept,
            Move::SubmitPlan,
            Move::ApprovePlan,
            Move::RejectPlan,
            Move::ReportProgress,
            Move::CompleteWork,
        ];
        for role in &policy.tier(tier).verification.by {
            moves.push(Move::Verify(*role, true));
            moves.push(Move::Verify(*role, false));
        }
        moves.extend([
            Move::NotifyCustomer,
            Move::CustomerConfirm,
            Move::CustomerReject,
            Move::Hold,
            Move::Resume,
            Move::Withdraw,
        ]);
        for other in Tier::ALL {
            if *other != tier {
                moves.push(Move::Reclassify(*other));
            }
            moves.push(Move::ReviewTier(*other));
        }
        moves
    }
}

/// The abstraction of a case the search merges states on (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    state: CaseState,
    resume_to: Option<CaseState>,
    tier: Tier,
    accepted: bool,
    /// Whether a plan is on record, and the role that approved it.
    plan: Option<Option<Role>>,
    /// The round's verifications: role, passed.
    verifications: Vec<(Role, bool)>,
    /// The customer's rejections, counted up to the policy's threshold.
    rejections: u32,
    /// The tier review: absent, pending (false) or answered (true).
    review: Option<bool>,
}

impl Key {
    fn of(case: &Case, threshold: u32) -> Key {
        let mut verifications: Vec<(Role, bool)> = case
            .verifications
            .iter()
            .map(|v| (v.role, v.passed))
            .collect();
        verifications.sort_unstable();
        let rejections = case
            .customer_answers
            .iter()
            .filter(|a| !a.satisfied)
            .count();
        Key {
            state: case.state,
            resume_to: case.hold.as_ref().map(|h| h.resume_to),
            tier: case.tier,
            accepted: case.acceptance.is_some(),
            plan: case
                .plan
                .as_ref()
                .map(|p| p.approval.as_ref().map(|a| a.role)),
            verifications,
            rejections: u32::try_from(rejections).unwrap_or(u32::MAX).min(threshold),
            review: case.tier_review.as_ref().map(|r| r.decision.is_some()),
        }
    }
}

/// One state of the graph: a case standing for its key, and how it was first reached.
struct Node {
    case: Case,
    key: Key,
    /// The number of commands after recording on the path that first reached it.
    depth: u32,
    /// The node it was first reached from, by which move and role.
    parent: Option<(u32, Move, Role)>,
}

/// An edge into a closed state: from, by which move and role, to.
type Closing = (u32, Move, Role, u32);

/// The state graph of one search.
struct Graph {
    nodes: Vec<Node>,
    successors: Vec<Vec<u32>>,
    /// The edges into `closed`, in the order found (so by the length of the path to them).
    closings: Vec<Closing>,
    tried: u64,
    edges: u64,
    complete: bool,
}

/// One search: the policy, the opening, and what each move needs.
struct Explorer<'a> {
    policy: &'a Policy,
    opening: Opening,
    now: DateTime<FixedOffset>,
    /// Per tier (index 0 for tier 1): each move and the roles the engine grants its command at
    /// that tier.
    moves: [Vec<(Move, Vec<Role>)>; 3],
    /// Per tier, the deadline an acceptance commits to: the tier's cap, or the end of its plan,
    /// approval and verification deadlines when sooner or when there is no cap.
    commitments: [DateTime<FixedOffset>; 3],
}

impl<'a> Explorer<'a> {
    fn new(policy: &'a Policy, opening: Opening) -> Explorer<'a> {
        let now = start_instant(policy);
        let moves_at = |tier: Tier| -> Vec<(Move, Vec<Role>)> {
            Move::all(policy, tier)
                .into_iter()
                .map(|m| {
                    let roles = match m {
                        Move::Verify(role, _) => vec![role],
                        other => policy.roles_for(other.kind(), tier).to_vec(),
                    };
                    (m, roles)
                })
                .collect()
        };
        let commitment = |tier: Tier| {
            let deadlines = &policy.tier(tier).deadlines;
            let steps = chain(policy, now, &steps_of(policy, tier)).unwrap_or(now);
            match deadlines
                .commitment_cap
                .and_then(|cap| policy.calendar().add(now, cap).ok())
            {
                Some(cap) => cap.at.min(steps),
                None => steps,
            }
        };
        Explorer {
            policy,
            opening,
            now,
            moves: [
                moves_at(Tier::One),
                moves_at(Tier::Two),
                moves_at(Tier::Three),
            ],
            commitments: [
                commitment(Tier::One),
                commitment(Tier::Two),
                commitment(Tier::Three),
            ],
        }
    }

    /// The number of distinct keys there can be, from the size of the policy: the states (and
    /// the state a hold returns to), tiers, acceptance, plans (none, unapproved, or approved in
    /// one of the roles that approve at some tier), verifications (each verifying role absent,
    /// passed or failed), rejections and the review. The search is complete below it.
    fn bound(&self) -> u64 {
        let mut approvers: Vec<Role> = Vec::new();
        let mut verifiers: Vec<Role> = Vec::new();
        for tier in Tier::ALL {
            let routing = self.policy.tier(*tier);
            approvers.extend_from_slice(&routing.plan.approved_by);
            verifiers.extend_from_slice(&routing.verification.by);
        }
        approvers.sort_unstable();
        approvers.dedup();
        verifiers.sort_unstable();
        verifiers.dedup();
        let states = CaseState::ALL.len() as u64;
        let tiers = Tier::ALL.len() as u64;
        let plans = 2 + approvers.len() as u64;
        let verifications = 3u64.saturating_pow(u32::try_from(verifiers.len()).unwrap_or(u32::MAX));
        states
            .saturating_mul(states + 1)
            .saturating_mul(tiers)
            .saturating_mul(2)
            .saturating_mul(plans)
            .saturating_mul(verifications)
            .saturating_mul(u64::from(self.policy.raise_tier_after_rejections()) + 1)
            .saturating_mul(3)
    }

    fn explore(&self, bound: u64) -> Result<Graph, Error> {
        let threshold = self.policy.raise_tier_after_rejections();
        let root = opening(self.policy, self.opening)?;
        let key = Key::of(&root, threshold);
        let mut index: BTreeMap<Key, u32> = BTreeMap::new();
        index.insert(key.clone(), 0);
        let mut graph = Graph {
            nodes: vec![Node {
                case: root,
                key,
                depth: 0,
                parent: None,
            }],
            successors: vec![Vec::new()],
            closings: Vec::new(),
            tried: 0,
            edges: 0,
            complete: true,
        };
        let mut at = 0usize;
        while let Some(node) = graph.nodes.get(at) {
            let from = u32::try_from(at).unwrap_or(u32::MAX);
            let depth = node.depth + 1;
            let mut found: Vec<(Move, Role, Case)> = Vec::new();
            let state = node.key.state;
            for (m, roles) in self.moves_of(node.key.tier) {
                if !allowed_states(m.kind()).contains(&state) {
                    continue;
                }
                for role in roles {
                    graph.tried += 1;
                    if let Ok(next) = self.step(&node.case, *m, *role, depth) {
                        found.push((*m, *role, next));
                    }
                }
            }
            let mut successors = Vec::new();
            for (m, role, case) in found {
                graph.edges += 1;
                let key = Key::of(&case, threshold);
                let closed = key.state == CaseState::Closed;
                let to = match index.get(&key) {
                    Some(to) => *to,
                    None => {
                        if graph.nodes.len() as u64 >= bound {
                            graph.complete = false;
                            continue;
                        }
                        let to = u32::try_from(graph.nodes.len()).unwrap_or(u32::MAX);
                        index.insert(key.clone(), to);
                        graph.nodes.push(Node {
                            case,
                            key,
                            depth,
                            parent: Some((from, m, role)),
                        });
                        graph.successors.push(Vec::new());
                        to
                    }
                };
                if closed {
                    graph.closings.push((from, m, role, to));
                }
                if !successors.contains(&to) {
                    successors.push(to);
                }
            }
            if let Some(slot) = graph.successors.get_mut(at) {
                *slot = successors;
            }
            at += 1;
        }
        Ok(graph)
    }

    fn moves_of(&self, tier: Tier) -> &[(Move, Vec<Role>)] {
        let i = usize::from(tier.number()) - 1;
        self.moves.get(i).map_or(&[], Vec::as_slice)
    }

    /// The command of a move by an actor of `role` at `depth` on a case.
    fn command(&self, case: &Case, m: Move, role: Role, depth: u32) -> Option<Command> {
        let reason = "workflow analysis".to_owned();
        let action = match m {
            Move::Accept => Action::Accept {
                committed_deadline: *self.commitments.get(usize::from(case.tier.number()) - 1)?,
                contacted_at: None,
                note: None,
            },
            Move::Reclassify(tier) => Action::Reclassify {
                tier: Some(tier),
                category: None,
                reason,
            },
            Move::SubmitPlan => Action::SubmitPlan {
                plan: Arc::new(plan(
                    case.acceptance
                        .as_ref()
                        .map_or(self.now, |a| a.committed_deadline),
                )),
            },
            Move::ApprovePlan => Action::ApprovePlan { note: None },
            Move::RejectPlan => Action::RejectPlan { reasons: reason },
            Move::ReportProgress => Action::ReportProgress { note: reason },
            Move::CompleteWork => Action::CompleteWork { note: None },
            Move::Verify(verifier, passed) => Action::Verify {
                passed,
                role: Some(verifier),
                report_ref: Some("workflow-verification-report".to_owned()),
                note: None,
            },
            Move::NotifyCustomer => Action::NotifyCustomer { note: None },
            Move::CustomerConfirm => Action::CustomerConfirm {
                signed_form_ref: "workflow-signed-form".to_owned(),
                satisfaction: 5,
                note: None,
            },
            Move::CustomerReject => Action::CustomerReject {
                reasons: reason,
                satisfaction: None,
            },
            Move::Hold => Action::Hold { reason },
            Move::Resume => Action::Resume { note: None },
            Move::Withdraw => Action::Withdraw { reason },
            Move::ReviewTier(tier) => Action::ReviewTier { tier, reason },
        };
        Some(Command {
            actor: actor(role, depth),
            action,
        })
    }

    /// The engine's answer to a move: its checks, then its transition on a copy.
    fn step(&self, case: &Case, m: Move, role: Role, depth: u32) -> Result<Case, Error> {
        let Some(command) = self.command(case, m, role, depth) else {
            return Err(Error::new(
                crate::error::ErrorCode::Internal,
                "no commitment for the tier",
                Vec::new(),
            ));
        };
        check_command(self.policy, case, &command, self.now)?;
        let mut next = case.clone();
        transition(self.policy, &mut next, &command, self.now, false, true)?;
        Ok(next)
    }

    /// The path from recording to a node, each step with its command.
    fn path(&self, graph: &Graph, node: u32) -> Vec<PathStep> {
        let mut steps = Vec::new();
        let mut at = node;
        while let Some(Node {
            parent: Some((from, m, role)),
            key,
            depth,
            ..
        }) = graph.nodes.get(at as usize)
        {
            if let Some(step) = graph
                .nodes
                .get(*from as usize)
                .and_then(|parent| self.path_step(&parent.case, *m, *role, *depth, key.state))
            {
                steps.push(step);
            }
            at = *from;
        }
        if let Ok(record) = record_command(self.policy, self.opening, self.now) {
            steps.push(PathStep {
                command: CommandKind::Record,
                by: record.actor.roles.clone(),
                state: CaseState::Recorded,
                input: serde_json::to_value(&record).unwrap_or_default(),
            });
        }
        steps.reverse();
        steps
    }

    fn path_step(
        &self,
        case: &Case,
        m: Move,
        role: Role,
        depth: u32,
        state: CaseState,
    ) -> Option<PathStep> {
        let command = self.command(case, m, role, depth)?;
        Some(PathStep {
            command: m.kind(),
            by: vec![role],
            state,
            input: serde_json::to_value(&command).ok()?,
        })
    }

    /// The paths to closure that skip what docs/policy.md §4.3, §4.5 and §4.6 demand: for each
    /// code, the first found, which is the shortest.
    fn closure_findings(&self, graph: &Graph, findings: &mut Vec<Finding>) {
        let mut seen: Vec<String> = Vec::new();
        for (from, m, role, to) in &graph.closings {
            let (Some(closed), Some(parent)) = (
                graph.nodes.get(*to as usize),
                graph.nodes.get(*from as usize),
            ) else {
                continue;
            };
            for mut gap in closure_gaps(self.policy, &closed.case, *role) {
                if seen.contains(&gap.code) {
                    continue;
                }
                seen.push(gap.code.clone());
                let mut path = self.path(graph, *from);
                let depth = parent.depth + 1;
                if let Some(step) =
                    self.path_step(&parent.case, *m, *role, depth, CaseState::Closed)
                {
                    path.push(step);
                }
                gap.counterexample = path;
                findings.push(gap);
            }
        }
    }

    /// The first state (on the shortest path) from which no path leads to closure.
    fn deadlock_findings(&self, graph: &Graph, findings: &mut Vec<Finding>) {
        let n = graph.nodes.len();
        let mut predecessors: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (from, successors) in graph.successors.iter().enumerate() {
            for to in successors {
                if let Some(list) = predecessors.get_mut(*to as usize) {
                    list.push(u32::try_from(from).unwrap_or(u32::MAX));
                }
            }
        }
        let mut closes = vec![false; n];
        let mut queue: Vec<u32> = Vec::new();
        for (i, node) in graph.nodes.iter().enumerate() {
            if node.key.state == CaseState::Closed {
                if let Some(c) = closes.get_mut(i) {
                    *c = true;
                }
                queue.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        while let Some(at) = queue.pop() {
            for from in predecessors.get(at as usize).map_or(&[][..], Vec::as_slice) {
                if let Some(c) = closes.get_mut(*from as usize) {
                    if !*c {
                        *c = true;
                        queue.push(*from);
                    }
                }
            }
        }
        let stuck: Vec<usize> = (0..n)
            .filter(|i| {
                !closes.get(*i).copied().unwrap_or(true)
                    && graph
                        .nodes
                        .get(*i)
                        .is_some_and(|node| node.key.state != CaseState::Withdrawn)
            })
            .collect();
        // The point of no return: the first dead end (in the order found, so on a shortest
        // path) whose way on is refused outright; else the first dead end.
        let blocked = stuck
            .iter()
            .copied()
            .find(|i| graph.nodes.get(*i).is_some_and(|node| self.exit_of(node).2));
        let Some((first_index, first)) = blocked
            .or_else(|| stuck.first().copied())
            .and_then(|i| graph.nodes.get(i).map(|node| (i, node)))
        else {
            return;
        };
        let tier = first.key.tier;
        let state = first.key.state;
        let (path, why, _) = self.exit_of(first);
        let mut finding = error(
            "closure_unreachable",
            &path,
            format!(
                "a {}case of tier {} can reach a point from which it can never close: {} at tier {tier}{why}; {} of the {} states reached are such dead ends",
                if self.opening.provisional {
                    "provisional "
                } else {
                    ""
                },
                self.opening.tier,
                state.as_str(),
                stuck.len(),
                n
            ),
            self.opening.tier,
        );
        finding.counterexample = self.path(graph, u32::try_from(first_index).unwrap_or(0));
        findings.push(finding);
    }

    /// The policy member that lets a case leave its state towards closure, what the engine says
    /// to the command that would (its first refusal), and whether every role is refused it. A
    /// pending tier review nobody may answer is the block when the way on is refused (§3.4).
    fn exit_of(&self, node: &Node) -> (String, String, bool) {
        let (path, why, blocked) = self.forward(node);
        if blocked && node.key.review == Some(false) && self.policy.lower_tier_1_roles().is_empty()
        {
            return (
                "$.lifecycle.lower_tier_1".to_owned(),
                format!(
                    "{why}; the provisional tier 1 awaits `review_tier`, which no role may give, and cannot close before it"
                ),
                true,
            );
        }
        (path, why, blocked)
    }

    /// [`Explorer::exit_of`] for the command that moves the case's state on.
    fn forward(&self, node: &Node) -> (String, String, bool) {
        let tier = node.key.tier;
        let (kind, path) = exit_member(node.key.state, tier);
        let Some(kind) = kind else {
            return (path, String::new(), false);
        };
        let mut tried = self
            .moves_of(tier)
            .iter()
            .filter(|(m, _)| m.kind() == kind)
            .flat_map(|(m, roles)| roles.iter().map(move |r| (*m, *r)))
            .map(|(m, r)| self.step(&node.case, m, r, node.depth + 1))
            .peekable();
        if tried.peek().is_none() {
            return (path, format!(" (no role may give `{kind}` there)"), true);
        }
        let mut refusal = None;
        let mut all_refused = true;
        for answer in tried {
            match answer {
                Ok(_) => all_refused = false,
                Err(e) => {
                    refusal.get_or_insert(e);
                }
            }
        }
        let why = refusal.as_ref().map_or_else(String::new, |e| {
            format!(" (`{kind}` is refused: {})", first_message(e))
        });
        // A refused deadline points at the tier's cap.
        let cap = refusal.as_ref().is_some_and(|e| {
            e.errors
                .iter()
                .any(|d| d.path.as_str() == "$.committed_deadline")
        });
        let path = if cap {
            format!("$.tiers.{}.deadlines.commitment_cap", tier.number())
        } else {
            path
        };
        (path, why, all_refused)
    }
}

/// The command that moves a case on from `state` towards closure, and the member that grants
/// it at `tier`.
fn exit_member(state: CaseState, tier: Tier) -> (Option<CommandKind>, String) {
    let t = tier.number();
    match state {
        CaseState::Recorded => (
            Some(CommandKind::Accept),
            "$.lifecycle.permissions.accept".to_owned(),
        ),
        CaseState::Planning => (
            Some(CommandKind::SubmitPlan),
            format!("$.tiers.{t}.plan.drafted_by"),
        ),
        CaseState::AwaitingApproval => (
            Some(CommandKind::ApprovePlan),
            format!("$.tiers.{t}.plan.approved_by"),
        ),
        CaseState::InProgress => (
            Some(CommandKind::CompleteWork),
            "$.lifecycle.permissions.complete_work".to_owned(),
        ),
        CaseState::AwaitingVerification => (
            Some(CommandKind::Verify),
            format!("$.tiers.{t}.verification.by"),
        ),
        CaseState::Verified => (
            Some(CommandKind::NotifyCustomer),
            "$.lifecycle.permissions.notify_customer".to_owned(),
        ),
        CaseState::AwaitingConfirmation => (
            Some(CommandKind::CustomerConfirm),
            "$.lifecycle.permissions.customer_confirm".to_owned(),
        ),
        CaseState::OnHold => (
            Some(CommandKind::Resume),
            "$.lifecycle.permissions.resume".to_owned(),
        ),
        _ => (None, format!("$.tiers.{t}")),
    }
}

/// The policy member whose command brings a case of `tier` into `state`.
fn entry_member(state: CaseState, tier: Tier) -> String {
    let t = tier.number();
    match state {
        CaseState::Recorded => "$.lifecycle.permissions.record".to_owned(),
        CaseState::Planning => format!("$.tiers.{t}.deadlines.commitment_cap"),
        CaseState::AwaitingApproval => format!("$.tiers.{t}.plan.approved_by"),
        CaseState::InProgress => format!("$.tiers.{t}.plan"),
        CaseState::AwaitingVerification => "$.lifecycle.permissions.complete_work".to_owned(),
        CaseState::Verified => format!("$.tiers.{t}.verification"),
        CaseState::AwaitingConfirmation => "$.lifecycle.permissions.notify_customer".to_owned(),
        CaseState::OnHold => "$.lifecycle.permissions.hold".to_owned(),
        CaseState::Closed => "$.lifecycle.permissions.customer_confirm".to_owned(),
        _ => "$.lifecycle.permissions.withdraw".to_owned(),
    }
}

/// A representative plan: every element a tier may require, an expert of every department,
/// its milestone on the committed deadline.
fn plan(due: DateTime<FixedOffset>) -> Plan {
    Plan {
        measures: vec!["the measures".to_owned()],
        responsible: vec![ResponsiblePerson {
            name: "the responsible person".to_owned(),
            duty: None,
        }],
        milestones: vec![Milestone {
            description: "done".to_owned(),
            due,
        }],
        consulted: Department::ALL
            .iter()
            .map(|d| Consultation {
                department: *d,
                expert: format!("{d} expert"),
            })
            .collect(),
    }
}

/// The roles docs/policy.md §4.3 [seed] demands approve a plan of each tier: company leadership at
/// tier 1, the project manager at tier 2 (or, for a case lowered from tier 1, leadership);
/// tier 3 files its plans.
fn demanded_approvers(tier: Tier) -> &'static [Role] {
    match tier {
        Tier::One => &[Role::CompanyLeadership],
        Tier::Two => &[Role::ProjectManager, Role::CompanyLeadership],
        Tier::Three => &[],
    }
}

/// The departments docs/policy.md §4.5 [seed] demands verify tier-1 work, each passing it.
const TIER1_VERIFIERS: &[Role] = &[Role::TechnicalDept, Role::QualityDept];

/// What closing `case` by an actor of role `by` skips of what docs/policy.md §4 demands.
fn closure_gaps(policy: &Policy, case: &Case, by: Role) -> Vec<Finding> {
    let mut gaps = Vec::new();
    let approval = case
        .plan
        .as_ref()
        .and_then(|p| p.approval.as_ref())
        .map(|a| a.role);
    let demanded = demanded_approvers(case.tier);
    let approved = approval.is_some_and(|r| demanded.contains(&r));
    match case.tier {
        Tier::One => {
            if !approved {
                gaps.push(error(
                    "tier1_path_skips_approval",
                    "$.tiers.1.plan.approved_by",
                    format!(
                        "a tier-1 case closes with its plan {}, not approved by company leadership (docs/policy.md §4.3)",
                        approval.map_or_else(
                            || "not approved".to_owned(),
                            |r| format!("approved by {r}")
                        )
                    ),
                    Tier::One,
                ));
            }
            let missing: Vec<Role> = TIER1_VERIFIERS
                .iter()
                .copied()
                .filter(|r| {
                    !case
                        .verifications
                        .iter()
                        .any(|v| v.passed && v.role == *r)
                })
                .collect();
            if !missing.is_empty() {
                let verification = &policy.tier(Tier::One).verification;
                let path = if TIER1_VERIFIERS
                    .iter()
                    .all(|r| verification.by.contains(r))
                {
                    "$.tiers.1.verification.all_must_pass"
                } else {
                    "$.tiers.1.verification.by"
                };
                gaps.push(error(
                    "tier1_path_skips_verification",
                    path,
                    format!(
                        "a tier-1 case closes without a passed verification by {} (docs/policy.md §4.5: the technical and the quality department both inspect, both must pass)",
                        role_names(&missing)
                    ),
                    Tier::One,
                ));
            }
            if by != Role::Customer {
                gaps.push(error(
                    "tier1_path_skips_confirmation",
                    "$.lifecycle.permissions.customer_confirm",
                    format!(
                        "a tier-1 case closes on a confirmation given by {by}, not the customer's signed confirmation (docs/policy.md §4.6)"
                    ),
                    Tier::One,
                ));
            }
        }
        Tier::Two if !approved => gaps.push(error(
            "tier2_path_skips_review",
            "$.tiers.2.plan.approved_by",
            format!(
                "a tier-2 case closes with its plan {}, not reviewed by the project manager (docs/policy.md §4.3)",
                approval.map_or_else(
                    || "not approved".to_owned(),
                    |r| format!("approved by {r}")
                )
            ),
            Tier::Two,
        )),
        _ => {}
    }
    gaps
}

/// Commands no role may issue at a tier where the handling needs them.
fn roles_findings(policy: &Policy, findings: &mut Vec<Finding>) {
    for tier in Tier::ALL {
        let t = tier.number();
        for kind in CommandKind::ALL {
            let path = match kind {
                CommandKind::SubmitPlan => format!("$.tiers.{t}.plan.drafted_by"),
                // A tier that only files its plans has no approver, by design.
                CommandKind::ApprovePlan | CommandKind::RejectPlan
                    if policy.tier(*tier).plan.filed_only() =>
                {
                    continue;
                }
                CommandKind::ApprovePlan | CommandKind::RejectPlan => {
                    format!("$.tiers.{t}.plan.approved_by")
                }
                CommandKind::Verify => format!("$.tiers.{t}.verification.by"),
                // Reviews are answered once, whatever the tier: reported below.
                CommandKind::ReviewTier => continue,
                other if CommandKind::GRANTED.contains(other) => {
                    format!("$.lifecycle.permissions.{other}")
                }
                // The emergency's commands are its levels' commanders' (§7) and `update_facts`
                // is `reclassify`'s.
                _ => continue,
            };
            if policy.roles_for(*kind, *tier).is_empty() {
                findings.push(error(
                    "command_without_role",
                    &path,
                    format!("no role may `{kind}` at tier {tier} (docs/policy.md §4.1)"),
                    *tier,
                ));
            }
        }
    }
    if policy.lower_tier_1_roles().is_empty() {
        let message = "no role may `review_tier` or lower a tier-1 case (docs/policy.md §3.4)";
        // With a model, provisional tier-1 cases need a review to close: the search finds them
        // stuck too. Without one, only lowering a tier-1 case is lost.
        let mut finding = if policy.document().model.is_some() {
            error(
                "command_without_role",
                "$.lifecycle.lower_tier_1",
                message.to_owned(),
                Tier::One,
            )
        } else {
            warning(
                "command_without_role",
                "$.lifecycle.lower_tier_1",
                message.to_owned(),
                Tier::One,
            )
        };
        finding.tier = Some(Tier::One);
        findings.push(finding);
    }
}

/// The steps a committed deadline must leave room for at a tier: the plan, its approval, the
/// verification (docs/policy.md §4.3, §4.5).
fn steps_of(policy: &Policy, tier: Tier) -> Vec<(&'static str, Duration)> {
    let d = &policy.tier(tier).deadlines;
    let mut steps = vec![("plan", d.plan)];
    if let Some(approval) = d.approval {
        steps.push(("approval", approval));
    }
    steps.push(("verification", d.verification));
    steps
}

/// The instant the steps end when each takes its full time, one after the other from `start`.
fn chain(
    policy: &Policy,
    start: DateTime<FixedOffset>,
    steps: &[(&'static str, Duration)],
) -> Option<DateTime<FixedOffset>> {
    let mut at = start;
    for (_, duration) in steps {
        at = policy.calendar().add(at, *duration).ok()?.at;
    }
    Some(at)
}

/// Deadlines that cannot all be met: a commitment cap shorter than the plan, approval and
/// verification deadlines it must contain (docs/policy.md §4.2: the committed deadline is when
/// the case is handled; §4.3, §4.5), tried from an acceptance at midnight and at noon of every
/// day of the calendar's first year.
fn deadline_findings(policy: &Policy, findings: &mut Vec<Finding>) {
    let start = start_instant(policy);
    let days = if start.date_naive().leap_year() {
        366
    } else {
        365
    };
    for tier in Tier::ALL {
        let Some(cap) = policy.tier(*tier).deadlines.commitment_cap else {
            continue;
        };
        let steps = steps_of(policy, *tier);
        let found = (0..days * 2).find_map(|half_days| {
            let from = start + chrono::Duration::hours(12 * half_days);
            let end = chain(policy, from, &steps)?;
            let cap_at = policy.calendar().add(from, cap).ok()?.at;
            (end > cap_at).then_some((from, end, cap_at))
        });
        if let Some((from, end, cap_at)) = found {
            let offset = policy.calendar().offset();
            let parts: Vec<String> = steps.iter().map(|(n, d)| format!("{n} {d}")).collect();
            findings.push(error(
                "deadlines_unmeetable",
                &format!("$.tiers.{}.deadlines.commitment_cap", tier.number()),
                format!(
                    "at tier {tier} the committed deadline may be at most {cap} after acceptance, but the deadlines it must contain ({}) may run until {}: accepted at {}, the cap falls at {} (docs/policy.md §4.2, §4.3, §4.5)",
                    parts.join(", "),
                    crate::time::format_instant(&end, offset),
                    crate::time::format_instant(&from, offset),
                    crate::time::format_instant(&cap_at, offset),
                ),
                *tier,
            ));
        }
    }
}

/// States the handling of a tier needs (docs/policy.md §4) that no case of the tier reaches: the
/// line from recording to closure, the approval where the tier has approvers; on hold and
/// withdrawn (§4.7) are warnings.
fn unreachable_findings(
    policy: &Policy,
    reached: &BTreeMap<Tier, Vec<CaseState>>,
    findings: &mut Vec<Finding>,
) {
    for tier in Tier::ALL {
        let seen = reached.get(tier).map_or(&[][..], Vec::as_slice);
        for state in CaseState::ALL {
            if seen.contains(state) {
                continue;
            }
            if *state == CaseState::AwaitingApproval && policy.tier(*tier).plan.filed_only() {
                continue;
            }
            let path = entry_member(*state, *tier);
            let message = format!(
                "no case of tier {tier} ever reaches {} (docs/policy.md §4)",
                state.as_str()
            );
            findings.push(match state {
                CaseState::OnHold | CaseState::Withdrawn => {
                    warning("unreachable_state", &path, message, *tier)
                }
                _ => error("unreachable_state", &path, message, *tier),
            });
        }
    }
}

fn role_names(roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    names.join(", ")
}

fn first_message(error: &Error) -> String {
    error
        .errors
        .first()
        .map_or_else(|| error.message.clone(), |d| d.message.clone())
}

/// An error-severity finding; the code is listed in `DIAGNOSTIC_CODES`.
fn error(code: &'static str, path: &str, message: String, tier: Tier) -> Finding {
    finding(Severity::Error, code, path, message, tier)
}

/// A warning finding; the code is listed in `DIAGNOSTIC_CODES`.
fn warning(code: &'static str, path: &str, message: String, tier: Tier) -> Finding {
    finding(Severity::Warning, code, path, message, tier)
}

fn finding(
    severity: Severity,
    code: &'static str,
    path: &str,
    message: String,
    tier: Tier,
) -> Finding {
    debug_assert!(
        crate::error::codes::is_listed(code),
        "finding code `{code}` is not in DIAGNOSTIC_CODES"
    );
    Finding {
        code: code.to_owned(),
        severity,
        path: path.to_owned(),
        message,
        tier: Some(tier),
        counterexample: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    /// The abstraction is sound: a search that merges nothing, six commands deep from every
    /// opening of the default policy, finds no case whose key the merged graph lacks, and no
    /// accepted command whose edge it lacks — cases merged on one key accept the same commands
    /// and lead to the same keys.
    #[test]
    fn merging_keeps_every_path() {
        let policy = Policy::builtin().unwrap();
        let threshold = policy.raise_tier_after_rejections();
        for o in openings(&policy) {
            let explorer = Explorer::new(&policy, o);
            let graph = explorer.explore(explorer.bound()).unwrap();
            assert!(graph.complete);
            let index: BTreeMap<Key, usize> = graph
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.key.clone(), i))
                .collect();
            let mut frontier = vec![opening(&policy, o).unwrap()];
            let mut concrete = 0usize;
            for depth in 1..=6u32 {
                let mut next = Vec::new();
                for case in &frontier {
                    let from = index[&Key::of(case, threshold)];
                    for (m, roles) in explorer.moves_of(case.tier) {
                        if !allowed_states(m.kind()).contains(&case.state) {
                            continue;
                        }
                        for role in roles {
                            let Ok(after) = explorer.step(case, *m, *role, depth) else {
                                continue;
                            };
                            let key = Key::of(&after, threshold);
                            let to = *index
                                .get(&key)
                                .unwrap_or_else(|| panic!("{key:?} is not in the graph"));
                            let to = u32::try_from(to).unwrap();
                            assert!(
                                graph.successors[from].contains(&to),
                                "{m:?} by {role} from {:?} to {key:?}",
                                graph.nodes[from].key
                            );
                            next.push(after);
                        }
                    }
                }
                concrete += next.len();
                frontier = next;
            }
            assert!(concrete > graph.nodes.len().min(1000), "{concrete}");
        }
    }
}
