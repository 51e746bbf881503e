package cn.caseflow;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The answer to {@code deadline}.
 *
 * @param from the start, in the calendar's offset
 * @param add the duration added, such as {@code "3 working_days"}
 * @param due the due instant, in the calendar's offset
 * @param warnings warnings, such as a date in a year the calendar does not cover
 */
public record Deadline(OffsetDateTime from, String add, OffsetDateTime due, List<Diagnostic> warnings) {
    static Deadline read(Json.Obj o) {
        return new Deadline(o.instant("from"), durationText(o, "add"), o.instant("due"), o.diagnostics("warnings"));
    }

    /** A duration as {@code "N unit"}, whether written as text or as {@code {"amount", "unit"}}. */
    static String durationText(Json.Obj o, String key) {
        if (o.req(key).isJsonObject()) {
            Json.Obj d = o.obj(key);
            return d.integer("amount") + " " + d.str("unit");
        }
        return o.str(key);
    }
}
