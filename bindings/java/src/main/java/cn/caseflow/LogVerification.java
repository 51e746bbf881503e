package cn.caseflow;

/**
 * The answer to {@code verifyLog}.
 *
 * @param valid true when the log is whole and unaltered
 * @param events how many events were read
 * @param sealsChecked true when every seal was checked with the host's key
 * @param anchorChecked true when the log was checked to end at the stored case
 * @param firstBad where the log first goes wrong, or null when it is valid
 */
public record LogVerification(boolean valid, long events, boolean sealsChecked, boolean anchorChecked, BadEvent firstBad) {
    /**
     * Where a log first goes wrong.
     *
     * @param index the event's index (0 for the first); the log's length when events are missing at its end
     * @param reason what is wrong with it
     */
    public record BadEvent(long index, String reason) {}

    static LogVerification read(Json.Obj o) {
        Json.Obj bad = o.optObj("first_bad");
        return new LogVerification(o.bool("valid"), o.integer("events"), o.bool("seals_checked"), o.bool("anchor_checked"),
                bad == null ? null : new BadEvent(bad.integer("index"), bad.str("reason")));
    }
}
