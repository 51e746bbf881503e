using System;
using System.Collections.Generic;
using System.Globalization;

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
    /// Dispose it when done; a policy that is not disposed is freed by the finalizer. Every call takes and
    /// returns JSON text (the shapes of the JSON API); a refusal throws <see cref="CaseflowException"/>.</summary>
    public sealed class Policy : IDisposable
    {
        readonly PolicyHandle handle;

        Policy(PolicyHandle handle) { this.handle = handle; }

        /// <summary>The built-in default policy.</summary>
        public static Policy Default()
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
        /// "ends_on", "reason", ...}</c> (policy.md §1.1).</summary>
        public string Warranty(string inputJson) { return Run(Native.caseflow_warranty, inputJson); }

        /// <summary>When a duration (<c>"3 working_days"</c>) started at <paramref name="from"/> is due, in the
        /// calendar's offset.</summary>
        public DateTimeOffset Deadline(DateTimeOffset from, string duration)
        {
            string input = "{\"from\":" + Json.Quote(Engine.Instant(from)) + ",\"add\":" + Json.Quote(duration) + "}";
            var result = (Dictionary<string, object>)Json.Parse(Deadline(input));
            return Engine.ParseInstant((string)result["due"]);
        }

        /// <summary>Opens a case with a <c>record</c> command at <paramref name="now"/>.</summary>
        public string Record(string commandJson, DateTimeOffset now)
        {
            return Record("{\"command\":" + commandJson + ",\"now\":" + Json.Quote(Engine.Instant(now)) + "}");
        }

        /// <summary>Applies a command to a case at <paramref name="now"/>.</summary>
        public string Apply(string caseJson, string commandJson, DateTimeOffset now)
        {
            return Apply("{\"case\":" + caseJson + ",\"command\":" + commandJson + ",\"now\":" + Json.Quote(Engine.Instant(now)) + "}");
        }

        /// <summary>Opens a case at <paramref name="now"/>, its event sealed with the host's key
        /// (<paramref name="sealKey"/>: 64 to 128 hex digits, kept by the host, never stored in the log).</summary>
        public string Record(string commandJson, DateTimeOffset now, string sealKey)
        {
            return Record("{\"command\":" + commandJson + ",\"now\":" + Json.Quote(Engine.Instant(now)) + ",\"key\":" + Json.Quote(sealKey) + "}");
        }

        /// <summary>Applies a command at <paramref name="now"/>, its event sealed with the host's key.</summary>
        public string Apply(string caseJson, string commandJson, DateTimeOffset now, string sealKey)
        {
            return Apply("{\"case\":" + caseJson + ",\"command\":" + commandJson + ",\"now\":" + Json.Quote(Engine.Instant(now)) + ",\"key\":" + Json.Quote(sealKey) + "}");
        }

        /// <summary>Checks a stored log (<paramref name="eventsJson"/>, a JSON array) against the stored case it
        /// must end at (<paramref name="caseJson"/>, or null) and the host's key (<paramref name="sealKey"/>, or
        /// null): a removed tail and a rewritten chain are found only so.</summary>
        public string VerifyLog(string eventsJson, string caseJson, string sealKey)
        {
            return VerifyLog(LogInput(eventsJson, caseJson, sealKey));
        }

        /// <summary>Rebuilds a case from its log, refusing it when it does not end at
        /// <paramref name="caseJson"/> or a seal is not <paramref name="sealKey"/>'s (either may be null).</summary>
        public string Replay(string eventsJson, string caseJson, string sealKey)
        {
            return Replay(LogInput(eventsJson, caseJson, sealKey));
        }

        static string LogInput(string eventsJson, string caseJson, string sealKey)
        {
            return "{\"events\":" + eventsJson
                + (caseJson == null ? "" : ",\"case\":" + caseJson)
                + (sealKey == null ? "" : ",\"key\":" + Json.Quote(sealKey)) + "}";
        }

        /// <summary>A case's clocks, reminders and escalations at <paramref name="now"/>.</summary>
        public string Tick(string caseJson, DateTimeOffset now)
        {
            return Tick("{\"case\":" + caseJson + ",\"now\":" + Json.Quote(Engine.Instant(now)) + "}");
        }

        /// <summary>Frees the policy. Calls already running on other threads finish first; later calls throw
        /// <see cref="ObjectDisposedException"/>.</summary>
        public void Dispose() { handle.Dispose(); }
    }
}
