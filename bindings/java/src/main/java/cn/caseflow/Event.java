package cn.caseflow;

import java.time.OffsetDateTime;

/**
 * One event of a case's log, as the engine returned it: the host appends {@link #json()} to its
 * store unchanged and passes the log back to {@code replay} and {@code verifyLog}. Load a stored
 * one with {@link #fromJson}.
 *
 * @param seq its place in the log (0 for the record event)
 * @param at when it happened
 * @param command the command's type, such as {@code accept}
 * @param hash its hash
 * @param prevHash the hash of the event before it
 * @param seal the host-key seal, or null when not sealed
 * @param json the event, as the engine wrote it
 */
public record Event(long seq, OffsetDateTime at, String command, String hash, String prevHash, String seal, String json) {
    /** A stored event; its typed fields are checked, the rest is kept as is. */
    public static Event fromJson(String json) {
        return read(Json.Obj.root(json), json);
    }

    static Event read(Json.Obj o, String json) {
        return new Event(o.integer("seq"), o.instant("at"), o.obj("command").str("type"), o.str("hash"),
                o.str("prev_hash"), o.optStr("seal"), json);
    }
}
