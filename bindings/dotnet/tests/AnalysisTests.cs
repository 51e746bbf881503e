// The policy analysis and the impact of a change (issue 14) through the typed tier: the default policy is sound and
// its workflow explored to the end; a tier 1 approved by the project manager is found with a path that replays to
// closure; a diff lists one changed deadline and the report it treats apart; a policy against itself is empty.
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
    public class AnalysisTests
    {
        // The default policy as its file's text (core/policy/default.json, beside the conformance corpus).
        static string DefaultText()
        {
            return File.ReadAllText(Path.Combine(ConformanceTests.Dir, "..", "..", "core", "policy", "default.json"), Encoding.UTF8);
        }

        // The default policy's text with the member at `path` set to `value`.
        static string Edited(object value, params string[] path)
        {
            var document = (Dictionary<string, object>)Json.Parse(DefaultText());
            var member = document;
            for (int i = 0; i < path.Length - 1; i++) member = (Dictionary<string, object>)member[path[i]];
            Assert.IsTrue(member.ContainsKey(path[path.Length - 1]), "the default policy has " + string.Join(".", path));
            member[path[path.Length - 1]] = value;
            return Json.Write(document);
        }

        [Test]
        public void TheDefaultPolicyHasNoFindingsAndEveryOpeningIsExploredToTheEnd()
        {
            using (var policy = Policy.Builtin())
            {
                var analysis = policy.AnalyzePolicy();
                Assert.AreEqual(0, analysis.Findings.Count, string.Join("; ", analysis.Findings.Select(f => f.Code + " " + f.Path)));
                var workflow = analysis.Workflow;
                Assert.IsTrue(workflow.Complete);
                // Tiers 1, 2 and 3, then the provisional tier 1 of the default policy's learned model.
                CollectionAssert.AreEqual(new[] { Tier.One, Tier.Two, Tier.Three, Tier.One }, workflow.Openings.Select(o => o.Tier).ToArray());
                CollectionAssert.AreEqual(new[] { false, false, false, true }, workflow.Openings.Select(o => o.Provisional).ToArray());
                foreach (var opening in workflow.Openings)
                {
                    Assert.IsTrue(opening.Complete);
                    Assert.Greater(opening.States, 1);
                    Assert.LessOrEqual(opening.States, opening.Bound);
                    Assert.LessOrEqual(opening.Edges, opening.Transitions);
                }
                // The totals are those of the openings.
                Assert.AreEqual(workflow.Openings.Sum(o => o.States), workflow.States);
                Assert.AreEqual(workflow.Openings.Sum(o => o.Transitions), workflow.Transitions);
                Assert.AreEqual(workflow.Openings.Sum(o => o.Edges), workflow.Edges);
            }
        }

        [Test]
        public void Tier1ApprovedByTheProjectManagerIsFoundWithAPathThatReplaysToClosure()
        {
            using (var policy = Policy.FromJson(Edited(new List<object> { "project_manager" }, "tiers", "1", "plan", "approved_by")))
            {
                var findings = policy.AnalyzePolicy().Findings;
                var finding = findings.Single(f => f.Code == "tier1_path_skips_approval");
                Assert.AreEqual("$.tiers.1.plan.approved_by", finding.Path);
                Assert.AreEqual(Severity.Error, finding.Severity);
                Assert.AreEqual(Tier.One, finding.Tier);
                StringAssert.Contains("project_manager", finding.Message);
                var path = finding.Counterexample;
                Assert.AreEqual("record", path.First().Command);
                Assert.AreEqual(CaseState.Recorded, path.First().State);
                Assert.AreEqual(CaseState.Closed, path.Last().State);
                Assert.IsTrue(path.Any(s => s.Command == "approve_plan" && s.By.Contains(Role.ProjectManager)));
                Assert.IsFalse(path.Any(s => s.By.Contains(Role.CompanyLeadership)), "leadership never acts on the path");

                // Each step's input is the command as given: after the record, the path replays through Apply, every
                // step at the report's receipt, to the same states. (The analysis opens its case at tier 1 directly;
                // recorded here, the report's plain text classifies lower, so the case is first raised to tier 1.)
                var report = (Dictionary<string, object>)((Dictionary<string, object>)Json.Parse(path[0].InputJson))["report"];
                var at = Engine.ParseInstant((string)report["raised_at"]);
                var applied = policy.Record(Command.FromJson(path[0].InputJson), at);
                applied = policy.Apply(applied.CaseFile, new Command.Reclassify(new Actor("pl-0", Role.ProjectLeader), null, Tier.One,
                    "the analysis' tier-1 opening"), at);
                Assert.AreEqual(Tier.One, applied.CaseFile.Tier);
                foreach (var step in path.Skip(1))
                {
                    applied = policy.Apply(applied.CaseFile, Command.FromJson(step.InputJson), at);
                    Assert.AreEqual(step.State, applied.CaseFile.State, step.Command);
                }
                Assert.AreEqual(CaseState.Closed, applied.CaseFile.State);
            }
        }

        [Test]
        public void TheDefaultPolicyAgainstItselfIsEmpty()
        {
            string text = DefaultText();
            using (var policy = Policy.FromJson(text))
            {
                var diff = policy.DiffPolicies(text, new[] { LifecycleTests.Leak() });
                Assert.IsTrue(diff.IsEmpty());
                Assert.AreEqual(0, diff.Counts.Added + diff.Counts.Removed + diff.Counts.Changed);
                Assert.AreEqual(1, diff.Counts.Reports);
                Assert.AreEqual(0, diff.Counts.ReportsChanged);
                Assert.IsTrue(policy.DiffPolicies(text, null).IsEmpty());
            }
        }

        [Test]
        public void OneChangedDeadlineIsListedWithTheReportItTreatsApart()
        {
            var tier3 = Report.Builder("N-1", "P-2026-017", Channel.Phone, "夜间施工噪音太大，影响周边居民休息", LifecycleTests.At(3, 2, 21, 15), "3号楼")
                .ContactName("业主").ContactPhone("13800000000").Build();
            using (var policy = Policy.FromJson(Edited("8 hours", "tiers", "2", "deadlines", "contact")))
            {
                var diff = policy.DiffPolicies(DefaultText(), new[] { tier3, LifecycleTests.Leak() });
                Assert.IsFalse(diff.IsEmpty());
                var change = diff.Changes.Single();
                Assert.AreEqual(ChangeKind.Changed, change.Kind);
                Assert.AreEqual("$.tiers.2.deadlines.contact", change.Path);
                Assert.IsNull(change.OldPath);
                StringAssert.Contains("24", change.OldJson);
                StringAssert.Contains("8", change.NewJson);
                Assert.AreEqual(1, diff.Counts.Changed);
                Assert.AreEqual(0, diff.Counts.Added + diff.Counts.Removed);

                // The tier-2 leak (the second report) is routed with another contact deadline; the tier-3 report is not.
                var report = diff.Reports.Single();
                Assert.AreEqual(1, report.Index);
                Assert.AreEqual("L-2", report.ReportId);
                CollectionAssert.AreEqual(new[] { Aspect.Routing }, report.Changed.ToArray());
                Assert.AreEqual(Tier.Two, report.Old.Tier);
                Assert.AreEqual(Tier.Two, report.New.Tier);
                var contact = report.Routing.Where(v => v.Path.StartsWith("$.routing.deadlines.contact")).ToList();
                Assert.IsNotEmpty(contact, string.Join(", ", report.Routing.Select(v => v.Path)));
                Assert.IsTrue(contact.All(v => v.OldJson != v.NewJson));
                Assert.AreEqual(2, diff.Counts.Reports);
                Assert.AreEqual(1, diff.Counts.ReportsChanged);
                Assert.AreEqual(1, diff.Counts.ByAspect[Aspect.Routing]);
            }
        }

        [Test]
        public void AnOlderPolicyThatDoesNotLoadIsRefusedUnderOld()
        {
            using (var policy = Policy.Builtin())
            {
                var e = Assert.Throws<CaseflowException>(() => policy.DiffPolicies(Edited(new List<object> { "nobody" }, "tiers", "1", "plan", "approved_by"), null));
                Assert.AreEqual("invalid_input", e.Code);
                Assert.AreEqual("$.old.tiers.1.plan.approved_by[0]", e.Path);
            }
        }
    }
}
