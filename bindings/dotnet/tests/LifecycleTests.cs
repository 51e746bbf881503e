// The typed tier, built by hand the way a host would: commands, a whole case, the log, errors.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Caseflow;
using NUnit.Framework;

namespace Caseflow.Tests
{
    [TestFixture]
    public class LifecycleTests
    {
        static readonly TimeSpan Cst = TimeSpan.FromHours(8);

        internal static DateTimeOffset At(int month, int day, int hour, int minute) { return new DateTimeOffset(2026, month, day, hour, minute, 0, Cst); }

        internal static readonly Actor Clerk = new Actor("clerk-1", Role.IntakeClerk);
        internal static readonly Actor Leader = new Actor("pl-1", Role.ProjectLeader);
        internal static readonly Actor Manager = new Actor("pm-1", Role.ProjectManager);
        static readonly Actor Owner = new Actor("owner-801", Role.Customer);

        // The report of the corpus's tier-2 walk (040-tier-2-record).
        internal static Report Leak()
        {
            return Report.Builder("L-2", "P-2026-017", Channel.Phone, "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水", At(3, 2, 9, 15), "3号楼2单元801")
                .ContactName("业主").ContactPhone("13800000000").ReceivedAt(At(3, 2, 9, 20)).Build();
        }

        internal static readonly Command[] Steps =
        {
            new Command.Accept(Leader, At(3, 16, 17, 30)),
            new Command.SubmitPlan(Leader, new Plan(new[] { "更换排水管接口" },
                new[] { new KeyValuePair<string, string>("王班长", null) },
                new[] { new KeyValuePair<string, DateTimeOffset>("完成维修", At(3, 10, 17, 30)) })),
            new Command.ApprovePlan(Manager),
            new Command.CompleteWork(Leader),
            new Command.Verify(Leader, true),
            new Command.NotifyCustomer(Leader),
            new Command.CustomerConfirm(Owner, 5, "CF-2026-0031"),
        };

        internal static readonly DateTimeOffset[] Times = { At(3, 2, 15, 0), At(3, 3, 10, 0), At(3, 3, 16, 0), At(3, 9, 16, 0), At(3, 10, 10, 0), At(3, 10, 11, 0), At(3, 11, 9, 0) };

        // The corpus's tier-2 walk with typed commands ends at the very case the corpus expects.
        [Test]
        public void AWholeCaseWithTypedCommands()
        {
            string key = string.Concat(Enumerable.Repeat("5a", 32));
            using (var policy = Policy.Builtin())
            {
                var c = policy.Classify(Leak());
                Assert.AreEqual(Category.Quality, c.Category);
                Assert.AreEqual(Tier.Two, c.Tier);
                Assert.IsNull(c.Emergency);
                Assert.IsNull(c.ServiceRequest);

                var log = new List<Event>();
                var opened = policy.Record(new Command.RecordReport(Clerk, Leak()), At(3, 2, 9, 30), key);
                Assert.AreEqual(CaseState.Recorded, opened.CaseFile.State);
                Assert.AreEqual(0, opened.Event.Seq);
                Assert.AreEqual("record", opened.Event.Command);
                Assert.IsNotNull(opened.Event.Seal);
                Assert.IsTrue(opened.Effects.OfType<Effect.StartClock>().Any(s => s.Clock == ClockKind.ContactCustomer));
                log.Add(opened.Event);
                var file = opened.CaseFile;

                var refused = Assert.Throws<CaseflowException>(() => policy.Apply(opened.CaseFile, new Command.Accept(Leader, At(6, 30, 17, 30)), At(3, 2, 15, 0), key));
                Assert.AreEqual("refused", refused.Code);
                Assert.AreEqual(Status.Refused, refused.Status);
                Assert.AreEqual("$.committed_deadline", refused.Path);
                Assert.AreEqual("beyond_cap", refused.Errors[0].Code);

                for (int k = 0; k < Steps.Length; k++)
                {
                    var applied = policy.Apply(file, Steps[k], Times[k], key);
                    Assert.AreEqual(k + 1, applied.Event.Seq);
                    log.Add(applied.Event);
                    file = applied.CaseFile;
                }
                Assert.AreEqual(CaseState.Closed, file.State);
                Assert.AreEqual(8, file.Events);

                // Unsealed, the same walk is the corpus's (052-tier-2-step-12-customer-confirm).
                var corpus = (Dictionary<string, object>)Json.Parse(File.ReadAllText(Path.Combine(ConformanceTests.Dir, "cases/052-tier-2-step-12-customer-confirm.json"), Encoding.UTF8));
                var expected = ((Dictionary<string, object>)((Dictionary<string, object>)corpus["expect"])["ok"])["case"];
                var unsealed = policy.Record(new Command.RecordReport(Clerk, Leak()), At(3, 2, 9, 30)).CaseFile;
                for (int k = 0; k < Steps.Length; k++) unsealed = policy.Apply(unsealed, Steps[k], Times[k]).CaseFile;
                Assert.IsTrue(Json.Equal(expected, Json.Parse(unsealed.Json)), unsealed.Json);

                // Store and reload: the log verifies and replays with the key.
                var stored = log.Select(e => Event.FromJson(e.Json)).ToList();
                var reloaded = CaseFile.FromJson(file.Json);
                Assert.AreEqual(file.LastHash, reloaded.LastHash);
                var ok = policy.VerifyLog(stored, reloaded, key);
                Assert.IsTrue(ok.Valid && ok.SealsChecked && ok.AnchorChecked);
                Assert.IsNull(ok.FirstBad);
                Assert.IsTrue(Json.Equal(Json.Parse(file.Json), Json.Parse(policy.Replay(stored, reloaded, key).Json)));
                Assert.IsTrue(policy.VerifyLog(stored, new LogAnchor(file.Events, file.LastHash)).AnchorChecked);

                // A removed tail is found against the stored case, and replay refuses it.
                var cut = stored.Take(3).ToList();
                var bad = policy.VerifyLog(cut, reloaded);
                Assert.IsFalse(bad.Valid);
                Assert.AreEqual(3, bad.FirstBad.Index);
                var corrupt = Assert.Throws<CaseflowException>(() => policy.Replay(cut, reloaded, key));
                Assert.AreEqual("corrupt_log", corrupt.Code);
                Assert.AreEqual("$.events[3]", corrupt.Path);
                var badKey = Assert.Throws<CaseflowException>(() => policy.VerifyLog(stored, null, "abc"));
                Assert.AreEqual("invalid_input", badKey.Code);
                Assert.AreEqual("$.key", badKey.Path);

                var tick = policy.Tick(file, At(3, 12, 9, 0));
                Assert.AreEqual(CaseState.Closed, tick.State);
                Assert.IsTrue(tick.Clocks.All(k => k.Stopped));
            }
        }

        [Test]
        public void DeadlinesClocksCalendarAndWarranty()
        {
            using (var policy = Policy.Builtin())
            {
                var from = new DateTimeOffset(2026, 2, 13, 18, 0, 0, Cst);
                var d = policy.Deadline(from, "3 working_days");
                Assert.AreEqual(new DateTimeOffset(2026, 2, 25, 17, 30, 0, Cst), d.Due);
                Assert.AreEqual(Cst, d.Due.Offset);
                Assert.AreEqual(d.Due, policy.Deadline(from.ToUniversalTime(), "3 working_days").Due);
                var e = Assert.Throws<CaseflowException>(() => policy.Deadline(from, "3 fortnights"));
                Assert.AreEqual("invalid_input", e.Code);
                Assert.AreEqual("$.add", e.Path);

                var days = policy.CalendarDays(new DateTime(2026, 10, 1), new DateTime(2026, 10, 10));
                Assert.AreEqual(10, days.Days.Count);
                Assert.IsFalse(days.Days[0].Working);
                Assert.IsNotNull(days.Days[0].Holiday);
                Assert.IsTrue(days.Days.Any(x => x.MakeUp));

                var s = policy.ClockStatus(new Clock(At(3, 2, 9, 20), "24 hours"), At(3, 3, 12, 0));
                Assert.AreEqual(ClockState.Breached, s.State);
                Assert.Greater(s.FractionElapsed, 1.0);

                var w = policy.Warranty(new ProjectFacts(new DateTime(2024, 6, 30)), WarrantyElement.Waterproofing, new DateTime(2029, 7, 1));
                Assert.AreEqual(WarrantyStatus.Expired, w.Status);
                Assert.AreEqual(WarrantyBasis.Clerk, w.DecidedBy);
                Assert.AreEqual(new DateTime(2029, 6, 30), w.EndsOn);
                Assert.AreEqual(WarrantyBasis.NotAccepted, policy.Warranty(null, null, new DateTime(2026, 1, 1)).DecidedBy);
            }
        }

        [Test]
        public void AnOutOfWarrantyReportIsAServiceRequest()
        {
            using (var policy = Policy.Builtin())
            {
                var report = Report.Builder("W-1", "P-2019-003", Channel.Online, "墙面涂料起皮", At(3, 2, 9, 0), "5号楼302")
                    .ContactPhone("13800000000").Element(WarrantyElement.Decoration)
                    .ProjectFacts(new ProjectFacts(new DateTime(2019, 6, 1))).Build();
                var c = policy.Classify(report);
                Assert.AreEqual(WarrantyStatus.Expired, c.Warranty.Status);
                Assert.IsNotNull(c.ServiceRequest);
                StringAssert.StartsWith("$.warranty", c.ServiceRequest.Rule);
            }
        }

        [Test]
        public void RefusalsCarryCodeAndPath()
        {
            using (var policy = Policy.Builtin())
            {
                var e = Assert.Throws<CaseflowException>(() => policy.Classify(Report.FromJson(
                    "{\"id\":\"C-1\",\"project\":\"P\",\"channel\":\"phone\",\"description\":\"漏水\",\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"contact\":{\"phone\":\"13800000000\"}}")));
                Assert.AreEqual("invalid_report", e.Code);
                Assert.AreEqual(Status.InvalidReport, e.Status);
                Assert.AreEqual("$.location", e.Path);
                Assert.AreEqual(1, e.Errors.Count);
            }
            var invalid = Assert.Throws<CaseflowException>(() => Policy.FromJson("{\"schema\": 1}"));
            Assert.AreEqual("invalid_policy", invalid.Code);
            Assert.Greater(invalid.Errors.Count, 1);
            var check = Engine.CheckPolicy("{\"schema\": 1}");
            Assert.IsFalse(check.Valid);
            Assert.IsNotEmpty(check.Errors.ToList());
            Assert.IsTrue(Engine.CheckPolicy(File.ReadAllText(Path.Combine(ConformanceTests.Dir, "policies/strict.json"), Encoding.UTF8)).Valid);
        }

        [Test]
        public void TheReaderIsStrictAboutClosedSets()
        {
            var e = Assert.Throws<FormatException>(() => CaseFile.FromJson(
                "{\"id\":\"X\",\"state\":\"dreaming\",\"category\":\"quality\",\"tier\":2,\"updated_at\":\"2026-03-02T09:30:00+08:00\",\"events\":1,\"last_hash\":\"00\"}"));
            StringAssert.Contains("$.state", e.Message);
            StringAssert.Contains("awaiting_approval", e.Message);
            e = Assert.Throws<FormatException>(() => CaseFile.FromJson(
                "{\"id\":\"X\",\"state\":\"closed\",\"category\":\"quality\",\"tier\":4,\"updated_at\":\"2026-03-02T09:30:00+08:00\",\"events\":1,\"last_hash\":\"00\"}"));
            StringAssert.Contains("$.tier", e.Message);
            e = Assert.Throws<FormatException>(() => Effect.Read(new Reader(Json.Parse("{\"type\":\"teleport\",\"rule\":\"r\"}"), "$.effects[0]")));
            StringAssert.Contains("$.effects[0].type", e.Message);
            Assert.AreEqual(Role.ProjectLeader, Wire.Parse<Role>("project_leader"));
            Assert.AreEqual("on_site", Wire.Name(Channel.OnSite));
            Assert.AreEqual("II", Wire.Name(EmergencyLevel.II));
            // Fields it does not know are kept in the document and otherwise ignored.
            var future = CaseFile.FromJson("{\"id\":\"X\",\"state\":\"closed\",\"category\":\"quality\",\"tier\":2,"
                + "\"updated_at\":\"2026-03-02T09:30:00+08:00\",\"events\":1,\"last_hash\":\"00\",\"review\":{\"by\":\"model\"}}");
            StringAssert.Contains("\"review\"", future.Json);
        }
    }
}
