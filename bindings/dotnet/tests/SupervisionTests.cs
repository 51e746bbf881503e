// The supervision calls (docs/policy.md §6) through the typed tier, over case logs built with the typed commands:
// the figures, merging, the spot check and the audit.
using System;
using System.Collections.Generic;
using System.Linq;
using Caseflow;
using NUnit.Framework;

namespace Caseflow.Tests
{
    [TestFixture]
    public class SupervisionTests
    {
        static DateTimeOffset At(int month, int day, int hour, int minute) { return LifecycleTests.At(month, day, hour, minute); }

        static readonly DateTimeOffset Now = At(3, 20, 9, 0);
        static readonly DateTime From = new DateTime(2026, 3, 1);
        static readonly DateTime To = new DateTime(2026, 3, 31);

        static Report Report(string id, string project)
        {
            return Caseflow.Report.Builder(id, project, Channel.Phone, "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水", At(3, 2, 9, 15), "3号楼2单元801")
                .ContactName("业主").ContactPhone("13800000000").ReceivedAt(At(3, 2, 9, 20)).Build();
        }

        // A tier-2 case walked to its closure with the signed form (the corpus's walk).
        static CaseLog Closed(Policy policy, string id, string project)
        {
            var applied = policy.Record(new Command.RecordReport(LifecycleTests.Clerk, Report(id, project)), At(3, 2, 9, 30));
            var log = new List<Event> { applied.Event };
            for (int i = 0; i < LifecycleTests.Steps.Length; i++)
            {
                applied = policy.Apply(applied.CaseFile, LifecycleTests.Steps[i], LifecycleTests.Times[i]);
                log.Add(applied.Event);
            }
            Assert.AreEqual(CaseState.Closed, applied.CaseFile.State);
            return CaseLog.Of(log);
        }

        // A case recorded and never answered: its contact clock is overdue at Now.
        static CaseLog Open(Policy policy, string id, string project)
        {
            return CaseLog.Of(new[] { policy.Record(new Command.RecordReport(LifecycleTests.Clerk, Report(id, project)), At(3, 2, 9, 30)).Event });
        }

        // A log whose record event was edited after it was written.
        static CaseLog Tampered(Policy policy) { return CaseLog.FromJson(Open(policy, "T-1", "P-9").Json.Replace("3号楼", "4号楼")); }

        static void AreEqual(Figure figure, long numerator, long denominator, double? ratio)
        {
            Assert.AreEqual(numerator, figure.Numerator);
            Assert.AreEqual(denominator, figure.Denominator);
            Assert.AreEqual(ratio, figure.Ratio);
        }

        [Test]
        public void TheFiguresOfClosedOpenAndBadCases()
        {
            using (var policy = Policy.Builtin())
            {
                var a = policy.Assess(new[] { Closed(policy, "C-1", "P-1"), Open(policy, "O-1", "P-1"), Open(policy, "O-2", "P-2"), Tampered(policy) }, From, To, Now);
                Assert.AreEqual(From, a.Period.From);
                Assert.AreEqual(To, a.Period.To);
                Assert.AreEqual(Now, a.Now);
                Assert.AreEqual(new long[] { 4, 3, 0, 1 }, new[] { a.Cases.Read, a.Cases.Counted, a.Cases.OutsidePeriod, a.Cases.LeftOut });
                Assert.AreEqual(3, a.Overall.Cases);
                Assert.AreEqual(1, a.Overall.Closed);
                // One closed case, scored 5 on the signed form.
                CollectionAssert.AreEqual(new long[] { 0, 0, 0, 0, 1 }, a.Overall.Satisfaction.Histogram);
                AreEqual(a.Overall.Satisfaction.FourOrFive, 1, 1, 1.0);
                AreEqual(a.Overall.FirstRoundSatisfied, 1, 1, 1.0);
                // Both open cases are past their contact deadline.
                AreEqual(a.Overall.OpenOverdue, 2, 2, 1.0);
                CollectionAssert.AreEquivalent(new[] { "P-1", "P-2" }, a.ByProject.Keys);
                Assert.AreEqual(2, a.ByProject["P-1"].Cases);
                CollectionAssert.AreEquivalent(new[] { Tier.Two }, a.ByTier.Keys);
                CollectionAssert.AreEquivalent(new[] { Category.Quality }, a.ByCategory.Keys);
                CollectionAssert.AreEquivalent(new[] { Channel.Phone }, a.ByChannel.Keys);
                Assert.AreEqual(FindingCode.BadLog, a.LeftOut[0].Code);
                Assert.AreEqual(3, a.LeftOut[0].CaseIndex);

                // Outside the period: read, not counted.
                var april = policy.Assess(new[] { Closed(policy, "C-1", "P-1") }, new DateTime(2026, 4, 1), new DateTime(2026, 4, 30), Now);
                Assert.AreEqual(1, april.Cases.OutsidePeriod);
                Assert.AreEqual(0, april.Cases.Counted);
                Assert.IsNull(april.Overall.OpenOverdue.Ratio);

                var backwards = Assert.Throws<CaseflowException>(() => policy.Assess(new CaseLog[0], To, From, Now));
                Assert.AreEqual("$.to", backwards.Path);
                Assert.AreEqual("out_of_order", backwards.Errors[0].Code);
            }
        }

        [Test]
        public void MergedSummariesAreTheSummaryOfTheUnion()
        {
            using (var policy = Policy.Builtin())
            {
                var c1 = Closed(policy, "C-1", "P-1");
                var o1 = Open(policy, "O-1", "P-2");
                var bad = Tampered(policy);
                var left = policy.Assess(new[] { c1 }, From, To, Now);
                var right = policy.Assess(new[] { o1, bad }, From, To, Now);
                var merged = policy.MergeAssessments(new[] { left, right });
                var union = policy.Assess(new[] { c1, o1, bad }, From, To, Now);
                // The same summary: a finding's position moves past the earlier shards' cases.
                var u = (Dictionary<string, object>)Json.Parse(union.Json);
                var m = (Dictionary<string, object>)Json.Parse(merged.Json);
                foreach (var member in new[] { "period", "now", "policy", "cases", "overall", "by_project", "by_category", "by_tier", "by_channel", "left_out" })
                    Assert.IsTrue(Json.Equal(u[member], m[member]), member + ": " + merged.Json);
                Assert.AreEqual(2, merged.LeftOut[0].CaseIndex);
                Assert.AreEqual(2, union.LeftOut[0].CaseIndex);
                // A stored summary reads back and merges the same.
                Assert.AreEqual(merged.Json, policy.MergeAssessments(new[] { Assessment.FromJson(left.Json), right }).Json);

                var later = policy.Assess(new[] { o1 }, From, To, Now.AddDays(1));
                var refused = Assert.Throws<CaseflowException>(() => policy.MergeAssessments(new[] { left, later }));
                Assert.IsTrue(refused.Errors.Any(d => d.Code == "incompatible_summaries"), refused.ErrorJson);
            }
        }

        [Test]
        public void TheSpotCheckIsReproducible()
        {
            using (var policy = Policy.Builtin())
            {
                var cases = new[] { Open(policy, "A-1", "P-1"), Open(policy, "A-2", "P-1"), Open(policy, "A-3", "P-1"), Open(policy, "B-1", "P-2"), Tampered(policy) };
                var sample = policy.SpotCheck(cases, 2, 2026);
                Assert.AreEqual(2026UL, sample.Seed);
                Assert.AreEqual(2, sample.K);
                CollectionAssert.AreEquivalent(new[] { "P-1", "P-2" }, sample.Projects.Keys);
                Assert.AreEqual(3, sample.Projects["P-1"].Population);
                var p1 = sample.Projects["P-1"].Cases;
                Assert.AreEqual(2, p1.Count);
                Assert.Less(string.CompareOrdinal(p1[0].Key, p1[1].Key), 0, "smallest key first");
                Assert.AreEqual(1, sample.Projects["P-2"].Cases.Count);
                Assert.AreEqual(FindingCode.BadLog, sample.LeftOut[0].Code);
                var again = policy.SpotCheck(cases, 2, 2026);
                CollectionAssert.AreEqual(p1.Select(c => c.Id), again.Projects["P-1"].Cases.Select(c => c.Id));
                var top = policy.SpotCheck(cases, 2, ulong.MaxValue);
                Assert.AreEqual(ulong.MaxValue, top.Seed);
                Assert.AreNotEqual(p1[0].Key, top.Projects["P-1"].Cases[0].Key);
            }
        }

        [Test]
        public void TheAuditFindsBadLogs()
        {
            using (var policy = Policy.Builtin())
            {
                var report = policy.Audit(new[] { Closed(policy, "C-1", "P-1"), Open(policy, "O-1", "P-1"), Tampered(policy), CaseLog.FromJson("[{\"not\": \"an event\"}]") });
                Assert.AreEqual(4, report.Cases);
                Assert.AreEqual(2, report.Audited);
                CollectionAssert.AreEqual(new[] { FindingCode.BadLog, FindingCode.BadLog }, report.Findings.Select(f => f.Code));
                CollectionAssert.AreEquivalent(new long[] { 2, 3 }, report.Findings.Select(f => f.CaseIndex));
                var atNow = policy.Audit(new[] { Closed(policy, "C-1", "P-1"), Tampered(policy) }, DateTimeOffset.Parse("2026-06-01T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
                Assert.AreEqual(2, atNow.Cases);
                Assert.AreEqual(1, atNow.Audited);
            }
        }
    }
}
