package cn.caseflow;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Objects;

/**
 * One case's event log, an input of the supervision calls ({@code assess}, {@code spotCheck},
 * {@code audit}): the events the host stored, oldest first. A log the engine cannot read or
 * replay is not an exception of the call but a {@code bad_log} {@link Finding}, so a store is
 * audited from its text as is ({@link #fromJson}).
 *
 * @param json the log as a JSON array of events
 */
public record CaseLog(String json) {
    public CaseLog {
        Objects.requireNonNull(json, "json");
    }

    /** The log of these events, each written as the engine returned it. */
    public static CaseLog of(List<Event> events) {
        return new CaseLog(Json.write(Json.array(events.stream().map(e -> Json.parse(e.json())).toList())));
    }

    /** A stored log, as JSON text (an array of events), passed to the engine as is. */
    public static CaseLog fromJson(String json) {
        return new CaseLog(json);
    }

    /** The logs as the JSON array the supervision calls read. */
    static JsonElement array(List<CaseLog> logs) {
        return Json.array(logs.stream().map(l -> Json.parse(l.json())).toList());
    }
}
