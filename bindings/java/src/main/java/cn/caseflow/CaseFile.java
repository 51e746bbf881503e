package cn.caseflow;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A case as the engine returned it: the document the host stores and passes back to
 * {@code apply}, {@code tick}, {@code replay} and {@code verifyLog}, kept exactly as written
 * ({@link #json()}), with its main fields typed. Load a stored one with {@link #fromJson}.
 *
 * @param id the case id (the report's)
 * @param state where it stands
 * @param category the current category
 * @param tier the current tier
 * @param emergency the emergency level, or null
 * @param emergencyPlan the emergency record (docs/policy.md §7): the current emergency, or the last
 *     one when it is over; null when there never was one
 * @param endedEmergencies the case's earlier emergencies, oldest first, each declared over (a
 *     record moves here when a further emergency is declared); empty for a case with at most one
 * @param facts the facts learnt after intake ({@link Command.UpdateFacts}), or null when none
 * @param updatedAt when its last event happened
 * @param events how many events it is the fold of
 * @param lastHash the hash of its last event
 * @param json the document, as the engine wrote it
 */
public record CaseFile(
        String id,
        CaseState state,
        Category category,
        Tier tier,
        EmergencyLevel emergency,
        EmergencyRecord emergencyPlan,
        List<EmergencyRecord> endedEmergencies,
        Facts facts,
        OffsetDateTime updatedAt,
        long events,
        String lastHash,
        String json) implements LogEnd {
    /** A stored case; its typed fields are checked, the rest is kept as is. */
    public static CaseFile fromJson(String json) {
        return read(Json.Obj.root(json), json);
    }

    static CaseFile read(Json.Obj o, String json) {
        Json.Obj plan = o.optObj("emergency_plan");
        Json.Obj facts = o.optObj("facts");
        return new CaseFile(
                o.str("id"),
                o.enumOf("state", CaseState.class),
                o.enumOf("category", Category.class),
                o.tier("tier"),
                o.optEnum("emergency", EmergencyLevel.class),
                plan == null ? null : EmergencyRecord.read(plan),
                o.list("ended_emergencies", EmergencyRecord::read),
                facts == null ? null : Facts.read(facts),
                o.instant("updated_at"),
                o.integer("events"),
                o.str("last_hash"),
                json);
    }
}
