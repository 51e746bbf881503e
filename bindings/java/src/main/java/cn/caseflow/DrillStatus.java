package cn.caseflow;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Where the emergency drills stand (docs/policy.md §7): the answer to {@code drillStatus}.
 *
 * @param last the latest drill, or null when none was held
 * @param nextDue when the next drill is due: the policy's interval after the start of the latest
 *     drill's day on the policy's calendar; "now" when no drill was held
 * @param overdue true when no drill was held, or the next one is past due
 * @param daysOverdue whole days past due (0 when not overdue, or when no drill was ever held)
 * @param interval the policy's interval, such as {@code "365 calendar_days"}
 * @param rule the policy rule
 */
public record DrillStatus(LocalDate last, OffsetDateTime nextDue, boolean overdue, long daysOverdue, String interval, String rule) {
    static DrillStatus read(Json.Obj o) {
        return new DrillStatus(o.optDate("last"), o.instant("next_due"), o.bool("overdue"), o.integer("days_overdue"),
                o.str("interval"), o.str("rule"));
    }
}
