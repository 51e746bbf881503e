package cn.caseflow;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The answer to {@code tick}: every clock of a case at an instant, and the reminders and
 * escalations due.
 *
 * @param caseId the case
 * @param at the instant asked about
 * @param state where the case stands
 * @param clocks every clock, running or stopped
 * @param emergency the emergencies' clocks (each open or answered action, and the review), the
 *     earlier (ended) emergencies' first; empty without an emergency
 * @param effects reminders and escalations due now
 * @param warnings warnings, such as an uncovered calendar year
 */
public record TickReport(String caseId, OffsetDateTime at, CaseState state, List<ClockReport> clocks,
        List<EmergencyClock> emergency, List<Effect> effects, List<Diagnostic> warnings) {
    /**
     * One clock at the instant asked about.
     *
     * @param clock which
     * @param assignee who must act before it runs out
     * @param status its status
     * @param stopped true once the awaited event happened
     */
    public record ClockReport(ClockKind clock, Role assignee, ClockStatus status, boolean stopped) {
        static ClockReport read(Json.Obj o) {
            return new ClockReport(o.enumOf("clock", ClockKind.class), o.enumOf("assignee", Role.class),
                    ClockStatus.read(o.obj("status")), o.bool("stopped"));
        }
    }

    /**
     * One emergency clock at the instant asked about (docs/policy.md §7).
     *
     * @param action the action's id, such as {@code people_on_site} or {@code status_update#2}, or
     *     {@code review} for the post-event review
     * @param assignee who answers for it: the commanding role
     * @param status its status
     * @param endedEmergency for a clock of an earlier emergency, the index of its record in the
     *     case's {@code ended_emergencies} ({@link CaseFile#endedEmergencies()}); null for the
     *     clocks of the current (or last) emergency
     */
    public record EmergencyClock(String action, Role assignee, ClockStatus status, Long endedEmergency) {
        static EmergencyClock read(Json.Obj o) {
            return new EmergencyClock(o.str("action"), o.enumOf("assignee", Role.class), ClockStatus.read(o.obj("status")),
                    o.optInteger("ended_emergency"));
        }
    }

    static TickReport read(Json.Obj o) {
        return new TickReport(o.str("case"), o.instant("at"), o.enumOf("state", CaseState.class),
                o.list("clocks", ClockReport::read), o.list("emergency", EmergencyClock::read), o.list("effects", Effect::read), o.diagnostics("warnings"));
    }
}
