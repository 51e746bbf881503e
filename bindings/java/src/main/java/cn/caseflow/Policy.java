package cn.caseflow;

import com.google.gson.JsonObject;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loaded, checked policy. Immutable and thread-safe: share one instance between threads. Close
 * it when done (try-with-resources); a policy that is never closed is freed by a {@link Cleaner}
 * once it is unreachable.
 *
 * <p>Two tiers of the same calls. The typed tier takes and returns Java types ({@link Report},
 * {@link Command}, {@link CaseFile}, {@link Classification}, {@link Applied}...). The string tier
 * takes and returns the JSON text of the JSON API: {@link #call(String, String)} by call name, and
 * one method per call ({@code classify(String)}...). Either way a refusal throws
 * {@link CaseflowException} with the error's code and path.
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
     * Is it under warranty (docs/policy.md §1.1): {@code {"project_facts", "element"?, "on"}} to
     * {@code {"status", "element", "ends_on", "reason", ...}}.
     */
    public String warranty(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_warranty, inputJson);
    }

    /**
     * When the next emergency drill is due (docs/policy.md §7): {@code {"drills": ["YYYY-MM-DD",
     * ...], "now"}} to {@code {"last", "next_due", "overdue", "days_overdue", "interval", "rule"}}.
     */
    public String drillStatus(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_drill_status, inputJson);
    }

    /**
     * The supervision figures (docs/policy.md §6): {@code {"cases": [[event, ...], ...], "from",
     * "to", "now"}} to the summary {@code {"period", "now", "policy", "cases", "overall",
     * "by_project", "by_category", "by_tier", "by_channel", "left_out"}}.
     */
    public String assess(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_assess, inputJson);
    }

    /** {@code {"summaries": [summary, ...]}} of disjoint case sets to their combined summary. */
    public String mergeAssessments(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_merge_assessments, inputJson);
    }

    /** {@code {"cases": [[event, ...], ...], "k", "seed"}} to a reproducible sample per project. */
    public String spotCheck(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_spot_check, inputJson);
    }

    /** {@code {"cases": [[event, ...], ...], "now"?: instant}} to {@code {"cases", "audited", "findings"}}. */
    public String audit(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_audit, inputJson);
    }

    /**
     * The policy's workflow explored and its rules read: {@code {}} to {@code {"findings", "workflow"}}, each
     * finding with its code, severity, the policy member's JSON path and a counterexample path.
     */
    public String analyzePolicy(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_analyze_policy, inputJson);
    }

    /**
     * What changes from an older policy to this one: {@code {"old": policy, "reports"?: [report, ...]}} to the
     * semantic changes and the reports treated differently, with both explanations.
     */
    public String diffPolicies(String inputJson) {
        return run(NativeLibrary.LIB::caseflow_diff_policies, inputJson);
    }

    // ---- The typed tier: typed inputs, typed answers. Each builds its input, calls the string
    // tier above, and reads the answer strictly (see Json.Obj).

    /** Classifies and routes a report. */
    public Classification classify(Report report) {
        return Classification.read(classify(report.toJson()));
    }

    /** When a duration ({@code "3 working_days"}) started at {@code from} is due, in the calendar's offset. */
    public Deadline deadline(OffsetDateTime from, String add) {
        JsonObject in = new JsonObject();
        Json.put(in, "from", from);
        Json.put(in, "add", add);
        return Deadline.read(Json.Obj.root(deadline(Json.write(in))));
    }

    /** Each date from {@code from} to {@code to} inclusive, with its kind. */
    public CalendarDay.Range calendarDays(LocalDate from, LocalDate to) {
        JsonObject in = new JsonObject();
        Json.put(in, "from", from);
        Json.put(in, "to", to);
        return CalendarDay.Range.read(Json.Obj.root(calendarDays(Json.write(in))));
    }

    /** A clock's status at {@code now}. */
    public ClockStatus clockStatus(Clock clock, OffsetDateTime now) {
        JsonObject in = new JsonObject();
        in.add("clock", clock.toJson());
        Json.put(in, "now", now);
        return ClockStatus.read(Json.Obj.root(clockStatus(Json.write(in))));
    }

    /** Opens a case with a {@link Command.RecordReport} at {@code now}. */
    public Applied record(Command command, OffsetDateTime now) {
        return record(command, now, null);
    }

    /**
     * Opens a case at {@code now}, its event sealed with the host's key ({@code sealKey}: 64 to 128
     * hex digits, kept by the host, never stored in the log; null for no seal).
     */
    public Applied record(Command command, OffsetDateTime now, String sealKey) {
        JsonObject in = new JsonObject();
        in.add("command", Json.parse(command.toJson()));
        Json.put(in, "now", now);
        Json.put(in, "key", sealKey);
        return Applied.read(record(Json.write(in)));
    }

    /** Applies a command to a case at {@code now}. */
    public Applied apply(CaseFile caseFile, Command command, OffsetDateTime now) {
        return apply(caseFile, command, now, null);
    }

    /** Applies a command at {@code now}, its event sealed with the host's key (or null). */
    public Applied apply(CaseFile caseFile, Command command, OffsetDateTime now, String sealKey) {
        JsonObject in = new JsonObject();
        in.add("case", Json.parse(caseFile.json()));
        in.add("command", Json.parse(command.toJson()));
        Json.put(in, "now", now);
        Json.put(in, "key", sealKey);
        return Applied.read(apply(Json.write(in)));
    }

    /** A case's clocks, reminders and escalations at {@code now}. */
    public TickReport tick(CaseFile caseFile, OffsetDateTime now) {
        JsonObject in = new JsonObject();
        in.add("case", Json.parse(caseFile.json()));
        Json.put(in, "now", now);
        return TickReport.read(Json.Obj.root(tick(Json.write(in))));
    }

    /** Rebuilds a case from its log. */
    public CaseFile replay(List<Event> events) {
        return replay(events, null, null);
    }

    /**
     * Rebuilds a case from its log, refusing it ({@code corrupt_log}) when it does not end at
     * {@code end} (the stored {@link CaseFile} or a {@link LogAnchor}) or a seal is not
     * {@code sealKey}'s (either may be null).
     */
    public CaseFile replay(List<Event> events, LogEnd end, String sealKey) {
        String answer = replay(logInput(events, end, sealKey));
        return CaseFile.read(Json.Obj.root(answer), answer);
    }

    /**
     * Checks a stored log against where it must end ({@code end}: the stored {@link CaseFile} or a
     * {@link LogAnchor}, or null) and the host's key ({@code sealKey}, or null): a removed tail and a
     * rewritten chain are found only so.
     */
    public LogVerification verifyLog(List<Event> events, LogEnd end, String sealKey) {
        return LogVerification.read(Json.Obj.root(verifyLog(logInput(events, end, sealKey))));
    }

    private static String logInput(List<Event> events, LogEnd end, String sealKey) {
        JsonObject in = new JsonObject();
        in.add("events", Json.array(events.stream().map(e -> Json.parse(e.json())).toList()));
        if (end instanceof CaseFile stored) {
            in.add("case", Json.parse(stored.json()));
        } else if (end instanceof LogAnchor anchor) {
            JsonObject a = new JsonObject();
            a.addProperty("events", anchor.events());
            a.addProperty("last_hash", anchor.lastHash());
            in.add("anchor", a);
        }
        Json.put(in, "key", sealKey);
        return Json.write(in);
    }

    /**
     * Is it under warranty on {@code on} (docs/policy.md §1.1): for {@code element}, or for whichever
     * element it is when null; {@code project} may be null (not yet accepted).
     */
    public Warranty warranty(ProjectFacts project, WarrantyElement element, LocalDate on) {
        JsonObject in = new JsonObject();
        if (project != null) {
            in.add("project_facts", project.toJson());
        }
        Json.put(in, "element", element);
        Json.put(in, "on", on);
        return Warranty.read(Json.Obj.root(warranty(Json.write(in))));
    }

    /**
     * Where the emergency drills stand at {@code now} (docs/policy.md §7), given the days drills
     * were held (in any order; none is an overdue drill). A drill dated after {@code now} is refused
     * ({@code out_of_order}).
     */
    public DrillStatus drillStatus(List<LocalDate> drills, OffsetDateTime now) {
        JsonObject in = new JsonObject();
        in.add("drills", Json.array(drills.stream().map(Json::date).toList()));
        Json.put(in, "now", now);
        return DrillStatus.read(Json.Obj.root(drillStatus(Json.write(in))));
    }

    /**
     * The supervision figures (docs/policy.md §6) over the cases received from {@code from} to
     * {@code to} (both included), open cases judged at {@code now}. A log that does not replay is
     * left out with a {@code bad_log} finding; a period that ends before it starts is refused.
     */
    public Assessment assess(List<CaseLog> cases, LocalDate from, LocalDate to, OffsetDateTime now) {
        JsonObject in = new JsonObject();
        in.add("cases", CaseLog.array(cases));
        Json.put(in, "from", from);
        Json.put(in, "to", to);
        Json.put(in, "now", now);
        String answer = assess(Json.write(in));
        return Assessment.read(Json.Obj.root(answer), answer);
    }

    /**
     * Combines the summaries of disjoint case sets (each sent as the engine wrote it); summaries of
     * another period, {@code now} or policy are refused ({@code incompatible_summaries}).
     */
    public Assessment mergeAssessments(List<Assessment> summaries) {
        JsonObject in = new JsonObject();
        in.add("summaries", Json.array(summaries.stream().map(s -> Json.parse(s.json())).toList()));
        String answer = mergeAssessments(Json.write(in));
        return Assessment.read(Json.Obj.root(answer), answer);
    }

    /**
     * A reproducible sample of at most {@code k} cases per project under {@code seed} (an unsigned
     * 64-bit number: {@code -1L} is 2^64 - 1): the same seed and cases give the same sample.
     */
    public SpotCheck spotCheck(List<CaseLog> cases, long k, long seed) {
        JsonObject in = new JsonObject();
        in.add("cases", CaseLog.array(cases));
        Json.put(in, "k", k);
        Json.put(in, "seed", new java.math.BigInteger(Long.toUnsignedString(seed)));
        return SpotCheck.read(Json.Obj.root(spotCheck(Json.write(in))));
    }

    /**
     * The incomplete records of the cases, and the logs that do not replay (docs/policy.md §6); a
     * missing post-event review is flagged once overdue at each case's last event.
     */
    public AuditReport audit(List<CaseLog> cases) {
        return audit(cases, null);
    }

    /**
     * The incomplete records of the cases, and the logs that do not replay (docs/policy.md §6); a
     * missing post-event review is flagged once overdue at {@code now} (each case's last event when
     * null).
     */
    public AuditReport audit(List<CaseLog> cases, OffsetDateTime now) {
        JsonObject in = new JsonObject();
        in.add("cases", CaseLog.array(cases));
        Json.put(in, "now", now);
        return AuditReport.read(Json.Obj.root(audit(Json.write(in))));
    }

    /**
     * The policy analysed (issue 14, docs/analysis.md): every tier's workflow explored over the
     * engine's own check and transition (states that cannot be reached, deadlocks, a command no role
     * may issue, a tier-1 path to closure that skips an approval, a verification or the signed
     * confirmation...) and its rules read (rules that can never fire, unreachable categories and
     * tiers...). Each finding names the policy member's JSON path and, for a path, a counterexample
     * that replays; a sound policy has none.
     */
    public Analysis analyzePolicy() {
        return Analysis.read(Json.Obj.root(analyzePolicy("{}")));
    }

    /**
     * What changes from an older policy ({@code oldPolicyJson}, the policy file's text, as for
     * {@link #fromJson}) to this one, compared by meaning: rules, routing, deadlines, permissions,
     * the calendar, the model. Given {@code reports} (past reports; null or empty for none), each
     * that the two classify or route differently is listed with both classifications. An older
     * policy that does not load is refused with its problems' paths under {@code $.old}. (The
     * string tier's {@code diffPolicies(String)} takes the whole input {@code {"old", "reports"}}
     * instead.)
     */
    public PolicyDiff diffPolicies(String oldPolicyJson, List<Report> reports) {
        java.util.Objects.requireNonNull(oldPolicyJson, "oldPolicyJson");
        JsonObject in = new JsonObject();
        in.add("old", Json.parse(oldPolicyJson));
        if (reports != null) {
            in.add("reports", Json.array(reports.stream().map(r -> Json.parse(r.toJson())).toList()));
        }
        return PolicyDiff.read(Json.Obj.root(diffPolicies(Json.write(in))));
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
