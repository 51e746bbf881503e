// The native boundary called directly, SafeHandle lifetimes, panics, threads, the finalizer.
using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using Caseflow;
using NUnit.Framework;

namespace Caseflow.Tests
{
    [TestFixture]
    public class NativeTests
    {
        const string ReportJson = "{\"id\":\"T-1\",\"project\":\"P-2026-017\",\"channel\":\"phone\",\"description\":\"阳台护栏松动，存在安全隐患\","
            + "\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"location\":\"10号楼601阳台\",\"contact\":{\"name\":\"业主\",\"phone\":\"13800000000\"}}";

        static readonly Native.CallFn[] Calls =
        {
            Native.caseflow_classify, Native.caseflow_deadline, Native.caseflow_calendar_days, Native.caseflow_clock_status,
            Native.caseflow_record, Native.caseflow_apply, Native.caseflow_tick, Native.caseflow_replay, Native.caseflow_verify_log,
            Native.caseflow_warranty, Native.caseflow_drill_status, Native.caseflow_assess, Native.caseflow_merge_assessments,
            Native.caseflow_spot_check, Native.caseflow_audit, Native.caseflow_analyze_policy, Native.caseflow_diff_policies,
        };

        static CaseflowException Refused(uint status, NativeString result, NativeString error)
        {
            Assert.IsTrue(result.IsInvalid, "no result on failure");
            return Assert.Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error));
        }

        [Test]
        public void TheVersion() { Assert.IsTrue(Regex.IsMatch(Engine.Version, @"^\d+\.\d+\.\d+$"), Engine.Version); }

        [Test]
        public void TheCallingContract()
        {
            using (var policy = Policy.Builtin())
            {
                NativeString result, error;
                var bad = new byte[] { (byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)'}', 0 };
                foreach (var fn in Calls)
                {
                    uint status = fn(policy.Handle, null, out result, out error);
                    var e = Refused(status, result, error);
                    Assert.AreEqual(Status.NullArgument, e.Status);
                    Assert.AreEqual("null_argument", e.Code);
                    Assert.AreEqual("input_json", e.Path);
                    status = fn(policy.Handle, bad, out result, out error);
                    e = Refused(status, result, error);
                    Assert.AreEqual(Status.InvalidUtf8, e.Status);
                    Assert.AreEqual("input_json", e.Path);
                    foreach (var text in new[] { "", "{", "[1,", "nul", "{\"a\": }" })
                    {
                        status = fn(policy.Handle, Native.Utf8(text, "t"), out result, out error);
                        e = Refused(status, result, error);
                        Assert.AreEqual(Status.InvalidJson, e.Status, text);
                        Assert.AreEqual("$", e.Path);
                        Assert.AreEqual("invalid_json", e.Errors[0].Code);
                    }
                }
                uint s = Native.caseflow_call(policy.Handle, null, Native.Utf8("{}", "i"), out result, out error);
                Assert.AreEqual("call", Refused(s, result, error).Path);
                s = Native.caseflow_policy_check(null, out result, out error);
                Assert.AreEqual("policy_json", Refused(s, result, error).Path);
                var unknown = Assert.Throws<CaseflowException>(() => policy.Call("summon", "{}"));
                Assert.AreEqual(Status.InvalidInput, unknown.Status);
                Assert.AreEqual("unknown_call", unknown.Errors[0].Code);
                Assert.Throws<ArgumentNullException>(() => policy.Classify((string)null));
                Assert.Throws<ArgumentException>(() => policy.Classify("{\0}"));
            }
        }

        [Test]
        public void Handles()
        {
            var policy = Policy.Builtin();
            IntPtr raw = policy.Handle.DangerousGetHandle();
            policy.Dispose();
            policy.Dispose(); // idempotent
            Assert.Throws<ObjectDisposedException>(() => policy.Classify(ReportJson));
            NativeString result, error;
            uint status = Native.caseflow_call_raw(raw, Native.Utf8("classify", "c"), Native.Utf8(ReportJson, "r"), out result, out error);
            var e = Refused(status, result, error);
            Assert.AreEqual(Status.InvalidHandle, e.Status);
            Assert.AreEqual("policy", e.Path);
            Assert.AreEqual((uint)Status.InvalidHandle, Native.caseflow_policy_free(raw));
            Assert.AreEqual((uint)Status.Ok, Native.caseflow_policy_free(IntPtr.Zero));
        }

        [Test]
        public void APanicIsAnErrorAndTheLibraryStaysUsable()
        {
            NativeString error;
            uint status = Native.caseflow_test_panic(out error); // the suites build libcaseflow with test-panic
            var e = Assert.Throws<CaseflowException>(() => CaseflowException.ThrowIfFailed(status, error));
            Assert.AreEqual(Status.Panic, e.Status);
            Assert.AreEqual("panic", e.Code);
            StringAssert.Contains("caseflow_test_panic", e.Message);
            using (var policy = Policy.Builtin())
                Assert.AreEqual(Tier.One, policy.Classify(Report.FromJson(ReportJson)).Tier);
        }

        [Test]
        public void OneSharedPolicyManyThreads()
        {
            using (var policy = Policy.Builtin())
            {
                string expected = policy.Classify(ReportJson);
                int mismatches = 0, errors = 0;
                var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
                {
                    for (int i = 0; i < 25; i++)
                    {
                        try
                        {
                            if (policy.Classify(ReportJson) != expected) Interlocked.Increment(ref mismatches);
                            if (policy.Classify(Report.FromJson(ReportJson)).Tier != Tier.One) Interlocked.Increment(ref mismatches);
                        }
                        catch (Exception) { Interlocked.Increment(ref errors); }
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                Assert.AreEqual(0, mismatches);
                Assert.AreEqual(0, errors);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void Abandon(int n)
        {
            for (int i = 0; i < n; i++) Policy.Builtin();
        }

        [Test]
        public void TheFinalizerFreesAbandonedPolicies()
        {
            long baseline = Engine.LivePolicies;
            Abandon(5);
            for (int i = 0; i < 50 && Engine.LivePolicies > baseline; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.AreEqual(baseline, Engine.LivePolicies);
        }
    }
}
