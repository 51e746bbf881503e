//! The learned model as policy data: a bad model is refused with its path, the model's answer
//! explains itself, and a provisional tier 1 is reviewed through the lifecycle like any other
//! decision — by the roles the policy names, against a clock, with an event.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod lifecycle_common;

use caseflow_core::classify::{CategorySource, ReviewReason, TierSource};
use caseflow_core::lifecycle::{
    CaseState, Command, CommandKind, Effect, Template, apply, record, replay, verify_log,
};
use caseflow_core::policy::{DEFAULT_RULES_JSON, default_policy_json};
use caseflow_core::routing::ClockKind;
use caseflow_core::{JsonPath, Policy, Report, Role, Tier};
use chrono::Duration;
use lifecycle_common::{actor_json, at, policy};
use serde_json::{Value, json};

fn default_value() -> Value {
    serde_json::from_str(&default_policy_json()).unwrap()
}

fn errors_of(value: &Value) -> Vec<(String, String)> {
    let error = Policy::from_value(value).expect_err("refused");
    error
        .errors
        .iter()
        .map(|d| (d.code.clone(), d.path.clone()))
        .collect()
}

fn report(description: &str) -> Report {
    Report::from_value(&json!({
        "id": "M-1", "project": "P-2026-017", "channel": "phone", "description": description,
        "raised_at": "2026-03-02T09:15:00+08:00", "location": "2号楼大堂",
        "contact": {"name": "业主", "phone": "13800000000"}
    }))
    .unwrap()
}

/// S-08 of the public samples: rude site workers, a service complaint the model is unsure about.
const FLAGGED: &str = "现场施工人员态度恶劣，对业主出言不逊";

#[test]
fn a_bad_model_is_refused_with_the_path_of_what_is_wrong() {
    let mut newer = default_value();
    newer["model"]["format"] = json!(2);
    assert_eq!(
        errors_of(&newer),
        [(
            "unsupported_model_format".to_owned(),
            "$.model.format".to_owned()
        )]
    );

    let mut unknown = default_value();
    unknown["model"]["categories"][1] = json!("weather");
    assert!(errors_of(&unknown).contains(&(
        "unknown_category".to_owned(),
        "$.model.categories[1]".to_owned()
    )));

    let mut short = default_value();
    short["model"]["tier_weights"][7] = json!([1, 2]);
    assert!(errors_of(&short).contains(&(
        "length_mismatch".to_owned(),
        "$.model.tier_weights[7]".to_owned()
    )));

    let mut unsorted = default_value();
    let vocabulary = unsorted["model"]["vocabulary"].as_array_mut().unwrap();
    vocabulary.swap(3, 4);
    assert!(errors_of(&unsorted).contains(&(
        "unsorted_vocabulary".to_owned(),
        "$.model.vocabulary[4]".to_owned()
    )));

    let mut malformed = default_value();
    malformed["model"]["idf"] = json!("many");
    assert_eq!(
        errors_of(&malformed),
        [("invalid_value".to_owned(), "$.model".to_owned())]
    );

    let mut undecided = default_value();
    undecided["classification"]
        .as_object_mut()
        .unwrap()
        .remove("model_use");
    assert_eq!(
        errors_of(&undecided),
        [(
            "missing_field".to_owned(),
            "$.classification.model_use".to_owned()
        )]
    );

    let mut no_clock = default_value();
    no_clock["lifecycle"]
        .as_object_mut()
        .unwrap()
        .remove("tier_review_due");
    assert_eq!(
        errors_of(&no_clock),
        [(
            "missing_field".to_owned(),
            "$.lifecycle.tier_review_due".to_owned()
        )]
    );

    let mut precise = default_value();
    precise["classification"]["model_use"]["review_threshold"] = json!(0.123_456_789);
    assert_eq!(
        errors_of(&precise),
        [(
            "invalid_value".to_owned(),
            "$.classification.model_use.review_threshold".to_owned()
        )],
        "four decimal places at most: the threshold is stored in events"
    );

    let mut threshold = default_value();
    threshold["classification"]["model_use"]["review_threshold"] = json!(1.5);
    assert_eq!(
        errors_of(&threshold),
        [(
            "invalid_value".to_owned(),
            "$.classification.model_use.review_threshold".to_owned()
        )]
    );
}

#[test]
fn model_use_without_a_model_is_a_warning_and_the_rules_decide_alone() {
    let rules = Policy::from_json(DEFAULT_RULES_JSON).unwrap();
    assert!(
        rules
            .warnings()
            .iter()
            .any(|w| w.code == "no_model" && w.path == "$.classification.model_use")
    );
    let result = rules.classify(&report(FLAGGED));
    assert!(result.explanation.model.is_none());
    assert!(result.review.is_none());
    assert_eq!(rules.reference().model, None);
}

#[test]
fn the_models_answer_explains_itself_with_spans_of_the_written_text() {
    let description = "楼上卫生间漏水，滴到我家天花板，墙面发霉";
    let result = policy().classify(&report(description));
    assert_eq!(
        result.explanation.category.decided_by,
        CategorySource::Model
    );
    let model = result.explanation.model.as_ref().expect("the model spoke");
    assert_eq!(
        model.model.name,
        policy().reference().model.as_ref().unwrap().name
    );
    assert_eq!(model.model.sha256.len(), 64);
    let total: f64 = model.categories.iter().map(|c| c.probability.get()).sum();
    assert!((total - 1.0).abs() < 0.001, "{total}");
    assert_eq!(model.categories[0].category, result.category);
    assert_eq!(
        model.tiers.iter().map(|t| t.tier).collect::<Vec<_>>(),
        [Tier::One, Tier::Two, Tier::Three]
    );
    assert!(!model.category_features.is_empty());
    let chars: Vec<char> = description.chars().collect();
    for feature in &model.category_features {
        assert!(feature.weight.get() > 0.0);
        for span in &feature.spans {
            let written: String = chars[span.start..span.end].iter().collect();
            assert_eq!(
                written, feature.feature,
                "the span shows the feature as written"
            );
        }
    }
}

#[test]
fn invisible_format_characters_change_nothing() {
    let plain = policy().classify(&report("阳台护栏松动，小孩靠上去晃得厉害"));
    let hidden = policy().classify(&report("阳\u{200B}台护\u{2060}栏松动，小孩靠上去晃得厉害"));
    assert_eq!(plain.category, hidden.category);
    assert_eq!(plain.tier, hidden.tier);
    assert_eq!(
        plain.explanation.model.as_ref().unwrap().categories,
        hidden.explanation.model.as_ref().unwrap().categories
    );
}

#[test]
fn an_unsure_model_makes_the_tier_1_provisional_and_names_why() {
    let result = policy().classify(&report(FLAGGED));
    let review = result.review.as_ref().expect("flagged");
    assert_eq!(review.reason, ReviewReason::ModelTier1);
    assert_eq!(result.tier, Tier::One);
    assert_eq!(review.assessed_tier, Tier::Three);
    assert!(review.tier_1_probability >= review.threshold);
    assert_eq!(
        result.explanation.tier.decided_by,
        TierSource::Review {
            assessed_tier: Tier::Three
        }
    );
    // The rules alone: tier 3, as published.
    assert_eq!(
        policy().classify_by_rules(&report(FLAGGED)).tier,
        Tier::Three
    );
}

fn command(value: Value) -> Command {
    Command::from_value(&value, &JsonPath::root()).unwrap()
}

fn review(roles: &[Role], id: &str, tier: u8) -> Command {
    command(json!({
        "type": "review_tier", "actor": actor_json(id, roles), "tier": tier,
        "reason": "现场核实：仅为服务态度问题，无安全隐患"
    }))
}

#[test]
fn a_provisional_tier_1_is_confirmed_or_lowered_by_the_named_roles_within_its_clock() {
    let now = at("2026-03-02T10:00:00+08:00");
    let opening = command(json!({
        "type": "record", "actor": actor_json("clerk", &[Role::IntakeClerk]),
        "report": serde_json::to_value(report(FLAGGED)).unwrap()
    }));
    let opened = record(policy(), &opening, now).unwrap();
    let case = &opened.case;
    assert_eq!(
        case.tier,
        Tier::One,
        "runs as tier 1 until a person decides"
    );
    let pending = case.tier_review.as_ref().unwrap();
    assert_eq!(pending.request.assessed_tier, Tier::Three);
    assert!(pending.decision.is_none());
    assert!(case.clocks.contains_key(&ClockKind::TierReview));
    assert!(
        case.closure_gaps(policy())
            .iter()
            .any(|g| g.contains("review_tier")),
        "a case cannot close with its tier unreviewed"
    );
    assert!(opened.effects.iter().any(|e| matches!(
        e,
        Effect::Notify {
            to: Role::CompanyLeadership,
            template: Template::TierReviewRequested,
            ..
        }
    )));
    assert_eq!(
        opened.event.assessment.as_ref().unwrap().review,
        Some(pending.request.clone()),
        "the record event keeps the review, so a replay reopens it"
    );

    let later = now + Duration::hours(2);
    let refused = apply(
        policy(),
        case,
        &review(&[Role::ProjectLeader], "pl", 3),
        later,
    )
    .expect_err("a project leader may not lower a tier 1");
    assert_eq!(refused.errors[0].code, "not_authorised");
    let reclassify = command(json!({
        "type": "reclassify", "actor": actor_json("lead", &[Role::CompanyLeadership]),
        "tier": 3, "reason": "不是一级"
    }));
    let refused = apply(policy(), case, &reclassify, later).expect_err("answered by review_tier");
    assert_eq!(refused.errors[0].code, "review_pending");

    let lowered = apply(
        policy(),
        case,
        &review(&[Role::CompanyLeadership], "gm", 3),
        later,
    )
    .unwrap();
    assert_eq!(lowered.case.tier, Tier::Three);
    let decision = lowered
        .case
        .tier_review
        .as_ref()
        .unwrap()
        .decision
        .as_ref()
        .unwrap();
    assert_eq!((decision.by.as_str(), decision.tier), ("gm", Tier::Three));
    assert!(
        lowered.case.clocks[&ClockKind::TierReview]
            .stopped_at
            .is_some()
    );
    assert!(
        !lowered
            .case
            .closure_gaps(policy())
            .iter()
            .any(|g| g.contains("review_tier"))
    );
    assert!(
        lowered.case.breaches.is_empty(),
        "answered within its 24 hours"
    );
    assert_eq!(lowered.case.reclassifications.len(), 1);
    assert_eq!(lowered.event.command.action.kind(), CommandKind::ReviewTier);

    let again = apply(
        policy(),
        &lowered.case,
        &review(&[Role::CompanyLeadership], "gm", 2),
        later + Duration::hours(1),
    )
    .expect_err("answered once");
    assert_eq!(again.errors[0].code, "no_review");

    let events = vec![opened.event.clone(), lowered.event.clone()];
    assert!(verify_log(&events).valid);
    assert_eq!(replay(policy(), &events).unwrap(), lowered.case);

    let confirmed = apply(
        policy(),
        case,
        &review(&[Role::CompanyLeadership], "gm", 1),
        later,
    )
    .unwrap();
    assert_eq!(confirmed.case.tier, Tier::One);
    assert!(
        confirmed.case.reclassifications.is_empty(),
        "confirming changes nothing"
    );
    assert_eq!(confirmed.case.state, CaseState::Recorded);
}

#[test]
fn a_case_without_a_review_has_none_to_answer() {
    let now = at("2026-03-02T10:00:00+08:00");
    let opening = command(json!({
        "type": "record", "actor": actor_json("clerk", &[Role::IntakeClerk]),
        "report": serde_json::to_value(report("地下车库顶板承重梁出现多条贯穿裂缝，钢筋外露")).unwrap()
    }));
    let opened = record(policy(), &opening, now).unwrap();
    assert!(opened.case.tier_review.is_none());
    let refused = apply(
        policy(),
        &opened.case,
        &review(&[Role::CompanyLeadership], "gm", 2),
        now + Duration::hours(1),
    )
    .expect_err("nothing to review");
    assert_eq!(refused.errors[0].code, "no_review");
}

#[test]
fn a_log_replays_only_under_the_model_that_decided_it() {
    let now = at("2026-03-02T10:00:00+08:00");
    let opening = command(json!({
        "type": "record", "actor": actor_json("clerk", &[Role::IntakeClerk]),
        "report": serde_json::to_value(report(FLAGGED)).unwrap()
    }));
    let opened = record(policy(), &opening, now).unwrap();
    let mut retrained = default_value();
    retrained["model"]["category_bias"][0] = json!(123);
    let retrained = Policy::from_value(&retrained).unwrap();
    let error = replay(&retrained, &[opened.event]).unwrap_err();
    assert_eq!(error.errors[0].code, "policy_mismatch");
    assert!(error.errors[0].message.contains("with model"));
}
