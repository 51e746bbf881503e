using System;
using System.Collections.Generic;
using System.Linq;

// The supervision calls (docs/policy.md §6): their input (case logs) and their answers, a typed model of the
// whole summary, the spot check and the audit.
namespace Caseflow
{
    /// <summary>One case's event log, an input of <c>Assess</c>, <c>SpotCheck</c> and <c>Audit</c>: the events the
    /// host stored, oldest first. A log the engine cannot read or replay is not an exception of the call but a
    /// <c>bad_log</c> <see cref="Finding"/>, so a store is audited from its text as is (<see cref="FromJson"/>).</summary>
    public sealed class CaseLog
    {
        /// <summary>The log as a JSON array of events.</summary>
        public string Json { get; private set; }

        CaseLog(string json) { Json = json; }

        /// <summary>The log of these events, each written as the engine returned it.</summary>
        public static CaseLog Of(IEnumerable<Event> events)
        {
            return new CaseLog(Caseflow.Json.Write(events.Select(e => Caseflow.Json.Parse(e.Json)).ToList()));
        }

        /// <summary>A stored log, as JSON text (an array of events), passed to the engine as is.</summary>
        public static CaseLog FromJson(string json)
        {
            if (json == null) throw new ArgumentNullException("json");
            return new CaseLog(json);
        }

        internal static List<object> Array(IEnumerable<CaseLog> logs) { return logs.Select(l => Caseflow.Json.Parse(l.Json)).ToList(); }
    }

    /// <summary>What a finding is about.</summary>
    public enum FindingCode
    {
        /// <summary>The log is malformed, was tampered with, or does not replay: left out of every figure.</summary>
        BadLog,
        /// <summary>A closed case whose confirmation carries no signed form (§4.6).</summary>
        UnsignedClosure,
        /// <summary>A closed case lacking the verification report of a department its tier requires (§4.5).</summary>
        VerificationReportMissing,
        /// <summary>A plan on record without the milestones its tier requires (§4.3).</summary>
        PlanWithoutMilestones,
        /// <summary>A closed case missing another record its tier requires, or breaking a separation of duties (§4.6).</summary>
        ClosureGap,
        /// <summary>A closed or withdrawn case whose emergency has no post-event review on record (§7).</summary>
        EmergencyWithoutReview,
    }

    /// <summary>One finding of the supervision calls: the case (its position in the input and its id, when
    /// readable), the event or record concerned, and what is wrong.</summary>
    public sealed class Finding
    {
        public FindingCode Code { get; private set; }
        /// <summary>The case's position in the input (from 0).</summary>
        public long CaseIndex { get; private set; }
        /// <summary>The case id, when the log names one; else null.</summary>
        public string CaseId { get; private set; }
        /// <summary>The index of the event concerned in the case's log, or null.</summary>
        public long? Event { get; private set; }
        /// <summary>The record concerned: a member of the case (<c>plan</c>) or a JSON path in the log
        /// (<c>$.events[3].hash</c>), or null.</summary>
        public string Record { get; private set; }
        public string Message { get; private set; }

        internal static Finding Read(Reader o)
        {
            return new Finding { Code = o.Enum<FindingCode>("code"), CaseIndex = o.Long("case_index"), CaseId = o.OptStr("case_id"), Event = o.OptLong("event"), Record = o.OptStr("record"), Message = o.Str("message") };
        }
    }

    /// <summary>The answer to <c>Audit</c>: incomplete records and logs that do not replay.</summary>
    public sealed class AuditReport
    {
        /// <summary>The cases given.</summary>
        public long Cases { get; private set; }
        /// <summary>The cases whose log replayed and whose records were checked.</summary>
        public long Audited { get; private set; }
        /// <summary>Every finding, ordered by case id, event and code.</summary>
        public IReadOnlyList<Finding> Findings { get; private set; }

        internal static AuditReport Read(Reader o)
        {
            return new AuditReport { Cases = o.Long("cases"), Audited = o.Long("audited"), Findings = o.List("findings", Finding.Read) };
        }
    }

    /// <summary>The answer to <c>SpotCheck</c>: per project, the <c>k</c> cases with the smallest sampling keys
    /// under the seed, so the same seed and cases give the same sample.</summary>
    public sealed class SpotCheck
    {
        public ulong Seed { get; private set; }
        /// <summary>At most this many cases per project.</summary>
        public long K { get; private set; }
        /// <summary>The sample, by project id.</summary>
        public IReadOnlyDictionary<string, ProjectSample> Projects { get; private set; }
        /// <summary>The cases whose log did not replay: not sampled, one <c>bad_log</c> finding each.</summary>
        public IReadOnlyList<Finding> LeftOut { get; private set; }

        internal static SpotCheck Read(Reader o)
        {
            return new SpotCheck { Seed = o.ULong("seed"), K = o.Long("k"), Projects = o.Map("projects", (m, k) => ProjectSample.Read(m.Obj(k))), LeftOut = o.List("left_out", Finding.Read) };
        }
    }

    /// <summary>The sample of one project.</summary>
    public sealed class ProjectSample
    {
        /// <summary>How many cases of the project were given.</summary>
        public long Population { get; private set; }
        /// <summary>The sampled cases, smallest key first.</summary>
        public IReadOnlyList<SampledCase> Cases { get; private set; }

        internal static ProjectSample Read(Reader o) { return new ProjectSample { Population = o.Long("population"), Cases = o.List("cases", SampledCase.Read) }; }
    }

    /// <summary>One sampled case: its id and its sampling key (SHA-256, hex).</summary>
    public sealed class SampledCase
    {
        public string Id { get; private set; }
        public string Key { get; private set; }

        internal static SampledCase Read(Reader o) { return new SampledCase { Id = o.Str("id"), Key = o.Str("key") }; }
    }

    /// <summary>The answer to <c>Assess</c> and <c>MergeAssessments</c>: the supervision figures over a set of
    /// cases (docs/policy.md §6), overall and by project, category, tier and channel, with the cases left out. A
    /// mergeable summary: <see cref="Policy.MergeAssessments(IEnumerable{Assessment})"/> sends each
    /// <see cref="Json"/> as the engine wrote it.</summary>
    public sealed class Assessment
    {
        /// <summary>The dates covered.</summary>
        public Period Period { get; private set; }
        /// <summary>The instant open cases were judged at.</summary>
        public DateTimeOffset Now { get; private set; }
        /// <summary>The policy the cases were replayed under.</summary>
        public PolicyRef Policy { get; private set; }
        public CaseCounts Cases { get; private set; }
        /// <summary>The figures of every counted case.</summary>
        public Figures Overall { get; private set; }
        public IReadOnlyDictionary<string, Figures> ByProject { get; private set; }
        public IReadOnlyDictionary<Category, Figures> ByCategory { get; private set; }
        public IReadOnlyDictionary<Tier, Figures> ByTier { get; private set; }
        public IReadOnlyDictionary<Channel, Figures> ByChannel { get; private set; }
        /// <summary>The cases left out, one <c>bad_log</c> finding each.</summary>
        public IReadOnlyList<Finding> LeftOut { get; private set; }
        /// <summary>The summary, as the engine wrote it.</summary>
        public string Json { get; private set; }

        /// <summary>A stored summary (an earlier answer of <c>Assess</c>); its typed fields are checked.</summary>
        public static Assessment FromJson(string json) { return Read(Reader.Root(json), json); }

        internal static Assessment Read(Reader o, string json)
        {
            return new Assessment
            {
                Period = Period.Read(o.Obj("period")),
                Now = o.Instant("now"),
                Policy = PolicyRef.Read(o.Obj("policy")),
                Cases = CaseCounts.ReadFrom(o.Obj("cases")),
                Overall = Figures.Read(o.Obj("overall")),
                ByProject = o.Map("by_project", (m, k) => Figures.Read(m.Obj(k))),
                ByCategory = o.EnumMap<Category, Figures>("by_category", (m, k) => Figures.Read(m.Obj(k))),
                ByTier = o.EnumMap<Tier, Figures>("by_tier", (m, k) => Figures.Read(m.Obj(k))),
                ByChannel = o.EnumMap<Channel, Figures>("by_channel", (m, k) => Figures.Read(m.Obj(k))),
                LeftOut = o.List("left_out", Finding.Read),
                Json = json,
            };
        }
    }

    /// <summary>The dates a summary covers: cases received from <c>From</c> to <c>To</c>, both included.</summary>
    public sealed class Period
    {
        public DateTime From { get; private set; }
        public DateTime To { get; private set; }

        internal static Period Read(Reader o) { return new Period { From = o.Date("from"), To = o.Date("to") }; }
    }

    /// <summary>The policy cases were replayed under: its name, version and learned model (or null).</summary>
    public sealed class PolicyRef
    {
        public string Name { get; private set; }
        public string Version { get; private set; }
        public ModelRef Model { get; private set; }

        internal static PolicyRef Read(Reader o)
        {
            var m = o.OptObj("model");
            return new PolicyRef { Name = o.Str("name"), Version = o.Str("version"), Model = m == null ? null : new ModelRef(m.Str("name"), m.Str("sha256")) };
        }
    }

    /// <summary>A learned model, by name and SHA-256.</summary>
    public sealed class ModelRef
    {
        public string Name { get; private set; }
        public string Sha256 { get; private set; }

        internal ModelRef(string name, string sha256) { Name = name; Sha256 = sha256; }
    }

    /// <summary>How many cases a summary read, counted (read, replayed, received in the period), found outside the
    /// period and left out (their log did not replay).</summary>
    public sealed class CaseCounts
    {
        public long Read { get; private set; }
        public long Counted { get; private set; }
        public long OutsidePeriod { get; private set; }
        public long LeftOut { get; private set; }

        internal static CaseCounts ReadFrom(Reader o) { return new CaseCounts { Read = o.Long("read"), Counted = o.Long("counted"), OutsidePeriod = o.Long("outside_period"), LeftOut = o.Long("left_out") }; }
    }

    /// <summary>One figure, a share of cases (the engine's <c>Ratio</c>): <c>Numerator</c> of <c>Denominator</c>,
    /// and their <c>Ratio</c> in [0, 1] (null when the denominator is 0).</summary>
    public sealed class Figure
    {
        /// <summary>The cases that meet the figure.</summary>
        public long Numerator { get; private set; }
        /// <summary>The cases it is taken over.</summary>
        public long Denominator { get; private set; }
        /// <summary>Their quotient, or null when the denominator is 0.</summary>
        public double? Ratio { get; private set; }

        internal static Figure Read(Reader o)
        {
            return new Figure { Numerator = o.Long("numerator"), Denominator = o.Long("denominator"), Ratio = o.Opt("ratio") == null ? (double?)null : o.Double("ratio") };
        }
    }

    /// <summary>A mean: <c>Sum</c> over <c>Count</c>, and their quotient <c>Value</c> (the JSON's <c>mean</c>; null
    /// when the count is 0).</summary>
    public sealed class Mean
    {
        public long Sum { get; private set; }
        public long Count { get; private set; }
        public double? Value { get; private set; }

        internal static Mean Read(Reader o)
        {
            return new Mean { Sum = o.Long("sum"), Count = o.Long("count"), Value = o.Opt("mean") == null ? (double?)null : o.Double("mean") };
        }
    }

    /// <summary>The satisfaction scores (1 to 5) given with the signed confirmations of closed cases (§4.6).</summary>
    public sealed class Satisfaction
    {
        /// <summary>How many closed cases scored 1, 2, 3, 4 and 5 (in that order).</summary>
        public IReadOnlyList<long> Histogram { get; private set; }
        public Mean Mean { get; private set; }
        /// <summary>The cases scored 4 or 5, over the cases scored.</summary>
        public Figure FourOrFive { get; private set; }

        internal static Satisfaction Read(Reader o)
        {
            return new Satisfaction { Histogram = o.Longs("histogram"), Mean = Mean.Read(o.Obj("mean")), FourOrFive = Figure.Read(o.Obj("four_or_five")) };
        }
    }

    /// <summary>The breaches of one clock: breaches on record, and the cases with at least one.</summary>
    public sealed class BreachCount
    {
        public long Breaches { get; private set; }
        public long Cases { get; private set; }

        internal static BreachCount Read(Reader o) { return new BreachCount { Breaches = o.Long("breaches"), Cases = o.Long("cases") }; }
    }

    /// <summary>The cases recorded as emergencies (§7).</summary>
    public sealed class Emergencies
    {
        /// <summary>How many, by their current level.</summary>
        public IReadOnlyDictionary<EmergencyLevel, long> ByLevel { get; private set; }
        /// <summary>The mandated actions and status updates done by their due instant, over those done and those
        /// still open past their due instant at now.</summary>
        public Figure ActionsOnTime { get; private set; }
        /// <summary>The post-event reviews filed by their due instant, over those filed and those past due at now
        /// unfiled.</summary>
        public Figure ReviewsOnTime { get; private set; }

        internal static Emergencies Read(Reader o)
        {
            return new Emergencies
            {
                ByLevel = o.EnumMap<EmergencyLevel, long>("by_level", (m, k) => m.Long(k)),
                ActionsOnTime = Figure.Read(o.Obj("actions_on_time")),
                ReviewsOnTime = Figure.Read(o.Obj("reviews_on_time")),
            };
        }
    }

    /// <summary>The figures of a group of cases (docs/policy.md §6 defines each).</summary>
    public sealed class Figures
    {
        public long Cases { get; private set; }
        /// <summary>Closed with the customer's signed confirmation.</summary>
        public long Closed { get; private set; }
        public long Withdrawn { get; private set; }
        /// <summary>Customer contacted within the tier's contact deadline (§4.2).</summary>
        public Figure ContactedInTime { get; private set; }
        /// <summary>Work verified by the committed deadline (§4.2).</summary>
        public Figure ResolvedByCommitment { get; private set; }
        /// <summary>Closed on the customer's first answer, over closed cases (§4.6).</summary>
        public Figure FirstRoundSatisfied { get; private set; }
        public Satisfaction Satisfaction { get; private set; }
        /// <summary>Rejected by the customer at least once, over cases with an answer (§4.6).</summary>
        public Figure Reopened { get; private set; }
        /// <summary>Breaches on record, per clock (§5.3).</summary>
        public IReadOnlyDictionary<ClockKind, BreachCount> Breaches { get; private set; }
        /// <summary>Cases with a breach of the team's, over all cases.</summary>
        public Figure CasesWithBreach { get; private set; }
        /// <summary>Open cases with a running clock past due at now, over open cases.</summary>
        public Figure OpenOverdue { get; private set; }
        public Emergencies Emergencies { get; private set; }

        internal static Figures Read(Reader o)
        {
            return new Figures
            {
                Cases = o.Long("cases"), Closed = o.Long("closed"), Withdrawn = o.Long("withdrawn"),
                ContactedInTime = Figure.Read(o.Obj("contacted_in_time")),
                ResolvedByCommitment = Figure.Read(o.Obj("resolved_by_commitment")),
                FirstRoundSatisfied = Figure.Read(o.Obj("first_round_satisfied")),
                Satisfaction = Satisfaction.Read(o.Obj("satisfaction")),
                Reopened = Figure.Read(o.Obj("reopened")),
                Breaches = o.EnumMap<ClockKind, BreachCount>("breaches", (m, k) => BreachCount.Read(m.Obj(k))),
                CasesWithBreach = Figure.Read(o.Obj("cases_with_breach")),
                OpenOverdue = Figure.Read(o.Obj("open_overdue")),
                Emergencies = Emergencies.Read(o.Obj("emergencies")),
            };
        }
    }
}
