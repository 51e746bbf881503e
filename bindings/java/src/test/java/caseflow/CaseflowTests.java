package caseflow;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The Java tests of the caseflow wrapper: the shared conformance corpus, the calling contract at
 * the native boundary, handle lifetimes (close, Cleaner), threads. A tiny harness (JUnit is not
 * installed offline): each check counts, failures are listed, the last line is "N passed, N failed".
 * In package caseflow to reach the package-private native interface.
 */
public final class CaseflowTests {
    private static int passed;
    private static int failed;

    private static final String REPORT = "{\"id\":\"T-1\",\"project\":\"P-2026-017\",\"channel\":\"phone\","
            + "\"description\":\"阳台护栏松动，存在安全隐患\",\"raised_at\":\"2026-03-02T09:15:00+08:00\","
            + "\"location\":\"10号楼601阳台\",\"contact\":{\"name\":\"业主\",\"phone\":\"13800000000\"}}";

    private static final NativeLibrary LIB = NativeLibrary.LIB;

    private static synchronized void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.err.println("FAIL " + what);
        }
    }

    private static <T extends Throwable> T expect(Class<T> type, Runnable action, String what) {
        try {
            action.run();
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                passed++;
                return type.cast(e);
            }
            check(false, what + ": threw " + e);
            return null;
        }
        check(false, what + ": did not throw " + type.getSimpleName());
        return null;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CaseflowTests <tests/conformance>");
            System.exit(2);
        }
        long baseline = Caseflow.livePolicies();
        check(Caseflow.version().matches("\\d+\\.\\d+\\.\\d+"), "version " + Caseflow.version());
        corpus(Path.of(args[0]));
        contract();
        handles();
        panic();
        typedHelpers();
        threads();
        cleaner(baseline);
        check(Caseflow.livePolicies() == baseline, "every policy freed: " + Caseflow.livePolicies() + " live");
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Every case of tests/conformance through Policy.call and through the typed method of its call. */
    private static void corpus(Path dir) throws IOException {
        // The policies a case may name: "default", and every file under policies/ by its file name.
        Map<String, Policy> policies = new java.util.HashMap<>();
        policies.put("default", Policy.builtin());
        try (Stream<Path> listing = Files.list(dir.resolve("policies"))) {
            for (Path file : listing.filter(p -> p.toString().endsWith(".json")).toList()) {
                policies.put(file.getFileName().toString(), Policy.fromJson(Files.readString(file)));
            }
        }
        try {
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir.resolve("cases"))) {
                files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            check(files.size() >= 90, "the corpus has " + files.size() + " cases");
            int agreed = 0;
            for (Path file : files) {
                Map<?, ?> c = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                Policy policy = policies.get((String) c.get("policy"));
                if (policy == null) {
                    check(false, file.getFileName() + ": unknown policy " + c.get("policy"));
                    continue;
                }
                String call = (String) c.get("call");
                String input = Json.write(c.get("input"));
                Map<String, Function<String, String>> typed = Map.of(
                        "classify", policy::classify, "deadline", policy::deadline,
                        "calendar_days", policy::calendarDays, "clock_status", policy::clockStatus,
                        "record", policy::record, "apply", policy::apply, "tick", policy::tick,
                        "replay", policy::replay, "verify_log", policy::verifyLog,
                        "warranty", policy::warranty);
                String name = file.getFileName().toString();
                boolean same = outcome(() -> policy.call(call, input), c.get("expect"), name + " via call");
                same &= outcome(() -> typed.get(call).apply(input), c.get("expect"), name + " via " + call);
                agreed += same ? 1 : 0;
            }
            System.out.println("corpus: " + agreed + " of " + files.size() + " cases agree through call and the typed methods");
        } finally {
            policies.values().forEach(Policy::close);
        }
    }

    private static boolean outcome(java.util.function.Supplier<String> run, Object expect, String what) {
        Object got;
        try {
            got = Map.of("ok", Json.parse(run.get()));
        } catch (CaseflowException e) {
            got = Map.of("error", Json.parse(e.errorJson()));
            if (((Map<?, ?>) expect).get("error") instanceof Map<?, ?> body) {
                check(e.code().equals(body.get("code")), what + ": code " + e.code());
                List<?> errors = (List<?>) body.get("errors");
                if (!errors.isEmpty()) {
                    check(e.path().equals(((Map<?, ?>) errors.get(0)).get("path")), what + ": path " + e.path());
                }
            }
        }
        boolean same = Json.equal(got, expect);
        check(same, what + ": differs from the corpus: " + Json.write(got));
        return same;
    }

    private static final List<NativeLibrary.CallFn> CALLS = List.of(
            LIB::caseflow_classify, LIB::caseflow_deadline, LIB::caseflow_calendar_days,
            LIB::caseflow_clock_status, LIB::caseflow_record, LIB::caseflow_apply, LIB::caseflow_tick,
            LIB::caseflow_replay, LIB::caseflow_verify_log, LIB::caseflow_warranty);

    /** Calls an export and returns its exception, checking that no result was written. */
    private static CaseflowException refused(NativeLibrary.CallFn fn, Pointer policy, byte[] input, String what) {
        PointerByReference result = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = fn.call(policy, input, result, error);
        check(result.getValue() == null, what + ": no result on failure");
        return expect(CaseflowException.class, () -> CaseflowException.throwIfFailed(status, error), what);
    }

    /** The native boundary, called directly: NULL, invalid UTF-8, malformed JSON. */
    private static void contract() {
        try (Policy policy = Policy.builtin()) {
            Pointer p = policy.pointer();
            byte[] bad = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}', 0};
            for (int k = 0; k < CALLS.size(); k++) {
                NativeLibrary.CallFn fn = CALLS.get(k);
                String name = "call #" + k;
                CaseflowException e = refused(fn, null, Strings.utf8("{}", "x"), name + "(NULL policy)");
                if (e != null) {
                    check(e.status() == Status.NULL_ARGUMENT && e.path().equals("policy"), name + ": " + e.path());
                }
                e = refused(fn, p, null, name + "(NULL input)");
                if (e != null) {
                    check(e.status() == Status.NULL_ARGUMENT && e.path().equals("input_json"), name + ": " + e.path());
                }
                e = refused(fn, p, bad, name + "(invalid UTF-8)");
                if (e != null) {
                    check(e.status() == Status.INVALID_UTF8 && e.code().equals("invalid_utf8") && e.path().equals("input_json"),
                            name + ": " + e.status());
                }
                for (String text : new String[] {"", "{", "[1,", "nul", "{\"a\": }"}) {
                    e = refused(fn, p, Strings.utf8(text, "x"), name + "(" + text + ")");
                    // every call refuses text that is not JSON as invalid_json, at the root
                    Status expected = Status.INVALID_JSON;
                    if (e != null) {
                        check(e.status() == expected && e.path().equals("$") && e.errors().get(0).code().equals("invalid_json"),
                                name + "(" + text + "): " + e.errorJson());
                    }
                }
            }
            PointerByReference result = new PointerByReference();
            PointerByReference error = new PointerByReference();
            int status = LIB.caseflow_call(p, null, Strings.utf8("{}", "x"), result, error);
            CaseflowException e = expect(CaseflowException.class, () -> CaseflowException.throwIfFailed(status, error), "NULL call");
            if (e != null) {
                check(e.status() == Status.NULL_ARGUMENT && e.path().equals("call"), "NULL call: " + e.path());
            }
            int checkStatus = LIB.caseflow_policy_check(null, result, error);
            e = expect(CaseflowException.class, () -> CaseflowException.throwIfFailed(checkStatus, error), "NULL policy json");
            if (e != null) {
                check(e.path().equals("policy_json"), "NULL policy json: " + e.path());
            }
            e = expect(CaseflowException.class, () -> policy.classify("{\"id\":\"C-1\",\"project\":\"P\",\"channel\":\"phone\","
                    + "\"description\":\"漏水\",\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"contact\":{\"phone\":\"13800000000\"}}"), "no location");
            if (e != null) {
                check(e.status() == Status.INVALID_REPORT && e.path().equals("$.location") && e.errors().size() == 1, "no location: " + e.path());
            }
            e = expect(CaseflowException.class, () -> policy.call("summon", "{}"), "unknown call");
            if (e != null) {
                check(e.status() == Status.INVALID_INPUT && e.errors().get(0).code().equals("unknown_call"), "unknown call: " + e.errorJson());
            }
            expect(NullPointerException.class, () -> policy.classify(null), "null string");
            expect(IllegalArgumentException.class, () -> policy.classify("{\0}"), "embedded NUL");
            e = expect(CaseflowException.class, () -> Policy.fromJson("{\"schema\": 1}"), "invalid policy");
            if (e != null) {
                check(e.status() == Status.INVALID_POLICY && e.errors().size() > 1 && e.path().startsWith("$"), "invalid policy: " + e.errorJson());
            }
            check(Caseflow.check("{\"schema\": 1}").contains("\"valid\":false"), "check reports an invalid policy");
        }
    }

    private static void handles() {
        Policy policy = Policy.builtin();
        Pointer raw = policy.pointer();
        policy.close();
        policy.close(); // idempotent
        expect(IllegalStateException.class, () -> policy.classify(REPORT), "use after close");
        // The freed handle, behind the wrapper's back: the library refuses it.
        CaseflowException e = refused((p, in, r, err) -> LIB.caseflow_call(p, Strings.utf8("classify", "c"), in, r, err),
                raw, Strings.utf8(REPORT, "r"), "freed handle");
        if (e != null) {
            check(e.status() == Status.INVALID_HANDLE && e.path().equals("policy"), "freed handle: " + e.status());
        }
        check(LIB.caseflow_policy_free(raw) == Status.INVALID_HANDLE.code(), "double free is refused");
        check(LIB.caseflow_policy_free(null) == Status.OK.code(), "freeing NULL does nothing");
    }

    private static void panic() {
        PointerByReference error = new PointerByReference();
        int status;
        try {
            status = LIB.caseflow_test_panic(error);
        } catch (UnsatisfiedLinkError e) {
            System.out.println("panic test skipped: libcaseflow built without test-panic");
            return;
        }
        CaseflowException e = expect(CaseflowException.class, () -> CaseflowException.throwIfFailed(status, error), "panic");
        if (e != null) {
            check(e.status() == Status.PANIC && e.code().equals("panic") && e.getMessage().contains("caseflow_test_panic"), "panic: " + e.getMessage());
        }
        try (Policy policy = Policy.builtin()) {
            check(policy.classify(REPORT).contains("\"tier\":1"), "usable after a panic");
        }
    }

    private static void typedHelpers() {
        try (Policy policy = Policy.builtin()) {
            OffsetDateTime from = OffsetDateTime.of(2026, 2, 13, 18, 0, 0, 0, ZoneOffset.ofHours(8));
            OffsetDateTime due = policy.deadline(from, "3 working_days");
            check(due.equals(OffsetDateTime.of(2026, 2, 25, 17, 30, 0, 0, ZoneOffset.ofHours(8))), "deadline " + due);
            // The same instant written in UTC gives the same due instant, in the calendar's offset.
            check(policy.deadline(from.withOffsetSameInstant(ZoneOffset.UTC), "3 working_days").equals(due), "offset-independent");
            CaseflowException e = expect(CaseflowException.class, () -> policy.deadline(from, "3 fortnights"), "bad unit");
            if (e != null) {
                check(e.status() == Status.INVALID_INPUT && e.path().equals("$.add"), "bad unit: " + e.path());
            }
            OffsetDateTime now = OffsetDateTime.of(2026, 3, 2, 9, 30, 0, 0, ZoneOffset.ofHours(8));
            String opened = policy.record("{\"type\":\"record\",\"actor\":{\"id\":\"clerk-1\",\"roles\":[\"intake_clerk\"]},\"report\":" + REPORT + "}", now);
            String caseJson = Json.write(((Map<?, ?>) Json.parse(opened)).get("case"));
            e = expect(CaseflowException.class, () -> policy.apply(caseJson,
                    "{\"type\":\"approve_plan\",\"actor\":{\"id\":\"pm-1\",\"roles\":[\"project_manager\"]}}", now.plusHours(1)), "refused");
            if (e != null) {
                check(e.status() == Status.REFUSED && e.code().equals("refused"), "refused: " + e.errorJson());
            }
            check(policy.tick(caseJson, now.plusDays(2)).startsWith("{"), "tick");

            // Sealed with the host's key: the log verifies with it, and not once cut short.
            String key = "5a".repeat(32);
            Map<?, ?> sealedOpen = (Map<?, ?>) Json.parse(policy.record("{\"type\":\"record\",\"actor\":{\"id\":\"clerk-1\",\"roles\":[\"intake_clerk\"]},\"report\":" + REPORT + "}", now, key));
            Map<?, ?> accepted = (Map<?, ?>) Json.parse(policy.apply(Json.write(sealedOpen.get("case")),
                    "{\"type\":\"accept\",\"actor\":{\"id\":\"pl-1\",\"roles\":[\"project_leader\"]},\"committed_deadline\":\"2026-03-13T17:30:00+08:00\"}",
                    now.plusHours(1), key));
            check(((Map<?, ?>) accepted.get("event")).containsKey("seal"), "the event is sealed");
            String log = Json.write(List.of(sealedOpen.get("event"), accepted.get("event")));
            String stored = Json.write(accepted.get("case"));
            Map<?, ?> verdict = (Map<?, ?>) Json.parse(policy.verifyLog(log, stored, key));
            check(Boolean.TRUE.equals(verdict.get("valid")) && Boolean.TRUE.equals(verdict.get("seals_checked"))
                    && Boolean.TRUE.equals(verdict.get("anchor_checked")), "sealed log: " + verdict);
            String cut = Json.write(List.of(sealedOpen.get("event")));
            verdict = (Map<?, ?>) Json.parse(policy.verifyLog(cut, stored, null));
            check(Boolean.FALSE.equals(verdict.get("valid")), "cut short: " + verdict);
            check(Json.write(Json.parse(policy.replay(log, null, key))).equals(stored), "replayed with the key");
            e = expect(CaseflowException.class, () -> policy.replay(cut, stored, key), "replay cut short");
            if (e != null) {
                check(e.status() == Status.CORRUPT_LOG && e.path().equals("$.events[1]"), "replay cut short: " + e.path());
            }
            e = expect(CaseflowException.class, () -> policy.verifyLog(log, null, "abc"), "a bad key");
            if (e != null) {
                check(e.status() == Status.INVALID_INPUT && e.path().equals("$.key"), "a bad key: " + e.path());
            }
        }
    }

    /** Many threads, one policy: every answer is the same. */
    private static void threads() throws Exception {
        try (Policy policy = Policy.builtin()) {
            String expected = policy.classify(REPORT);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int k = 0; k < 25; k++) {
                        mismatches += policy.classify(REPORT).equals(expected) ? 0 : 1;
                    }
                    return mismatches;
                }));
            }
            int mismatches = 0;
            for (Future<Integer> f : results) {
                mismatches += f.get();
            }
            pool.shutdown();
            check(mismatches == 0, "8 threads x 25 classify: " + mismatches + " mismatches");
        }
    }

    private static void abandon(int n) {
        for (int k = 0; k < n; k++) {
            Policy.builtin();
        }
    }

    /** Policies never closed are freed by the Cleaner once unreachable. */
    private static void cleaner(long baseline) throws InterruptedException {
        abandon(5);
        for (int k = 0; k < 100 && Caseflow.livePolicies() > baseline; k++) {
            System.gc();
            Thread.sleep(20);
        }
        check(Caseflow.livePolicies() == baseline, "abandoned policies are cleaned: " + Caseflow.livePolicies() + " live, " + baseline + " before");
    }
}
