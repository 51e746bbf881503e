package cn.caseflow;

import com.google.gson.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A deadline clock, the input of {@code clockStatus}.
 *
 * @param start when it starts
 * @param duration how long it runs, such as {@code "3 working_days"}
 * @param pauses pauses in order; only the last may be open
 * @param stoppedAt when it was stopped, or null
 */
public record Clock(OffsetDateTime start, String duration, List<Pause> pauses, OffsetDateTime stoppedAt) {
    public Clock {
        pauses = List.copyOf(pauses);
    }

    /** A running clock without pauses. */
    public Clock(OffsetDateTime start, String duration) {
        this(start, duration, List.of(), null);
    }

    /**
     * A pause.
     *
     * @param from when it began
     * @param to when it ended, or null while it lasts
     */
    public record Pause(OffsetDateTime from, OffsetDateTime to) {
        JsonObject toJson() {
            JsonObject o = new JsonObject();
            Json.put(o, "from", from);
            Json.put(o, "to", to);
            return o;
        }

        static Pause read(Json.Obj o) {
            return new Pause(o.instant("from"), o.optInstant("to"));
        }
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        Json.put(o, "start", start);
        Json.put(o, "duration", duration);
        Json.put(o, "pauses", Json.array(pauses.stream().map(Pause::toJson).toList()));
        Json.put(o, "stopped_at", stoppedAt);
        return o;
    }

    static Clock read(Json.Obj o) {
        return new Clock(o.instant("start"), Deadline.durationText(o, "duration"), o.list("pauses", Pause::read), o.optInstant("stopped_at"));
    }
}
