using System;
using System.Collections.Generic;

// The impact of a policy change (issue 14, docs/analysis.md): the answer of DiffPolicies, a typed model of the
// semantic changes between two policies and of the reports they treat apart.
namespace Caseflow
{
    /// <summary>Whether a policy member appeared, went, or changed its value.</summary>
    public enum ChangeKind
    {
        /// <summary>In the new policy only (for a set, such as a term list's words: the elements added).</summary>
        Added,
        /// <summary>In the old policy only (for a set: the elements removed).</summary>
        Removed,
        /// <summary>In both, with another value.</summary>
        Changed,
    }

    /// <summary>A respect in which a report is treated differently by the two policies.</summary>
    public enum Aspect
    {
        Category,
        Tier,
        /// <summary>Its emergency level (or whether it is an emergency).</summary>
        Emergency,
        /// <summary>Whether its tier is provisional (the model's review), and the review's figures.</summary>
        Review,
        /// <summary>Its routing: drafters, approvers, verifiers, records, deadlines, the emergency command, a service
        /// request.</summary>
        Routing,
        /// <summary>Its warranty answer.</summary>
        Warranty,
    }

    /// <summary>The answer to <c>DiffPolicies</c>: what changes from an older policy to the one the call runs on,
    /// compared by meaning (rules by id, term and role lists as sets, durations as parsed...), and the reports given
    /// that the two treat apart.</summary>
    public sealed class PolicyDiff
    {
        /// <summary>The members whose meaning changed, in the order of the policy document.</summary>
        public IReadOnlyList<Change> Changes { get; private set; }
        /// <summary>The reports treated apart, in the order they were given.</summary>
        public IReadOnlyList<ReportChange> Reports { get; private set; }
        /// <summary>How many changes of each kind, and how many reports changed in each respect.</summary>
        public DiffCounts Counts { get; private set; }

        /// <summary>True when the two policies mean the same and treat every given report alike.</summary>
        public bool IsEmpty() { return Changes.Count == 0 && Reports.Count == 0; }

        internal static PolicyDiff Read(Reader o)
        {
            return new PolicyDiff
            {
                Changes = o.List("changes", Change.Read),
                Reports = o.List("reports", ReportChange.Read),
                Counts = DiffCounts.Read(o.Obj("counts")),
            };
        }
    }

    /// <summary>One difference of meaning between the two policies.</summary>
    public sealed class Change
    {
        public ChangeKind Kind { get; private set; }
        /// <summary>JSON path of the member in the new policy (in the old one when it was removed), such as
        /// <c>$.tiers.2.deadlines.contact</c>.</summary>
        public string Path { get; private set; }
        /// <summary>JSON path of the member in the old policy when it sits elsewhere there (a rule that moved in its
        /// list); else null.</summary>
        public string OldPath { get; private set; }
        /// <summary>The old value as JSON text (for a set: the elements removed); null when the member was added
        /// (a JSON null, such as no commitment cap, is the text <c>null</c>).</summary>
        public string OldJson { get; private set; }
        /// <summary>The new value as JSON text (for a set: the elements added); null when the member was
        /// removed.</summary>
        public string NewJson { get; private set; }
        /// <summary>The change in plain words.</summary>
        public string Message { get; private set; }

        internal static Change Read(Reader o)
        {
            return new Change
            {
                Kind = o.Enum<ChangeKind>("kind"), Path = o.Str("path"), OldPath = o.OptStr("old_path"),
                OldJson = o.OptText("old"), NewJson = o.OptText("new"), Message = o.Str("message"),
            };
        }
    }

    /// <summary>A report the two policies treat differently, with both classifications and their
    /// explanations.</summary>
    public sealed class ReportChange
    {
        /// <summary>The report's position among those given, from 0.</summary>
        public long Index { get; private set; }
        public string ReportId { get; private set; }
        /// <summary>In which respects its treatment differs, in the order of <see cref="Aspect"/>.</summary>
        public IReadOnlyList<Aspect> Changed { get; private set; }
        /// <summary>Its classification under the old policy, with its explanation.</summary>
        public ReportClassification Old { get; private set; }
        /// <summary>Its classification under the new policy, with its explanation.</summary>
        public ReportClassification New { get; private set; }
        /// <summary>The members of its routing and warranty answer that differ (<c>$.routing.…</c>,
        /// <c>$.warranty.…</c>; <c>$.error</c> when one policy could not route it).</summary>
        public IReadOnlyList<ValueChange> Routing { get; private set; }

        internal static ReportChange Read(Reader o)
        {
            return new ReportChange
            {
                Index = o.Long("index"), ReportId = o.Str("report_id"), Changed = o.Enums<Aspect>("changed"),
                Old = ReportClassification.Read(o.Obj("old"), o.Text("old")), New = ReportClassification.Read(o.Obj("new"), o.Text("new")),
                Routing = o.List("routing", ValueChange.Read),
            };
        }
    }

    /// <summary>A report's classification under one policy: category, tier, emergency level and review, with the
    /// rule-by-rule explanation (the engine's classification, without the routing and warranty answer that
    /// <see cref="Classification"/> adds: their differences are <see cref="ReportChange.Routing"/>).</summary>
    public sealed class ReportClassification
    {
        public Category Category { get; private set; }
        public Tier Tier { get; private set; }
        /// <summary>The emergency level, or null when the report is not an emergency.</summary>
        public EmergencyLevel? Emergency { get; private set; }
        /// <summary>Set when the tier is provisional (the model's review); else null.</summary>
        public Review Review { get; private set; }
        /// <summary>Why, as JSON.</summary>
        public string ExplanationJson { get; private set; }
        /// <summary>The whole classification as JSON.</summary>
        public string Json { get; private set; }

        internal static ReportClassification Read(Reader o, string json)
        {
            var review = o.OptObj("review");
            return new ReportClassification
            {
                Category = o.Enum<Category>("category"), Tier = o.Tier("tier"), Emergency = o.OptEnum<EmergencyLevel>("emergency"),
                Review = review == null ? null : Review.Read(review), ExplanationJson = o.Text("explanation"), Json = json,
            };
        }
    }

    /// <summary>One member of a report's routing or warranty answer that differs.</summary>
    public sealed class ValueChange
    {
        /// <summary>Where, such as <c>$.routing.plan.approved_by</c> or <c>$.routing.deadlines.contact.due</c>.</summary>
        public string Path { get; private set; }
        /// <summary>The value under the old policy, as JSON text (<c>null</c> when absent).</summary>
        public string OldJson { get; private set; }
        /// <summary>The value under the new policy, as JSON text (<c>null</c> when absent).</summary>
        public string NewJson { get; private set; }

        internal static ValueChange Read(Reader o) { return new ValueChange { Path = o.Str("path"), OldJson = o.Text("old"), NewJson = o.Text("new") }; }
    }

    /// <summary>Counts of the changes and of the reports treated apart.</summary>
    public sealed class DiffCounts
    {
        /// <summary>Changes of kind <see cref="ChangeKind.Added"/>.</summary>
        public long Added { get; private set; }
        /// <summary>Changes of kind <see cref="ChangeKind.Removed"/>.</summary>
        public long Removed { get; private set; }
        /// <summary>Changes of kind <see cref="ChangeKind.Changed"/>.</summary>
        public long Changed { get; private set; }
        /// <summary>Reports compared.</summary>
        public long Reports { get; private set; }
        /// <summary>Reports treated apart in at least one respect.</summary>
        public long ReportsChanged { get; private set; }
        /// <summary>Reports treated apart in each respect (a report may count under several).</summary>
        public IReadOnlyDictionary<Aspect, long> ByAspect { get; private set; }

        internal static DiffCounts Read(Reader o)
        {
            return new DiffCounts
            {
                Added = o.Long("added"), Removed = o.Long("removed"), Changed = o.Long("changed"), Reports = o.Long("reports"),
                ReportsChanged = o.Long("reports_changed"), ByAspect = o.EnumMap<Aspect, long>("by_aspect", (m, k) => m.Long(k)),
            };
        }
    }
}
