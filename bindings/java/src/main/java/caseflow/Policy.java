package caseflow;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loaded, checked policy. Immutable and thread-safe: share one instance between threads. Close
 * it when done (try-with-resources); a policy that is never closed is freed by a {@link Cleaner}
 * once it is unreachable. Every call takes and returns JSON text (the shapes of the JSON API); a
 * refusal throws {@link CaseflowException}.
 */
public final class Policy implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The native handle, freed exactly once: by close() or by the cleaner. Holds no Policy. */
    private static final class Handle implements Runnable {
        private final AtomicReference<Pointer> pointer;

        Handle(Pointer pointer) {
            this.pointer = new AtomicReference<>(pointer);
        }

        Pointer get() {
            Pointer p = pointer.get();
            if (p == null) {
                throw new IllegalStateException("the policy is closed");
            }
            return p;
        }

        @Override
        public void run() {
            Pointer p = pointer.getAndSet(null);
            if (p != null) {
                NativeLibrary.LIB.caseflow_policy_free(p);
            }
        }
    }

    private final Handle handle;
    private final Cleaner.Cleanable cleanable;

    private Policy(Pointer pointer) {
        this.handle = new Handle(pointer);
        this.cleanable = CLEANER.register(this, handle);
    }

    /** The built-in default policy. */
    public static Policy builtin() {
        PointerByReference out = new PointerByReference();
        PointerByReference error = new PointerByReference();
        CaseflowException.throwIfFailed(NativeLibrary.LIB.caseflow_policy_new_default(out, error), error);
        return new Policy(out.getValue());
    }

    /** Loads a policy from JSON; an invalid one throws with every problem and its path. */
    public static Policy fromJson(String policyJson) {
        PointerByReference out = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = NativeLibrary.LIB.caseflow_policy_new_from_json(Strings.utf8(policyJson, "policyJson"), out, error);
        CaseflowException.throwIfFailed(status, error);
        return new Policy(out.getValue());
    }

    /** The raw handle, for tests of the native contract. */
    Pointer pointer() {
        return handle.get();
    }

    /** Runs the call named {@code call} ({@code classify}, {@code deadline}, {@code apply}...). */
    public String call(String call, String inputJson) {
        byte[] name = Strings.utf8(call, "call");
        return run((p, input, result, error) -> NativeLibrary.LIB.caseflow_call(p, name, input, result, error), inputJson);
    }

    private String run(NativeLibrary.CallFn fn, String inputJson) {
        byte[] input = Strings.utf8(inputJson, "inputJson");
        PointerByReference result = new PointerByReference();
        PointerByReference error = new PointerByReference();
        try {
            int status = fn.call(handle.get(), input, result, error);
            CaseflowException.throwIfFailed(status, error);
            return Strings.take(result.getValue());
        } finally {
            // The cleaner must not free the handle while the native call is using it.
            Reference.reachabilityFence(this);
        }
    }

    /** Classifies and routes a report. */
    public String classify(String reportJson) {
        return run(NativeLibrary.LIB::caseflow_classify, reportJson);
    }

    /** {@code {"from", "add"}} to {@code {"from", "add", "due", "warnings"}}. */
    public String deadline(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_deadline, inputJson);
    }

    /** {@code {"from", "to"}} dates to each day's kind. */
    public String calendarDays(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_calendar_days, inputJson);
    }

    /** {@code {"clock", "now"}} to the clock's state. */
    public String clockStatus(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_clock_status, inputJson);
    }

    /** Opens a case: {@code {"command", "now"}} to {@code {"case", "event", "effects"}}. */
    public String record(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_record, inputJson);
    }

    /** Applies a command: {@code {"case", "command", "now"}} to {@code {"case", "event", "effects"}}. */
    public String apply(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_apply, inputJson);
    }

    /** {@code {"case", "now"}} to the case's clocks, reminders and escalations. */
    public String tick(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_tick, inputJson);
    }

    /** {@code {"events"}} to the case they build. */
    public String replay(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_replay, inputJson);
    }

    /** {@code {"events"}} to the log's verification. */
    public String verifyLog(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_verify_log, inputJson);
    }

    /**
     * Is it under warranty (policy.md §1.1): {@code {"project_facts", "element"?, "on"}} to
     * {@code {"status", "element", "ends_on", "reason", ...}}.
     */
    public String warranty(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_warranty, inputJson);
    }

    /** When a duration ({@code "3 working_days"}) started at {@code from} is due, in the calendar's offset. */
    public OffsetDateTime deadline(OffsetDateTime from, String duration) {
        String input = "{\"from\":" + Json.quote(Caseflow.instant(from)) + ",\"add\":" + Json.quote(duration) + "}";
        Map<?, ?> result = (Map<?, ?>) Json.parse(deadline(input));
        return Caseflow.parseInstant((String) result.get("due"));
    }

    /** Opens a case with a {@code record} command at {@code now}. */
    public String record(String commandJson, OffsetDateTime now) {
        return record("{\"command\":" + commandJson + ",\"now\":" + Json.quote(Caseflow.instant(now)) + "}");
    }

    /** Applies a command to a case at {@code now}. */
    public String apply(String caseJson, String commandJson, OffsetDateTime now) {
        return apply("{\"case\":" + caseJson + ",\"command\":" + commandJson + ",\"now\":" + Json.quote(Caseflow.instant(now)) + "}");
    }

    /**
     * Opens a case at {@code now}, its event sealed with the host's key ({@code sealKey}: 64 to 128
     * hex digits, kept by the host, never stored in the log).
     */
    public String record(String commandJson, OffsetDateTime now, String sealKey) {
        return record("{\"command\":" + commandJson + ",\"now\":" + Json.quote(Caseflow.instant(now))
                + ",\"key\":" + Json.quote(sealKey) + "}");
    }

    /** Applies a command at {@code now}, its event sealed with the host's key. */
    public String apply(String caseJson, String commandJson, OffsetDateTime now, String sealKey) {
        return apply("{\"case\":" + caseJson + ",\"command\":" + commandJson + ",\"now\":"
                + Json.quote(Caseflow.instant(now)) + ",\"key\":" + Json.quote(sealKey) + "}");
    }

    /**
     * Checks a stored log ({@code eventsJson}, a JSON array) against the stored case it must end at
     * ({@code caseJson}, or null) and the host's key ({@code sealKey}, or null): a removed tail and a
     * rewritten chain are found only so.
     */
    public String verifyLog(String eventsJson, String caseJson, String sealKey) {
        return verifyLog(logInput(eventsJson, caseJson, sealKey));
    }

    /**
     * Rebuilds a case from its log, refusing it when it does not end at {@code caseJson} or a seal is
     * not {@code sealKey}'s (either may be null).
     */
    public String replay(String eventsJson, String caseJson, String sealKey) {
        return replay(logInput(eventsJson, caseJson, sealKey));
    }

    private static String logInput(String eventsJson, String caseJson, String sealKey) {
        return "{\"events\":" + eventsJson
                + (caseJson == null ? "" : ",\"case\":" + caseJson)
                + (sealKey == null ? "" : ",\"key\":" + Json.quote(sealKey)) + "}";
    }

    /** A case's clocks, reminders and escalations at {@code now}. */
    public String tick(String caseJson, OffsetDateTime now) {
        return tick("{\"case\":" + caseJson + ",\"now\":" + Json.quote(Caseflow.instant(now)) + "}");
    }

    /**
     * Frees the policy; closing twice does nothing. Calls already running on other threads finish
     * normally; later calls throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        cleanable.clean();
    }
}
