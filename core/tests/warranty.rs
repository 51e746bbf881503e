//! Warranty and the end of scope (docs/policy.md §1.1): every element's last day within and first day
//! outside, leap years, seasons across a year end, a project not yet accepted, an element the
//! engine cannot tell, the clerk's element, several elements, the service request, the `record`
//! event that stores the answer, and every kind of bad input refused with its path.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use caseflow_core::api::{self, classify};
use caseflow_core::lifecycle::{EVENT_FORMAT, Effect, Template, replay};
use caseflow_core::warranty::{WarrantyBasis, WarrantyPeriod};
use caseflow_core::{Policy, Warranty, WarrantyElement, WarrantyStatus};
use serde_json::{Value, json};

fn policy() -> &'static Policy {
    static POLICY: std::sync::LazyLock<Policy> =
        std::sync::LazyLock::new(|| Policy::builtin().unwrap());
    &POLICY
}

fn default_policy_json() -> Value {
    serde_json::from_str(&caseflow_core::policy::default_policy_json()).unwrap()
}

/// The clerk's direct question through the JSON API.
fn ask(policy: &Policy, input: Value) -> Result<Warranty, caseflow_core::Error> {
    api::warranty(policy, &input.to_string())
}

fn on(accepted: &str, element: &str, day: &str) -> Warranty {
    ask(
        policy(),
        json!({"project_facts": {"accepted_on": accepted}, "element": element, "on": day}),
    )
    .unwrap()
}

fn report(description: &str, project: Value) -> Value {
    json!({
        "id": "W-1", "project": "P-2020-003", "channel": "phone", "description": description,
        "raised_at": "2026-03-02T09:15:00+08:00", "location": "3号楼2单元801",
        "contact": {"phone": "13800000000"}, "project_facts": project,
    })
}

fn classified(report: &Value) -> api::ClassifyResult {
    classify(policy(), &report.to_string()).unwrap()
}

fn warranty_of(report: &Value) -> Warranty {
    classified(report).warranty.unwrap()
}

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

#[test]
fn every_elements_last_day_is_within_and_the_next_day_is_not() {
    // Accepted 2024-06-30: the day itself is not counted (民法典 Art. 201), N years end on the
    // same month and day (Art. 202); seasons are the first ones starting after the acceptance.
    let accepted = "2024-06-30";
    for (element, last_day, first_out) in [
        ("foundations_and_structure", "2074-06-30", "2074-07-01"),
        ("waterproofing", "2029-06-30", "2029-07-01"),
        // Heating seasons 2024-11-15..2025-03-15 and 2025-11-15..2026-03-15.
        ("heating", "2026-03-15", "2026-03-16"),
        // The cooling season under way on the acceptance day does not count:
        // 2025-06-01..09-30 and 2026-06-01..09-30.
        ("cooling", "2026-09-30", "2026-10-01"),
        ("installations", "2026-06-30", "2026-07-01"),
        ("decoration", "2026-06-30", "2026-07-01"),
        ("other", "2026-06-30", "2026-07-01"),
    ] {
        let within = on(accepted, element, last_day);
        assert_eq!(
            within.status,
            WarrantyStatus::Within,
            "{element}: {within:?}"
        );
        assert_eq!(within.decided_by, WarrantyBasis::Clerk, "{element}");
        assert_eq!(within.ends_on, Some(date(last_day)), "{element}");
        assert_eq!(
            within.rule.as_deref(),
            Some(format!("$.warranty.elements.{element}.period").as_str())
        );
        let outside = on(accepted, element, first_out);
        assert_eq!(
            outside.status,
            WarrantyStatus::Expired,
            "{element}: {outside:?}"
        );
        assert_eq!(outside.ends_on, Some(date(last_day)), "{element}");
        assert!(
            outside.reason.contains("service request"),
            "{}",
            outside.reason
        );
        assert!(outside.reason.contains(last_day), "{}", outside.reason);
        // The acceptance day itself is within, and so is the day before it (not yet accepted).
        assert_eq!(
            on(accepted, element, accepted).status,
            WarrantyStatus::Within
        );
        let before = on(accepted, element, "2024-06-29");
        assert_eq!(before.decided_by, WarrantyBasis::NotAccepted, "{element}");
    }
}

#[test]
fn the_design_service_life_is_the_projects_when_given_and_the_policys_otherwise() {
    let asked = |facts: Value| {
        ask(
            policy(),
            json!({"project_facts": facts, "element": "foundations_and_structure", "on": "2080-01-01"}),
        )
        .unwrap()
    };
    let default = asked(json!({"accepted_on": "2024-06-30"}));
    assert_eq!(default.status, WarrantyStatus::Expired);
    assert_eq!(
        default.period,
        Some(WarrantyPeriod::DesignServiceLife {
            amount: 50,
            source: caseflow_core::warranty::ServiceLifeSource::Policy
        })
    );
    let own = asked(json!({"accepted_on": "2024-06-30", "design_service_life_years": 70}));
    assert_eq!(own.status, WarrantyStatus::Within);
    assert_eq!(own.ends_on, Some(date("2094-06-30")));
    assert!(
        own.reason.contains("70 years (the project's)"),
        "{}",
        own.reason
    );
}

#[test]
fn an_acceptance_on_29_february_ends_on_28_february_in_a_common_year() {
    // 民法典 Art. 202: no corresponding day, so the last day of that month.
    let a = "2024-02-29";
    assert_eq!(
        on(a, "decoration", "2026-02-28").status,
        WarrantyStatus::Within
    );
    assert_eq!(
        on(a, "decoration", "2026-03-01").status,
        WarrantyStatus::Expired
    );
    assert_eq!(
        on(a, "decoration", "2026-03-01").ends_on,
        Some(date("2026-02-28"))
    );
    assert_eq!(
        on(a, "waterproofing", "2029-03-01").ends_on,
        Some(date("2029-02-28"))
    );
    assert_eq!(
        on(a, "foundations_and_structure", "2030-01-01").ends_on,
        Some(date("2074-02-28"))
    );
    // Four years on, a leap year has the day itself.
    let mut four = default_policy_json();
    four["warranty"]["elements"]["other"]["period"] = json!({"kind": "years", "amount": 4});
    let four = Policy::from_value(&four).unwrap();
    let answer = ask(
        &four,
        json!({"project_facts": {"accepted_on": a}, "element": "other", "on": "2028-02-29"}),
    )
    .unwrap();
    assert_eq!(
        (answer.status, answer.ends_on),
        (WarrantyStatus::Within, Some(date("2028-02-29")))
    );
    // And the day after 28 February of a leap year is still within a period ending on the 29th.
    assert_eq!(
        on("2023-02-28", "decoration", "2025-02-28").status,
        WarrantyStatus::Within
    );
    assert_eq!(
        on("2023-02-28", "decoration", "2025-03-01").status,
        WarrantyStatus::Expired
    );
}

#[test]
fn heating_seasons_run_across_the_year_end_and_a_partial_first_season_does_not_count() {
    // Accepted inside a heating season: that season is covered but not counted.
    let during = "2025-12-01";
    assert_eq!(
        on(during, "heating", "2026-01-10").status,
        WarrantyStatus::Within
    );
    let last = on(during, "heating", "2028-03-15");
    assert_eq!(
        (last.status, last.ends_on),
        (WarrantyStatus::Within, Some(date("2028-03-15")))
    );
    assert_eq!(
        on(during, "heating", "2028-03-16").status,
        WarrantyStatus::Expired
    );
    // Accepted on a season's first day: the day is not counted (Art. 201), so neither is the
    // season. Accepted the day before: the season starting next day is the first.
    assert_eq!(
        on("2025-11-15", "heating", "2026-01-01").ends_on,
        Some(date("2028-03-15"))
    );
    assert_eq!(
        on("2025-11-14", "heating", "2026-01-01").ends_on,
        Some(date("2027-03-15"))
    );
    // Summer in between seasons is within too: the period is one span, not the seasons alone.
    assert_eq!(
        on("2025-11-14", "heating", "2026-07-01").status,
        WarrantyStatus::Within
    );
    match on(during, "heating", "2026-01-10").period {
        Some(WarrantyPeriod::Seasons {
            amount,
            season,
            from,
            to,
        }) => {
            assert_eq!(
                (amount, season.as_str(), from.as_str(), to.as_str()),
                (2, "heating", "11-15", "03-15")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        on(during, "heating", "2026-01-10")
            .reason
            .contains("2 heating seasons")
    );
}

#[test]
fn before_the_acceptance_every_report_is_within_scope_and_says_so() {
    // No acceptance date: within, and no period end is invented.
    let w = warranty_of(&report(
        "卫生间顶棚渗水",
        json!({"started_on": "2025-01-10"}),
    ));
    assert_eq!(w.status, WarrantyStatus::Within);
    assert_eq!(w.decided_by, WarrantyBasis::NotAccepted);
    assert_eq!(
        (w.ends_on, w.rule.as_ref(), w.candidates.len()),
        (None, None, 0)
    );
    assert!(
        w.reason.contains("no acceptance date is known"),
        "{}",
        w.reason
    );
    // The element the text names is still found, with its evidence.
    assert_eq!(w.element, Some(WarrantyElement::Waterproofing));
    assert_eq!(w.suggested[0].element, WarrantyElement::Waterproofing);
    // An acceptance still to come: within, and each period's end is known.
    let w = warranty_of(&report(
        "卫生间顶棚渗水",
        json!({"accepted_on": "2026-06-30"}),
    ));
    assert_eq!(
        (w.status, w.decided_by),
        (WarrantyStatus::Within, WarrantyBasis::NotAccepted)
    );
    assert!(w.reason.contains("2026-06-30"), "{}", w.reason);
    assert_eq!(w.candidates[0].ends_on, date("2031-06-30"));
    // No project facts at all: the same.
    let mut bare = report("卫生间顶棚渗水", json!({}));
    bare.as_object_mut().unwrap().remove("project_facts");
    assert_eq!(warranty_of(&bare).decided_by, WarrantyBasis::NotAccepted);
}

#[test]
fn an_element_the_engine_cannot_tell_is_unknown_not_the_shortest_period() {
    // Nothing in the text names an element. Ten years after acceptance the two-year periods
    // have ended, the structure's has not: the answer depends on the element.
    let r = report(
        "小区门口的路灯一直不亮",
        json!({"accepted_on": "2016-03-01"}),
    );
    let result = classified(&r);
    let w = result.warranty.unwrap();
    assert!(w.suggested.is_empty());
    assert_eq!(
        (w.status, w.decided_by),
        (WarrantyStatus::Unknown, WarrantyBasis::Undetermined)
    );
    assert_eq!((w.element, w.ends_on), (None, None));
    assert_eq!(w.candidates.len(), WarrantyElement::ALL.len());
    assert!(
        w.candidates
            .iter()
            .any(|c| c.status == WarrantyStatus::Within)
    );
    assert!(
        w.candidates
            .iter()
            .any(|c| c.status == WarrantyStatus::Expired)
    );
    assert!(w.reason.contains("name the element"), "{}", w.reason);
    assert!(
        result.routing.service_request.is_none(),
        "unknown is not a service request"
    );
    // A month after acceptance every period still runs: within whichever element it is.
    let w = warranty_of(&report(
        "小区门口的路灯一直不亮",
        json!({"accepted_on": "2026-02-01"}),
    ));
    assert_eq!(
        (w.status, w.decided_by),
        (WarrantyStatus::Within, WarrantyBasis::EveryElement)
    );
    // Sixty years after, every period has ended: expired whichever it is.
    let r = report(
        "小区门口的路灯一直不亮",
        json!({"accepted_on": "1966-01-01"}),
    );
    let result = classified(&r);
    let w = result.warranty.unwrap();
    assert_eq!(
        (w.status, w.decided_by),
        (WarrantyStatus::Expired, WarrantyBasis::EveryElement)
    );
    assert!(result.routing.service_request.is_some());
    // The direct question without an element is answered the same way.
    let asked = ask(
        policy(),
        json!({"project_facts": {"accepted_on": "2016-03-01"}, "on": "2026-03-02"}),
    )
    .unwrap();
    assert_eq!(asked.status, WarrantyStatus::Unknown);
}

#[test]
fn the_element_comes_from_the_text_with_its_evidence_and_negation_counts() {
    let cases = [
        ("卫生间顶棚渗水", Some(WarrantyElement::Waterproofing)),
        (
            "The roof leaks every time it rains",
            Some(WarrantyElement::Waterproofing),
        ),
        (
            "承重墙出现多条裂缝",
            Some(WarrantyElement::FoundationsAndStructure),
        ),
        ("暖气片不热", Some(WarrantyElement::Heating)),
        ("空调不制冷", Some(WarrantyElement::Cooling)),
        ("厨房水管接口漏水", Some(WarrantyElement::Installations)),
        ("客厅插座没电", Some(WarrantyElement::Installations)),
        ("客厅墙砖空鼓", Some(WarrantyElement::Decoration)),
        ("入户门有一处划痕", Some(WarrantyElement::Decoration)),
    ];
    for (text, expected) in cases {
        let w = warranty_of(&report(text, json!({"accepted_on": "2025-06-30"})));
        assert_eq!(w.element, expected, "{text}: {:?}", w.suggested);
        assert_eq!(w.decided_by, WarrantyBasis::Rules, "{text}");
        let found = &w.suggested[0];
        assert!(found.rule.ends_with(".when"), "{}", found.rule);
        assert!(!found.evidence.is_empty(), "{text}");
    }
    // A leak from a pipe is the pipe's, not the waterproofing's.
    let pipe = warranty_of(&report(
        "厨房水管接口漏水",
        json!({"accepted_on": "2025-06-30"}),
    ));
    assert!(
        pipe.suggested
            .iter()
            .all(|s| s.element != WarrantyElement::Waterproofing)
    );
    // Negated, a term does not count: no seepage, so no waterproofing; the tiles still count.
    let w = warranty_of(&report(
        "卫生间没有渗水，但是墙砖空鼓",
        json!({"accepted_on": "2025-06-30"}),
    ));
    let found: Vec<WarrantyElement> = w.suggested.iter().map(|s| s.element).collect();
    assert_eq!(found, [WarrantyElement::Decoration]);
    // The structural fact alone names the main structure.
    let mut r = report("墙上有问题", json!({"accepted_on": "2025-06-30"}));
    r["facts"] = json!({"main_structure": true});
    assert_eq!(
        warranty_of(&r).element,
        Some(WarrantyElement::FoundationsAndStructure)
    );
}

#[test]
fn when_a_report_concerns_several_elements_the_latest_ending_governs() {
    // A leak (5 years) that spoiled the ceiling (decoration, 2 years), three years on.
    let r = report(
        "卫生间渗水导致吊顶装修损坏",
        json!({"accepted_on": "2023-01-01"}),
    );
    let w = warranty_of(&r);
    let found: Vec<WarrantyElement> = w.suggested.iter().map(|s| s.element).collect();
    assert_eq!(
        found,
        [WarrantyElement::Waterproofing, WarrantyElement::Decoration]
    );
    assert_eq!(
        (w.status, w.element),
        (WarrantyStatus::Within, Some(WarrantyElement::Waterproofing))
    );
    assert_eq!(w.ends_on, Some(date("2028-01-01")));
    assert!(w.reason.contains("several elements"), "{}", w.reason);
    // Both candidates are reported with their own answer.
    let decoration = w
        .candidates
        .iter()
        .find(|c| c.element == WarrantyElement::Decoration)
        .unwrap();
    assert_eq!(decoration.status, WarrantyStatus::Expired);
}

#[test]
fn the_clerks_element_is_honoured_over_the_text() {
    // The text says seepage (5 years); the clerk says decoration (2 years), three years on.
    let mut r = report("卫生间顶棚渗水", json!({"accepted_on": "2023-01-01"}));
    r["element"] = json!("decoration");
    let result = classified(&r);
    let w = result.warranty.unwrap();
    assert_eq!(
        (w.decided_by, w.element),
        (WarrantyBasis::Clerk, Some(WarrantyElement::Decoration))
    );
    assert_eq!(w.status, WarrantyStatus::Expired);
    assert!(w.reason.contains("named by the clerk"), "{}", w.reason);
    // What the engine would have said is still shown.
    assert_eq!(w.suggested[0].element, WarrantyElement::Waterproofing);
    assert_eq!(w.candidates.len(), 1);
    assert!(result.routing.service_request.is_some());
}

#[test]
fn outside_warranty_the_routing_says_service_request_and_the_contact_deadline_stands() {
    let r = report(
        "客厅墙砖空鼓",
        json!({"started_on": "2018-03-01", "accepted_on": "2020-06-30"}),
    );
    let result = classified(&r);
    let w = result.warranty.as_ref().unwrap();
    assert_eq!(w.status, WarrantyStatus::Expired);
    let service = result.routing.service_request.as_ref().unwrap();
    assert_eq!(service.rule, "$.warranty.elements.decoration.period");
    assert!(
        service.reason.contains("ended on 2022-06-30"),
        "{}",
        service.reason
    );
    // The contact deadline is computed as for any case.
    assert_eq!(
        result.routing.deadlines[0].due.as_deref(),
        Some("2026-03-03T09:15:00+08:00")
    );
    // Within warranty there is no service request.
    let within = classified(&report(
        "客厅墙砖空鼓",
        json!({"accepted_on": "2025-06-30"}),
    ));
    assert!(within.routing.service_request.is_none());
}

#[test]
fn the_record_event_stores_the_answer_and_a_replay_keeps_it() {
    let r = report(
        "客厅墙砖空鼓",
        json!({"started_on": "2018-03-01", "accepted_on": "2020-06-30"}),
    );
    let w = warranty_of(&r);
    // Recorded outside warranty: the event stores the answer, the project leader is told, the
    // contact clock runs.
    let input = json!({"command": {"type": "record", "actor": {"id": "clerk-1", "roles": ["intake_clerk"]}, "report": r}, "now": "2026-03-02T09:30:00+08:00"});
    let applied = api::record(policy(), &input.to_string()).unwrap();
    assert_eq!(applied.event.format, EVENT_FORMAT);
    let stored = applied
        .event
        .assessment
        .as_ref()
        .unwrap()
        .warranty
        .as_ref()
        .unwrap();
    assert_eq!(stored, &w.assessment());
    assert_eq!(applied.case.suggested.warranty.as_ref(), Some(stored));
    assert!(
        applied
            .case
            .clocks
            .contains_key(&caseflow_core::routing::ClockKind::ContactCustomer)
    );
    let told = applied.effects.iter().find_map(|e| match e {
        Effect::Notify {
            template: Template::CaseRecorded,
            params,
            ..
        } => Some(params.clone()),
        _ => None,
    });
    let told = told.unwrap();
    assert_eq!(told.get("warranty").map(String::as_str), Some("expired"));
    assert_eq!(
        told.get("warranty_ends_on").map(String::as_str),
        Some("2022-06-30")
    );

    // The stored answer replays as stored, even under rules that would now answer otherwise
    // (the same policy name and version, decoration given ten years).
    let mut later = default_policy_json();
    later["warranty"]["elements"]["decoration"]["period"]["amount"] = json!(10);
    let later = Policy::from_value(&later).unwrap();
    assert_eq!(
        later
            .warranty(&applied.case.report)
            .unwrap()
            .unwrap()
            .status,
        WarrantyStatus::Within
    );
    let rebuilt = replay(&later, std::slice::from_ref(&applied.event)).unwrap();
    assert_eq!(rebuilt.suggested.warranty.as_ref(), Some(stored));
    assert_eq!(rebuilt, applied.case);
}

#[test]
fn the_day_judged_is_the_day_the_report_was_raised_in_the_calendars_offset() {
    // 23:30 UTC on 30 June is 07:30 on 1 July in Beijing: the day after the last day.
    let mut r = report("客厅墙砖空鼓", json!({"accepted_on": "2024-06-30"}));
    r["raised_at"] = json!("2026-06-30T23:30:00Z");
    let w = warranty_of(&r);
    assert_eq!(
        (w.on, w.status),
        (date("2026-07-01"), WarrantyStatus::Expired)
    );
    r["raised_at"] = json!("2026-06-30T15:59:59Z");
    assert_eq!(warranty_of(&r).status, WarrantyStatus::Within);
}

fn paths(error: &caseflow_core::Error) -> Vec<(String, String)> {
    error
        .errors
        .iter()
        .map(|d| (d.code.clone(), d.path.clone()))
        .collect()
}

#[test]
fn an_acceptance_before_the_start_is_refused_with_its_path_and_nothing_is_recorded() {
    let r = report(
        "卫生间顶棚渗水",
        json!({"started_on": "2024-05-01", "accepted_on": "2024-04-30"}),
    );
    let error = classify(policy(), &r.to_string()).unwrap_err();
    assert_eq!(error.code.as_str(), "invalid_report");
    assert_eq!(
        paths(&error),
        [(
            "out_of_order".to_owned(),
            "$.project_facts.accepted_on".to_owned()
        )]
    );
    let input = json!({"command": {"type": "record", "actor": {"id": "clerk-1", "roles": ["intake_clerk"]}, "report": r}, "now": "2026-03-02T09:30:00+08:00"});
    let error = api::record(policy(), &input.to_string()).unwrap_err();
    assert_eq!(
        error.errors[0].path,
        "$.command.report.project_facts.accepted_on"
    );

    // Every other bad project fact and element at once, each at its path.
    let mut r = report(
        "卫生间顶棚渗水",
        json!({"started_on": "2024-02-30", "accepted_on": "soon", "design_service_life_years": 0, "colour": 1}),
    );
    r["element"] = json!("roof");
    let error = classify(policy(), &r.to_string()).unwrap_err();
    let mut found = paths(&error);
    found.sort();
    assert_eq!(
        found,
        [
            ("invalid_date", "$.project_facts.accepted_on"),
            ("invalid_date", "$.project_facts.started_on"),
            ("invalid_value", "$.element"),
            ("out_of_range", "$.project_facts.design_service_life_years"),
            ("unknown_field", "$.project_facts.colour"),
        ]
        .map(|(c, p)| (c.to_owned(), p.to_owned()))
    );

    // The direct question refuses the same way.
    let error = ask(policy(), json!({"project_facts": {"started_on": "2024-05-01", "accepted_on": "2024-04-30"}, "element": "attic", "on": "2026-13-01"})).unwrap_err();
    assert_eq!(error.code.as_str(), "invalid_input");
    let mut found = paths(&error);
    found.sort();
    assert_eq!(
        found,
        [
            ("invalid_date", "$.on"),
            ("invalid_value", "$.element"),
            ("out_of_order", "$.project_facts.accepted_on"),
        ]
        .map(|(c, p)| (c.to_owned(), p.to_owned()))
    );
    let error = ask(policy(), json!({"element": "other"})).unwrap_err();
    assert_eq!(
        paths(&error),
        [("missing_field".to_owned(), "$.on".to_owned())]
    );
}

#[test]
fn a_policy_with_bad_warranty_periods_is_refused_with_every_path() {
    let mut p = default_policy_json();
    let w = &mut p["warranty"];
    w["design_service_life_years"] = json!(0);
    w["seasons"]["heating"]["from"] = json!("02-30");
    w["seasons"]["heating"]["to"] = json!("02-31");
    w["seasons"]["cooling"]["from"] = json!("02-29");
    w["seasons"]["cooling"]["to"] = json!("9-30");
    w["elements"]["roof"] = w["elements"]["waterproofing"].clone();
    w["elements"]["waterproofing"]["period"]["amount"] = json!(0);
    w["elements"]["decoration"]["period"]["amount"] = json!(-2);
    w["elements"]["installations"]["period"] =
        json!({"kind": "seasons", "amount": 2, "season": "rainy"});
    w["elements"]["other"]["period"] = json!({"kind": "years", "amount": 5000});
    w["elements"].as_object_mut().unwrap().remove("heating");
    w["elements"]["cooling"]["when"] = json!({"mentions": "no_such_list"});
    w["elements"]["other"]["when"] =
        json!({"all": [{"mentions": "leak"}, {"not": {"mentions": "leak"}}]});
    let error = Policy::from_value(&p).unwrap_err();
    assert_eq!(error.code.as_str(), "invalid_policy");
    let found = paths(&error);
    let e = "$.warranty.elements";
    for (code, path) in [
        (
            "invalid_period",
            "$.warranty.design_service_life_years".to_owned(),
        ),
        ("invalid_date", "$.warranty.seasons.heating.from".to_owned()),
        ("invalid_date", "$.warranty.seasons.heating.to".to_owned()),
        ("invalid_date", "$.warranty.seasons.cooling.from".to_owned()),
        ("invalid_date", "$.warranty.seasons.cooling.to".to_owned()),
        ("unknown_element", format!("{e}.roof")),
        ("invalid_period", format!("{e}.waterproofing.period.amount")),
        ("invalid_period", format!("{e}.decoration.period.amount")),
        ("unknown_season", format!("{e}.installations.period.season")),
        ("out_of_range", format!("{e}.other.period.amount")),
        ("missing_element", e.to_owned()),
        ("never_fires", format!("{e}.other.when")),
        ("unknown_term_list", format!("{e}.cooling.when.mentions")),
    ] {
        assert!(
            found.contains(&(code.to_owned(), path.clone())),
            "{code} at {path}: {found:#?}"
        );
    }
    let messages: Vec<&str> = error.errors.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("02-29 is not a day of every year")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`02-30` is not a day of the year")),
        "{messages:#?}"
    );

    // The shape is checked too: a period of no known kind, a season without its end.
    let mut p = default_policy_json();
    p["warranty"]["elements"]["other"]["period"] = json!({"kind": "months", "amount": 6});
    p["warranty"]["seasons"]["heating"]
        .as_object_mut()
        .unwrap()
        .remove("to");
    let found = paths(&Policy::from_value(&p).unwrap_err());
    assert!(
        found.contains(&(
            "invalid_value".to_owned(),
            "$.warranty.elements.other.period.kind".to_owned()
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "missing_field".to_owned(),
            "$.warranty.seasons.heating.to".to_owned()
        )),
        "{found:#?}"
    );
    assert_eq!(
        found.len(),
        2,
        "the period's other members are not blamed: {found:#?}"
    );
}

#[test]
fn a_policy_without_warranty_periods_loads_with_a_warning_and_answers_nothing() {
    let mut p = default_policy_json();
    p.as_object_mut().unwrap().remove("warranty");
    let bare = Policy::from_value(&p).unwrap();
    assert!(
        bare.warnings()
            .iter()
            .any(|d| d.code == "no_warranty" && d.path == "$.warranty")
    );
    let result = classify(
        &bare,
        &report("卫生间顶棚渗水", json!({"accepted_on": "2010-01-01"})).to_string(),
    )
    .unwrap();
    assert!(result.warranty.is_none());
    assert!(result.routing.service_request.is_none());
    let error = ask(&bare, json!({"element": "other", "on": "2026-03-02"})).unwrap_err();
    assert_eq!(error.errors[0].code, "no_warranty");
}
