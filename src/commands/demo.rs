//! `caseflow demo`: the bundled sample reports through the default policy, then the full story —
//! sample cases of each tier walked from intake to closure, with a rejected plan, a failed
//! verification, a dissatisfied customer and a breached deadline, in Chinese and English.
//! Deterministic: every instant comes from the bundled scenarios, never from a clock.

use std::process::ExitCode;

use caseflow_cli::scenario::{Outcome, Scenario, StepReport, simulate};
use caseflow_core::api;
use caseflow_core::lifecycle::{CaseState, Effect};
use caseflow_core::{Policy, Report};
use clap::Args;

use super::simulate::{Labeller, short_time};
use crate::io::{Failure, print_line};

/// The sample reports bundled with the tool (the public samples of the policy).
const SAMPLES: &str = include_str!("../../tests/data/samples.jsonl");

/// The scenarios the demo walks, in the order told.
const STORY: &[(&str, &str)] = &[
    (
        "scenarios/tier-1-emergency.json",
        include_str!("../../scenarios/tier-1-emergency.json"),
    ),
    (
        "scenarios/tier-2.json",
        include_str!("../../scenarios/tier-2.json"),
    ),
    (
        "scenarios/tier-3.json",
        include_str!("../../scenarios/tier-3.json"),
    ),
    (
        "scenarios/rejected-plan.json",
        include_str!("../../scenarios/rejected-plan.json"),
    ),
    (
        "scenarios/failed-verification.json",
        include_str!("../../scenarios/failed-verification.json"),
    ),
    (
        "scenarios/dissatisfied-customer.json",
        include_str!("../../scenarios/dissatisfied-customer.json"),
    ),
    (
        "scenarios/breached-deadline.json",
        include_str!("../../scenarios/breached-deadline.json"),
    ),
    (
        "scenarios/emergency-level-iii.json",
        include_str!("../../scenarios/emergency-level-iii.json"),
    ),
    (
        "scenarios/emergency-level-ii.json",
        include_str!("../../scenarios/emergency-level-ii.json"),
    ),
    (
        "scenarios/emergency-level-i.json",
        include_str!("../../scenarios/emergency-level-i.json"),
    ),
];

/// Arguments of `caseflow demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {}

/// Runs the demo.
pub fn run(_args: &DemoArgs) -> Result<ExitCode, Failure> {
    let policy = Policy::builtin()?;
    print_line("caseflow demo — sample reports under the default policy / 默认制度下的示例问题")?;
    print_line("")?;
    for line in SAMPLES.lines().filter(|l| !l.trim().is_empty()) {
        let sample = caseflow_core::reader::parse(line)
            .map_err(|d| Failure::Io(format!("bundled sample is not JSON: {d}")))?;
        let report = Report::from_value(sample.get("report").unwrap_or(&serde_json::Value::Null))?;
        let result = api::classify_report(&policy, &report)?;
        let labels = policy.category_labels(result.category);
        let tier = &result.routing.labels;
        let emergency = result
            .emergency
            .map(|l| format!(" · 应急 {l} 级 / emergency level {l}"))
            .unwrap_or_default();
        // A provisional tier 1 says so, with the tier a person may lower it to.
        let review = result
            .review
            .as_ref()
            .map(|r| {
                let (tier, p) = (r.assessed_tier, r.tier_1_probability.get());
                format!(
                    " (暂定，待复核：规则评为 {tier} 级，模型一级概率 {p} / provisional, for review: the rules say tier {tier}, the model P(tier 1) = {p})"
                )
            })
            .unwrap_or_default();
        print_line(&format!(
            "{}  {} / {}  ·  {} / {}{}{}",
            report.id,
            labels.map(|l| l.zh.as_str()).unwrap_or(""),
            labels.map(|l| l.en.as_str()).unwrap_or(""),
            tier.zh,
            tier.en,
            review,
            emergency
        ))?;
        print_line(&format!("    {}", report.description))?;
    }
    let labels = Labeller::bilingual(&policy, state_labels);
    for (name, text) in STORY {
        let scenario = Scenario::from_json(text).map_err(|mut e| {
            e.message = format!("bundled {name}: {}", e.message);
            Failure::Engine(e)
        })?;
        let simulation = simulate(&policy, &scenario);
        print_line("")?;
        print_line(&format!("== {} ({name})", simulation.scenario))?;
        if let Some(description) = &simulation.description {
            print_line(&format!("   {description}"))?;
        }
        for step in &simulation.timeline {
            for line in step_lines(step, &labels) {
                print_line(&line)?;
            }
        }
    }
    print_line("")?;
    print_line(
        "Run any scenario step by step with `caseflow simulate scenarios/NAME.json` (add --json for every detail). / 用 caseflow simulate 逐步查看任一场景。",
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Chinese and English names of the states (the policy labels roles, tiers and categories).
pub fn state_labels(state: CaseState) -> (&'static str, &'static str) {
    match state {
        CaseState::Recorded => ("已登记", "recorded"),
        CaseState::Planning => ("方案制定中", "planning"),
        CaseState::AwaitingApproval => ("待审批", "awaiting approval"),
        CaseState::InProgress => ("处理实施中", "in progress"),
        CaseState::AwaitingVerification => ("待验证", "awaiting verification"),
        CaseState::Verified => ("验证通过", "verified"),
        CaseState::AwaitingConfirmation => ("待客户确认", "awaiting confirmation"),
        CaseState::OnHold => ("挂起", "on hold"),
        CaseState::Closed => ("已关闭", "closed"),
        CaseState::Withdrawn => ("已撤回", "withdrawn"),
        // A state newer than these labels: its wire name in both languages.
        other => (other.as_str(), other.as_str()),
    }
}

/// A clock's name, with the emergency action it is for.
fn with_action(clock: String, action: Option<&String>) -> String {
    match action {
        Some(action) => format!("{clock} {action}"),
        None => clock,
    }
}

/// Chinese names of the steps.
fn action_label(action: &str) -> &'static str {
    match action {
        "record" => "登记",
        "accept" => "受理",
        "reclassify" => "重新评估",
        "submit_plan" => "提交方案",
        "approve_plan" => "批准方案",
        "reject_plan" => "驳回方案",
        "report_progress" => "告知进度",
        "complete_work" => "处理完成",
        "verify" => "验证",
        "notify_customer" => "通知客户确认",
        "customer_confirm" => "客户签字确认",
        "customer_reject" => "客户不满意",
        "hold" => "挂起",
        "resume" => "恢复",
        "withdraw" => "撤回",
        "tick" => "查看时限",
        "declare_emergency" => "启动应急",
        "raise_emergency" => "应急升级",
        "complete_emergency_action" => "完成应急动作",
        "waive_emergency_action" => "豁免应急动作",
        "emergency_status_update" => "应急状态报告",
        "end_emergency" => "宣布应急结束",
        "file_emergency_review" => "提交事后评估",
        "release_media_statement" => "发布媒体口径",
        _ => "",
    }
}

/// A step in a few lines: what happened and by whom, where the case stands, what is due next,
/// and whom the host must notify, remind or escalate to.
fn step_lines(step: &StepReport, labels: &Labeller<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let who = step
        .actor
        .as_ref()
        .map(|a| {
            let roles: Vec<String> = a.roles.iter().map(|r| labels.role(*r)).collect();
            format!(" · {} ({})", roles.join(", "), a.id)
        })
        .unwrap_or_default();
    let mark = match step.outcome {
        Outcome::Accepted => "✓",
        Outcome::Refused => "✗ 拒绝 refused",
        Outcome::Ticked => "·",
        // An outcome newer than this demo: no mark of its own.
        _ => "?",
    };
    lines.push(format!(
        "  {:>2}  {}  {} {}{who}  {mark}",
        step.step,
        short_time(&step.at),
        action_label(&step.action),
        step.action,
    ));
    if let Some(note) = &step.note {
        lines.push(format!("        « {note} »"));
    }
    if let Some(error) = &step.error {
        for d in &error.errors {
            lines.push(format!("        ✗ {}", d.message));
        }
    }
    if step.outcome == Outcome::Accepted {
        if let (Some(state), Some(tier), Some(category)) = (step.state, step.tier, step.category) {
            lines.push(format!(
                "        → {} · {} · {}",
                labels.state(state),
                labels.tier(tier),
                labels.category(category)
            ));
        }
    }
    for effect in &step.effects {
        let line = match effect {
            Effect::StartClock { clock, due, .. } | Effect::ResumeClock { clock, due, .. } => {
                format!("⏱ {} due {}", name(clock), short_time(due))
            }
            Effect::StopClock {
                clock, met: false, ..
            } => format!("⚠ {} 逾期 breached", name(clock)),
            Effect::Notify { to, template, .. } => {
                format!("✉ {}: {}", labels.role(*to), name(template))
            }
            Effect::Remind {
                to,
                clock,
                action,
                due,
                ..
            } => format!(
                "⏰ 提醒 remind {}: {} due {}",
                labels.role(*to),
                with_action(name(clock), action.as_ref()),
                short_time(due)
            ),
            Effect::Escalate {
                to,
                clock,
                action,
                due,
                ..
            } => format!(
                "⬆ 上报 escalate to {}: {} was due {}",
                labels.role(*to),
                with_action(name(clock), action.as_ref()),
                short_time(due)
            ),
            // The demo shows what a clerk would notice; `caseflow simulate` lists every effect.
            _ => continue,
        };
        lines.push(format!("        {line}"));
    }
    lines
}

fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
