package cn.caseflow;

import java.time.LocalDate;

/**
 * The answer to "is it still under warranty?" (docs/policy.md §1.1), from {@code warranty} or inside a
 * classification.
 *
 * @param status within, expired (a service request) or unknown
 * @param decidedBy how the answer was reached
 * @param element the element whose period decided, or null
 * @param endsOn the last day within that period, or null before the acceptance
 * @param on the day judged
 * @param acceptedOn the completion acceptance, or null when not known
 * @param reason the answer in words
 * @param rule the policy rule that decided, as a JSON path, or null
 */
public record Warranty(
        WarrantyStatus status,
        WarrantyBasis decidedBy,
        WarrantyElement element,
        LocalDate endsOn,
        LocalDate on,
        LocalDate acceptedOn,
        String reason,
        String rule) {
    static Warranty read(Json.Obj o) {
        return new Warranty(
                o.enumOf("status", WarrantyStatus.class),
                o.enumOf("decided_by", WarrantyBasis.class),
                o.optEnum("element", WarrantyElement.class),
                o.optDate("ends_on"),
                o.date("on"),
                o.optDate("accepted_on"),
                o.str("reason"),
                o.optStr("rule"));
    }
}
