package cn.caseflow;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum with a name on the wire: by default the constant's name in lower case
 * ({@code PROJECT_LEADER} is {@code project_leader}). Adding a value the engine gains is adding
 * the constant.
 */
public interface Wire {
    /** The constant's Java name (every enum has it). */
    String name();

    /** The value as the JSON API writes it. */
    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant written {@code text}; an unknown value is an error naming the values known. */
    static <E extends Enum<E> & Wire> E of(Class<E> type, String text, String path) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(text)) {
                return e;
            }
        }
        throw Json.unexpected(path, "unknown " + type.getSimpleName() + " `" + text + "`, expected one of: "
                + Arrays.stream(type.getEnumConstants()).map(Wire::wire).collect(Collectors.joining(", ")));
    }

    /** Parses a wire name, e.g. {@code Wire.parse(Category.class, "quality")}. */
    static <E extends Enum<E> & Wire> E parse(Class<E> type, String text) {
        return of(type, text, "value");
    }
}
