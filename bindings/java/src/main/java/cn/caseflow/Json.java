package cn.caseflow;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * JSON inside the binding (Gson), never public API. {@link Obj} reads the engine's answers
 * strictly where a value has a closed set of values (enums, tags, instants) and names the path
 * of anything unexpected; fields it does not read are ignored, so a field the engine adds does
 * not break an older binding.
 */
final class Json {
    private Json() {}

    /** Nulls kept, HTML not escaped, numbers written as read: a document round-trips as the engine wrote it. */
    static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    static JsonElement parse(String text) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalStateException("caseflow: not JSON: " + e.getMessage(), e);
        }
    }

    static String write(JsonElement value) {
        return GSON.toJson(value);
    }

    static JsonElement instant(OffsetDateTime at) {
        return new JsonPrimitive(at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    static JsonElement date(LocalDate day) {
        return new JsonPrimitive(day.toString());
    }

    static JsonArray array(List<? extends JsonElement> items) {
        JsonArray array = new JsonArray();
        items.forEach(array::add);
        return array;
    }

    /** Puts {@code value} under {@code key} unless it is null (optional input fields are left out). */
    static void put(JsonObject o, String key, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof JsonElement e) {
            o.add(key, e);
        } else if (value instanceof String s) {
            o.addProperty(key, s);
        } else if (value instanceof Boolean b) {
            o.addProperty(key, b);
        } else if (value instanceof Number n) {
            o.addProperty(key, n);
        } else if (value instanceof Tier t) {
            o.addProperty(key, t.number());
        } else if (value instanceof Wire w) {
            o.addProperty(key, w.wire());
        } else if (value instanceof OffsetDateTime t) {
            o.add(key, instant(t));
        } else if (value instanceof LocalDate d) {
            o.add(key, date(d));
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass());
        }
    }

    static IllegalStateException unexpected(String path, String what) {
        return new IllegalStateException("caseflow: unexpected answer at " + path + ": " + what);
    }

    /** Reads an object of the engine's answer, tracking the path for errors. */
    static final class Obj {
        final JsonObject json;
        final String path;

        Obj(JsonElement json, String path) {
            if (json == null || !json.isJsonObject()) {
                throw unexpected(path, "expected an object, got " + json);
            }
            this.json = json.getAsJsonObject();
            this.path = path;
        }

        static Obj root(String text) {
            return new Obj(parse(text), "$");
        }

        String at(String key) {
            return path + "." + key;
        }

        /** The value, or null when absent or JSON null. */
        JsonElement opt(String key) {
            JsonElement e = json.get(key);
            return e == null || e.isJsonNull() ? null : e;
        }

        JsonElement req(String key) {
            JsonElement e = opt(key);
            if (e == null) {
                throw unexpected(at(key), "missing");
            }
            return e;
        }

        private JsonPrimitive prim(String key, JsonElement e) {
            if (!e.isJsonPrimitive()) {
                throw unexpected(at(key), "expected a scalar, got " + e);
            }
            return e.getAsJsonPrimitive();
        }

        String str(String key) {
            JsonPrimitive p = prim(key, req(key));
            if (!p.isString()) {
                throw unexpected(at(key), "expected a string, got " + p);
            }
            return p.getAsString();
        }

        String optStr(String key) {
            return opt(key) == null ? null : str(key);
        }

        boolean bool(String key) {
            JsonPrimitive p = prim(key, req(key));
            if (!p.isBoolean()) {
                throw unexpected(at(key), "expected true or false, got " + p);
            }
            return p.getAsBoolean();
        }

        Boolean optBool(String key) {
            return opt(key) == null ? null : bool(key);
        }

        double number(String key) {
            JsonPrimitive p = prim(key, req(key));
            if (!p.isNumber()) {
                throw unexpected(at(key), "expected a number, got " + p);
            }
            return p.getAsDouble();
        }

        long integer(String key) {
            JsonPrimitive p = prim(key, req(key));
            try {
                return p.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw unexpected(at(key), "expected an integer, got " + p);
            }
        }

        Long optInteger(String key) {
            return opt(key) == null ? null : integer(key);
        }

        OffsetDateTime instant(String key) {
            String text = str(key);
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw unexpected(at(key), "expected an RFC 3339 instant, got " + text);
            }
        }

        OffsetDateTime optInstant(String key) {
            return opt(key) == null ? null : instant(key);
        }

        LocalDate date(String key) {
            String text = str(key);
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw unexpected(at(key), "expected a date YYYY-MM-DD, got " + text);
            }
        }

        LocalDate optDate(String key) {
            return opt(key) == null ? null : date(key);
        }

        /** A closed set of values: anything else is an error naming the path and the values known. */
        <E extends Enum<E> & Wire> E enumOf(String key, Class<E> type) {
            return Wire.of(type, str(key), at(key));
        }

        <E extends Enum<E> & Wire> E optEnum(String key, Class<E> type) {
            return opt(key) == null ? null : enumOf(key, type);
        }

        Tier tier(String key) {
            long n = integer(key);
            for (Tier t : Tier.values()) {
                if (t.number() == n) {
                    return t;
                }
            }
            throw unexpected(at(key), "expected a tier 1, 2 or 3, got " + n);
        }

        Tier optTier(String key) {
            return opt(key) == null ? null : tier(key);
        }

        Obj obj(String key) {
            return new Obj(req(key), at(key));
        }

        Obj optObj(String key) {
            return opt(key) == null ? null : obj(key);
        }

        /** A list (absent counts as empty), each item read by {@code item}. */
        <T> List<T> list(String key, Function<Obj, T> item) {
            return items(key, (value, path) -> item.apply(new Obj(value, path)));
        }

        /** A list (absent counts as empty), each item read by {@code item} from its value and path. */
        private <T> List<T> items(String key, BiFunction<JsonElement, String, T> item) {
            JsonElement e = opt(key);
            if (e == null) {
                return List.of();
            }
            if (!e.isJsonArray()) {
                throw unexpected(at(key), "expected a list, got " + e);
            }
            List<T> out = new ArrayList<>();
            JsonArray array = e.getAsJsonArray();
            for (int k = 0; k < array.size(); k++) {
                out.add(item.apply(array.get(k), at(key) + "[" + k + "]"));
            }
            return Collections.unmodifiableList(out);
        }

        /** A key of a map member: its text and its path, to an enum, a tier or the text itself. */
        @FunctionalInterface
        interface Key<K> {
            K of(String text, String path);
        }

        static <E extends Enum<E> & Wire> Key<E> wireKey(Class<E> type) {
            return (text, path) -> Wire.of(type, text, path);
        }

        static Tier tierKey(String text, String path) {
            for (Tier t : Tier.values()) {
                if (String.valueOf(t.number()).equals(text)) {
                    return t;
                }
            }
            throw unexpected(path, "expected a tier 1, 2 or 3, got " + text);
        }

        /**
         * An object read as a map in the order written (absent counts as empty): each member's key
         * by {@code key}, its value by {@code value} from the map object and the member's name.
         */
        <K, V> Map<K, V> map(String key, Key<K> keyOf, BiFunction<Obj, String, V> value) {
            if (opt(key) == null) {
                return Map.of();
            }
            Obj m = obj(key);
            Map<K, V> out = new LinkedHashMap<>();
            for (String member : m.json.keySet()) {
                out.put(keyOf.of(member, m.at(member)), value.apply(m, member));
            }
            return Collections.unmodifiableMap(out);
        }

        /** An unsigned 64-bit integer, held in a {@code long} (see {@link Long#toUnsignedString}). */
        long unsigned(String key) {
            JsonPrimitive p = prim(key, req(key));
            try {
                java.math.BigInteger n = p.getAsBigDecimal().toBigIntegerExact();
                if (n.signum() < 0 || n.bitLength() > 64) {
                    throw new ArithmeticException();
                }
                return n.longValue();
            } catch (ArithmeticException | NumberFormatException e) {
                throw unexpected(at(key), "expected an unsigned 64-bit integer, got " + p);
            }
        }

        /** A list of integers (absent counts as empty). */
        List<Long> integers(String key) {
            return items(key, (item, path) -> {
                try {
                    return item.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
                } catch (ArithmeticException | IllegalStateException | NumberFormatException | UnsupportedOperationException bad) {
                    throw unexpected(path, "expected an integer, got " + item);
                }
            });
        }

        List<String> strings(String key) {
            JsonElement e = opt(key);
            if (e == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonElement item : e.getAsJsonArray()) {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                    throw unexpected(at(key), "expected a list of strings, got " + e);
                }
                out.add(item.getAsString());
            }
            return Collections.unmodifiableList(out);
        }

        /** A list of an enum's wire names (absent counts as empty): an unknown name is an error naming its path. */
        <E extends Enum<E> & Wire> List<E> enums(String key, Class<E> type) {
            return items(key, (item, path) -> {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                    throw unexpected(path, "expected a string, got " + item);
                }
                return Wire.of(type, item.getAsString(), path);
            });
        }

        List<Diagnostic> diagnostics(String key) {
            return list(key, Diagnostic::read);
        }

        /** The subtree as JSON text, written as read (for documents the host stores and passes back). */
        String text(String key) {
            JsonElement e = json.get(key);
            return write(e == null ? JsonNull.INSTANCE : e);
        }

        /** The subtree as JSON text ({@code null} for a JSON null), or null when the member is absent. */
        String optText(String key) {
            return json.has(key) ? text(key) : null;
        }
    }
}
