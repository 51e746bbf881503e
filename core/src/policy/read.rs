//! The shape pass: the policy file read member by member into its document types.
//!
//! Every member of every section is read on its own, so one load reports every malformed member
//! of the file at once, each at its JSON path: a wrong type, a missing or unknown member, a name
//! outside a closed set, a condition or duration that is neither of its forms. What the members
//! mean (references, rules, durations' values) is checked by the meaning pass afterwards.
//!
//! These readers accept exactly what the documents' serde derives accept (the derives stay, for
//! Rust users); reading by hand keeps serde's generic deserialisers out of every host, the
//! WebAssembly package above all.

use serde_json::Value;

use crate::calendar::duration::read_spec as duration;
use crate::calendar::spec::{CalendarSpec, CoverageMode, HolidaySpec, WeekHours, YearSpec};
use crate::classify::spec::{
    AllOf, AnyOf, CategoryRule, CategoryRules, CategoryStrategy, ClassificationSpec, Condition,
    FactTest, Mentions, NegatedTest, NegationSpec, NotCondition, OneOrMany, QuantitySpec,
    QuantityTest, QuantityUnit, TermList, TierRule, TierRules, TierStrategy, UnitPosition,
};
use crate::domain::{EmergencyLevel, Labels};
use crate::error::{Diagnostic, JsonPath};
use crate::intake::Fact;
use crate::reader::{
    ObjectReader, boolean, i64_value, list, map, name, number, object, parsed, serde_value, string,
    strings, u8_value, u32_value, u64_value,
};
use crate::warranty::spec::{ElementSpec, PeriodSpec, SeasonSpec, WarrantySpec};

use super::document::{
    CategorySpec, ClockSpec, Duty, EmergencyActionSpec, EmergencyLevelSpec, EmergencySpec,
    EmergencyTrigger, LifecycleSpec, Permission, PlanElement, PlanSpec, PolicyDocument, RecordKind,
    TierDeadlines, TierSpec, VerificationSpec,
};

type Diagnostics = Vec<Diagnostic>;

/// Every member of the policy but `schema`, which the caller has checked.
pub(super) fn document(r: &mut ObjectReader<'_>, schema: u32) -> Option<PolicyDocument> {
    let name = r.field("name", string);
    let version = r.field("version", string);
    let json_schema = r.option_field("$schema", string);
    let description = r.option_field("description", string);
    let roles = r.field("roles", |v, p, d| map(v, p, d, labels));
    let categories = r.field("categories", |v, p, d| map(v, p, d, category));
    let classification = r.field("classification", classification);
    let emergency = r.field("emergency", emergency);
    let tiers = r.field("tiers", |v, p, d| map(v, p, d, tier));
    let clocks = r.field("clocks", clocks);
    let lifecycle = r.field("lifecycle", lifecycle);
    let calendar = r.field("calendar", calendar);
    let warranty = r.option_field("warranty", warranty);
    let model = r.option_field("model", serde_value);
    Some(PolicyDocument {
        json_schema: json_schema?,
        schema,
        name: name?,
        version: version?,
        description: description?,
        roles: roles?,
        categories: categories?,
        classification: classification?,
        emergency: emergency?,
        tiers: tiers?,
        clocks: clocks?,
        lifecycle: lifecycle?,
        calendar: calendar?,
        warranty: warranty?,
        model: model?,
    })
}

fn labels(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Labels> {
    object(v, p, d, |r| {
        let zh = r.field("zh", string);
        let en = r.field("en", string);
        Some(Labels { zh: zh?, en: en? })
    })
}

fn category(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<CategorySpec> {
    object(v, p, d, |r| {
        let labels = r.field("labels", labels);
        let default_tier = r.field("default_tier", u8_value);
        Some(CategorySpec {
            labels: labels?,
            default_tier: default_tier?,
        })
    })
}

// --- Classification -----------------------------------------------------------------------

fn classification(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<ClassificationSpec> {
    object(v, p, d, |r| {
        let terms = r.field("terms", |v, p, d| map(v, p, d, term_list));
        let negation = r.field("negation", negation);
        let quantities = r.default_field("quantities", |v, p, d| map(v, p, d, quantity));
        let category = r.field("category", category_rules);
        let tier = r.field("tier", tier_rules);
        let model_use = r.option_field("model_use", serde_value);
        Some(ClassificationSpec {
            terms: terms?,
            negation: negation?,
            quantities: quantities?.unwrap_or_default(),
            category: category?,
            tier: tier?,
            model_use: model_use?,
        })
    })
}

fn term_list(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<TermList> {
    object(v, p, d, |r| {
        let description = r.option_field("description", string);
        let negatable = r.default_field("negatable", boolean);
        let cancelled_by = r.default_field("cancelled_by", strings);
        let masks = r.default_field("masks", strings);
        let words = r.field("words", strings);
        Some(TermList {
            description: description?,
            negatable: negatable?.unwrap_or(true),
            cancelled_by: cancelled_by?.unwrap_or_default(),
            masks: masks?.unwrap_or_default(),
            words: words?,
        })
    })
}

fn negation(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<NegationSpec> {
    object(v, p, d, |r| {
        let cues = r.field("cues", strings);
        let adjacent_cues = r.default_field("adjacent_cues", strings);
        let not_cues = r.field("not_cues", strings);
        let scope_breaks = r.field("scope_breaks", strings);
        let sentence_breaks = r.field("sentence_breaks", strings);
        let max_gap = r.field("max_gap", u32_value);
        let max_gap_words = r.field("max_gap_words", u32_value);
        Some(NegationSpec {
            cues: cues?,
            adjacent_cues: adjacent_cues?.unwrap_or_default(),
            not_cues: not_cues?,
            scope_breaks: scope_breaks?,
            sentence_breaks: sentence_breaks?,
            max_gap: max_gap?,
            max_gap_words: max_gap_words?,
        })
    })
}

fn quantity(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<QuantitySpec> {
    object(v, p, d, |r| {
        let description = r.option_field("description", string);
        let units = r.field("units", |v, p, d| list(v, p, d, unit));
        Some(QuantitySpec {
            description: description?,
            units: units?,
        })
    })
}

fn unit(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<QuantityUnit> {
    object(v, p, d, |r| {
        let word = r.field("word", string);
        let multiplier = r.default_field("multiplier", u64_value);
        let position = r.default_field("position", |v, p, d| {
            name(
                v,
                p,
                d,
                &[
                    ("after", UnitPosition::After),
                    ("before", UnitPosition::Before),
                ],
            )
        });
        Some(QuantityUnit {
            word: word?,
            multiplier: multiplier?.unwrap_or(1),
            position: position?.unwrap_or_default(),
        })
    })
}

fn category_rules(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<CategoryRules> {
    object(v, p, d, |r| {
        let strategy = r.field("strategy", |v, p, d| {
            name(
                v,
                p,
                d,
                &[
                    ("highest_score", CategoryStrategy::HighestScore),
                    ("first_match", CategoryStrategy::FirstMatch),
                ],
            )
        });
        let tie_break = r.field("tie_break", strings);
        let fallback = r.field("fallback", string);
        let rules = r.field("rules", |v, p, d| list(v, p, d, category_rule));
        Some(CategoryRules {
            strategy: strategy?,
            tie_break: tie_break?,
            fallback: fallback?,
            rules: rules?,
        })
    })
}

fn category_rule(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<CategoryRule> {
    object(v, p, d, |r| {
        let id = r.field("id", string);
        let category = r.field("category", string);
        let weight = r.default_field("weight", u32_value);
        let when = r.field("when", condition);
        Some(CategoryRule {
            id: id?,
            category: category?,
            weight: weight?.unwrap_or(1),
            when: when?,
        })
    })
}

fn tier_rules(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<TierRules> {
    object(v, p, d, |r| {
        let strategy = r.field("strategy", |v, p, d| {
            name(
                v,
                p,
                d,
                &[
                    ("first_match", TierStrategy::FirstMatch),
                    ("most_serious", TierStrategy::MostSerious),
                ],
            )
        });
        let rules = r.field("rules", |v, p, d| list(v, p, d, tier_rule));
        Some(TierRules {
            strategy: strategy?,
            rules: rules?,
        })
    })
}

fn tier_rule(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<TierRule> {
    object(v, p, d, |r| {
        let id = r.field("id", string);
        let tier = r.field("tier", u8_value);
        let when = r.field("when", condition);
        Some(TierRule {
            id: id?,
            tier: tier?,
            when: when?,
        })
    })
}

/// The members that name a condition's form, in the order they are looked for.
const CONDITION_FORMS: [&str; 7] = [
    "any", "all", "not", "mentions", "negated", "fact", "quantity",
];

/// A condition: an object whose first member of [`CONDITION_FORMS`] says its form. Members
/// foreign to that form are flagged one by one.
pub(crate) fn condition(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Condition> {
    let form = match v {
        Value::Object(members) => CONDITION_FORMS
            .into_iter()
            .find(|form| members.contains_key(*form)),
        _ => None,
    };
    let Some(form) = form else {
        d.push(Diagnostic::error(
            "invalid_value",
            p,
            "not a condition: write {\"any\": [...]}, {\"all\": [...]}, {\"not\": {...}}, \
             {\"mentions\": \"list\"}, {\"negated\": \"list\"}, {\"fact\": \"name\"}, \
             {\"fact\": \"name\", \"at_least\": n} or {\"quantity\": \"name\", \"at_least\": n}",
        ));
        return None;
    };
    object(v, p, d, |r| match form {
        "any" => {
            let any = r.field("any", |v, p, d| list(v, p, d, condition));
            Some(Condition::Any(AnyOf { any: any? }))
        }
        "all" => {
            let all = r.field("all", |v, p, d| list(v, p, d, condition));
            Some(Condition::All(AllOf { all: all? }))
        }
        "not" => {
            let not = r.field("not", condition);
            Some(Condition::Not(NotCondition {
                not: Box::new(not?),
            }))
        }
        "mentions" => {
            let mentions = r.field("mentions", one_or_many);
            Some(Condition::Mentions(Mentions {
                mentions: mentions?,
            }))
        }
        "negated" => {
            let negated = r.field("negated", one_or_many);
            Some(Condition::Negated(NegatedTest { negated: negated? }))
        }
        "fact" => {
            let fact = r.field("fact", fact);
            let at_least = r.option_field("at_least", u64_value);
            Some(Condition::Fact(FactTest {
                fact: fact?,
                at_least: at_least?,
            }))
        }
        _ => {
            let quantity = r.field("quantity", string);
            let at_least = r.field("at_least", u64_value);
            Some(Condition::Quantity(QuantityTest {
                quantity: quantity?,
                at_least: at_least?,
            }))
        }
    })
}

fn one_or_many(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<OneOrMany> {
    match v {
        Value::String(s) => Some(OneOrMany::One(s.clone())),
        Value::Array(_) => strings(v, p, d).map(OneOrMany::Many),
        other => crate::reader::wrong_type(other, p, d, "a term list's name or a list of names"),
    }
}

fn fact(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Fact> {
    name(
        v,
        p,
        d,
        &[
            ("safety_hazard", Fact::SafetyHazard),
            ("main_structure", Fact::MainStructure),
            ("injuries", Fact::Injuries),
            ("households_affected", Fact::HouseholdsAffected),
            ("estimated_loss_cny", Fact::EstimatedLossCny),
            ("legal_action_threatened", Fact::LegalActionThreatened),
            ("media_attention", Fact::MediaAttention),
            ("delivery_blocked", Fact::DeliveryBlocked),
        ],
    )
}

// --- Emergency, tiers, clocks, lifecycle ------------------------------------------------------

fn emergency(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<EmergencySpec> {
    object(v, p, d, |r| {
        let implies_tier = r.field("implies_tier", u8_value);
        let triggers = r.field("triggers", |v, p, d| list(v, p, d, trigger));
        let levels = r.field("levels", |v, p, d| map(v, p, d, level));
        let review_due = r.field("review_due", duration);
        let drill_interval = r.field("drill_interval", duration);
        Some(EmergencySpec {
            implies_tier: implies_tier?,
            triggers: triggers?,
            levels: levels?,
            review_due: review_due?,
            drill_interval: drill_interval?,
        })
    })
}

fn trigger(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<EmergencyTrigger> {
    object(v, p, d, |r| {
        let id = r.field("id", string);
        let level = r.field("level", parsed::<EmergencyLevel>);
        let when = r.field("when", condition);
        Some(EmergencyTrigger {
            id: id?,
            level: level?,
            when: when?,
        })
    })
}

fn level(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<EmergencyLevelSpec> {
    object(v, p, d, |r| {
        let commander = r.field("commander", labels);
        let commanding_role = r.field("commanding_role", string);
        let actions = r.field("actions", |v, p, d| list(v, p, d, action));
        let status_update_every = r.field("status_update_every", duration);
        Some(EmergencyLevelSpec {
            commander: commander?,
            commanding_role: commanding_role?,
            actions: actions?,
            status_update_every: status_update_every?,
        })
    })
}

fn action(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<EmergencyActionSpec> {
    object(v, p, d, |r| {
        let id = r.field("id", string);
        let labels = r.field("labels", labels);
        let due = r.field("due", duration);
        let only_when = r.option_field("only_when", condition);
        Some(EmergencyActionSpec {
            id: id?,
            labels: labels?,
            due: due?,
            only_when: only_when?,
        })
    })
}

fn tier(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<TierSpec> {
    object(v, p, d, |r| {
        let labels = r.field("labels", labels);
        let plan = r.field("plan", plan);
        let verification = r.field("verification", verification);
        let deadlines = r.field("deadlines", deadlines);
        let records = r.field("records", |v, p, d| list(v, p, d, record_kind));
        let separation = r.default_field("separation_of_duties", |v, p, d| {
            list(v, p, d, |v, p, d| list(v, p, d, duty))
        });
        Some(TierSpec {
            labels: labels?,
            plan: plan?,
            verification: verification?,
            deadlines: deadlines?,
            records: records?,
            separation_of_duties: separation?.unwrap_or_default(),
        })
    })
}

fn duty(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Duty> {
    let names: Vec<(&str, Duty)> = Duty::ALL
        .iter()
        .map(|duty| (duty.as_str(), *duty))
        .collect();
    name(v, p, d, &names)
}

fn plan(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<PlanSpec> {
    object(v, p, d, |r| {
        let drafted_by = r.field("drafted_by", strings);
        let with = r.default_field("with", strings);
        let consult_departments = r.default_field("consult_departments", strings);
        let must_contain = r.field("must_contain", |v, p, d| list(v, p, d, plan_element));
        let approved_by = r.default_field("approved_by", strings);
        let filed_with = r.option_field("filed_with", string);
        Some(PlanSpec {
            drafted_by: drafted_by?,
            with: with?.unwrap_or_default(),
            consult_departments: consult_departments?.unwrap_or_default(),
            must_contain: must_contain?,
            approved_by: approved_by?.unwrap_or_default(),
            filed_with: filed_with?,
        })
    })
}

fn plan_element(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<PlanElement> {
    name(
        v,
        p,
        d,
        &[
            ("measures", PlanElement::Measures),
            ("responsible_people", PlanElement::ResponsiblePeople),
            ("milestones", PlanElement::Milestones),
        ],
    )
}

fn record_kind(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<RecordKind> {
    name(
        v,
        p,
        d,
        &[
            ("contact_record", RecordKind::ContactRecord),
            ("plan", RecordKind::Plan),
            ("expert_consultation", RecordKind::ExpertConsultation),
            ("plan_approval", RecordKind::PlanApproval),
            ("verification_record", RecordKind::VerificationRecord),
            ("verification_report", RecordKind::VerificationReport),
            ("signed_confirmation", RecordKind::SignedConfirmation),
        ],
    )
}

fn verification(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<VerificationSpec> {
    object(v, p, d, |r| {
        let by = r.field("by", strings);
        let all_must_pass = r.field("all_must_pass", boolean);
        let report_required = r.field("report_required", boolean);
        Some(VerificationSpec {
            by: by?,
            all_must_pass: all_must_pass?,
            report_required: report_required?,
        })
    })
}

fn deadlines(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<TierDeadlines> {
    object(v, p, d, |r| {
        let contact = r.field("contact", duration);
        let commitment_cap = r.option_field("commitment_cap", duration);
        let plan = r.field("plan", duration);
        let approval = r.option_field("approval", duration);
        let progress_every = r.option_field("progress_every", duration);
        let verification = r.field("verification", duration);
        let customer_reply = r.field("customer_reply", duration);
        Some(TierDeadlines {
            contact: contact?,
            commitment_cap: commitment_cap?,
            plan: plan?,
            approval: approval?,
            progress_every: progress_every?,
            verification: verification?,
            customer_reply: customer_reply?,
        })
    })
}

fn clocks(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<ClockSpec> {
    object(v, p, d, |r| {
        let at_risk_fraction = r.field("at_risk_fraction", number);
        let escalation_chain = r.field("escalation_chain", strings);
        let tier1_breach_observers = r.field("tier1_breach_observers", strings);
        Some(ClockSpec {
            at_risk_fraction: at_risk_fraction?,
            escalation_chain: escalation_chain?,
            tier1_breach_observers: tier1_breach_observers?,
        })
    })
}

fn lifecycle(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<LifecycleSpec> {
    object(v, p, d, |r| {
        let permissions = r.field("permissions", |v, p, d| map(v, p, d, permission));
        let lower_tier_1 = r.field("lower_tier_1", strings);
        let raise = r.field("raise_tier_after_rejections", u32_value);
        let tier_review_due = r.option_field("tier_review_due", duration);
        Some(LifecycleSpec {
            permissions: permissions?,
            lower_tier_1: lower_tier_1?,
            raise_tier_after_rejections: raise?,
            tier_review_due: tier_review_due?,
        })
    })
}

fn permission(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<Permission> {
    match v {
        Value::Array(_) => strings(v, p, d).map(Permission::Everywhere),
        Value::Object(_) => map(v, p, d, strings).map(Permission::PerTier),
        other => crate::reader::wrong_type(
            other,
            p,
            d,
            "a list of roles, or an object of lists keyed \"1\", \"2\", \"3\"",
        ),
    }
}

// --- Calendar -------------------------------------------------------------------------------

fn calendar(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<CalendarSpec> {
    object(v, p, d, |r| {
        let utc_offset = r.field("utc_offset", string);
        let working_hours = r.field("working_hours", week_hours);
        let make_up_day_hours = r.field("make_up_day_hours", strings);
        let coverage = r.field("coverage", |v, p, d| {
            name(
                v,
                p,
                d,
                &[
                    ("lenient", CoverageMode::Lenient),
                    ("strict", CoverageMode::Strict),
                ],
            )
        });
        let years = r.field("years", |v, p, d| map(v, p, d, year));
        Some(CalendarSpec {
            utc_offset: utc_offset?,
            working_hours: working_hours?,
            make_up_day_hours: make_up_day_hours?,
            coverage: coverage?,
            years: years?,
        })
    })
}

fn week_hours(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<WeekHours> {
    object(v, p, d, |r| {
        let [mon, tue, wed, thu, fri, sat, sun] =
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(|day| r.field(day, strings));
        Some(WeekHours {
            mon: mon?,
            tue: tue?,
            wed: wed?,
            thu: thu?,
            fri: fri?,
            sat: sat?,
            sun: sun?,
        })
    })
}

fn year(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<YearSpec> {
    object(v, p, d, |r| {
        let source = r.option_field("source", string);
        let off = r.field("off", |v, p, d| list(v, p, d, holiday));
        let work = r.field("work", strings);
        Some(YearSpec {
            source: source?,
            off: off?,
            work: work?,
        })
    })
}

fn holiday(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<HolidaySpec> {
    object(v, p, d, |r| {
        let name = r.field("name", string);
        let dates = r.field("dates", strings);
        Some(HolidaySpec {
            name: name?,
            dates: dates?,
        })
    })
}

// --- Warranty -------------------------------------------------------------------------------

fn warranty(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<WarrantySpec> {
    object(v, p, d, |r| {
        let design_service_life_years = r.field("design_service_life_years", i64_value);
        let seasons = r.field("seasons", |v, p, d| map(v, p, d, season));
        let elements = r.field("elements", |v, p, d| map(v, p, d, element));
        Some(WarrantySpec {
            design_service_life_years: design_service_life_years?,
            seasons: seasons?,
            elements: elements?,
        })
    })
}

fn season(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<SeasonSpec> {
    object(v, p, d, |r| {
        let labels = r.field("labels", labels);
        let from = r.field("from", string);
        let to = r.field("to", string);
        Some(SeasonSpec {
            labels: labels?,
            from: from?,
            to: to?,
        })
    })
}

fn element(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<ElementSpec> {
    object(v, p, d, |r| {
        let labels = r.field("labels", labels);
        let period = r.field("period", period);
        let when = r.option_field("when", condition);
        Some(ElementSpec {
            labels: labels?,
            period: period?,
            when: when?,
        })
    })
}

/// A period: an object whose `kind` says which members it has.
fn period(v: &Value, p: &JsonPath, d: &mut Diagnostics) -> Option<PeriodSpec> {
    #[derive(Clone, Copy)]
    enum Kind {
        Years,
        Seasons,
        DesignServiceLife,
    }
    object(v, p, d, |r| {
        let kind = r.field("kind", |v, p, d| {
            name(
                v,
                p,
                d,
                &[
                    ("years", Kind::Years),
                    ("seasons", Kind::Seasons),
                    ("design_service_life", Kind::DesignServiceLife),
                ],
            )
        });
        let Some(kind) = kind else {
            // The kind is what is wrong, not the members it would have named.
            r.raw("amount");
            r.raw("season");
            return None;
        };
        match kind {
            Kind::Years => {
                let amount = r.field("amount", i64_value);
                Some(PeriodSpec::Years { amount: amount? })
            }
            Kind::Seasons => {
                let amount = r.field("amount", i64_value);
                let season = r.field("season", string);
                Some(PeriodSpec::Seasons {
                    amount: amount?,
                    season: season?,
                })
            }
            Kind::DesignServiceLife => Some(PeriodSpec::DesignServiceLife {}),
        }
    })
}
