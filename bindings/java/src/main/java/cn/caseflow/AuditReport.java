package cn.caseflow;

import java.util.List;

/**
 * The answer to {@code audit} (docs/policy.md §6): incomplete records and logs that do not replay.
 *
 * @param cases the cases given
 * @param audited the cases whose log replayed and whose records were checked
 * @param findings every finding, ordered by case id, event and code
 */
public record AuditReport(long cases, long audited, List<Finding> findings) {
    static AuditReport read(Json.Obj o) {
        return new AuditReport(o.integer("cases"), o.integer("audited"), o.list("findings", Finding::read));
    }
}
