//! The classification corpus: the public samples and our own realistic reports, in Chinese and
//! English, each with the answer the default policy must give (`tests/data/`).
//!
//! The rules are held to every line of the corpora they were tuned on (corpora 1-8), with the
//! disputes and known misses listed and bounded. The shipped policy (the rules with the learned
//! model) is held to the samples, and to never lowering the rules' tier. How both do on reports
//! they have not seen is measured, not asserted: `caseflow evaluate` (docs/classification.md).

// Test helpers fail loudly: a panic is how a test reports a broken fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use caseflow_core::api::classify;
use caseflow_core::classify::{Evidence, TierSource};
use caseflow_core::{Classification, ErrorCode, Policy, Report};
use serde_json::Value;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| Policy::builtin().expect("the default policy loads"))
}

/// The rules' answer alone, as if the policy had no model.
fn by_rules(report: &Value) -> Result<Classification, caseflow_core::Error> {
    Ok(policy().classify_by_rules(&Report::from_value(report)?))
}

fn lines(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}: {l}")))
        .collect()
}

/// Lines of a labelled corpus whose label we dispute, with the reason. Kept short and argued:
/// each is a judgement call where the policy text supports the engine's answer.
/// `(id, pinned, reason)`: `pinned` is `field=value` for the field whose label we dispute, with
/// the engine's answer today (strings unquoted, `null` for none), which must not change
/// unnoticed; the other fields must still agree.
const DISPUTED: &[(&str, &str, &str)] = &[
    (
        "C-044",
        "tier=2",
        "uneven skirting boards are a workmanship defect (policy.md §3.2 tier 2: 局部施工质量缺陷), \
         not only a finishing detail",
    ),
    (
        "K-047",
        "tier=2",
        "a delay is tier 2 even when slight (policy.md §3.2 gives 工期稍有延误 as its tier-2 \
         example); the labeller made a late sign tier 3",
    ),
    (
        "Z-158",
        "tier=2",
        "a delay is tier 2 even when slight (policy.md §3.2: 工期稍有延误); the labeller made late \
         mailboxes tier 3",
    ),
    (
        "Z-160",
        "tier=2",
        "a delay is tier 2 even when slight (policy.md §3.2: 工期稍有延误); the labeller made late \
         door signs tier 3",
    ),
    (
        "V-126",
        "category=schedule",
        "the report is about a missed key date as much as the heating that caused it; the engine \
         weighs the missed date (schedule), the labeller the cause (quality); tier and emergency agree",
    ),
    (
        "Z-006",
        "category=quality",
        "an unguarded lift-shaft opening is a hazard in the work (quality), the labeller filed it \
         under workmanship (technical); tier and emergency agree",
    ),
    (
        "Z-074",
        "category=quality",
        "bare live wires left hanging are a hazard in the work (quality), the labeller filed them \
         under workmanship (technical); tier and emergency agree",
    ),
    (
        "F-092",
        "category=other",
        "unclear labels are signage, policy.md §3.2's own tier-3 example, which the rules file under \
         other; the labeller made circuit labels technical; tier and emergency agree",
    ),
    (
        "F-180",
        "emergency=II",
        "hollow tiles found in twenty-odd households: households affected ≥ 10 is an emergency of \
         level II (policy.md §7); the labeller counted no trigger",
    ),
    (
        "H8-054",
        "category=quality",
        "an open lift-shaft edge is a hazard in the work (quality), as for Z-006; the labeller filed it under work not to code (technical); tier and emergency agree",
    ),
    (
        "H8-082",
        "category=quality",
        "sparking, cross-wired distribution boxes are a hazard in the work (quality), as for Z-074; the labeller filed them under work not to code (technical); tier and emergency agree",
    ),
];

/// Lines the engine gets wrong today, with what would fix them. Unlike `DISPUTED`, the label is
/// right; they are listed so that the corpus can keep every other line exact. A line that starts
/// agreeing must leave this list, and one whose wrong answer changes must be looked at again.
/// `(id, pinned, reason)`: each wrong field with today's wrong value, `field=value`,
/// comma-separated.
const KNOWN_MISSES: &[(&str, &str, &str)] = &[
    (
        "F-008",
        "category=quality",
        "keys withheld unless the buyer waives defect claims is the team's conduct (service); the \
         word 'defect' scores quality and no rule reads coercion",
    ),
    (
        "F-135",
        "category=quality",
        "taps that differ from the as-built drawings: the finish words outscore the drawing",
    ),
    (
        "F-143",
        "category=service",
        "an uncovered drain pit, reported three times: the ignored reports (service) outscore the \
         facility (other), though the hazard is the subject",
    ),
    (
        "F-159",
        "category=service,tier=3",
        "a window built as a wall, 'nobody told us': the response wording (service) outscores the \
         drawings (technical), and service defaults to tier 3",
    ),
    (
        "F-162",
        "category=quality,tier=2",
        "a smelly bin store: 'smells' scores a malfunction (quality) and ties the amenity (other); \
         the tie-break prefers quality",
    ),
    (
        "F-164",
        "category=schedule",
        "damp and mould that stop the move-in: the demanded postponement (schedule) outweighs the \
         defect that caused it (quality)",
    ),
    (
        "G-025",
        "category=quality",
        "anchors of a lower grade than designed: the hazard in the work (quality) and the facade outscore the substandard material (technical)",
    ),
    (
        "G-027",
        "tier=1",
        "cracks in a neighbour's boundary wall after excavation: read as damage to a structural member",
    ),
    (
        "G-028",
        "category=other",
        "a facade's insulation falling onto the pavement: the hazard next to a pavement scores other, though the facade is the company's work",
    ),
    (
        "G-055",
        "tier=1",
        "'storm drains still not connected' reads as utilities not connected, which blocks delivery",
    ),
    (
        "G-058",
        "category=other",
        "a tower-crane tie not installed per the manual: the site's surroundings outscore the installation fault (technical)",
    ),
    (
        "G-069",
        "category=quality,tier=2",
        "a failing gate access system: access control is scored as building services (quality), the labeller calls it an ancillary facility (other)",
    ),
    (
        "G-072",
        "category=quality",
        "excavation support not built to the approved method, with collapse danger: the hazard in the work (quality) outscores the method (technical)",
    ),
    (
        "G-088",
        "category=quality",
        "two trades programmed into the same week: no rule reads a clash in the programme as a schedule problem",
    ),
    (
        "G-093",
        "category=technical",
        "peeling floor finish that 'does not meet the specification': the specification wording scores technical; the built work failing the contract is quality",
    ),
    (
        "G-106",
        "category=technical",
        "honeycombing that 'fails the acceptance standard': the standard wording scores technical; the built work failing is quality",
    ),
    (
        "G-111",
        "category=schedule,tier=2",
        "a temporary walkway too narrow during the works: 'during the works' scores schedule",
    ),
    (
        "G-158",
        "category=quality",
        "purlins cut without approval: the hazard in the work (quality) outscores the unapproved alteration (technical)",
    ),
    (
        "G-188",
        "tier=1",
        "a snag list with 'pipes through the floor slab': the slab is read as the main structure",
    ),
    (
        "G-194",
        "category=other,tier=3",
        "a car-park floor that dusts: dust scores the surroundings (other); the floor failing the contract is quality",
    ),
    (
        "G-196",
        "category=schedule",
        "noise and dust that delayed the client's own orders: the client's delay scores schedule",
    ),
    (
        "H8-011",
        "category=schedule,tier=2",
        "night work and noise: 'still working' scores unfinished work (schedule) over the noise (other)",
    ),
    (
        "H8-043",
        "category=quality",
        "a label on a layout drawing that disagrees with the notes: the drawing vocabulary misses 'disagrees'",
    ),
    (
        "H8-052",
        "category=quality,tier=2",
        "a slow gate card reader: access control is scored as building services (quality), the labeller calls it an ancillary facility (other)",
    ),
    (
        "H8-069",
        "category=service,tier=3",
        "gas connection dragging on: the service wording 'keeps dragging' masks the delay",
    ),
    (
        "H8-111",
        "category=quality",
        "a typo on a delivery note: no rule reads paperwork about material as technical",
    ),
    (
        "H8-123",
        "category=quality",
        "hot-water pipes of the cold-water grade: the material mismatch wording is not recognised",
    ),
    (
        "H8-160",
        "category=quality",
        "sparks from a cabinet in the bike shed: the cabinet counts as a building element, so the hazard is not filed under the facility (other)",
    ),
];

/// The most lines each list may hold: a list only shrinks, unless a new line is argued in and
/// the bound raised with it, in review.
const MOST_DISPUTED: usize = 11;
const MOST_KNOWN_MISSES: usize = 28;

/// Reports labelled tier 1 or 2 that the engine puts at tier 3 today, each a known miss with its
/// tier pinned at 3: the only exceptions to the tier-2 floor.
const BELOW_THE_TIER_2_FLOOR: &[&str] = &["F-159", "G-194", "H8-069"];

/// A classification field as the lists write it: strings unquoted, `null` for none.
fn written(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The excused fields of `id` with their pinned values.
fn excused(id: &str) -> Vec<(&'static str, &'static str)> {
    DISPUTED
        .iter()
        .chain(KNOWN_MISSES)
        .filter(|(d, _, _)| *d == id)
        .flat_map(|(_, pinned, _)| pinned.split(','))
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect()
}

fn check_corpus(path: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for row in lines(path) {
        let id = row["report"]["id"].as_str().unwrap_or("?").to_owned();
        let result = match by_rules(&row["report"]) {
            Ok(r) => serde_json::to_value(r).unwrap(),
            Err(e) => {
                failures.push(format!("{id}: refused: {e}"));
                continue;
            }
        };
        let expect = &row["expect"];
        let excused = excused(&id);
        let mut wrong = Vec::new();
        for field in ["category", "tier", "emergency"] {
            let differs =
                !(field == "category" && expect[field].is_null()) && expect[field] != result[field];
            match excused.iter().find(|(f, _)| *f == field) {
                Some(_) if !differs => failures.push(format!(
                    "{id}: {field} is listed in DISPUTED or KNOWN_MISSES but now agrees; remove it"
                )),
                Some((_, pinned)) if written(&result[field]) != *pinned => failures.push(format!(
                    "{id}: {field} is now {} where the list pins {pinned}: look at it again and update the list",
                    result[field]
                )),
                Some(_) => {}
                None if differs => wrong.push(format!(
                    "{field} {} (expected {})",
                    result[field], expect[field]
                )),
                None => {}
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{id}: {} — {}",
                wrong.join(", "),
                row["report"]["description"]
            ));
        }
    }
    failures
}

#[test]
fn the_excuse_lists_are_bounded_and_name_real_lines_and_fields() {
    assert!(
        DISPUTED.len() <= MOST_DISPUTED,
        "{} disputed lines, at most {MOST_DISPUTED}",
        DISPUTED.len()
    );
    assert!(
        KNOWN_MISSES.len() <= MOST_KNOWN_MISSES,
        "{} known misses, at most {MOST_KNOWN_MISSES}",
        KNOWN_MISSES.len()
    );
    let ids: std::collections::BTreeSet<String> = every_labelled_file()
        .flat_map(lines)
        .map(|row| row["report"]["id"].as_str().unwrap().to_owned())
        .collect();
    let mut listed = std::collections::BTreeSet::new();
    for (id, pinned, reason) in DISPUTED.iter().chain(KNOWN_MISSES) {
        assert!(ids.contains(*id), "{id} is not a line of any corpus");
        assert!(listed.insert(*id), "{id} is listed twice");
        assert!(reason.len() > 20, "{id}: give the reason");
        for (field, value) in excused(id) {
            assert!(
                ["category", "tier", "emergency"].contains(&field) && !value.is_empty(),
                "{id}: `{pinned}` pins field=value pairs"
            );
        }
    }
    for id in BELOW_THE_TIER_2_FLOOR {
        assert!(
            KNOWN_MISSES
                .iter()
                .any(|(d, pinned, _)| d == id && pinned.split(',').any(|p| p == "tier=3")),
            "{id}: an exception to the floor is a known miss pinned at tier 3"
        );
    }
}

#[test]
fn the_rules_classify_every_public_sample_as_published() {
    let failures = check_corpus("tests/data/samples.jsonl");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_shipped_policy_answers_every_sample_as_published_or_asks_a_person() {
    // With the model, a sample may be flagged: tier 1 provisional, with the published tier as the
    // tier a person would lower it to. Never a wrong category, emergency or unflagged tier.
    let mut flagged = Vec::new();
    for row in lines("tests/data/samples.jsonl") {
        let id = row["report"]["id"].as_str().unwrap().to_owned();
        let result =
            serde_json::to_value(classify(policy(), &row["report"].to_string()).unwrap()).unwrap();
        let expect = &row["expect"];
        if !expect["category"].is_null() {
            assert_eq!(result["category"], expect["category"], "{id}");
        }
        assert_eq!(result["emergency"], expect["emergency"], "{id}");
        if result["review"].is_null() {
            assert_eq!(result["tier"], expect["tier"], "{id}");
        } else {
            assert_eq!(result["tier"], 1, "{id}: a review answers tier 1");
            assert_eq!(
                result["review"]["assessed_tier"], expect["tier"],
                "{id}: the tier a person would lower it to"
            );
            flagged.push(id);
        }
    }
    assert!(
        flagged.len() <= 2,
        "at most two of the twenty samples flagged: {flagged:?}"
    );
}

#[test]
fn the_model_never_lowers_a_tier_the_rules_decided_nor_touches_the_emergency() {
    for path in every_labelled_file().chain(HELD_OUT.iter().copied()) {
        for row in lines(path) {
            let report = Report::from_value(&row["report"]).unwrap();
            let rules = policy().classify_by_rules(&report);
            let shipped = policy().classify(&report);
            let id = &row["report"]["id"];
            let before_review = shipped
                .review
                .as_ref()
                .map_or(shipped.tier, |r| r.assessed_tier);
            // A tier the rules' tier rules or facts decided is a floor. A category's default tier
            // follows the category, which the model may choose differently.
            let by_a_rule = !matches!(
                rules.explanation.tier.decided_by,
                TierSource::CategoryDefault { .. }
            );
            assert!(
                before_review <= rules.tier || !by_a_rule,
                "{id}: the model lowered tier {} to {}",
                rules.tier,
                before_review
            );
            assert_eq!(shipped.emergency, rules.emergency, "{id}");
            if let Some(review) = &shipped.review {
                let p = shipped.explanation.model.as_ref().unwrap();
                assert!(
                    review.tier_1_probability >= p.review_threshold,
                    "{id}: flagged below the threshold"
                );
            }
        }
    }
}

/// Our own labelled reports. Each file was written blind (its author saw docs/policy.md and the
/// samples, never the rules); the rules were then improved on them.
const CORPORA: &[&str] = &[
    "tests/data/corpus/reports-1.jsonl",
    "tests/data/corpus/reports-2.jsonl",
    "tests/data/corpus/reports-3.jsonl",
    "tests/data/corpus/reports-4.jsonl",
    "tests/data/corpus/reports-5.jsonl",
    "tests/data/corpus/reports-6.jsonl",
    "tests/data/corpus/reports-7.jsonl",
    "tests/data/corpus/reports-8.jsonl",
];

/// Corpora written blind after the rules stopped being tuned: scored once by the rules and the
/// model before they taught the model anything, and never used to change a rule.
const HELD_OUT: &[&str] = &[
    "tests/data/corpus/reports-9.jsonl",
    "tests/data/corpus/reports-10.jsonl",
    "tests/data/corpus/reports-11.jsonl",
    "tests/data/corpus/reports-12.jsonl",
];

fn every_labelled_file() -> impl Iterator<Item = &'static str> {
    CORPORA.iter().copied().chain(["tests/data/samples.jsonl"])
}

#[test]
fn our_corpus_of_realistic_reports_is_classified_as_labelled() {
    let mut total = 0;
    let mut failures = Vec::new();
    for path in CORPORA {
        total += lines(path).len();
        failures.extend(check_corpus(path));
    }
    assert!(total >= 100, "the corpus keeps at least 100 reports");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_tier_1_report_of_the_tuned_corpora_is_classified_below_tier_1_by_the_rules() {
    // A missed tier 1 (safety, structure, injuries) is the worst error there is: no dispute may
    // ever excuse one.
    for path in every_labelled_file() {
        for row in lines(path) {
            if row["expect"]["tier"] == 1 {
                let result = by_rules(&row["report"]).unwrap();
                assert_eq!(result.tier.number(), 1, "{}", row["report"]);
            }
        }
    }
}

#[test]
fn no_tier_1_or_2_report_is_classified_tier_3_but_the_pinned_exceptions() {
    // Tier 3 has no approval step and the shortest commitments: a real problem sent there loses
    // its review. The exceptions are known misses, pinned, and may only shrink.
    let mut below = Vec::new();
    for path in every_labelled_file() {
        for row in lines(path) {
            let labelled = row["expect"]["tier"].as_u64().unwrap();
            if labelled <= 2 {
                let result = by_rules(&row["report"]).unwrap();
                if result.tier.number() == 3 {
                    below.push(row["report"]["id"].as_str().unwrap().to_owned());
                }
            }
        }
    }
    below.sort();
    assert_eq!(
        below, BELOW_THE_TIER_2_FLOOR,
        "reports labelled tier 1 or 2 at tier 3"
    );
}

#[test]
fn invalid_reports_are_refused_naming_every_bad_field() {
    for row in lines("tests/data/corpus/invalid_reports.jsonl") {
        let err = classify(policy(), &row["report"].to_string()).expect_err("must be refused");
        assert_eq!(err.code, ErrorCode::InvalidReport, "{}", row["report"]);
        let mut got: Vec<&str> = err.errors.iter().map(|d| d.path.as_str()).collect();
        got.sort_unstable();
        got.dedup();
        let mut want: Vec<&str> = row["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        want.sort_unstable();
        assert_eq!(got, want, "{}", row["report"]);
    }
}

#[test]
fn every_text_evidence_span_points_at_its_text() {
    for path in every_labelled_file() {
        for row in lines(path) {
            let description: Vec<char> = row["report"]["description"]
                .as_str()
                .unwrap()
                .chars()
                .collect();
            let result = classify(policy(), &row["report"].to_string()).unwrap();
            let e = &result.explanation;
            let evidence = e
                .category
                .rules
                .iter()
                .flat_map(|r| &r.evidence)
                .chain(e.tier.rules.iter().flat_map(|r| &r.evidence))
                .chain(e.emergency.triggers.iter().flat_map(|r| &r.evidence));
            for item in evidence {
                if let Evidence::Text {
                    text, start, end, ..
                }
                | Evidence::Quantity {
                    text, start, end, ..
                } = item
                {
                    let span: String = description[*start..*end].iter().collect();
                    assert_eq!(&span, text, "{}", row["report"]["id"]);
                }
            }
            for negated in &e.negated {
                let span: String = description[negated.start..negated.end].iter().collect();
                assert_eq!(span, negated.text);
            }
        }
    }
}
