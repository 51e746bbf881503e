package cn.caseflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of tests/conformance through the three ways in: {@link Policy#call} by name, the
 * string method of the call, and the typed tier. The typed answer is checked field by field
 * against the corpus's expected JSON: every component of every typed record (by its snake_case
 * name, enums by their wire names, instants by value and offset) must equal the expected field, so
 * a component added to a record is checked by the whole corpus without another line here.
 */
class ConformanceTest {
    static final Path DIR = Path.of(System.getProperty("caseflow.conformance", "../../tests/conformance"));
    static final Map<String, Policy> POLICIES = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        POLICIES.put("default", Policy.builtin());
        try (Stream<Path> listing = Files.list(DIR.resolve("policies"))) {
            for (Path file : listing.filter(p -> p.toString().endsWith(".json")).toList()) {
                POLICIES.put(file.getFileName().toString(), Policy.fromJson(Files.readString(file)));
            }
        }
    }

    @AfterAll
    static void close() {
        POLICIES.values().forEach(Policy::close);
        POLICIES.clear();
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(DIR.resolve("cases"))) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest("the corpus is there", () -> assertTrue(files.size() >= 150, files.size() + " cases")));
        AtomicInteger typedCalls = new AtomicInteger();
        int textCases = 0;
        for (Path file : files) {
            JsonObject c = Json.parse(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            String name = file.getFileName().toString();
            String call = c.get("call").getAsString();
            // `input_text`: JSON text no parsed value can hold (a member named twice, nesting beyond
            // the limit, a number no double holds), passed as is; the typed tier cannot say it.
            boolean asText = c.has("input_text");
            String input = asText ? c.get("input_text").getAsString() : Json.write(c.get("input"));
            JsonObject expect = c.getAsJsonObject("expect");
            Supplier<Policy> policy = () -> {
                Policy p = POLICIES.get(c.get("policy").getAsString());
                assertNotNull(p, "unknown policy " + c.get("policy"));
                return p;
            };
            tests.add(dynamicTest(name + " via call", () -> stringTier(() -> policy.get().call(call, input), expect)));
            tests.add(dynamicTest(name + " via " + call + "(String)", () -> stringTier(() -> stringMethod(policy.get(), call).apply(input), expect)));
            if (asText) {
                textCases++;
                continue;
            }
            tests.add(dynamicTest(name + " typed", () -> typedTier(policy.get(), call, c.get("input"), expect, typedCalls)));
        }
        int expressible = files.size() - textCases;
        // The typed tier reaches the engine for all but the inputs its types cannot say.
        tests.add(dynamicTest("the typed tier called the engine for the corpus", () ->
                assertTrue(typedCalls.get() >= expressible - 10, typedCalls.get() + " of " + expressible)));
        return tests.stream();
    }

    static Function<String, String> stringMethod(Policy p, String call) {
        return switch (call) {
            case "classify" -> p::classify;
            case "deadline" -> p::deadline;
            case "calendar_days" -> p::calendarDays;
            case "clock_status" -> p::clockStatus;
            case "record" -> p::record;
            case "apply" -> p::apply;
            case "tick" -> p::tick;
            case "replay" -> p::replay;
            case "verify_log" -> p::verifyLog;
            case "warranty" -> p::warranty;
            case "drill_status" -> p::drillStatus;
            case "assess" -> p::assess;
            case "merge_assessments" -> p::mergeAssessments;
            case "spot_check" -> p::spotCheck;
            case "audit" -> p::audit;
            case "analyze_policy" -> p::analyzePolicy;
            case "diff_policies" -> p::diffPolicies;
            default -> throw new AssertionError("a call this binding does not have: " + call);
        };
    }

    /** The string tier: the answer, or the error body, equals the corpus's. */
    static void stringTier(Supplier<String> run, JsonObject expect) {
        JsonObject got = new JsonObject();
        try {
            got.add("ok", Json.parse(run.get()));
        } catch (CaseflowException e) {
            got.add("error", Json.parse(e.errorJson()));
            assertRefusal(e, expect);
        }
        assertEquals(expect, got);
    }

    static void assertRefusal(CaseflowException e, JsonObject expect) {
        JsonObject body = expect.getAsJsonObject("error");
        if (body == null) {
            fail("refused, but the corpus expects an answer: " + e.errorJson());
        }
        assertEquals(body.get("code").getAsString(), e.code(), "code");
        assertEquals(body.get("message").getAsString(), e.getMessage(), "message");
        JsonArray errors = body.getAsJsonArray("errors");
        assertEquals(errors.size(), e.errors().size(), "errors");
        for (int k = 0; k < errors.size(); k++) {
            JsonObject d = errors.get(k).getAsJsonObject();
            assertEquals(new Diagnostic(d.get("code").getAsString(), d.get("path").getAsString(), d.get("message").getAsString()),
                    e.errors().get(k));
        }
        if (!errors.isEmpty()) {
            assertEquals(errors.get(0).getAsJsonObject().get("path").getAsString(), e.path(), "path");
        }
    }

    /** An input the typed tier cannot express (a key it has no parameter for, a value its types refuse). */
    static final class Inexpressible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Inexpressible(String why) {
            super(why);
        }
    }

    /** The typed tier: build typed inputs from the corpus's input, call, check the typed answer. */
    static void typedTier(Policy p, String call, JsonElement inputJson, JsonObject expect, AtomicInteger typedCalls) {
        Supplier<Object> run;
        try {
            run = typedCall(p, call, inputJson);
        } catch (Inexpressible | IllegalStateException e) {
            // Only an input the engine refuses may be one the types cannot even say.
            assertTrue(expect.has("error"), "the typed tier cannot express an input the engine accepts: " + e.getMessage());
            return;
        }
        typedCalls.incrementAndGet();
        Object answer;
        try {
            answer = run.get();
        } catch (CaseflowException e) {
            assertRefusal(e, expect);
            return;
        }
        if (!expect.has("ok")) {
            fail("answered, but the corpus expects a refusal: " + expect);
        }
        assertMatches(answer, expect.get("ok"), "$");
    }

    static Supplier<Object> typedCall(Policy p, String call, JsonElement inputJson) {
        if (call.equals("classify")) {
            Report report = Report.fromJson(Json.write(inputJson));
            return () -> p.classify(report);
        }
        if (!inputJson.isJsonObject()) {
            throw new Inexpressible("not an object");
        }
        Json.Obj in = new Json.Obj(inputJson, "$");
        Function<Set<String>, Void> only = keys -> {
            for (String key : in.json.keySet()) {
                if (!keys.contains(key)) {
                    throw new Inexpressible("no parameter for `" + key + "`");
                }
            }
            return null;
        };
        switch (call) {
            case "deadline" -> {
                only.apply(Set.of("from", "add"));
                OffsetDateTime from = in.instant("from");
                String add = Deadline.durationText(in, "add");
                return () -> p.deadline(from, add);
            }
            case "calendar_days" -> {
                only.apply(Set.of("from", "to"));
                LocalDate from = in.date("from");
                LocalDate to = in.date("to");
                return () -> p.calendarDays(from, to);
            }
            case "clock_status" -> {
                only.apply(Set.of("clock", "now"));
                Clock clock = Clock.read(in.obj("clock"));
                OffsetDateTime now = in.instant("now");
                return () -> p.clockStatus(clock, now);
            }
            case "record" -> {
                only.apply(Set.of("command", "now", "key"));
                Command command = Command.fromJson(in.text("command"));
                OffsetDateTime now = in.instant("now");
                String key = in.optStr("key");
                return () -> p.record(command, now, key);
            }
            case "apply" -> {
                only.apply(Set.of("case", "command", "now", "key"));
                CaseFile caseFile = CaseFile.fromJson(in.text("case"));
                Command command = Command.fromJson(in.text("command"));
                OffsetDateTime now = in.instant("now");
                String key = in.optStr("key");
                return () -> p.apply(caseFile, command, now, key);
            }
            case "tick" -> {
                only.apply(Set.of("case", "now"));
                CaseFile caseFile = CaseFile.fromJson(in.text("case"));
                OffsetDateTime now = in.instant("now");
                return () -> p.tick(caseFile, now);
            }
            case "replay", "verify_log" -> {
                only.apply(Set.of("events", "case", "anchor", "key"));
                List<Event> events = in.list("events", e -> Event.fromJson(Json.write(e.json)));
                LogEnd end = null;
                if (in.opt("case") != null) {
                    end = CaseFile.fromJson(in.text("case"));
                }
                if (in.opt("anchor") != null) {
                    if (end != null) {
                        throw new Inexpressible("both a case and an anchor");
                    }
                    Json.Obj a = in.obj("anchor");
                    end = new LogAnchor(a.integer("events"), a.str("last_hash"));
                }
                LogEnd logEnd = end;
                String key = in.optStr("key");
                return call.equals("replay") ? () -> p.replay(events, logEnd, key) : () -> p.verifyLog(events, logEnd, key);
            }
            case "warranty" -> {
                only.apply(Set.of("project_facts", "element", "on"));
                Json.Obj f = in.optObj("project_facts");
                ProjectFacts facts = f == null ? null : new ProjectFacts(f.optDate("accepted_on"), f.optDate("started_on"),
                        f.opt("design_service_life_years") == null ? null : (int) f.integer("design_service_life_years"));
                WarrantyElement element = in.optEnum("element", WarrantyElement.class);
                LocalDate on = in.date("on");
                return () -> p.warranty(facts, element, on);
            }
            case "drill_status" -> {
                only.apply(Set.of("drills", "now"));
                List<LocalDate> drills = dates(in, "drills");
                OffsetDateTime now = in.instant("now");
                return () -> p.drillStatus(drills, now);
            }
            case "assess" -> {
                only.apply(Set.of("cases", "from", "to", "now"));
                List<CaseLog> cases = logs(in);
                LocalDate from = in.date("from");
                LocalDate to = in.date("to");
                OffsetDateTime now = in.instant("now");
                return () -> p.assess(cases, from, to, now);
            }
            case "merge_assessments" -> {
                only.apply(Set.of("summaries"));
                List<Assessment> summaries = items(in, "summaries").stream().map(s -> Assessment.fromJson(Json.write(s))).toList();
                return () -> p.mergeAssessments(summaries);
            }
            case "spot_check" -> {
                only.apply(Set.of("cases", "k", "seed"));
                List<CaseLog> cases = logs(in);
                long k = in.integer("k");
                long seed = in.unsigned("seed");
                return () -> p.spotCheck(cases, k, seed);
            }
            case "audit" -> {
                only.apply(Set.of("cases"));
                List<CaseLog> cases = logs(in);
                return () -> p.audit(cases);
            }
            case "analyze_policy" -> {
                only.apply(Set.of());
                return p::analyzePolicy;
            }
            case "diff_policies" -> {
                only.apply(Set.of("old", "reports"));
                String old = in.text("old");
                List<Report> reports = in.opt("reports") == null ? null
                        : items(in, "reports").stream().map(r -> Report.fromJson(Json.write(r))).toList();
                return () -> p.diffPolicies(old, reports);
            }
            default -> throw new AssertionError("a call the typed tier does not have: " + call);
        }
    }

    /** The items of a list; anything else is not expressible. */
    static List<JsonElement> items(Json.Obj in, String key) {
        JsonElement e = in.req(key);
        if (!e.isJsonArray()) {
            throw new Inexpressible("`" + key + "` is not a list");
        }
        List<JsonElement> out = new ArrayList<>();
        e.getAsJsonArray().forEach(out::add);
        return out;
    }

    /** The case logs of a supervision call, each passed as written (a bad one is the engine's finding). */
    static List<CaseLog> logs(Json.Obj in) {
        return items(in, "cases").stream().map(log -> CaseLog.fromJson(Json.write(log))).toList();
    }

    /** A list of dates, as the typed tier takes it; anything else is not expressible. */
    static List<LocalDate> dates(Json.Obj in, String key) {
        JsonElement e = in.req(key);
        if (!e.isJsonArray()) {
            throw new Inexpressible("`" + key + "` is not a list");
        }
        List<LocalDate> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            try {
                out.add(LocalDate.parse(item.getAsString()));
            } catch (RuntimeException bad) {
                throw new Inexpressible("not a date: " + item);
            }
        }
        return out;
    }

    /** Where a component's JSON is not at its snake_case name. */
    static final Map<String, String> AT = Map.of(
            "Applied.caseFile", "case",
            "TickReport.caseId", "case",
            "Event.command", "command.type",
            "Classification.serviceRequest", "routing.service_request",
            "Review.tier1Probability", "tier_1_probability",
            "ReportChange.oldClassification", "old",
            "ReportChange.newClassification", "new");

    /** Components that hold an unsigned 64-bit number in a {@code long}. */
    static final Set<String> UNSIGNED = Set.of("SpotCheck.seed");

    /**
     * Checks a typed answer against the expected JSON: each record component against the field of
     * its snake_case name; a component named {@code json} against the whole object, one named
     * {@code fooJson} against {@code foo}; an effect also by its {@code type}.
     */
    static void assertMatches(Object typed, JsonElement expected, String path) {
        if (typed == null) {
            assertTrue(expected == null || expected.isJsonNull(), path + ": null, expected " + expected);
            return;
        }
        if (typed instanceof Record r) {
            assertTrue(expected != null && expected.isJsonObject(), path + ": expected " + expected + ", got " + typed);
            JsonObject o = expected.getAsJsonObject();
            Class<?> type = r.getClass();
            if (type.getEnclosingClass() == Effect.class) {
                assertEquals(snake(type.getSimpleName()), o.get("type").getAsString(), path + ".type");
            }
            for (RecordComponent c : type.getRecordComponents()) {
                Object value;
                try {
                    value = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                String name = c.getName();
                if (name.equals("json")) {
                    assertEquals(expected, Json.parse((String) value), path + ": json");
                    continue;
                }
                if (name.endsWith("Json")) {
                    String key = snake(name.substring(0, name.length() - 4));
                    // An absent member is a null component; a JSON null is the text "null".
                    assertEquals(o.get(key), value == null ? null : Json.parse((String) value), path + "." + key);
                    continue;
                }
                String at = AT.getOrDefault(type.getSimpleName() + "." + name, snake(name));
                JsonElement field = o;
                for (String part : at.split("\\.")) {
                    field = field == null || !field.isJsonObject() ? null : field.getAsJsonObject().get(part);
                }
                if (UNSIGNED.contains(type.getSimpleName() + "." + name)) {
                    // Java has no unsigned long: the component holds the 64 bits, written unsigned.
                    value = new java.math.BigInteger(Long.toUnsignedString((Long) value));
                }
                assertMatches(value, field, path + "." + at);
            }
            return;
        }
        if (typed instanceof List<?> list) {
            JsonArray array = expected == null ? new JsonArray() : expected.getAsJsonArray();
            assertEquals(array.size(), list.size(), path + ": length");
            for (int k = 0; k < list.size(); k++) {
                assertMatches(list.get(k), array.get(k), path + "[" + k + "]");
            }
            return;
        }
        if (typed instanceof Map<?, ?> map) {
            assertTrue(expected != null && expected.isJsonObject(), path + ": expected " + expected + ", got " + typed);
            JsonObject o = expected.getAsJsonObject();
            // Keys as written: an enum by its wire name, a tier by its number.
            Map<String, Object> byName = new java.util.TreeMap<>();
            map.forEach((k, v) -> byName.put(k instanceof Tier t ? String.valueOf(t.number()) : k instanceof Wire w ? w.wire() : (String) k, v));
            assertEquals(new java.util.TreeSet<>(o.keySet()), byName.keySet(), path + ": keys");
            byName.forEach((k, v) -> assertMatches(v, o.get(k), path + "." + k));
            return;
        }
        assertEquals(expected == null ? JsonNull.INSTANCE : expected, scalar(typed, expected), path);
    }

    static JsonElement scalar(Object value, JsonElement expected) {
        if (value instanceof Tier t) {
            return new JsonPrimitive(t.number());
        }
        if (value instanceof Wire w) {
            return new JsonPrimitive(w.wire());
        }
        if (value instanceof OffsetDateTime t) {
            // The same instant in the same offset as written.
            OffsetDateTime want = OffsetDateTime.parse(expected.getAsString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return want.equals(t) ? expected : new JsonPrimitive(t.toString());
        }
        if (value instanceof LocalDate d) {
            return new JsonPrimitive(d.toString());
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        throw new AssertionError("no JSON form for " + value.getClass());
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
