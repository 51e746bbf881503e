package cn.caseflow;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the host must do after a command or at a tick. Each kind is a record; {@code switch} over
 * them with pattern matching. {@code rule} is the policy rule behind the effect. An effect of a
 * kind this binding does not know is an error, not silently dropped.
 */
public sealed interface Effect {
    /** The policy rule behind the effect, as a JSON path or rule id. */
    String rule();

    /** Send a message: {@code template} rendered with {@code params}, to whoever holds {@code to}. */
    record Notify(String template, Role to, Map<String, String> params, String rule) implements Effect {}

    /** Start a clock due at {@code due}. */
    record StartClock(ClockKind clock, OffsetDateTime due, String rule) implements Effect {}

    /** Stop a clock; {@code met} is false when it was stopped after its due instant. */
    record StopClock(ClockKind clock, boolean met, String rule) implements Effect {}

    /** Pause a clock. */
    record PauseClock(ClockKind clock, String rule) implements Effect {}

    /** Resume a paused clock, now due at {@code due}. */
    record ResumeClock(ClockKind clock, OffsetDateTime due, String rule) implements Effect {}

    /**
     * Remind {@code to} that a clock is at risk; {@code id} is stable, to send it once. For an
     * emergency clock {@code action} names the action ({@code review} for the post-event review),
     * else it is null.
     */
    record Remind(String id, ClockKind clock, String action, OffsetDateTime due, String template, Role to, String rule) implements Effect {}

    /**
     * Escalate a breached clock to {@code to}; {@code id} is stable, to send it once. For an
     * emergency clock {@code action} names the action, else it is null.
     */
    record Escalate(String id, ClockKind clock, String action, OffsetDateTime due, String template, Role to, String rule) implements Effect {}

    static Effect read(Json.Obj o) {
        String type = o.str("type");
        return switch (type) {
            case "notify" -> {
                Map<String, String> params = new TreeMap<>();
                Json.Obj p = o.obj("params");
                for (String key : p.json.keySet()) {
                    params.put(key, p.str(key));
                }
                yield new Notify(o.str("template"), o.enumOf("to", Role.class), Map.copyOf(params), o.str("rule"));
            }
            case "start_clock" -> new StartClock(o.enumOf("clock", ClockKind.class), o.instant("due"), o.str("rule"));
            case "stop_clock" -> new StopClock(o.enumOf("clock", ClockKind.class), o.bool("met"), o.str("rule"));
            case "pause_clock" -> new PauseClock(o.enumOf("clock", ClockKind.class), o.str("rule"));
            case "resume_clock" -> new ResumeClock(o.enumOf("clock", ClockKind.class), o.instant("due"), o.str("rule"));
            case "remind" -> new Remind(o.str("id"), o.enumOf("clock", ClockKind.class), o.optStr("action"), o.instant("due"),
                    o.str("template"), o.enumOf("to", Role.class), o.str("rule"));
            case "escalate" -> new Escalate(o.str("id"), o.enumOf("clock", ClockKind.class), o.optStr("action"), o.instant("due"),
                    o.str("template"), o.enumOf("to", Role.class), o.str("rule"));
            default -> throw Json.unexpected(o.at("type"), "unknown effect `" + type + "`");
        };
    }
}
