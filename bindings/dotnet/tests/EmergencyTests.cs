// The emergency plan (docs/policy.md §7) through the typed tier: each of the nine commands applied by the engine,
// the emergency record read back typed, its clocks at a tick, drill_status.
using System;
using System.Collections.Generic;
using System.Linq;
using Caseflow;
using NUnit.Framework;

namespace Caseflow.Tests
{
    [TestFixture]
    public class EmergencyTests
    {
        static DateTimeOffset At(int month, int day, int hour, int minute) { return LifecycleTests.At(month, day, hour, minute); }

        static readonly Actor Clerk = LifecycleTests.Clerk;
        static readonly Actor Leader = LifecycleTests.Leader;
        static readonly Actor Manager = LifecycleTests.Manager;
        static readonly Actor Leadership = new Actor("gm-1", Role.CompanyLeadership);

        // A report whose form says there is a safety hazard: a level-III emergency from intake.
        static Report Hazard()
        {
            return Report.Builder("E-3", "P-2026-021", Channel.Phone, "外墙瓷砖空鼓，客厅墙面渗水发霉", At(3, 2, 9, 15), "5号楼东立面")
                .ContactName("业主").ContactPhone("13800000000").ReceivedAt(At(3, 2, 9, 15)).Fact("safety_hazard", true).Build();
        }

        static CaseFile Step(Policy policy, List<Event> log, CaseFile file, Command command, DateTimeOffset now)
        {
            var applied = policy.Apply(file, command, now);
            log.Add(applied.Event);
            return applied.CaseFile;
        }

        [Test]
        public void ALevelThreeEmergencyFromIntakeToItsReview()
        {
            using (var policy = Policy.Builtin())
            {
                var log = new List<Event>();
                var opened = policy.Record(new Command.RecordReport(Clerk, Hazard()), At(3, 2, 9, 20));
                log.Add(opened.Event);
                var file = opened.CaseFile;
                Assert.AreEqual(EmergencyLevel.III, file.Emergency);
                Assert.AreEqual(Tier.One, file.Tier);
                var plan = file.EmergencyPlan;
                Assert.IsNotNull(plan);
                Assert.AreEqual("engine", plan.DeclaredBy);
                Assert.AreEqual("emergency.III.safety_hazard", plan.Trigger);
                Assert.AreEqual(Role.ProjectManager, plan.CommandingRole);
                CollectionAssert.AreEqual(new[] { "notify_command", "people_on_site", "safety_measures", "initial_report", "status_update#1" },
                    plan.Actions.Select(a => a.Id).ToArray());
                Assert.AreEqual(5, plan.OpenActions().Count);
                Assert.AreEqual(At(3, 2, 11, 20), plan.Action("notify_command").Due);

                // Past three quarters of its two hours, the notification is at risk: a reminder naming the action.
                var soon = policy.Tick(file, At(3, 2, 11, 0));
                Assert.IsTrue(soon.Effects.OfType<Effect.Remind>().Any(e => e.To == Role.ProjectManager && e.Clock == ClockKind.EmergencyAction && e.Action == "notify_command"));

                // Three hours on, the two-hour notification is breached: escalated, naming the action.
                var late = policy.Tick(file, At(3, 2, 12, 20));
                var notify = late.Emergency.Single(c => c.Action == "notify_command");
                Assert.AreEqual(Role.ProjectManager, notify.Assignee);
                Assert.AreEqual(ClockState.Breached, notify.Status.State);
                Assert.IsTrue(late.Effects.OfType<Effect.Escalate>().Any(e => e.Clock == ClockKind.EmergencyAction && e.Action == "notify_command"));

                file = Step(policy, log, file, new Command.CompleteEmergencyAction(Manager, "notify_command"), At(3, 2, 12, 30));
                file = Step(policy, log, file, new Command.CompleteEmergencyAction(Leader, "people_on_site", "拉设警戒线"), At(3, 2, 15, 0));
                var done = file.EmergencyPlan.Action("people_on_site").Outcome;
                Assert.AreEqual(OutcomeType.Done, done.Type);
                Assert.AreEqual("pl-1", done.By);
                Assert.IsNull(done.Reason);

                // Only the commander waives.
                var before = file;
                var notCommander = Assert.Throws<CaseflowException>(() =>
                    policy.Apply(before, new Command.WaiveEmergencyAction(Leader, "safety_measures", "已隔离"), At(3, 2, 15, 30)));
                Assert.AreEqual("refused", notCommander.Code);
                file = Step(policy, log, file, new Command.WaiveEmergencyAction(Manager, "safety_measures", "警戒区已覆盖"), At(3, 2, 15, 30));
                var waived = file.EmergencyPlan.Action("safety_measures").Outcome;
                Assert.AreEqual(OutcomeType.Waived, waived.Type);
                Assert.AreEqual("警戒区已覆盖", waived.Reason);

                file = Step(policy, log, file, new Command.EmergencyStatusUpdate(Leader, "警戒区已设置"), At(3, 3, 9, 0));
                Assert.IsNotNull(file.EmergencyPlan.Action("status_update#1").Outcome);
                Assert.IsNull(file.EmergencyPlan.Action("status_update#2").Outcome);
                file = Step(policy, log, file, new Command.ReleaseMediaStatement(Manager, "我司已到场处置"), At(3, 3, 9, 30));
                var statement = file.EmergencyPlan.MediaStatements.Single();
                Assert.AreEqual("pm-1", statement.By);
                Assert.AreEqual(Role.ProjectManager, statement.Role);
                Assert.AreEqual("我司已到场处置", statement.Text);

                // The end is refused while the written initial report is open.
                var open = file;
                var stillOpen = Assert.Throws<CaseflowException>(() => policy.Apply(open, new Command.EndEmergency(Manager), At(3, 3, 10, 0)));
                Assert.AreEqual("refused", stillOpen.Code);
                Assert.IsTrue(stillOpen.Errors.Any(d => d.Code == "actions_open" && d.Message.Contains("initial_report")));

                file = Step(policy, log, file, new Command.CompleteEmergencyAction(Leader, "initial_report"), At(3, 3, 16, 0));
                file = Step(policy, log, file, new Command.EndEmergency(Manager, "处置完毕"), At(3, 3, 17, 5));
                Assert.IsTrue(file.EmergencyPlan.IsEnded());
                Assert.AreEqual("pm-1", file.EmergencyPlan.EndedBy);
                // Seven calendar days: due at the end of the seventh day.
                Assert.AreEqual(At(3, 11, 0, 0), file.EmergencyPlan.ReviewDue);
                Assert.IsFalse(file.EmergencyPlan.IsClosed());
                Assert.IsTrue(policy.Tick(file, At(3, 9, 9, 0)).Emergency.Any(c => c.Action == "review"));

                file = Step(policy, log, file, new Command.FileEmergencyReview(Manager, "空鼓检测应纳入季度巡检"), At(3, 9, 10, 0));
                Assert.IsTrue(file.EmergencyPlan.IsClosed());
                Assert.AreEqual("空鼓检测应纳入季度巡检", file.EmergencyPlan.Review.Summary);
                Assert.AreEqual(At(3, 9, 10, 0), file.EmergencyPlan.Review.At);

                // The log replays to the same case.
                Assert.AreEqual(file.Json, policy.Replay(log).Json);
            }
        }

        [Test]
        public void DeclaredByHandRaisedAndNeverLowered()
        {
            using (var policy = Policy.Builtin())
            {
                var log = new List<Event>();
                var opened = policy.Record(new Command.RecordReport(Clerk, LifecycleTests.Leak()), At(3, 2, 9, 30));
                log.Add(opened.Event);
                var file = opened.CaseFile;
                Assert.IsNull(file.EmergencyPlan);

                file = Step(policy, log, file, new Command.DeclareEmergency(Manager, EmergencyLevel.III, "渗水影响配电箱"), At(3, 2, 10, 0));
                Assert.AreEqual(EmergencyLevel.III, file.Emergency);
                Assert.AreEqual("pm-1", file.EmergencyPlan.DeclaredBy);
                Assert.AreEqual("渗水影响配电箱", file.EmergencyPlan.Reason);
                Assert.IsNull(file.EmergencyPlan.Trigger);

                file = Step(policy, log, file, new Command.RaiseEmergency(Leadership, EmergencyLevel.II, "多户受影响"), At(3, 2, 11, 0));
                Assert.AreEqual(EmergencyLevel.II, file.Emergency);
                var raise = file.EmergencyPlan.Raises.Single();
                Assert.AreEqual(EmergencyLevel.III, raise.From);
                Assert.AreEqual(EmergencyLevel.II, raise.To);
                Assert.AreEqual("gm-1", raise.By);

                var raised = file;
                var lower = Assert.Throws<CaseflowException>(() =>
                    policy.Apply(raised, new Command.RaiseEmergency(Leadership, EmergencyLevel.III, "已缓解"), At(3, 2, 12, 0)));
                Assert.AreEqual(Status.Refused, lower.Status);
                Assert.AreEqual("emergency_level_lower", lower.Errors[0].Code);
                Assert.AreEqual(raised.Json, policy.Replay(log).Json);
            }
        }

        [Test]
        public void NewFactsDeclareTheEmergency()
        {
            using (var policy = Policy.Builtin())
            {
                var opened = policy.Record(new Command.RecordReport(Clerk, LifecycleTests.Leak()), At(3, 2, 9, 30));
                Assert.IsNull(opened.CaseFile.Facts);
                var updated = policy.Apply(opened.CaseFile, new Command.UpdateFacts(Leader, new Facts(mediaAttention: true, householdsAffected: 3), "业主发布视频"), At(3, 2, 11, 0));
                var file = updated.CaseFile;
                Assert.AreEqual(true, file.Facts.MediaAttention);
                Assert.AreEqual(3L, file.Facts.HouseholdsAffected);
                Assert.IsNull(file.Facts.Injuries);
                Assert.AreEqual(EmergencyLevel.II, file.Emergency);
                Assert.AreEqual("emergency.II.media_exposure", file.EmergencyPlan.Trigger);
                Assert.IsTrue(updated.Effects.OfType<Effect.Notify>().Any(n => n.Template == "emergency_declared" && n.To == Role.CompanyLeadership));
            }
        }

        [Test]
        public void DrillStatus()
        {
            using (var policy = Policy.Builtin())
            {
                var none = policy.DrillStatus(new DateTime[0], At(3, 2, 9, 0));
                Assert.IsNull(none.Last);
                Assert.IsTrue(none.Overdue);
                Assert.AreEqual("365 calendar_days", none.Interval);

                var late = policy.DrillStatus(new[] { new DateTime(2024, 11, 5), new DateTime(2025, 2, 10) }, At(3, 2, 9, 0));
                Assert.AreEqual(new DateTime(2025, 2, 10), late.Last);
                // 365 calendar days from the start of the drill's day: due at the end of the 365th.
                Assert.AreEqual(At(2, 11, 0, 0), late.NextDue);
                Assert.IsTrue(late.Overdue);
                Assert.AreEqual(19, late.DaysOverdue);

                Assert.IsFalse(policy.DrillStatus(new[] { new DateTime(2025, 6, 1) }, At(3, 2, 9, 0)).Overdue);

                var future = Assert.Throws<CaseflowException>(() => policy.DrillStatus(new[] { new DateTime(2026, 3, 3) }, At(3, 2, 9, 0)));
                Assert.AreEqual("$.drills[0]", future.Path);
                Assert.AreEqual("out_of_order", future.Errors[0].Code);

                StringAssert.Contains("\"next_due\":\"2026-06-02T00:00:00+08:00\"",
                    policy.DrillStatus("{\"drills\": [\"2025-06-01\"], \"now\": \"2026-03-02T09:00:00+08:00\"}"));
            }
        }
    }
}
