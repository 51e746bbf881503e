package cn.caseflow;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An emergency on a case (docs/policy.md §7), from its declaration to its review: the case's
 * {@code emergency_plan}. Its level is never lowered; each raise is kept in {@link #raises}.
 *
 * @param level the current level
 * @param declaredAt when it was declared
 * @param declaredBy who declared it: an actor id, or {@code engine} when a trigger held
 * @param trigger the trigger that held, when declared by the engine, else null
 * @param reason why, when declared by hand, else null
 * @param commandingRole the role commanding the current level
 * @param actions the mandated actions, each a clock, and the status updates
 *     ({@code status_update#1}, {@code status_update#2}, ...)
 * @param raises each raise of the level
 * @param mediaStatements the media statements released
 * @param endedAt when the commander declared it over, or null
 * @param endedBy who declared it over, or null
 * @param reviewDue when the post-event review is due (after the end), or null
 * @param review the post-event review once filed (the record is then closed), or null
 */
public record EmergencyRecord(
        EmergencyLevel level,
        OffsetDateTime declaredAt,
        String declaredBy,
        String trigger,
        String reason,
        Role commandingRole,
        List<Action> actions,
        List<LevelChange> raises,
        List<MediaStatement> mediaStatements,
        OffsetDateTime endedAt,
        String endedBy,
        OffsetDateTime reviewDue,
        Review review) {
    /** True once the post-event review is filed. */
    public boolean isClosed() {
        return review != null;
    }

    /** True once the commander declared it over. */
    public boolean isEnded() {
        return endedAt != null;
    }

    /** The actions neither done nor waived. */
    public List<Action> openActions() {
        return actions.stream().filter(a -> a.outcome() == null).toList();
    }

    /**
     * A mandated action (or one status update) and its clock.
     *
     * @param id the policy's action id, such as {@code people_on_site}
     * @param started when its clock started
     * @param due when it is due
     * @param outcome done or waived, or null while open
     */
    public record Action(String id, OffsetDateTime started, OffsetDateTime due, Outcome outcome) {
        static Action read(Json.Obj o) {
            Json.Obj outcome = o.optObj("outcome");
            return new Action(o.str("id"), o.instant("started"), o.instant("due"), outcome == null ? null : Outcome.read(outcome));
        }
    }

    /** What became of an action. */
    public enum OutcomeType implements Wire {
        /** Done. */
        DONE,
        /** Waived by the commander, with a reason. */
        WAIVED
    }

    /**
     * What became of an action.
     *
     * @param type done or waived
     * @param by who
     * @param at when
     * @param reason why it was waived, null when done
     */
    public record Outcome(OutcomeType type, String by, OffsetDateTime at, String reason) {
        static Outcome read(Json.Obj o) {
            OutcomeType type = o.enumOf("type", OutcomeType.class);
            return new Outcome(type, o.str("by"), o.instant("at"), type == OutcomeType.WAIVED ? o.str("reason") : o.optStr("reason"));
        }
    }

    /**
     * A raise of the level.
     *
     * @param from the level before
     * @param to the level after
     * @param by who: an actor id, or {@code engine}
     * @param at when
     * @param reason why (the trigger's id when raised by the engine)
     */
    public record LevelChange(EmergencyLevel from, EmergencyLevel to, String by, OffsetDateTime at, String reason) {
        static LevelChange read(Json.Obj o) {
            return new LevelChange(o.enumOf("from", EmergencyLevel.class), o.enumOf("to", EmergencyLevel.class), o.str("by"),
                    o.instant("at"), o.str("reason"));
        }
    }

    /**
     * A media statement, released (and so approved) by the commanding level.
     *
     * @param by who released it
     * @param role in which commanding role
     * @param at when
     * @param text the statement
     */
    public record MediaStatement(String by, Role role, OffsetDateTime at, String text) {
        static MediaStatement read(Json.Obj o) {
            return new MediaStatement(o.str("by"), o.enumOf("role", Role.class), o.instant("at"), o.str("text"));
        }
    }

    /**
     * The post-event review.
     *
     * @param by who filed it
     * @param at when
     * @param summary what was learnt
     */
    public record Review(String by, OffsetDateTime at, String summary) {
        static Review read(Json.Obj o) {
            return new Review(o.str("by"), o.instant("at"), o.str("summary"));
        }
    }

    static EmergencyRecord read(Json.Obj o) {
        Json.Obj review = o.optObj("review");
        return new EmergencyRecord(
                o.enumOf("level", EmergencyLevel.class),
                o.instant("declared_at"),
                o.str("declared_by"),
                o.optStr("trigger"),
                o.optStr("reason"),
                o.enumOf("commanding_role", Role.class),
                o.list("actions", Action::read),
                o.list("raises", LevelChange::read),
                o.list("media_statements", MediaStatement::read),
                o.optInstant("ended_at"),
                o.optStr("ended_by"),
                o.optInstant("review_due"),
                review == null ? null : Review.read(review));
    }
}
