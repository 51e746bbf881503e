package cn.caseflow;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A clock's status at an instant, from {@code clockStatus} or {@code tick}.
 *
 * @param due the due instant, pushed out by the pauses, in the calendar's offset
 * @param fractionElapsed active time elapsed over the clock's span; above 1 after the due
 * @param state running, at risk, breached, met or paused
 * @param warnings warnings, such as a date in a year the calendar does not cover
 */
public record ClockStatus(OffsetDateTime due, double fractionElapsed, ClockState state, List<Diagnostic> warnings) {
    static ClockStatus read(Json.Obj o) {
        return new ClockStatus(o.instant("due"), o.number("fraction_elapsed"), o.enumOf("state", ClockState.class), o.diagnostics("warnings"));
    }
}
