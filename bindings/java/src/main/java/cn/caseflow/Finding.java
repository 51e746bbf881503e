package cn.caseflow;

/**
 * One finding of the supervision calls (docs/policy.md §6): the case (its position in the input and
 * its id, when readable), the event or record concerned, and what is wrong.
 *
 * @param code what kind of problem
 * @param caseIndex the case's position in the input (from 0)
 * @param caseId the case id, when the log names one, else null
 * @param event the index of the event concerned in the case's log, or null
 * @param record the record concerned: a member of the case ({@code plan}, {@code verifications}) or
 *     a JSON path in the log ({@code $.events[3].hash}), or null
 * @param message what is wrong, in words
 */
public record Finding(Code code, long caseIndex, String caseId, Long event, String record, String message) {
    /** What a finding is about. */
    public enum Code implements Wire {
        /** The log is malformed, was tampered with, or does not replay: left out of every figure. */
        BAD_LOG,
        /** A closed case whose confirmation carries no signed form (§4.6). */
        UNSIGNED_CLOSURE,
        /** A closed case lacking the verification report of a department its tier requires (§4.5). */
        VERIFICATION_REPORT_MISSING,
        /** A plan on record without the milestones its tier requires (§4.3). */
        PLAN_WITHOUT_MILESTONES,
        /** A closed case missing another record its tier requires, or breaking a separation of duties (§4.6). */
        CLOSURE_GAP,
        /** A closed or withdrawn case whose emergency has no post-event review on record (§7). */
        EMERGENCY_WITHOUT_REVIEW
    }

    static Finding read(Json.Obj o) {
        return new Finding(o.enumOf("code", Code.class), o.integer("case_index"), o.optStr("case_id"), o.optInteger("event"),
                o.optStr("record"), o.str("message"));
    }
}
