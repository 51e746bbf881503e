using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Caseflow
{
    /// <summary>The library as a whole: its version, the policy check, live handles.</summary>
    public static class Engine
    {
        /// <summary>The library's version, such as <c>0.1.0</c>.</summary>
        public static string Version { get { return Native.FromUtf8(Native.caseflow_version()); } }

        /// <summary>How many policy handles are live in the process (for leak checks).</summary>
        public static long LivePolicies { get { return (long)Native.caseflow_policy_live_count().ToUInt64(); } }

        /// <summary>Checks a policy file: the report <c>{"valid", "errors", "warnings", "summary"?}</c> as JSON.
        /// An invalid policy is a report with <c>"valid": false</c>, not an exception.</summary>
        public static string Check(string policyJson)
        {
            NativeString result, error;
            uint status = Native.caseflow_policy_check(Native.Utf8(policyJson, "policyJson"), out result, out error);
            CaseflowException.ThrowIfFailed(status, error);
            return result.Take();
        }

        /// <summary>Checks a policy file: an invalid policy is a report with <c>Valid</c> false, not an exception.</summary>
        public static PolicyCheck CheckPolicy(string policyJson) { return PolicyCheck.Read(Reader.Root(Check(policyJson))); }

        /// <summary>An instant as RFC 3339 with its offset, as the engine reads it.</summary>
        public static string Instant(DateTimeOffset at)
        {
            return at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        }

        /// <summary>An RFC 3339 instant written by the engine.</summary>
        public static DateTimeOffset ParseInstant(string text)
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
        }
    }

    /// <summary>A loaded, checked policy. Immutable and thread-safe: share one instance between threads.
    /// Dispose it when done; a policy that is not disposed is freed by the finalizer.
    /// Two tiers of the same calls: the typed tier takes and returns .NET types (<see cref="Report"/>,
    /// <see cref="Command"/>, <see cref="CaseFile"/>, <see cref="Classification"/>, <see cref="Applied"/>...); the
    /// string tier takes and returns the JSON API's text: <see cref="Call"/> by call name, and one method per call.
    /// Either way a refusal throws <see cref="CaseflowException"/> with the error's code and path.</summary>
    public sealed class Policy : IDisposable
    {
        readonly PolicyHandle handle;

        Policy(PolicyHandle handle) { this.handle = handle; }

        /// <summary>The built-in policy.</summary>
        public static Policy Builtin()
        {
            PolicyHandle handle;
            NativeString error;
            uint status = Native.caseflow_policy_new_default(out handle, out error);
            CaseflowException.ThrowIfFailed(status, error);
            return new Policy(handle);
        }

        /// <summary>Loads a policy from JSON; an invalid one throws with every problem and its path.</summary>
        public static Policy FromJson(string policyJson)
        {
            PolicyHandle handle;
            NativeString error;
            uint status = Native.caseflow_policy_new_from_json(Native.Utf8(policyJson, "policyJson"), out handle, out error);
            CaseflowException.ThrowIfFailed(status, error);
            return new Policy(handle);
        }

        /// <summary>The underlying handle, for advanced interop.</summary>
        public PolicyHandle Handle { get { return handle; } }

        /// <summary>Runs the call named <paramref name="call"/> (<c>classify</c>, <c>deadline</c>, <c>apply</c>...).</summary>
        public string Call(string call, string inputJson)
        {
            NativeString result, error;
            uint status = Native.caseflow_call(handle, Native.Utf8(call, "call"), Native.Utf8(inputJson, "inputJson"), out result, out error);
            CaseflowException.ThrowIfFailed(status, error);
            return result.Take();
        }

        string Run(Native.CallFn fn, string inputJson)
        {
            NativeString result, error;
            uint status = fn(handle, Native.Utf8(inputJson, "inputJson"), out result, out error);
            CaseflowException.ThrowIfFailed(status, error);
            return result.Take();
        }

        /// <summary>Classifies and routes a report.</summary>
        public string Classify(string reportJson) { return Run(Native.caseflow_classify, reportJson); }
        /// <summary><c>{"from", "add"}</c> to <c>{"from", "add", "due", "warnings"}</c>.</summary>
        public string Deadline(string inputJson) { return Run(Native.caseflow_deadline, inputJson); }
        /// <summary><c>{"from", "to"}</c> dates to each day's kind.</summary>
        public string CalendarDays(string inputJson) { return Run(Native.caseflow_calendar_days, inputJson); }
        /// <summary><c>{"clock", "now"}</c> to the clock's state.</summary>
        public string ClockStatus(string inputJson) { return Run(Native.caseflow_clock_status, inputJson); }
        /// <summary>Opens a case: <c>{"command", "now"}</c> to <c>{"case", "event", "effects"}</c>.</summary>
        public string Record(string inputJson) { return Run(Native.caseflow_record, inputJson); }
        /// <summary>Applies a command: <c>{"case", "command", "now"}</c> to <c>{"case", "event", "effects"}</c>.</summary>
        public string Apply(string inputJson) { return Run(Native.caseflow_apply, inputJson); }
        /// <summary><c>{"case", "now"}</c> to the case's clocks, reminders and escalations.</summary>
        public string Tick(string inputJson) { return Run(Native.caseflow_tick, inputJson); }
        /// <summary><c>{"events"}</c> to the case they build.</summary>
        public string Replay(string inputJson) { return Run(Native.caseflow_replay, inputJson); }
        /// <summary><c>{"events"}</c> to the log's verification.</summary>
        public string VerifyLog(string inputJson) { return Run(Native.caseflow_verify_log, inputJson); }
        /// <summary>Is it under warranty: <c>{"project_facts", "element"?, "on"}</c> to <c>{"status", "element",
        /// "ends_on", "reason", ...}</c> (docs/policy.md §1.1).</summary>
        public string Warranty(string inputJson) { return Run(Native.caseflow_warranty, inputJson); }
        /// <summary>When the next emergency drill is due (docs/policy.md §7): <c>{"drills": ["YYYY-MM-DD", ...],
        /// "now"}</c> to <c>{"last", "next_due", "overdue", "days_overdue", "interval", "rule"}</c>.</summary>
        public string DrillStatus(string inputJson) { return Run(Native.caseflow_drill_status, inputJson); }
        /// <summary>The supervision figures (docs/policy.md §6): <c>{"cases": [[event, ...], ...], "from", "to", "now"}</c>
        /// to the summary <c>{"period", "now", "policy", "cases", "overall", "by_project", "by_category", "by_tier",
        /// "by_channel", "left_out"}</c>.</summary>
        public string Assess(string inputJson) { return Run(Native.caseflow_assess, inputJson); }
        /// <summary><c>{"summaries": [summary, ...]}</c> of disjoint case sets to their combined summary.</summary>
        public string MergeAssessments(string inputJson) { return Run(Native.caseflow_merge_assessments, inputJson); }
        /// <summary><c>{"cases": [[event, ...], ...], "k", "seed"}</c> to a reproducible sample per project.</summary>
        public string SpotCheck(string inputJson) { return Run(Native.caseflow_spot_check, inputJson); }
        /// <summary><c>{"cases": [[event, ...], ...], "now"?: instant}</c> to <c>{"cases", "audited", "findings"}</c>.</summary>
        public string Audit(string inputJson) { return Run(Native.caseflow_audit, inputJson); }
        /// <summary>The policy's workflow explored and its rules read: <c>{}</c> to <c>{"findings", "workflow"}</c>,
        /// each finding with its code, severity, the policy member's JSON path and a counterexample path.</summary>
        public string AnalyzePolicy(string inputJson) { return Run(Native.caseflow_analyze_policy, inputJson); }
        /// <summary>What changes from an older policy to this one: <c>{"old": policy, "reports"?: [report, ...]}</c>
        /// to the semantic changes and the reports treated differently, with both explanations.</summary>
        public string DiffPolicies(string inputJson) { return Run(Native.caseflow_diff_policies, inputJson); }

        // ---- The typed tier: typed inputs, typed answers. Each builds its input, calls the string tier above,
        // and reads the answer strictly (see Reader).

        /// <summary>Classifies and routes a report.</summary>
        public Classification Classify(Report report) { return Classification.Read(Classify(report.ToJson())); }

        /// <summary>When a duration (<c>"3 working_days"</c>) started at <paramref name="from"/> is due, in the
        /// calendar's offset.</summary>
        public Deadline Deadline(DateTimeOffset from, string add)
        {
            return global::Caseflow.Deadline.Read(Reader.Root(Deadline(new JsonBuilder().Put("from", from).Put("add", add).ToString())));
        }

        /// <summary>Each date from <paramref name="from"/> to <paramref name="to"/> inclusive, with its kind.</summary>
        public CalendarRange CalendarDays(DateTime from, DateTime to)
        {
            return CalendarRange.Read(Reader.Root(CalendarDays(new JsonBuilder().Put("from", from).Put("to", to).ToString())));
        }

        /// <summary>A clock's status at <paramref name="now"/>.</summary>
        public ClockStatus ClockStatus(Clock clock, DateTimeOffset now)
        {
            return global::Caseflow.ClockStatus.Read(Reader.Root(ClockStatus(new JsonBuilder().Put("clock", clock.ToJson()).Put("now", now).ToString())));
        }

        /// <summary>Opens a case with a <see cref="Command.RecordReport"/> at <paramref name="now"/>, its event
        /// sealed with the host's key (<paramref name="sealKey"/>: 64 to 128 hex digits, kept by the host, never
        /// stored in the log) unless null.</summary>
        public Applied Record(Command command, DateTimeOffset now, string sealKey = null)
        {
            return Applied.Read(Record(new JsonBuilder().PutJson("command", command.ToJson()).Put("now", now).Put("key", sealKey).ToString()));
        }

        /// <summary>Applies a command to a case at <paramref name="now"/>, its event sealed with the host's key
        /// unless null.</summary>
        public Applied Apply(CaseFile caseFile, Command command, DateTimeOffset now, string sealKey = null)
        {
            return Applied.Read(Apply(new JsonBuilder().PutJson("case", caseFile.Json).PutJson("command", command.ToJson())
                .Put("now", now).Put("key", sealKey).ToString()));
        }

        /// <summary>A case's clocks, reminders and escalations at <paramref name="now"/>.</summary>
        public TickReport Tick(CaseFile caseFile, DateTimeOffset now)
        {
            return TickReport.Read(Reader.Root(Tick(new JsonBuilder().PutJson("case", caseFile.Json).Put("now", now).ToString())));
        }

        /// <summary>Rebuilds a case from its log, refusing it (<c>corrupt_log</c>) when it does not end at
        /// <paramref name="end"/> (the stored <see cref="CaseFile"/> or a <see cref="LogAnchor"/>) or a seal is
        /// not <paramref name="sealKey"/>'s (either may be null).</summary>
        public CaseFile Replay(IEnumerable<Event> events, LogEnd end = null, string sealKey = null)
        {
            string answer = Replay(LogInput(events, end, sealKey));
            return CaseFile.Read(Reader.Root(answer), answer);
        }

        /// <summary>Checks a stored log against where it must end (<paramref name="end"/>, or null) and the host's
        /// key (<paramref name="sealKey"/>, or null): a removed tail and a rewritten chain are found only so.</summary>
        public LogVerification VerifyLog(IEnumerable<Event> events, LogEnd end = null, string sealKey = null)
        {
            return LogVerification.Read(Reader.Root(VerifyLog(LogInput(events, end, sealKey))));
        }

        static string LogInput(IEnumerable<Event> events, LogEnd end, string sealKey)
        {
            var input = new JsonBuilder().Put("events", events.Select(e => Json.Parse(e.Json)).ToList());
            var stored = end as CaseFile;
            var anchor = end as LogAnchor;
            if (stored != null) input.PutJson("case", stored.Json);
            if (anchor != null) input.Put("anchor", new JsonBuilder().Put("events", anchor.Events).Put("last_hash", anchor.LastHash));
            return input.Put("key", sealKey).ToString();
        }

        /// <summary>Is it under warranty on <paramref name="on"/> (docs/policy.md §1.1): for
        /// <paramref name="element"/>, or for whichever element it is when null; <paramref name="project"/> may be
        /// null (not yet accepted).</summary>
        public Warranty Warranty(ProjectFacts project, WarrantyElement? element, DateTime on)
        {
            var input = new JsonBuilder();
            if (project != null) input.Put("project_facts", project.ToJson());
            return global::Caseflow.Warranty.Read(Reader.Root(Warranty(input.Put("element", element).Put("on", on).ToString())));
        }

        /// <summary>Where the emergency drills stand at <paramref name="now"/> (docs/policy.md §7), given the days
        /// drills were held (in any order; none is an overdue drill). A drill dated after now is refused
        /// (<c>out_of_order</c>).</summary>
        public DrillStatus DrillStatus(IEnumerable<DateTime> drills, DateTimeOffset now)
        {
            var input = new JsonBuilder().Put("drills", drills.Select(d => (object)d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList()).Put("now", now);
            return global::Caseflow.DrillStatus.Read(Reader.Root(DrillStatus(input.ToString())));
        }

        /// <summary>The supervision figures (docs/policy.md §6) over the cases received from <paramref name="from"/> to
        /// <paramref name="to"/> (both included), open cases judged at <paramref name="now"/>. A log that does not
        /// replay is left out with a <c>bad_log</c> finding; a period that ends before it starts is refused.</summary>
        public Assessment Assess(IEnumerable<CaseLog> cases, DateTime from, DateTime to, DateTimeOffset now)
        {
            string answer = Assess(new JsonBuilder().Put("cases", CaseLog.Array(cases)).Put("from", from).Put("to", to).Put("now", now).ToString());
            return Assessment.Read(Reader.Root(answer), answer);
        }

        /// <summary>Combines the summaries of disjoint case sets (each sent as the engine wrote it); summaries of
        /// another period, now or policy are refused (<c>incompatible_summaries</c>).</summary>
        public Assessment MergeAssessments(IEnumerable<Assessment> summaries)
        {
            string answer = MergeAssessments(new JsonBuilder().Put("summaries", summaries.Select(s => Json.Parse(s.Json)).ToList()).ToString());
            return Assessment.Read(Reader.Root(answer), answer);
        }

        /// <summary>A reproducible sample of at most <paramref name="k"/> cases per project under
        /// <paramref name="seed"/>: the same seed and cases give the same sample.</summary>
        public SpotCheck SpotCheck(IEnumerable<CaseLog> cases, long k, ulong seed)
        {
            var input = new JsonBuilder().Put("cases", CaseLog.Array(cases)).Put("k", k).Put("seed", new JsonNumber(seed.ToString(CultureInfo.InvariantCulture)));
            return global::Caseflow.SpotCheck.Read(Reader.Root(SpotCheck(input.ToString())));
        }

        /// <summary>The incomplete records of the cases, and the logs that do not replay (docs/policy.md §6); a
        /// missing post-event review is flagged once overdue at each case's last event.</summary>
        public AuditReport Audit(IEnumerable<CaseLog> cases) { return Audit(cases, null); }

        /// <summary>The incomplete records of the cases, and the logs that do not replay (docs/policy.md §6); a
        /// missing post-event review is flagged once overdue at <paramref name="now"/> (each case's last event when
        /// null).</summary>
        public AuditReport Audit(IEnumerable<CaseLog> cases, DateTimeOffset? now)
        {
            var input = new JsonBuilder().Put("cases", CaseLog.Array(cases)).Put("now", now);
            return AuditReport.Read(Reader.Root(Audit(input.ToString())));
        }

        /// <summary>The policy analysed (issue 14, docs/analysis.md): every tier's workflow explored over the engine's
        /// own check and transition (states that cannot be reached, deadlocks, a command no role may issue, a tier-1
        /// path to closure that skips an approval, a verification or the signed confirmation...) and its rules read
        /// (rules that can never fire, unreachable categories and tiers...). Each finding names the policy member's
        /// JSON path and, for a path, a counterexample that replays; a sound policy has none.</summary>
        public Analysis AnalyzePolicy() { return Analysis.Read(Reader.Root(AnalyzePolicy("{}"))); }

        /// <summary>What changes from an older policy (<paramref name="oldPolicyJson"/>, the policy file's text, as for
        /// <see cref="FromJson"/>) to this one, compared by meaning: rules, routing, deadlines, permissions, the
        /// calendar, the model. Given <paramref name="reports"/> (past reports; null or empty for none), each that
        /// the two classify or route differently is listed with both classifications. An older policy that does not
        /// load is refused with its problems' paths under <c>$.old</c>. (The string tier's
        /// <c>DiffPolicies(string)</c> takes the whole input <c>{"old", "reports"}</c> instead.)</summary>
        public PolicyDiff DiffPolicies(string oldPolicyJson, IEnumerable<Report> reports)
        {
            if (oldPolicyJson == null) throw new ArgumentNullException("oldPolicyJson");
            var input = new JsonBuilder().PutJson("old", oldPolicyJson);
            if (reports != null) input.Put("reports", reports.Select(r => Json.Parse(r.ToJson())).ToList());
            return PolicyDiff.Read(Reader.Root(DiffPolicies(input.ToString())));
        }

        /// <summary>Frees the policy. Calls already running on other threads finish first; later calls throw
        /// <see cref="ObjectDisposedException"/>.</summary>
        public void Dispose() { handle.Dispose(); }
    }
}
