using System;
using System.Collections.Generic;

// The policy analysis (issue 14, docs/analysis.md): the answer of AnalyzePolicy, a typed model of its findings
// with their counterexample paths and of the workflow's exploration.
namespace Caseflow
{
    /// <summary>How serious a finding of the analysis is.</summary>
    public enum Severity
    {
        /// <summary>The policy breaks a rule the company's policy demands.</summary>
        Error,
        /// <summary>It deserves a look.</summary>
        Warning,
    }

    /// <summary>The answer to <c>AnalyzePolicy</c>: what the workflow checks and the rule checks found in the
    /// policy, and how much of the workflow was explored.</summary>
    public sealed class Analysis
    {
        /// <summary>The findings, errors first, then by path; none for a sound policy.</summary>
        public IReadOnlyList<PolicyFinding> Findings { get; private set; }
        /// <summary>How much of the workflow was explored.</summary>
        public Exploration Workflow { get; private set; }

        internal static Analysis Read(Reader o)
        {
            return new Analysis { Findings = o.List("findings", PolicyFinding.Read), Workflow = Exploration.Read(o.Obj("workflow")) };
        }
    }

    /// <summary>One thing the analysis found, with the JSON path of the policy member it concerns (named so beside
    /// the audit's <see cref="Finding"/>).</summary>
    public sealed class PolicyFinding
    {
        /// <summary>A stable code listed in docs/errors.md, such as <c>unreachable_state</c> or
        /// <c>tier1_path_skips_approval</c>: a string, since the list grows with the checks.</summary>
        public string Code { get; private set; }
        public Severity Severity { get; private set; }
        /// <summary>JSON path of the policy member at fault, such as <c>$.tiers.1.plan.approved_by</c>.</summary>
        public string Path { get; private set; }
        /// <summary>What is wrong, in plain words.</summary>
        public string Message { get; private set; }
        /// <summary>The tier the finding holds for, when it is about one tier's workflow; else null.</summary>
        public Tier? Tier { get; private set; }
        /// <summary>The shortest path of commands that shows it, from the case's recording (empty when the
        /// finding is not about a path).</summary>
        public IReadOnlyList<PathStep> Counterexample { get; private set; }

        internal static PolicyFinding Read(Reader o)
        {
            return new PolicyFinding
            {
                Code = o.Str("code"),
                Severity = o.Enum<Severity>("severity"),
                Path = o.Str("path"),
                Message = o.Str("message"),
                Tier = o.Opt("tier") == null ? (Tier?)null : o.Tier("tier"),
                Counterexample = o.List("counterexample", PathStep.Read),
            };
        }
    }

    /// <summary>One command on a counterexample path.</summary>
    public sealed class PathStep
    {
        /// <summary>The command's type, such as <c>approve_plan</c>.</summary>
        public string Command { get; private set; }
        /// <summary>The roles of the actor who issued it.</summary>
        public IReadOnlyList<Role> By { get; private set; }
        /// <summary>The case's state after it.</summary>
        public CaseState State { get; private set; }
        /// <summary>The command exactly as given to the engine (its <c>type</c>, <c>actor</c> and payload), as
        /// JSON text: <see cref="Caseflow.Command.FromJson"/> reads it, and the path replays through
        /// <c>Record</c> and <c>Apply</c> (every step given at the report's receipt).</summary>
        public string InputJson { get; private set; }

        internal static PathStep Read(Reader o)
        {
            return new PathStep { Command = o.Str("command"), By = o.Enums<Role>("by"), State = o.Enum<CaseState>("state"), InputJson = o.Text("input") };
        }
    }

    /// <summary>How much of the workflow the exploration covered, over every opening case.</summary>
    public sealed class Exploration
    {
        /// <summary>Distinct case states visited, over every tier.</summary>
        public long States { get; private set; }
        /// <summary>Commands tried from them.</summary>
        public long Transitions { get; private set; }
        /// <summary>Commands the engine accepted (the edges of the state graph).</summary>
        public long Edges { get; private set; }
        /// <summary>False when a search stopped at its bound (an <c>exploration_incomplete</c> finding says so).</summary>
        public bool Complete { get; private set; }
        /// <summary>The search from each opening case, in order: tiers 1, 2 and 3, then the provisional tier 1 of a
        /// policy with a model.</summary>
        public IReadOnlyList<OpeningExploration> Openings { get; private set; }

        internal static Exploration Read(Reader o)
        {
            return new Exploration
            {
                States = o.Long("states"), Transitions = o.Long("transitions"), Edges = o.Long("edges"), Complete = o.Bool("complete"),
                Openings = o.List("openings", OpeningExploration.Read),
            };
        }
    }

    /// <summary>The search from one opening case: a case recorded at a tier, provisional or not.</summary>
    public sealed class OpeningExploration
    {
        /// <summary>The tier the case opened at.</summary>
        public Tier Tier { get; private set; }
        /// <summary>True for the provisional tier 1 awaiting the model's review.</summary>
        public bool Provisional { get; private set; }
        /// <summary>Distinct case states visited.</summary>
        public long States { get; private set; }
        /// <summary>Commands tried.</summary>
        public long Transitions { get; private set; }
        /// <summary>Commands accepted.</summary>
        public long Edges { get; private set; }
        /// <summary>The bound on distinct states (from the size of the policy).</summary>
        public long Bound { get; private set; }
        /// <summary>False when the search stopped at the bound.</summary>
        public bool Complete { get; private set; }

        internal static OpeningExploration Read(Reader o)
        {
            return new OpeningExploration
            {
                Tier = o.Tier("tier"), Provisional = o.Bool("provisional"), States = o.Long("states"), Transitions = o.Long("transitions"),
                Edges = o.Long("edges"), Bound = o.Long("bound"), Complete = o.Bool("complete"),
            };
        }
    }
}
