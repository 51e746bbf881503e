package cn.caseflow;

import java.time.LocalDate;
import java.util.List;

/**
 * One date of {@code calendarDays}.
 *
 * @param date the date
 * @param working whether it is a working day
 * @param makeUp whether it is a make-up working day (调休上班)
 * @param holiday the holiday's name, or null
 * @param covered whether the calendar covers its year (else the weekday rule answered)
 */
public record CalendarDay(LocalDate date, boolean working, boolean makeUp, String holiday, boolean covered) {
    static CalendarDay read(Json.Obj o) {
        return new CalendarDay(o.date("date"), o.bool("working"), o.bool("make_up"), o.optStr("holiday"), o.bool("covered"));
    }

    /**
     * The answer to {@code calendarDays}.
     *
     * @param days each date of the range, in order
     * @param warnings one per run of years the calendar does not cover
     */
    public record Range(List<CalendarDay> days, List<Diagnostic> warnings) {
        static Range read(Json.Obj o) {
            return new Range(o.list("days", CalendarDay::read), o.diagnostics("warnings"));
        }
    }
}
