//! Every diagnostic code, with what it means: the strings hosts switch on in
//! `errors[].code`.
//!
//! The table is the contract. `tests/diagnostic_codes.rs` scans the source of the engine and of
//! its C and WebAssembly boundaries and fails on a code made anywhere that is not listed here,
//! and on a listed code that nothing makes; the constructors of [`Diagnostic`](super::Diagnostic)
//! check (in debug builds) that each code they are given is listed. `docs/errors.md` is
//! generated from this table. A code, once released, keeps its meaning; a new problem gets a new
//! code.

/// Every diagnostic code the engine and its bindings write, sorted, each with one line saying
/// what it means. Codes are `snake_case` ASCII. The same code may be made at many paths (a
/// `missing_field` anywhere in any input); the message and the path say which value is at fault.
pub const DIAGNOSTIC_CODES: &[(&str, &str)] = &[
    (
        "actions_open",
        "`end_emergency` is given while a mandated emergency action is neither done nor waived; one diagnostic names each open action.",
    ),
    (
        "already_paused",
        "A clock is paused again while a pause is still open.",
    ),
    (
        "already_stopped",
        "A clock is stopped again after it stopped.",
    ),
    (
        "already_verified",
        "A verifier verifies the same round of work a second time.",
    ),
    (
        "always_true",
        "A policy condition holds for every report (e.g. `at_least: 0`), so it decides nothing.",
    ),
    (
        "ambiguous_role",
        "The actor holds several roles that may do this: the command must name one with `role`.",
    ),
    (
        "ambiguous_step",
        "A scenario step is both a `command` and a `tick`.",
    ),
    (
        "approval_deadline_mismatch",
        "A tier has an approval deadline without plan approvers, or approvers without a deadline.",
    ),
    (
        "approved_and_filed",
        "A tier's plan is both approved (`approved_by`) and only filed (`filed_with`).",
    ),
    (
        "before_start",
        "A clock is paused or stopped before it started.",
    ),
    (
        "beyond_cap",
        "A committed deadline is later than the tier's cap after acceptance.",
    ),
    (
        "blank_term",
        "A term list contains a blank term, which would match everywhere.",
    ),
    (
        "calendar_gap",
        "Warning: the calendar covers years on both sides of a year it does not schedule.",
    ),
    (
        "calendar_not_covered",
        "A date falls in a year the calendar does not cover (a warning, or refused in strict mode).",
    ),
    (
        "case_ended",
        "A command is given to a case that is closed or otherwise ended.",
    ),
    ("clock_stopped", "A stopped clock is paused or resumed."),
    (
        "closure_unreachable",
        "Policy analysis: a case of the tier can reach a state from which no sequence of commands the policy allows closes it (a deadlock), or cannot be opened at all; the counterexample leads to the first such state.",
    ),
    (
        "command_without_role",
        "Policy analysis: no role may issue a command the tier's handling needs (its permission, drafters, approvers or verifiers are empty, or nobody may review or lower a tier-1 case).",
    ),
    (
        "conflicting_fields",
        "Two members that exclude each other are both given.",
    ),
    (
        "consultation_incomplete",
        "A plan lacks the consultation of every department the tier requires.",
    ),
    (
        "control_character",
        "A text contains a control character, or an identifier a line break.",
    ),
    (
        "corrupt_log",
        "A stored event or snapshot fails its integrity check (hash chain, anchor or seal).",
    ),
    (
        "date_outside_year",
        "A calendar date is listed under a year it does not belong to.",
    ),
    (
        "deadline_passed",
        "A committed deadline is not in the future.",
    ),
    (
        "deadlines_unmeetable",
        "Policy analysis: a tier's deadlines cannot all be met: the commitment cap is shorter than the plan, approval and verification deadlines it must contain.",
    ),
    (
        "duplicate",
        "A model lists the same category or tier twice.",
    ),
    ("duplicate_date", "A calendar lists the same day off twice."),
    (
        "duplicate_duty",
        "A separation-of-duties rule names the same duty twice.",
    ),
    ("duplicate_id", "A rule or action id is already used."),
    (
        "duplicate_key",
        "A JSON object names the same member twice (refused in every input: no two readers may see two different values).",
    ),
    (
        "duties_not_separated",
        "A tier lets one person both submit and approve the same plan.",
    ),
    (
        "emergency_declared",
        "`declare_emergency` is given to a case whose emergency is still running (raise it instead).",
    ),
    (
        "emergency_ended",
        "An emergency command that needs a running emergency is given after it was declared over.",
    ),
    (
        "emergency_level_lower",
        "`raise_emergency` names a level no more serious than the current one, or `declare_emergency` one less serious than the case's level or the triggers': a level is never lowered.",
    ),
    (
        "emergency_tier",
        "A reclassification would take an emergency out of tier 1.",
    ),
    (
        "empty",
        "A required text is blank, or a list or record that must hold something is empty.",
    ),
    (
        "empty_condition",
        "An `all`/`any` condition has no conditions in it.",
    ),
    (
        "empty_list",
        "A list that must name something (roles, terms, categories, escalations) is empty.",
    ),
    (
        "empty_plan",
        "A tier's plan contains nothing, not even its measures.",
    ),
    ("empty_rule", "A separation-of-duties rule names no duties."),
    (
        "empty_shift",
        "A working-hours shift does not end after it starts.",
    ),
    (
        "exploration_incomplete",
        "Policy analysis: the search of a tier's workflow stopped at its bound, so what it did not reach was not judged.",
    ),
    (
        "granted_by_tier",
        "A permission is given in `lifecycle.permissions` that each tier's routing grants instead.",
    ),
    (
        "hash_mismatch",
        "A replayed event hashes differently from the stored one.",
    ),
    (
        "incompatible_summaries",
        "Supervision summaries of different periods, instants or policies are merged.",
    ),
    (
        "incomplete_tie_break",
        "The category tie-break order does not list every category.",
    ),
    (
        "internal",
        "A bug in caseflow: an invariant did not hold. Please report it.",
    ),
    (
        "invalid_date",
        "A date is not written YYYY-MM-DD, or does not exist.",
    ),
    (
        "invalid_duration",
        "A duration is not `N unit` (or `{amount, unit}`) with a known unit and an amount in range.",
    ),
    (
        "invalid_email",
        "A contact's email is not an email address.",
    ),
    (
        "invalid_fact_test",
        "A condition tests a yes/no fact with `at_least`.",
    ),
    (
        "invalid_handle",
        "C ABI: a policy handle is not a live policy (already freed, or not made by this library).",
    ),
    (
        "invalid_instant",
        "An instant is not RFC 3339 with an explicit offset (`Z` or `±hh:mm`).",
    ),
    (
        "invalid_json",
        "The input is not JSON, or not of the shape the call expects.",
    ),
    (
        "invalid_key",
        "A seal key is not 32 to 64 bytes written as hexadecimal digits.",
    ),
    (
        "invalid_offset",
        "A calendar's UTC offset is not `±hh:mm` between -18:00 and +18:00.",
    ),
    (
        "invalid_period",
        "A warranty period is shorter than one year or season.",
    ),
    ("invalid_phone", "A contact's phone is not a phone number."),
    (
        "invalid_shift",
        "A working-hours shift is not written `hh:mm-hh:mm`.",
    ),
    ("invalid_tier", "A tier is not 1, 2 or 3."),
    (
        "invalid_time",
        "A time of day is not `hh:mm` between 00:00 and 24:00.",
    ),
    (
        "invalid_transition",
        "A stored event is refused when the log is replayed.",
    ),
    (
        "invalid_unit",
        "A quantity's unit lacks its word, or has a multiplier below 1.",
    ),
    ("invalid_utf8", "C ABI: a text argument is not valid UTF-8."),
    (
        "invalid_value",
        "A value is of the right type but not one the member accepts.",
    ),
    (
        "invalid_year",
        "A calendar schedule is not keyed by a four-digit year.",
    ),
    (
        "keyword_in_two_categories",
        "Warning (policy analysis): a term on its own makes category rules of two categories fire with the same total weight, so only the tie-break order decides between them.",
    ),
    (
        "length_mismatch",
        "A model's weights or biases do not have one entry per vocabulary item or class.",
    ),
    (
        "make_up_on_working_day",
        "Warning: a make-up working day falls on a day that is already a working day.",
    ),
    (
        "matcher_too_large",
        "The policy's term lists are too large to compile into a matcher.",
    ),
    (
        "media_not_approved",
        "A media statement is released without the approval of the emergency's commanding level.",
    ),
    (
        "milestone_after_commitment",
        "A plan's milestone falls after the deadline committed to the customer.",
    ),
    (
        "missing_category",
        "The policy does not define a category that policy.md requires.",
    ),
    (
        "missing_element",
        "The warranty section does not give a period to an element.",
    ),
    ("missing_field", "A required member is absent (or `null`)."),
    (
        "missing_labels",
        "Warning: a role has no labels; its id is shown instead.",
    ),
    (
        "missing_level",
        "The policy does not define an emergency level that policy.md requires.",
    ),
    (
        "missing_permission",
        "No role is granted a lifecycle command.",
    ),
    (
        "missing_tier",
        "The policy, or its model's tier head, lacks a tier that is required.",
    ),
    (
        "model_lacks_category",
        "The model never chooses a category, yet `model_use.category` lets the model decide.",
    ),
    ("negative_duration", "A duration's amount is negative."),
    (
        "never_applies",
        "A separation-of-duties rule names a duty nobody performs at that tier.",
    ),
    (
        "never_fires",
        "A rule or an action's condition can never be true, or a rule has weight 0.",
    ),
    (
        "no_approver",
        "A tier's plan is neither approved nor filed.",
    ),
    (
        "no_case",
        "A scenario step follows a `record` that was refused: there is no case.",
    ),
    (
        "no_change",
        "A reclassification gives the case the tier and category it already has.",
    ),
    (
        "no_contact_method",
        "A contact has neither a phone nor an email.",
    ),
    ("no_drafter", "A tier names nobody to draft the plan."),
    (
        "no_emergency",
        "An emergency command is given to a case that has no emergency.",
    ),
    (
        "no_model",
        "Warning: `model_use` is set but the policy has no model; the rules decide alone.",
    ),
    (
        "no_open_action",
        "An emergency action is completed or waived that is not an open action of the emergency.",
    ),
    (
        "no_review",
        "A `review_tier` is given to a case with no tier review pending.",
    ),
    (
        "no_review_due",
        "An emergency review is filed before the emergency ended, or a second time.",
    ),
    ("no_verifier", "A tier names nobody to verify the work."),
    (
        "no_warranty",
        "The policy has no warranty section (a warning on load; refused by the `warranty` call).",
    ),
    (
        "no_working_time",
        "The calendar's week has no working hours.",
    ),
    (
        "no_years",
        "Warning: the calendar schedules no year; every date follows the weekday rule.",
    ),
    (
        "not_authorised",
        "The actor's roles do not permit this command at the case's tier.",
    ),
    ("not_paused", "A clock that is not paused is resumed."),
    (
        "null_argument",
        "C ABI: a required pointer argument is NULL; the path names the parameter.",
    ),
    (
        "off_and_work",
        "A calendar date is listed both as a day off and as a make-up working day.",
    ),
    (
        "open_pause",
        "A clock has an open pause that is not its last.",
    ),
    (
        "out_of_order",
        "Two times or dates are in the wrong order (received before raised, a command before the last, ...).",
    ),
    (
        "out_of_range",
        "A number or date is outside the range allowed.",
    ),
    ("overlapping_pauses", "A clock's pauses overlap."),
    (
        "overlapping_shifts",
        "Working-hours shifts overlap or are not in order.",
    ),
    (
        "panic",
        "C ABI: a panic was caught at the boundary (a bug, please report it); the library stays usable.",
    ),
    (
        "plan_incomplete",
        "A plan lacks an element the tier requires.",
    ),
    (
        "policy_mismatch",
        "A stored event was decided under another policy or model than the one given.",
    ),
    (
        "record_not_kept",
        "A record the tier requires is not among the records it keeps.",
    ),
    (
        "records_missing",
        "The case cannot close: records required for closure are missing.",
    ),
    (
        "redundant_rule",
        "Warning (policy analysis): a rule never decides because, whenever it fires, a rule with the same outcome that takes precedence fires too.",
    ),
    (
        "review_pending",
        "The case's tier is provisional: it must be reviewed (`review_tier`) first.",
    ),
    (
        "separation_of_duties",
        "The actor already did a duty that this one must be kept apart from.",
    ),
    (
        "shadowed_rule",
        "Policy analysis: a rule never decides because, whenever it fires, a rule with another outcome that takes precedence under the declared strategy fires too.",
    ),
    (
        "single_duty",
        "A separation-of-duties rule names a single duty, which binds nobody.",
    ),
    (
        "threshold_gap",
        "Warning (policy analysis): values of a number between two thresholds fall through to the default while values on both sides give a more serious tier or an emergency.",
    ),
    (
        "threshold_overlap",
        "Warning (policy analysis): an earlier tier rule reading the same number gives a less serious tier first, hiding a more serious rule on some values.",
    ),
    (
        "tier1_path_skips_approval",
        "Policy analysis: a tier-1 case can close with its plan not approved by company leadership (docs/policy.md §4.3); the counterexample is such a path.",
    ),
    (
        "tier1_path_skips_confirmation",
        "Policy analysis: a tier-1 case can close without the customer's own signed confirmation (docs/policy.md §4.6); the counterexample is such a path.",
    ),
    (
        "tier1_path_skips_verification",
        "Policy analysis: a tier-1 case can close without a passed verification by both the technical and the quality department (docs/policy.md §4.5); the counterexample is such a path.",
    ),
    (
        "tier2_path_skips_review",
        "Policy analysis: a tier-2 case can close with its plan not reviewed by the project manager (docs/policy.md §4.3); the counterexample is such a path.",
    ),
    (
        "too_deep",
        "A JSON input nests arrays and objects more than 127 deep.",
    ),
    ("too_large", "An input is larger than the limit in bytes."),
    ("too_long", "A text is longer than the limit in characters."),
    ("too_many", "A list has more items than the limit."),
    (
        "unknown_actor",
        "A scenario names an actor it does not define.",
    ),
    (
        "unknown_call",
        "The call name is not one of the engine's calls.",
    ),
    (
        "unknown_category",
        "A category is not one the policy defines.",
    ),
    (
        "unknown_command",
        "A command type is not one the engine knows.",
    ),
    (
        "unknown_department",
        "A department is not one policy.md defines.",
    ),
    (
        "unknown_element",
        "A warranty element is not one policy.md defines.",
    ),
    ("unknown_field", "A member is not one the object accepts."),
    ("unknown_level", "An emergency level is not I, II or III."),
    (
        "unknown_quantity",
        "A condition names a quantity the policy does not define.",
    ),
    ("unknown_role", "A role is not one policy.md defines."),
    (
        "unknown_season",
        "A warranty period names a season the policy does not define.",
    ),
    (
        "unknown_term_list",
        "A condition names a term list the policy does not define.",
    ),
    ("unknown_tier", "A tier key is not \"1\", \"2\" or \"3\"."),
    (
        "unreachable_category",
        "No rule can choose a category and it is not the fallback: refused when the policy loads, and an error finding of the policy analysis when only its closer reading of the rules shows it.",
    ),
    (
        "unreachable_rule",
        "Warning: a rule can never decide because an earlier rule always fires.",
    ),
    (
        "unreachable_state",
        "Policy analysis: no case of the tier can reach a state its handling needs (docs/policy.md §4); an approval state at a tier that only files its plans is not reported.",
    ),
    (
        "unreachable_tier",
        "Policy analysis: no report can get a tier (an error for tier 1, a warning otherwise).",
    ),
    (
        "unsorted_vocabulary",
        "A model's vocabulary is not sorted by UTF-8 bytes without repeats.",
    ),
    (
        "unsupported_format",
        "A stored event or snapshot is of a format version this build does not read.",
    ),
    (
        "unsupported_model_format",
        "A model is of a format version this build does not read.",
    ),
    (
        "unsupported_schema",
        "A policy is of a format version this build does not read.",
    ),
    (
        "wrong_command",
        "A case is opened by a command other than `record`.",
    ),
    (
        "wrong_state",
        "The command is not allowed in the case's current state.",
    ),
    (
        "wrong_type",
        "A value is of the wrong JSON type (a string where an object is expected, ...).",
    ),
    (
        "zero_duration",
        "A deadline or clock duration in the policy is zero.",
    ),
];

/// Whether `code` is in [`DIAGNOSTIC_CODES`].
pub fn is_listed(code: &str) -> bool {
    DIAGNOSTIC_CODES
        .binary_search_by(|(listed, _)| (*listed).cmp(code))
        .is_ok()
}

/// The meaning of `code`, as [`DIAGNOSTIC_CODES`] gives it.
pub fn meaning(code: &str) -> Option<&'static str> {
    DIAGNOSTIC_CODES
        .binary_search_by(|(listed, _)| (*listed).cmp(code))
        .ok()
        .and_then(|i| DIAGNOSTIC_CODES.get(i))
        .map(|(_, meaning)| *meaning)
}
