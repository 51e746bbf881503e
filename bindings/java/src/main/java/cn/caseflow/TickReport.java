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
 * @param effects reminders and escalations due now
 * @param warnings warnings, such as an uncovered calendar year
 */
public record TickReport(String caseId, OffsetDateTime at, CaseState state, List<ClockReport> clocks,
        List<Effect> effects, List<Diagnostic> warnings) {
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

    static TickReport read(Json.Obj o) {
        return new TickReport(o.str("case"), o.instant("at"), o.enumOf("state", CaseState.class),
                o.list("clocks", ClockReport::read), o.list("effects", Effect::read), o.diagnostics("warnings"));
    }
}
