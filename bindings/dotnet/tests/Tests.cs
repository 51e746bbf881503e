// The C# tests of the caseflow wrapper: the shared conformance corpus, the calling contract at the
// native boundary, SafeHandle lifetimes, threads. A tiny harness (no NuGet offline): each check
// counts, failures are listed, and the last line is "N passed, N failed".
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Caseflow;

static class Tests
{
    static int passed, failed;

    static void Check(bool ok, string what)
    {
        if (ok) { passed++; return; }
        failed++;
        Console.Error.WriteLine("FAIL " + what);
    }

    static T Throws<T>(Action action, string what) where T : Exception
    {
        try { action(); }
        catch (T e) { passed++; return e; }
        catch (Exception e) { Check(false, what + ": threw " + e.GetType().Name + ": " + e.Message); return null; }
        Check(false, what + ": did not throw " + typeof(T).Name);
        return null;
    }

    static byte[] Bytes(params byte[] b) { return b; }

    const string Report = "{\"id\":\"T-1\",\"project\":\"P-2026-017\",\"channel\":\"phone\",\"description\":\"阳台护栏松动，存在安全隐患\","
        + "\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"location\":\"10号楼601阳台\",\"contact\":{\"name\":\"业主\",\"phone\":\"13800000000\"}}";

    static int Main(string[] args)
    {
        if (args.Length != 1) { Console.Error.WriteLine("usage: Caseflow.Tests.exe <tests/conformance>"); return 2; }
        long baseline = Engine.LivePolicies;
        Version();
        Corpus(args[0]);
        Contract();
        Handles();
        Panic();
        TypedHelpers();
        Threads();
        FinalizerSafetyNet(baseline);
        Check(Engine.LivePolicies == baseline, "every policy freed: " + Engine.LivePolicies + " live");
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    static void Version()
    {
        Check(System.Text.RegularExpressions.Regex.IsMatch(Engine.Version, @"^\d+\.\d+\.\d+$"), "version " + Engine.Version);
    }

    // Every case of tests/conformance through Policy.Call and through the typed method of its call.
    static void Corpus(string dir)
    {
        // The policies a case may name: "default", and every file under policies/ by its file name.
        var policies = new Dictionary<string, Policy> { { "default", Policy.Default() } };
        foreach (var file in Directory.GetFiles(Path.Combine(dir, "policies"), "*.json"))
            policies[Path.GetFileName(file)] = Policy.FromJson(File.ReadAllText(file));
        try
        {
            var files = Directory.GetFiles(Path.Combine(dir, "cases"), "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
            Check(files.Count >= 90, "the corpus has " + files.Count + " cases");
            int agreed = 0;
            foreach (var file in files)
            {
                var c = (Dictionary<string, object>)Json.Parse(File.ReadAllText(file));
                Policy policy;
                if (!policies.TryGetValue((string)c["policy"], out policy))
                {
                    Check(false, Path.GetFileName(file) + ": unknown policy " + c["policy"]);
                    continue;
                }
                string call = (string)c["call"];
                string input = Json.Write(c["input"]);
                var expect = c["expect"];
                var typed = new Dictionary<string, Func<string, string>> {
                    {"classify", policy.Classify}, {"deadline", policy.Deadline}, {"calendar_days", policy.CalendarDays},
                    {"clock_status", policy.ClockStatus}, {"record", policy.Record}, {"apply", policy.Apply},
                    {"tick", policy.Tick}, {"replay", policy.Replay}, {"verify_log", policy.VerifyLog},
                    {"warranty", policy.Warranty},
                };
                bool same = Outcome(() => policy.Call(call, input), expect, Path.GetFileName(file) + " via Call");
                same &= Outcome(() => typed[call](input), expect, Path.GetFileName(file) + " via " + call);
                if (same) agreed++;
            }
            Console.WriteLine("corpus: " + agreed + " of " + files.Count + " cases agree through Call and the typed methods");
        }
        finally
        {
            foreach (var policy in policies.Values) policy.Dispose();
        }
    }

    static bool Outcome(Func<string> run, object expect, string what)
    {
        var e = (Dictionary<string, object>)expect;
        object got;
        try
        {
            got = new Dictionary<string, object> { { "ok", Json.Parse(run()) } };
        }
        catch (CaseflowException ex)
        {
            got = new Dictionary<string, object> { { "error", Json.Parse(ex.ErrorJson) } };
            object error;
            if (e.TryGetValue("error", out error))
            {
                var body = (Dictionary<string, object>)error;
                Check(ex.Code == (string)body["code"], what + ": code " + ex.Code);
                var errors = (List<object>)body["errors"];
                if (errors.Count > 0)
                    Check(ex.Path == (string)((Dictionary<string, object>)errors[0])["path"], what + ": path " + ex.Path);
            }
        }
        bool same = Json.Equal(got, expect);
        Check(same, what + ": differs from the corpus: " + Json.Write(got));
        return same;
    }

    // The native boundary, called directly: NULL, invalid UTF-8, malformed JSON.
    static void Contract()
    {
        using (var policy = Policy.Default())
        {
            NativeString result, error;
            var input = Native.Utf8("{}", "input");
            uint status = Native.caseflow_classify(policy.Handle, null, out result, out error);
            var ex = Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error), "NULL input");
            Check(status == (uint)Status.NullArgument && result.IsInvalid, "NULL input: status " + status);
            if (ex != null) Check(ex.Status == Status.NullArgument && ex.Code == "null_argument" && ex.Path == "input_json", "NULL input: " + ex.Path);
            status = Native.caseflow_call(policy.Handle, null, input, out result, out error);
            ex = Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error), "NULL call");
            if (ex != null) Check(ex.Status == Status.NullArgument && ex.Path == "call", "NULL call: " + ex.Path);
            status = Native.caseflow_policy_check(null, out result, out error);
            ex = Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error), "NULL policy json");
            if (ex != null) Check(ex.Path == "policy_json", "NULL policy json: " + ex.Path);

            var bad = Bytes((byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)'}', 0);
            foreach (var fn in new Native.CallFn[] { Native.caseflow_classify, Native.caseflow_deadline, Native.caseflow_calendar_days,
                Native.caseflow_clock_status, Native.caseflow_record, Native.caseflow_apply, Native.caseflow_tick,
                Native.caseflow_replay, Native.caseflow_verify_log, Native.caseflow_warranty })
            {
                status = fn(policy.Handle, bad, out result, out error);
                ex = Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error), "invalid UTF-8");
                Check(result.IsInvalid, "no result on failure");
                if (ex != null) Check(ex.Status == Status.InvalidUtf8 && ex.Path == "input_json", "invalid UTF-8: " + ex.Status + " " + ex.Path);
                foreach (var text in new[] { "", "{", "[1,", "nul", "{\"a\": }" })
                    StatusOf(fn, policy, text);
            }
            ex = Throws<CaseflowException>(() => policy.Deadline("{\"from\": 3"), "malformed deadline");
            if (ex != null) Check(ex.Status == Status.InvalidJson && ex.Code == "invalid_json" && ex.Path == "$", "malformed: " + ex.Status);
            ex = Throws<CaseflowException>(() => policy.Classify("{\"id\":\"C-1\",\"project\":\"P\",\"channel\":\"phone\",\"description\":\"漏水\",\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"contact\":{\"phone\":\"13800000000\"}}"), "no location");
            if (ex != null) Check(ex.Status == Status.InvalidReport && ex.Path == "$.location" && ex.Errors.Count == 1, "no location: " + ex.Path);
            ex = Throws<CaseflowException>(() => policy.Call("summon", "{}"), "unknown call");
            if (ex != null) Check(ex.Status == Status.InvalidInput && ex.Errors[0].Code == "unknown_call", "unknown call: " + ex.ErrorJson);
            Throws<ArgumentNullException>(() => policy.Classify(null), "null string");
            Throws<ArgumentException>(() => policy.Classify("{\0}"), "embedded NUL");
            ex = Throws<CaseflowException>(() => Policy.FromJson("{\"schema\": 1}"), "invalid policy");
            if (ex != null) Check(ex.Status == Status.InvalidPolicy && ex.Errors.Count > 1 && ex.Path.StartsWith("$"), "invalid policy: " + ex.ErrorJson);
            Check(Engine.Check("{\"schema\": 1}").Contains("\"valid\":false"), "check reports an invalid policy");
        }
    }

    // The status of a call on malformed JSON: invalid_json for every call, at the root.
    static uint StatusOf(Native.CallFn fn, Policy policy, string text)
    {
        NativeString result, error;
        uint status = fn(policy.Handle, Native.Utf8(text, "t"), out result, out error);
        string body = error.Take();
        Check(status == (uint)Status.InvalidJson, fn.Method.Name + "(" + text + "): " + status);
        Check(body != null && body.Contains("\"path\":\"$\"") && body.Contains("\"code\":\"invalid_json\""), fn.Method.Name + "(" + text + "): " + body);
        return status;
    }

    static void Handles()
    {
        var policy = Policy.Default();
        IntPtr raw = policy.Handle.DangerousGetHandle();
        policy.Dispose();
        policy.Dispose(); // idempotent
        Throws<ObjectDisposedException>(() => policy.Classify(Report), "use after Dispose");
        // The freed handle, behind the SafeHandle's back: the library refuses it.
        NativeString result, error;
        uint status = Native.caseflow_call_raw(raw, Native.Utf8("classify", "c"), Native.Utf8(Report, "r"), out result, out error);
        var ex = Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error), "freed handle");
        if (ex != null) Check(ex.Status == Status.InvalidHandle && ex.Path == "policy", "freed handle: " + ex.Status);
        Check(Native.caseflow_policy_free(raw) == (uint)Status.InvalidHandle, "double free is refused");
        Check(Native.caseflow_policy_free(IntPtr.Zero) == (uint)Status.Ok, "freeing NULL does nothing");
    }

    static void Panic()
    {
        NativeString error;
        uint status;
        try { status = Native.caseflow_test_panic(out error); }
        catch (EntryPointNotFoundException) { Console.WriteLine("panic test skipped: libcaseflow built without test-panic"); return; }
        var ex = Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error), "panic");
        if (ex != null) Check(ex.Status == Status.Panic && ex.Code == "panic" && ex.Message.Contains("caseflow_test_panic"), "panic: " + ex.Message);
        using (var policy = Policy.Default())
            Check(policy.Classify(Report).Contains("\"tier\":1"), "usable after a panic");
    }

    static void TypedHelpers()
    {
        using (var policy = Policy.Default())
        {
            var from = new DateTimeOffset(2026, 2, 13, 18, 0, 0, TimeSpan.FromHours(8));
            var due = policy.Deadline(from, "3 working_days");
            Check(due == new DateTimeOffset(2026, 2, 25, 17, 30, 0, TimeSpan.FromHours(8)) && due.Offset == TimeSpan.FromHours(8), "deadline " + due.ToString("o"));
            // The same instant written in UTC gives the same due instant, in the calendar's offset.
            Check(policy.Deadline(from.ToUniversalTime(), "3 working_days") == due, "offset-independent");
            var ex = Throws<CaseflowException>(() => policy.Deadline(from, "3 fortnights"), "bad unit");
            if (ex != null) Check(ex.Status == Status.InvalidInput && ex.Path == "$.add", "bad unit: " + ex.Path);

            var now = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));
            string opened = policy.Record("{\"type\":\"record\",\"actor\":{\"id\":\"clerk-1\",\"roles\":[\"intake_clerk\"]},\"report\":" + Report + "}", now);
            var applied = (Dictionary<string, object>)Json.Parse(opened);
            string caseJson = Json.Write(applied["case"]);
            ex = Throws<CaseflowException>(() => policy.Apply(caseJson, "{\"type\":\"approve_plan\",\"actor\":{\"id\":\"pm-1\",\"roles\":[\"project_manager\"]}}", now.AddHours(1)), "refused");
            if (ex != null) Check(ex.Status == Status.Refused && ex.Code == "refused", "refused: " + ex.ErrorJson);
            Check(policy.Tick(caseJson, now.AddDays(2)).StartsWith("{"), "tick");

            // Sealed with the host's key: the log verifies with it, and not once cut short.
            string key = string.Concat(Enumerable.Repeat("5a", 32));
            var sealedOpen = (Dictionary<string, object>)Json.Parse(policy.Record("{\"type\":\"record\",\"actor\":{\"id\":\"clerk-1\",\"roles\":[\"intake_clerk\"]},\"report\":" + Report + "}", now, key));
            string sealedCase = Json.Write(sealedOpen["case"]);
            var accepted = (Dictionary<string, object>)Json.Parse(policy.Apply(sealedCase,
                "{\"type\":\"accept\",\"actor\":{\"id\":\"pl-1\",\"roles\":[\"project_leader\"]},\"committed_deadline\":\"2026-03-13T17:30:00+08:00\"}", now.AddHours(1), key));
            var events = new List<object> { sealedOpen["event"], accepted["event"] };
            Check(((Dictionary<string, object>)accepted["event"]).ContainsKey("seal"), "the event is sealed");
            string log = Json.Write(events);
            string stored = Json.Write(accepted["case"]);
            var verdict = (Dictionary<string, object>)Json.Parse(policy.VerifyLog(log, stored, key));
            Check((bool)verdict["valid"] && (bool)verdict["seals_checked"] && (bool)verdict["anchor_checked"], "sealed log: " + Json.Write(verdict));
            string cut = Json.Write(new List<object> { events[0] });
            verdict = (Dictionary<string, object>)Json.Parse(policy.VerifyLog(cut, stored, null));
            Check(!(bool)verdict["valid"], "cut short: " + Json.Write(verdict));
            Check(Json.Write(Json.Parse(policy.Replay(log, null, key))) == stored, "replayed with the key");
            ex = Throws<CaseflowException>(() => policy.Replay(cut, stored, key), "replay cut short");
            if (ex != null) Check(ex.Status == Status.CorruptLog && ex.Path == "$.events[1]", "replay cut short: " + ex.Path);
            ex = Throws<CaseflowException>(() => policy.VerifyLog(log, null, "abc"), "a bad key");
            if (ex != null) Check(ex.Status == Status.InvalidInput && ex.Path == "$.key", "a bad key: " + ex.Path);
        }
    }

    // Many threads, one policy: every answer is the same.
    static void Threads()
    {
        using (var policy = Policy.Default())
        {
            string expected = policy.Classify(Report);
            int mismatches = 0, errors = 0;
            var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < 25; i++)
                {
                    try { if (policy.Classify(Report) != expected) Interlocked.Increment(ref mismatches); }
                    catch (Exception) { Interlocked.Increment(ref errors); }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Check(mismatches == 0 && errors == 0, "8 threads x 25 classify: " + mismatches + " mismatches, " + errors + " errors");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Abandon(int n)
    {
        for (int i = 0; i < n; i++) Policy.Default();
    }

    // Policies never disposed are freed by the SafeHandle's finalizer.
    static void FinalizerSafetyNet(long baseline)
    {
        Abandon(5);
        for (int i = 0; i < 20 && Engine.LivePolicies > baseline; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Check(Engine.LivePolicies == baseline, "abandoned policies are finalized: " + Engine.LivePolicies + " live, " + baseline + " before");
    }
}
