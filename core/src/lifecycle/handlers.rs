//! The command handlers: what each accepted command does to a case, its clocks and its
//! notifications (docs/policy.md §3.4, §4.2–§4.7).

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use super::apply::LONGEST_COMMITMENT_DAYS;
use super::command::{Actor, Plan};
use super::effect::{Effect, Template};
use super::guards::refusal;
use super::transition::Transition;
use super::{
    Acceptance, Approval, CaseState, CustomerAnswer, Hold, PlanRecord, Reclassification,
    TierDecision, Verification, Withdrawal, role_list,
};
use crate::calendar::duration::{Duration, Unit};
use crate::domain::{Role, Tier};
use crate::error::{Diagnostic, Error, ErrorCode, JsonPath};
use crate::policy::document::PlanElement;
use crate::routing::ClockKind;

impl Transition<'_> {
    /// The answer to the model's review: tier 1 confirmed, or lowered with a reclassification
    /// (re-routed like any other). Either way the review's clock stops.
    pub(super) fn review_tier(&mut self, by: &str, tier: Tier, reason: &str) -> Result<(), Error> {
        let pending = self
            .case
            .tier_review
            .as_ref()
            .is_some_and(|r| r.decision.is_none());
        if !pending {
            return Err(refusal(
                "no_review",
                &JsonPath::root().field("type"),
                if self.case.tier_review.is_some() {
                    "the case's tier review has already been answered"
                } else {
                    "the case's tier is not provisional: there is no review to answer"
                },
                "policy.md §3.4; $.classification.model_use",
            ));
        }
        if tier != self.case.tier {
            self.refuse_below_emergency_tier(tier)?;
            self.change_assessment(by, tier, self.case.category, reason)?;
        }
        if let Some(review) = &mut self.case.tier_review {
            review.decision = Some(TierDecision {
                by: by.to_owned(),
                at: self.now,
                tier,
                reason: reason.to_owned(),
            });
        }
        self.stop_clock(
            ClockKind::TierReview,
            "policy.md §3.4; $.lifecycle.tier_review_due",
        )
    }

    /// §4.2: contact within the contact time, confirm the problem, commit a deadline within the
    /// tier's cap.
    pub(super) fn accept(
        &mut self,
        actor: &Actor,
        committed_deadline: DateTime<FixedOffset>,
        contacted_at: Option<DateTime<FixedOffset>>,
        note: Option<String>,
    ) -> Result<(), Error> {
        let contacted_at = contacted_at.unwrap_or(self.now);
        if contacted_at > self.now || contacted_at < self.case.report.received() {
            return Err(refusal(
                "out_of_order",
                &JsonPath::root().field("contacted_at"),
                "the contact must lie between the report's receipt and now",
                "policy.md §4.2",
            ));
        }
        if committed_deadline <= self.now {
            return Err(refusal(
                "deadline_passed",
                &JsonPath::root().field("committed_deadline"),
                "a committed deadline must lie in the future",
                "policy.md §4.2",
            ));
        }
        let deadlines = &self.policy.tier(self.case.tier).deadlines;
        let longest = match deadlines.commitment_cap {
            Some(cap) => Some((
                self.policy.calendar().add(self.now, cap)?.at,
                cap.to_string(),
                tier_rule!(self.case.tier, "deadlines.commitment_cap", "§4.2"),
            )),
            None => None,
        };
        if let Some((cap_at, cap, rule)) = longest {
            if committed_deadline > cap_at {
                return Err(refusal(
                    "beyond_cap",
                    &JsonPath::root().field("committed_deadline"),
                    format!(
                        "tier {} caps the committed deadline at {cap} after acceptance, i.e. {}",
                        self.case.tier,
                        self.text(&cap_at)
                    ),
                    rule,
                ));
            }
        }
        // Whatever the cap, beyond five years is not a commitment (and its clock, in minutes,
        // would not fit a duration).
        if (committed_deadline - self.now).num_days() > LONGEST_COMMITMENT_DAYS {
            return Err(refusal(
                "beyond_cap",
                &JsonPath::root().field("committed_deadline"),
                "a committed deadline more than five years away is not a commitment",
                tier_rule!(self.case.tier, "deadlines.commitment_cap", "§4.2"),
            ));
        }
        // The contact clock measures the contact itself, which may precede its recording.
        self.stop_clock_at(
            ClockKind::ContactCustomer,
            contacted_at,
            tier_rule!(self.case.tier, "deadlines.contact", "§4.2"),
        )?;
        self.case.acceptance = Some(Acceptance {
            by: actor.id.clone(),
            contacted_at,
            committed_deadline,
            note,
        });
        let minutes =
            u32::try_from((committed_deadline - self.now).num_minutes().max(0)).unwrap_or(u32::MAX);
        self.start_clock(
            ClockKind::Commitment,
            self.now,
            Duration::new(minutes, Unit::Minutes),
            "policy.md §4.2 (committed deadline)",
        )?;
        self.start_planning(None)?;
        Ok(())
    }

    /// Moves the case to planning and asks the tier's drafters (and, for tier 1, the experts)
    /// for a plan.
    pub(super) fn start_planning(&mut self, reasons: Option<&str>) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        self.case.state = CaseState::Planning;
        let due = self.start_clock(
            ClockKind::Plan,
            self.now,
            tier.deadlines.plan,
            tier_rule!(self.case.tier, "deadlines.plan", "§4.3"),
        )?;
        let mut params = vec![("plan_due", due.as_str())];
        if let Some(reasons) = reasons {
            params.push(("reasons", reasons));
        }
        let template = if reasons.is_some() {
            Template::PlanRejected
        } else {
            Template::PlanRequested
        };
        let rule = tier_rule!(self.case.tier, "plan.drafted_by", "§4.3");
        self.notify_all(&tier.plan.drafted_by, template, &params, rule);
        self.notify_all(&tier.plan.with, template, &params, rule);
        if !tier.plan.consult_departments.is_empty() {
            let departments: Vec<&str> = tier
                .plan
                .consult_departments
                .iter()
                .map(|d| d.as_str())
                .collect();
            let joined = departments.join(",");
            self.notify(
                Role::CompanyExpert,
                Template::ConsultationRequested,
                &[("departments", joined.as_str())],
                tier_rule!(self.case.tier, "plan.consult_departments", "§4.3"),
            );
        }
        Ok(())
    }

    pub(super) fn reclassify(
        &mut self,
        by: &str,
        tier: Option<Tier>,
        category: Option<crate::domain::Category>,
        reason: &str,
    ) -> Result<(), Error> {
        let new_tier = tier.unwrap_or(self.case.tier);
        let new_category = category.unwrap_or(self.case.category);
        if new_tier != self.case.tier
            && self
                .case
                .tier_review
                .as_ref()
                .is_some_and(|r| r.decision.is_none())
        {
            return Err(refusal(
                "review_pending",
                &JsonPath::root().field("tier"),
                "the tier is provisional: answer its review with `review_tier`",
                "policy.md §3.4; $.classification.model_use",
            ));
        }
        if new_tier == self.case.tier && new_category == self.case.category {
            return Err(refusal(
                "no_change",
                &JsonPath::root().field("tier"),
                "the case already has this tier and category",
                "policy.md §3.2, §3.4",
            ));
        }
        self.refuse_below_emergency_tier(new_tier)?;
        self.change_assessment(by, new_tier, new_category, reason)
    }

    /// Refuses a tier less serious than every emergency's (`reclassify` and `review_tier` alike).
    pub(super) fn refuse_below_emergency_tier(&self, tier: Tier) -> Result<(), Error> {
        let emergency_tier = self.policy.emergency().implies_tier;
        if let Some(level) = self.case.emergency {
            if emergency_tier.is_more_serious_than(tier) {
                return Err(refusal(
                    "emergency_tier",
                    &JsonPath::root().field("tier"),
                    format!(
                        "the case is a level {level} emergency, and every emergency is tier {emergency_tier}"
                    ),
                    "policy.md §3.3, §7; $.emergency.implies_tier",
                ));
            }
        }
        Ok(())
    }

    /// Records a change of tier or category; a more serious tier after planning sends the plan
    /// back to drafting, because the new tier asks more of it (§4.3).
    pub(super) fn change_assessment(
        &mut self,
        by: &str,
        tier: Tier,
        category: crate::domain::Category,
        reason: &str,
    ) -> Result<(), Error> {
        let tier_from = self.case.tier;
        let raised = tier.is_more_serious_than(self.case.tier);
        self.case.reclassifications.push(Reclassification {
            by: by.to_owned(),
            at: self.now,
            category_from: self.case.category,
            category_to: category,
            tier_from: self.case.tier,
            tier_to: tier,
            reason: reason.to_owned(),
        });
        self.case.tier = tier;
        self.case.category = category;
        let tier_text = tier.to_string();
        let category_text = category.to_string();
        self.notify(
            Role::ProjectLeader,
            Template::CaseReclassified,
            &[
                ("new_tier", tier_text.as_str()),
                ("new_category", category_text.as_str()),
                ("reason", reason),
            ],
            "policy.md §3.4",
        );
        let past_planning = matches!(
            self.case.state,
            CaseState::AwaitingApproval
                | CaseState::InProgress
                | CaseState::AwaitingVerification
                | CaseState::Verified
                | CaseState::AwaitingConfirmation
        );
        if tier == tier_from {
            return Ok(());
        }
        if !raised {
            return self.reroute_lowered();
        }
        if self.case.state == CaseState::Planning {
            // Still drafting: the new tier's drafters (and experts) draft to its deadline.
            self.stop_clock(
                ClockKind::Plan,
                "policy.md §3.4 (raised tier: the plan is requested again)",
            )?;
            self.start_planning(Some("the tier was raised; the plan must meet the new tier"))?;
        } else if past_planning {
            for kind in [
                ClockKind::Approval,
                ClockKind::ProgressUpdate,
                ClockKind::Verification,
                ClockKind::CustomerReply,
            ] {
                self.stop_clock(kind, "policy.md §3.4 (raised tier: the plan is redrafted)")?;
            }
            self.case.verifications.clear();
            self.start_planning(Some("the tier was raised; the plan must meet the new tier"))?;
        }
        Ok(())
    }

    /// After a lower tier is set, the step under way follows the new tier's routing: a plan
    /// awaiting approval goes through the approval the new tier requires — to its approvers, with
    /// its approval deadline from now — or, where the new tier only files plans, back to its
    /// drafters, so that lowering the tier never files a plan that awaited review unreviewed;
    /// work awaiting verification goes to the new tier's verifiers; a plan being drafted is
    /// requested from the new tier's drafters.
    pub(super) fn reroute_lowered(&mut self) -> Result<(), Error> {
        let policy = self.policy;
        let routing = policy.tier(self.case.tier);
        let rule = "policy.md §3.4 (lowered tier: the new tier's routing applies)";
        match self.case.state {
            CaseState::Planning => {
                self.stop_clock(ClockKind::Plan, rule)?;
                self.start_planning(Some("the tier was lowered; the new tier's drafters draft"))?;
            }
            CaseState::AwaitingApproval if routing.plan.filed_only() => {
                self.stop_clock(ClockKind::Approval, rule)?;
                self.start_planning(Some(
                    "the tier was lowered while the plan awaited approval; the new tier's drafters submit it",
                ))?;
            }
            CaseState::AwaitingApproval => {
                self.stop_clock(ClockKind::Approval, rule)?;
                self.request_approval()?;
            }
            CaseState::AwaitingVerification => {
                let due = self.due_text(ClockKind::Verification);
                self.notify_all(
                    &routing.verification.by,
                    Template::VerificationRequested,
                    &[("verification_due", due.as_str())],
                    tier_rule!(self.case.tier, "verification.by", "§4.5"),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// §4.3: the plan contains what the tier requires; tier 1 shows all expert departments took
    /// part and keeps its milestones within the committed deadline.
    pub(super) fn submit_plan(
        &mut self,
        actor: &Actor,
        plan: &std::sync::Arc<Plan>,
    ) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        let path = JsonPath::root().field("plan");
        let mut problems = Vec::new();
        for element in &tier.plan.must_contain {
            let (field, empty) = match element {
                PlanElement::Measures => ("measures", plan.measures.is_empty()),
                PlanElement::ResponsiblePeople => ("responsible", plan.responsible.is_empty()),
                PlanElement::Milestones => ("milestones", plan.milestones.is_empty()),
            };
            if empty {
                problems.push(Diagnostic::error(
                    "plan_incomplete",
                    &path.field(field),
                    format!(
                        "a tier-{} plan must contain {field} ({})",
                        self.case.tier,
                        tier_rule!(self.case.tier, "plan.must_contain", "§4.3")
                    ),
                ));
            }
        }
        let missing: Vec<&str> = tier
            .plan
            .consult_departments
            .iter()
            .filter(|d| !plan.consulted.iter().any(|c| c.department == **d))
            .map(|d| d.as_str())
            .collect();
        if !missing.is_empty() {
            problems.push(Diagnostic::error(
                "consultation_incomplete",
                &path.field("consulted"),
                format!(
                    "experts of every department must take part in a tier-{} plan; missing: {} ({})",
                    self.case.tier,
                    missing.join(", "),
                    tier_rule!(self.case.tier, "plan.consult_departments", "§4.3")
                ),
            ));
        }
        if let Some(acceptance) = &self.case.acceptance {
            for (i, milestone) in plan.milestones.iter().enumerate() {
                if milestone.due > acceptance.committed_deadline {
                    problems.push(Diagnostic::error(
                        "milestone_after_commitment",
                        &path.field("milestones").index(i).field("due"),
                        format!(
                            "milestones must fall on or before the deadline committed to the customer, {} (policy.md §4.2)",
                            self.text(&acceptance.committed_deadline)
                        ),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::new(ErrorCode::Refused, "command refused", problems));
        }
        self.stop_clock(
            ClockKind::Plan,
            tier_rule!(self.case.tier, "deadlines.plan", "§4.3"),
        )?;
        let round = self.case.plan.as_ref().map_or(1, |p| p.round + 1);
        let last_rejection = self
            .case
            .plan
            .as_ref()
            .and_then(|p| p.last_rejection.clone());
        self.case.plan = Some(PlanRecord {
            plan: std::sync::Arc::clone(plan),
            submitted_by: actor.id.clone(),
            submitted_at: self.now,
            round,
            tier: self.case.tier,
            approval: None,
            filed_with: tier.plan.filed_with,
            last_rejection,
        });
        if tier.plan.filed_only() {
            if let Some(role) = tier.plan.filed_with {
                self.notify(
                    role,
                    Template::PlanFiled,
                    &[],
                    tier_rule!(self.case.tier, "plan.filed_with", "§4.3"),
                );
            }
            self.start_work()?;
        } else {
            self.request_approval()?;
        }
        Ok(())
    }

    /// §4.3: the plan awaits the tier's approvers, on the tier's approval deadline from now.
    pub(super) fn request_approval(&mut self) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        self.case.state = CaseState::AwaitingApproval;
        let due = match tier.deadlines.approval {
            Some(approval) => self.start_clock(
                ClockKind::Approval,
                self.now,
                approval,
                tier_rule!(self.case.tier, "deadlines.approval", "§4.3"),
            )?,
            None => String::new(),
        };
        self.notify_all(
            &tier.plan.approved_by,
            Template::PlanSubmitted,
            &[("approval_due", due.as_str())],
            tier_rule!(self.case.tier, "plan.approved_by", "§4.3"),
        );
        Ok(())
    }

    /// §4.4: the work starts and, where the tier has a cadence, the progress clock with it.
    pub(super) fn start_work(&mut self) -> Result<(), Error> {
        self.case.state = CaseState::InProgress;
        if let Some(every) = self.policy.tier(self.case.tier).deadlines.progress_every {
            self.start_clock(
                ClockKind::ProgressUpdate,
                self.now,
                every,
                tier_rule!(self.case.tier, "deadlines.progress_every", "§4.4"),
            )?;
        }
        Ok(())
    }

    pub(super) fn approve_plan(&mut self, actor: &Actor) -> Result<(), Error> {
        let policy = self.policy;
        let approvers = &policy.tier(self.case.tier).plan.approved_by;
        let role = actor
            .roles
            .iter()
            .copied()
            .find(|r| approvers.contains(r))
            .unwrap_or(Role::ProjectManager);
        self.stop_clock(
            ClockKind::Approval,
            tier_rule!(self.case.tier, "deadlines.approval", "§4.3"),
        )?;
        if let Some(plan) = &mut self.case.plan {
            plan.approval = Some(Approval {
                by: actor.id.clone(),
                role,
                at: self.now,
            });
        }
        self.notify(
            Role::ProjectLeader,
            Template::PlanApproved,
            &[],
            tier_rule!(self.case.tier, "plan.approved_by", "§4.3"),
        );
        self.start_work()
    }

    pub(super) fn reject_plan(&mut self, reasons: &str) -> Result<(), Error> {
        self.stop_clock(
            ClockKind::Approval,
            tier_rule!(self.case.tier, "deadlines.approval", "§4.3"),
        )?;
        if let Some(plan) = &mut self.case.plan {
            plan.last_rejection = Some(reasons.to_owned());
        }
        self.start_planning(Some(reasons))
    }

    pub(super) fn report_progress(&mut self, note: &str) -> Result<(), Error> {
        self.notify(
            Role::Customer,
            Template::ProgressUpdate,
            &[("note", note)],
            "policy.md §4.4",
        );
        if self.case.clocks.contains_key(&ClockKind::ProgressUpdate) {
            let rule = tier_rule!(self.case.tier, "deadlines.progress_every", "§4.4");
            self.stop_clock(ClockKind::ProgressUpdate, rule)?;
            if let Some(every) = self.policy.tier(self.case.tier).deadlines.progress_every {
                self.start_clock(ClockKind::ProgressUpdate, self.now, every, rule)?;
            }
        }
        Ok(())
    }

    pub(super) fn complete_work(&mut self) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        self.stop_clock(
            ClockKind::ProgressUpdate,
            tier_rule!(self.case.tier, "deadlines.progress_every", "§4.4"),
        )?;
        self.case.state = CaseState::AwaitingVerification;
        self.case.verifications.clear();
        let due = self.start_clock(
            ClockKind::Verification,
            self.now,
            tier.deadlines.verification,
            tier_rule!(self.case.tier, "deadlines.verification", "§4.5"),
        )?;
        self.notify_all(
            &tier.verification.by,
            Template::VerificationRequested,
            &[("verification_due", due.as_str())],
            tier_rule!(self.case.tier, "verification.by", "§4.5"),
        );
        Ok(())
    }

    /// §4.5: each verifying role verifies once per round; a failure sends the work back; the
    /// case is verified when the tier's verifiers have passed it.
    pub(super) fn verify(
        &mut self,
        actor: &Actor,
        passed: bool,
        role: Option<Role>,
        report_ref: Option<String>,
        note: Option<String>,
    ) -> Result<(), Error> {
        let policy = self.policy;
        let tier = policy.tier(self.case.tier);
        let eligible: Vec<Role> = actor
            .roles
            .iter()
            .copied()
            .filter(|r| tier.verification.by.contains(r))
            .collect();
        let role = match (role, eligible.as_slice()) {
            (Some(r), _) if eligible.contains(&r) => r,
            (Some(r), _) => {
                return Err(refusal(
                    "not_authorised",
                    &JsonPath::root().field("role"),
                    format!(
                        "{} does not hold `{r}`, or `{r}` does not verify at tier {}",
                        actor.id, self.case.tier
                    ),
                    tier_rule!(self.case.tier, "verification.by", "§4.5"),
                ));
            }
            (None, [only]) => *only,
            (None, _) => {
                return Err(refusal(
                    "ambiguous_role",
                    &JsonPath::root().field("role"),
                    format!(
                        "{} may verify as {}: say which with `role`",
                        actor.id,
                        role_list(&eligible)
                    ),
                    tier_rule!(self.case.tier, "verification.by", "§4.5"),
                ));
            }
        };
        if self.case.verifications.iter().any(|v| v.role == role) {
            return Err(refusal(
                "already_verified",
                &JsonPath::root().field("role"),
                format!("`{role}` has already verified this round of work"),
                tier_rule!(self.case.tier, "verification", "§4.5"),
            ));
        }
        if tier.verification.report_required && report_ref.is_none() {
            return Err(refusal(
                "missing_field",
                &JsonPath::root().field("report_ref"),
                format!(
                    "a tier-{} verification issues a verification report (验证报告): give its reference",
                    self.case.tier,
                ),
                tier_rule!(self.case.tier, "verification.report_required", "§4.5"),
            ));
        }
        self.case.verifications.push(Verification {
            by: actor.id.clone(),
            role,
            at: self.now,
            passed,
            report_ref,
            note,
        });
        let rule = tier_rule!(self.case.tier, "verification", "§4.5");
        if !passed {
            self.stop_clock(ClockKind::Verification, rule)?;
            self.case.verifications.clear();
            self.notify(
                Role::ProjectLeader,
                Template::VerificationFailed,
                &[("by", role.as_str())],
                rule,
            );
            return self.start_work();
        }
        let done = if tier.verification.all_must_pass {
            tier.verification.by.iter().all(|r| {
                self.case
                    .verifications
                    .iter()
                    .any(|v| v.passed && v.role == *r)
            })
        } else {
            true
        };
        if done {
            self.stop_clock(ClockKind::Verification, rule)?;
            self.stop_clock(ClockKind::Commitment, "policy.md §4.2 (committed deadline)")?;
            self.case.state = CaseState::Verified;
            self.notify(Role::ProjectLeader, Template::VerificationPassed, &[], rule);
        }
        Ok(())
    }

    pub(super) fn notify_customer(&mut self) -> Result<(), Error> {
        self.case.state = CaseState::AwaitingConfirmation;
        self.case.notified_at = Some(self.now);
        let reply = self.policy.tier(self.case.tier).deadlines.customer_reply;
        self.start_clock(
            ClockKind::CustomerReply,
            self.now,
            reply,
            tier_rule!(self.case.tier, "deadlines.customer_reply", "§4.6"),
        )?;
        self.notify(
            Role::Customer,
            Template::ConfirmationRequested,
            &[],
            "policy.md §4.6",
        );
        Ok(())
    }

    pub(super) fn customer_confirm(
        &mut self,
        signed_form_ref: &str,
        satisfaction: u8,
    ) -> Result<(), Error> {
        let gaps = self.case.closure_gaps(self.policy);
        if !gaps.is_empty() {
            return Err(refusal(
                "records_missing",
                &JsonPath::root().field("type"),
                format!("the case cannot close: {}", gaps.join("; ")),
                "policy.md §4.3, §4.5, §4.6, §6",
            ));
        }
        self.stop_clock(
            ClockKind::CustomerReply,
            tier_rule!(self.case.tier, "deadlines.customer_reply", "§4.6"),
        )?;
        let round = self.case.round();
        self.case.customer_answers.push(CustomerAnswer {
            round,
            satisfied: true,
            satisfaction: Some(satisfaction),
            signed_form_ref: Some(signed_form_ref.to_owned()),
            reasons: None,
            at: self.now,
        });
        self.case.state = CaseState::Closed;
        let score = satisfaction.to_string();
        self.notify(
            Role::ProjectLeader,
            Template::CaseClosed,
            &[("satisfaction", score.as_str())],
            "policy.md §4.6",
        );
        Ok(())
    }

    /// §4.6 and §3.4: back to planning; after the policy's number of rejections the tier rises.
    pub(super) fn customer_reject(
        &mut self,
        reasons: &str,
        satisfaction: Option<u8>,
    ) -> Result<(), Error> {
        self.stop_clock(
            ClockKind::CustomerReply,
            tier_rule!(self.case.tier, "deadlines.customer_reply", "§4.6"),
        )?;
        let round = self.case.round();
        self.case.customer_answers.push(CustomerAnswer {
            round,
            satisfied: false,
            satisfaction,
            signed_form_ref: None,
            reasons: Some(reasons.to_owned()),
            at: self.now,
        });
        self.case.verifications.clear();
        let round_text = round.to_string();
        self.notify(
            Role::ProjectLeader,
            Template::ConfirmationRejected,
            &[("reasons", reasons), ("round", round_text.as_str())],
            "policy.md §4.6",
        );
        let rejections = self
            .case
            .customer_answers
            .iter()
            .filter(|a| !a.satisfied)
            .count();
        let threshold =
            usize::try_from(self.policy.raise_tier_after_rejections()).unwrap_or(usize::MAX);
        if threshold > 0 && rejections == threshold && self.case.tier != Tier::One {
            let raised = self.case.tier.raised();
            let category = self.case.category;
            // A raised tier past planning sends the case back to planning itself.
            return self.change_assessment(
                "caseflow",
                raised,
                category,
                &format!("the customer rejected the result {rejections} times (policy.md §3.4; $.lifecycle.raise_tier_after_rejections)"),
            );
        }
        self.start_planning(Some(reasons))
    }

    /// §4.7: resolution clocks pause; the contact clock keeps running.
    pub(super) fn hold(&mut self, reason: &str) -> Result<(), Error> {
        for kind in self.running() {
            if kind == ClockKind::ContactCustomer {
                continue;
            }
            if let Some(clock) = self.case.clocks.get_mut(&kind) {
                clock.pause(self.now)?;
                self.effects.push(Effect::PauseClock {
                    clock: kind,
                    rule: Cow::Borrowed("policy.md §4.7"),
                });
            }
        }
        self.case.hold = Some(Hold {
            reason: reason.to_owned(),
            since: self.now,
            resume_to: self.case.state,
        });
        self.case.state = CaseState::OnHold;
        self.notify(
            Role::ProjectLeader,
            Template::CaseOnHold,
            &[("reason", reason)],
            "policy.md §4.7",
        );
        Ok(())
    }

    pub(super) fn resume(&mut self) -> Result<(), Error> {
        let Some(hold) = self.case.hold.take() else {
            return Err(refusal(
                "wrong_state",
                &JsonPath::root().field("type"),
                "the case is not on hold",
                "policy.md §4.7",
            ));
        };
        for kind in self.running() {
            let paused = self
                .case
                .clocks
                .get(&kind)
                .is_some_and(|c| c.pauses.last().is_some_and(|p| p.to.is_none()));
            if !paused {
                continue;
            }
            if let Some(clock) = self.case.clocks.get_mut(&kind) {
                clock.resume(self.now)?;
            }
            let due = self.due_text(kind);
            self.effects.push(Effect::ResumeClock {
                clock: kind,
                due,
                rule: Cow::Borrowed("policy.md §4.7"),
            });
        }
        self.case.state = hold.resume_to;
        self.notify(
            Role::ProjectLeader,
            Template::CaseResumed,
            &[],
            "policy.md §4.7",
        );
        Ok(())
    }

    /// §4.7: every running clock stops (the host cancels its timers; a clock already overdue
    /// is kept as a breach) and the case ends.
    pub(super) fn withdraw(&mut self, by: &str, reason: &str) -> Result<(), Error> {
        for kind in self.running() {
            self.stop_clock(kind, "policy.md §4.7")?;
        }
        self.case.hold = None;
        self.case.withdrawal = Some(Withdrawal {
            by: by.to_owned(),
            at: self.now,
            reason: reason.to_owned(),
        });
        self.case.state = CaseState::Withdrawn;
        self.notify(
            Role::ProjectLeader,
            Template::CaseWithdrawn,
            &[("reason", reason)],
            "policy.md §4.7",
        );
        Ok(())
    }
}
