package cn.caseflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The native boundary called directly, handle lifetimes, panics, threads, the Cleaner. */
class NativeTest {
    static final NativeLibrary LIB = NativeLibrary.LIB;
    static final String REPORT = "{\"id\":\"T-1\",\"project\":\"P-2026-017\",\"channel\":\"phone\","
            + "\"description\":\"阳台护栏松动，存在安全隐患\",\"raised_at\":\"2026-03-02T09:15:00+08:00\","
            + "\"location\":\"10号楼601阳台\",\"contact\":{\"name\":\"业主\",\"phone\":\"13800000000\"}}";

    static final List<NativeLibrary.CallFn> CALLS = List.of(
            LIB::caseflow_classify, LIB::caseflow_deadline, LIB::caseflow_calendar_days,
            LIB::caseflow_clock_status, LIB::caseflow_record, LIB::caseflow_apply, LIB::caseflow_tick,
            LIB::caseflow_replay, LIB::caseflow_verify_log, LIB::caseflow_warranty, LIB::caseflow_drill_status,
            LIB::caseflow_assess, LIB::caseflow_merge_assessments, LIB::caseflow_spot_check, LIB::caseflow_audit,
            LIB::caseflow_analyze_policy, LIB::caseflow_diff_policies);

    /** Calls an export and returns its exception, checking that no result was written. */
    static CaseflowException refused(NativeLibrary.CallFn fn, Pointer policy, byte[] input) {
        PointerByReference result = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = fn.call(policy, input, result, error);
        assertNull(result.getValue(), "no result on failure");
        return assertThrows(CaseflowException.class, () -> CaseflowException.throwIfFailed(status, error));
    }

    @Test
    void version() {
        assertTrue(Caseflow.version().matches("\\d+\\.\\d+\\.\\d+"), Caseflow.version());
    }

    @Test
    void theCallingContract() {
        try (Policy policy = Policy.builtin()) {
            Pointer p = policy.pointer();
            byte[] bad = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}', 0};
            for (NativeLibrary.CallFn fn : CALLS) {
                CaseflowException e = refused(fn, null, Strings.utf8("{}", "x"));
                assertEquals(Status.NULL_ARGUMENT, e.status());
                assertEquals("policy", e.path());
                e = refused(fn, p, null);
                assertEquals(Status.NULL_ARGUMENT, e.status());
                assertEquals("input_json", e.path());
                e = refused(fn, p, bad);
                assertEquals(Status.INVALID_UTF8, e.status());
                assertEquals("invalid_utf8", e.code());
                for (String text : new String[] {"", "{", "[1,", "nul", "{\"a\": }"}) {
                    e = refused(fn, p, Strings.utf8(text, "x"));
                    assertEquals(Status.INVALID_JSON, e.status(), text);
                    assertEquals("$", e.path());
                    assertEquals("invalid_json", e.errors().get(0).code());
                }
            }
            CaseflowException e = refused((pol, in, r, err) -> LIB.caseflow_call(pol, null, in, r, err), p, Strings.utf8("{}", "x"));
            assertEquals("call", e.path());
            e = assertThrows(CaseflowException.class, () -> policy.call("summon", "{}"));
            assertEquals(Status.INVALID_INPUT, e.status());
            assertEquals("unknown_call", e.errors().get(0).code());
            assertThrows(NullPointerException.class, () -> policy.classify((String) null));
            assertThrows(IllegalArgumentException.class, () -> policy.classify("{\0}"));
        }
    }

    @Test
    void handles() {
        Policy policy = Policy.builtin();
        Pointer raw = policy.pointer();
        policy.close();
        policy.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> policy.classify(REPORT));
        CaseflowException e = refused((p, in, r, err) -> LIB.caseflow_call(p, Strings.utf8("classify", "c"), in, r, err),
                raw, Strings.utf8(REPORT, "r"));
        assertEquals(Status.INVALID_HANDLE, e.status());
        assertEquals(Status.INVALID_HANDLE.code(), LIB.caseflow_policy_free(raw));
        assertEquals(Status.OK.code(), LIB.caseflow_policy_free(null));
    }

    @Test
    void aPanicIsAnErrorAndTheLibraryStaysUsable() {
        PointerByReference error = new PointerByReference();
        int status = LIB.caseflow_test_panic(error); // the suites build libcaseflow with test-panic
        CaseflowException e = assertThrows(CaseflowException.class, () -> CaseflowException.throwIfFailed(status, error));
        assertEquals(Status.PANIC, e.status());
        assertEquals("panic", e.code());
        assertTrue(e.getMessage().contains("caseflow_test_panic"));
        try (Policy policy = Policy.builtin()) {
            assertTrue(policy.classify(REPORT).contains("\"tier\":1"));
        }
    }

    @Test
    void oneSharedPolicyManyThreads() throws Exception {
        try (Policy policy = Policy.builtin()) {
            String expected = policy.classify(REPORT);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int k = 0; k < 25; k++) {
                        mismatches += policy.classify(REPORT).equals(expected) ? 0 : 1;
                        mismatches += policy.classify(Report.fromJson(REPORT)).tier() == Tier.ONE ? 0 : 1;
                    }
                    return mismatches;
                }));
            }
            int mismatches = 0;
            for (Future<Integer> f : results) {
                mismatches += f.get();
            }
            pool.shutdown();
            assertEquals(0, mismatches);
        }
    }

    private static void abandon(int n) {
        for (int k = 0; k < n; k++) {
            Policy.builtin();
        }
    }

    @Test
    void theCleanerFreesAbandonedPolicies() throws InterruptedException {
        // Other tests close what they open; the count goes back to where it was.
        long baseline = Caseflow.livePolicies();
        abandon(5);
        assertTrue(Caseflow.livePolicies() >= baseline);
        for (int k = 0; k < 200 && Caseflow.livePolicies() > baseline; k++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(baseline, Caseflow.livePolicies());
    }
}
