//! Table-driven tests of the default policy against docs/policy.md: every category (§3.1), every tier
//! rule (§3.3), every emergency trigger (§7) and every routing row (§4.2–4.5).

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::api::classify_report;
use caseflow_core::classify::TierSource;
use caseflow_core::policy::document::{PlanElement, RecordKind};
use caseflow_core::routing::ClockKind;
use caseflow_core::{Category, Department, EmergencyLevel, Policy, Report, Role, Tier};
use serde_json::{Value, json};

fn policy() -> &'static Policy {
    static POLICY: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| Policy::builtin().expect("the default policy loads"))
}

fn report(description: &str, facts: Value) -> Report {
    Report::from_value(&json!({
        "id": "T-1", "project": "P-1", "channel": "phone",
        "description": description,
        "raised_at": "2026-03-02T09:15:00+08:00",
        "location": "1号楼", "contact": {"phone": "13800000000"},
        "facts": facts,
    }))
    .expect("a valid test report")
}

fn category_of(description: &str) -> Category {
    policy()
        .classify_by_rules(&report(description, json!({})))
        .category
}

#[test]
fn every_category_of_section_3_1_is_reachable_from_text() {
    let table = [
        ("施工图纸标注的尺寸错误", Category::Technical),
        (
            "The concrete delivered is substandard and failed the test",
            Category::Technical,
        ),
        ("卫生间防水施工不符合规范", Category::Technical),
        ("工程进度严重滞后，比合同晚了两个月", Category::Schedule),
        (
            "The project is three months behind schedule",
            Category::Schedule,
        ),
        ("客厅墙面开裂", Category::Quality),
        ("The roof leaks every time it rains", Category::Quality),
        ("客服态度恶劣，打电话没人接", Category::Service),
        ("Nobody called back after three emails", Category::Service),
        ("晚上施工噪音太大，影响休息", Category::Other),
        (
            "Please add more EV charging points in the car park",
            Category::Other,
        ),
    ];
    for (text, expected) in table {
        assert_eq!(category_of(text), expected, "{text}");
    }
}

#[test]
fn material_quality_is_technical_and_cracks_are_quality() {
    // docs/policy.md §3.1 notes the overlap: material quality is technical, cracks and leaks quality.
    assert_eq!(category_of("进场钢筋复检不合格"), Category::Technical);
    assert_eq!(category_of("楼板出现裂缝并渗水"), Category::Quality);
}

#[test]
fn a_report_naming_nothing_known_falls_back_to_other() {
    let result = policy().classify_by_rules(&report("业主来电，请回电", json!({})));
    assert_eq!(result.category, Category::Other);
    assert_eq!(
        result.explanation.category.decided_by,
        caseflow_core::classify::CategorySource::Fallback
    );
}

fn tier_and_rule(description: &str, facts: Value) -> (Tier, String) {
    // The rules of docs/policy.md, without the model's raise or review.
    let result = policy().classify_by_rules(&report(description, facts));
    let rule = match &result.explanation.tier.decided_by {
        TierSource::Rule { rule } => rule.clone(),
        TierSource::CategoryDefault { category } => format!("default:{category}"),
        TierSource::Emergency { level } => format!("emergency:{level}"),
        TierSource::Model { rules_tier } => format!("model, over the rules' {rules_tier}"),
        TierSource::Review { assessed_tier } => format!("review, assessed {assessed_tier}"),
        other => format!("{other:?}"),
    };
    (result.tier, rule)
}

#[test]
fn every_tier_1_fact_of_section_3_3_makes_tier_1() {
    let table = [
        (json!({"injuries": 1}), "tier.1.injuries"),
        (json!({"safety_hazard": true}), "tier.1.safety_hazard"),
        (json!({"main_structure": true}), "tier.1.main_structure"),
        (json!({"delivery_blocked": true}), "tier.1.delivery_blocked"),
        (
            json!({"legal_action_threatened": true}),
            "tier.1.legal_action",
        ),
        (json!({"media_attention": true}), "tier.1.media_attention"),
        (json!({"estimated_loss_cny": 500_000}), "tier.1.major_loss"),
        (json!({"households_affected": 10}), "tier.1.many_households"),
    ];
    for (facts, rule) in table {
        let (tier, decided) = tier_and_rule("墙面有一处划痕", facts.clone());
        assert_eq!(tier, Tier::One, "{facts}");
        assert_eq!(decided, rule, "{facts}");
    }
}

#[test]
fn tier_1_thresholds_are_exact() {
    let below = [
        json!({"estimated_loss_cny": 499_999}),
        json!({"households_affected": 9}),
        json!({"injuries": 0}),
        json!({"safety_hazard": false}),
    ];
    for facts in below {
        let (tier, _) = tier_and_rule("墙面有一处划痕", facts.clone());
        assert_eq!(tier, Tier::Three, "{facts} is below every tier-1 threshold");
    }
}

#[test]
fn every_tier_1_text_signal_of_section_3_3_makes_tier_1() {
    let table = [
        ("主体结构出现裂缝", "tier.1.main_structure"),
        ("承重墙开裂", "tier.1.main_structure"),
        ("担心结构安全", "tier.1.main_structure"),
        ("阳台护栏松动，存在安全隐患", "tier.1.safety_hazard"),
        ("车库顶板局部坍塌", "tier.1.collapse"),
        ("地面大面积空鼓，需要返工", "tier.1.large_rework"),
        ("业主准备起诉", "tier.1.legal_action"),
        ("已申请仲裁", "tier.1.legal_action"),
        ("收到业主的律师函", "tier.1.legal_action"),
        ("业主已经把视频发到网上，上了热搜", "tier.1.media_attention"),
        (
            "a journalist from the city paper came to the site yesterday",
            "tier.1.media_attention",
        ),
        ("房子渗水严重，无法交付", "tier.1.delivery_blocked"),
        ("装修污染严重，无法入住", "tier.1.delivery_blocked"),
        ("一名工人受伤", "tier.1.injuries"),
        ("损失约80万元", "tier.1.major_loss"),
        ("12户业主反映地下室渗水", "tier.1.many_households"),
    ];
    for (text, rule) in table {
        let (tier, decided) = tier_and_rule(text, json!({}));
        assert_eq!(tier, Tier::One, "{text}");
        assert_eq!(decided, rule, "{text}");
    }
}

#[test]
fn a_threat_to_go_to_the_media_is_not_media_attention() {
    // media_attention (docs/policy.md §3.3) is attention already drawn; a legal threat, by contrast,
    // counts as soon as it is made (legal_action_threatened).
    for text in [
        "屋顶漏水再不修我就找电视台曝光",
        "If nobody fixes the leak I am going to the newspapers",
    ] {
        let (tier, _) = tier_and_rule(text, json!({}));
        assert_eq!(tier, Tier::Two, "{text}");
        assert_eq!(emergency_of(text, json!({})), None, "{text}");
    }
    assert_eq!(tier_and_rule("业主准备起诉", json!({})).0, Tier::One);
}

#[test]
fn minor_details_without_a_tier_2_signal_are_tier_3() {
    for text in [
        "入户门有一处划痕",
        "踢脚线有色差",
        "楼道标识不清",
        "外墙有轻微色差，无安全隐患",
    ] {
        assert_eq!(
            tier_and_rule(text, json!({})),
            (Tier::Three, "tier.3.minor_detail".into()),
            "{text}"
        );
    }
    // A detail beside a real defect is not a detail case (§3.3 rule 2: "and no tier-2 signal").
    let (tier, _) = tier_and_rule("墙面有轻微划痕，而且开裂", json!({}));
    assert_eq!(tier, Tier::Two);
}

#[test]
fn otherwise_the_category_default_tier_applies() {
    let table = [
        ("施工图纸标注的尺寸错误", Tier::Two, Category::Technical),
        ("外墙装饰工程比计划晚了一周", Tier::Two, Category::Schedule),
        ("卫生间漏水", Tier::Two, Category::Quality),
        ("打电话一直没人接", Tier::Three, Category::Service),
        ("夜间施工噪音大", Tier::Three, Category::Other),
    ];
    for (text, tier, category) in table {
        let (got, rule) = tier_and_rule(text, json!({}));
        assert_eq!(got, tier, "{text}");
        assert_eq!(rule, format!("default:{category}"), "{text}");
    }
}

#[test]
fn negation_does_not_trigger_the_rule_it_negates() {
    for text in [
        "外墙色差，无安全隐患",
        "经检查没有裂缝，只是有划痕",
        "There is no leak, just a small scratch",
        "nobody was hurt, a tile is scratched",
    ] {
        let (tier, _) = tier_and_rule(text, json!({}));
        assert_eq!(tier, Tier::Three, "{text}");
    }
}

fn emergency_of(description: &str, facts: Value) -> Option<EmergencyLevel> {
    policy()
        .classify_by_rules(&report(description, facts))
        .emergency
}

#[test]
fn every_emergency_trigger_of_section_7() {
    use EmergencyLevel::{I, II, III};
    let table = [
        ("脚手架倒塌", json!({}), Some(I)),
        ("现场出现险情", json!({}), Some(I)),
        ("一名工人受伤", json!({}), Some(I)),
        ("墙面渗水", json!({"injuries": 2}), Some(I)),
        ("地下室渗水", json!({"households_affected": 30}), Some(I)),
        ("地下室渗水", json!({"households_affected": 29}), Some(II)),
        ("地下室渗水", json!({"households_affected": 10}), Some(II)),
        ("业主已经把视频发到网上，上了热搜", json!({}), Some(II)),
        ("墙面渗水", json!({"media_attention": true}), Some(II)),
        ("阳台护栏松动，存在安全隐患", json!({}), Some(III)),
        ("墙面渗水", json!({"safety_hazard": true}), Some(III)),
        ("墙面渗水", json!({"households_affected": 9}), None),
        ("业主准备起诉", json!({}), None),
    ];
    for (text, facts, level) in table {
        assert_eq!(emergency_of(text, facts.clone()), level, "{text} {facts}");
    }
}

#[test]
fn the_most_serious_trigger_wins_and_every_emergency_is_tier_1() {
    let result = policy().classify_by_rules(&report(
        "踢脚线有色差",
        json!({"safety_hazard": true, "households_affected": 40}),
    ));
    assert_eq!(result.emergency, Some(EmergencyLevel::I));
    assert_eq!(result.tier, Tier::One);
    assert_eq!(result.explanation.emergency.triggers.len(), 3);
}

fn routing(tier_fact: Value, description: &str) -> caseflow_core::routing::Routing {
    classify_report(policy(), &report(description, tier_fact))
        .expect("routes")
        .routing
}

#[test]
fn tier_1_routing_follows_section_4_3_and_4_5() {
    let r = routing(json!({"legal_action_threatened": true}), "屋面渗漏");
    assert_eq!(r.tier, Tier::One);
    assert_eq!(r.plan.drafted_by, [Role::ProjectLeader]);
    assert_eq!(
        r.plan.consult_departments,
        [
            Department::Technical,
            Department::Quality,
            Department::Safety
        ]
    );
    assert_eq!(r.plan.approved_by, [Role::CompanyLeadership]);
    assert!(!r.plan_filed_only);
    assert_eq!(
        r.plan.must_contain,
        [
            PlanElement::Measures,
            PlanElement::ResponsiblePeople,
            PlanElement::Milestones
        ]
    );
    assert_eq!(r.verification.by, [Role::TechnicalDept, Role::QualityDept]);
    assert!(r.verification.all_must_pass && r.verification.report_required);
    assert!(r.records.contains(&RecordKind::VerificationReport));
    assert!(r.records.contains(&RecordKind::ExpertConsultation));
}

#[test]
fn tier_2_routing_follows_section_4_3_and_4_5() {
    let r = routing(json!({}), "卫生间漏水");
    assert_eq!(r.tier, Tier::Two);
    assert_eq!(r.plan.drafted_by, [Role::ProjectLeader]);
    assert_eq!(r.plan.with, [Role::TechnicalLead, Role::Foreman]);
    assert_eq!(r.plan.approved_by, [Role::ProjectManager]);
    assert!(!r.verification.report_required);
}

#[test]
fn tier_3_plans_are_filed_not_approved() {
    let r = routing(json!({}), "入户门有一处划痕");
    assert_eq!(r.tier, Tier::Three);
    assert_eq!(r.plan.drafted_by, [Role::SiteManager]);
    assert!(r.plan.approved_by.is_empty());
    assert_eq!(r.plan.filed_with, Some(Role::ProjectLeader));
    assert!(r.plan_filed_only);
    assert_eq!(r.plan.must_contain, [PlanElement::Measures]);
    assert!(!r.deadlines.iter().any(|d| d.clock == ClockKind::Approval));
}

#[test]
fn the_first_deadline_is_contact_within_24_calendar_hours_of_receipt() {
    let mut value = serde_json::to_value(report("卫生间漏水", json!({}))).unwrap();
    value["received_at"] = json!("2026-02-13T18:00:00+08:00");
    value["raised_at"] = json!("2026-02-13T17:00:00+08:00");
    let report = Report::from_value(&value).unwrap();
    let result = classify_report(policy(), &report).unwrap();
    let first = &result.routing.deadlines[0];
    assert_eq!(first.clock, ClockKind::ContactCustomer);
    // Calendar hours: the Spring Festival weekend does not matter.
    assert_eq!(first.due.as_deref(), Some("2026-02-14T18:00:00+08:00"));
    assert_eq!(first.rule, "$.tiers.2.deadlines.contact");
}

#[test]
fn a_clerks_category_is_honoured_and_disagreement_reported() {
    let mut value = serde_json::to_value(report("卫生间漏水", json!({}))).unwrap();
    value["category"] = json!("service");
    let result = policy().classify_by_rules(&Report::from_value(&value).unwrap());
    assert_eq!(result.category, Category::Service);
    assert_eq!(result.explanation.category.engine_choice, Category::Quality);
    assert!(result.explanation.category.disagrees_with_clerk);
}
