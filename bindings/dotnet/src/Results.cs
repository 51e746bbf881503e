using System;
using System.Collections.Generic;

// The typed answers. Each is a class of get-only properties with an internal Read from the engine's
// JSON: adding a field the engine gains is one property and one line in Read.
namespace Caseflow
{
    /// <summary>The answer to <c>classify</c>: category, tier and emergency level of one report, the warranty
    /// answer, routing and warnings. <see cref="ExplanationJson"/> and <see cref="RoutingJson"/> carry the
    /// rule-by-rule explanation and the routing as the engine wrote them.</summary>
    public sealed class Classification
    {
        /// <summary>The report's id, echoed.</summary>
        public string ReportId { get; private set; }
        public Category Category { get; private set; }
        public Tier Tier { get; private set; }
        /// <summary>The emergency level, or null when the report is not an emergency.</summary>
        public EmergencyLevel? Emergency { get; private set; }
        /// <summary>Set when the tier is provisional (tier 1 until a person answers with
        /// <see cref="Command.ReviewTier"/>); else null.</summary>
        public Review Review { get; private set; }
        /// <summary>Whether the report is under warranty, or null when the policy has no warranty periods.</summary>
        public Warranty Warranty { get; private set; }
        /// <summary>Set when the report is outside warranty: handled as a service request; else null.</summary>
        public ServiceRequest ServiceRequest { get; private set; }
        public IReadOnlyList<Diagnostic> Warnings { get; private set; }
        /// <summary>Why, as JSON.</summary>
        public string ExplanationJson { get; private set; }
        /// <summary>Who drafts, approves and verifies, and the deadlines, as JSON.</summary>
        public string RoutingJson { get; private set; }
        /// <summary>The whole answer as JSON.</summary>
        public string Json { get; private set; }

        internal static Classification Read(string text)
        {
            var o = Reader.Root(text);
            var routing = o.Obj("routing");
            var warranty = o.OptObj("warranty");
            var service = routing.OptObj("service_request");
            return new Classification
            {
                ReportId = o.Str("report_id"),
                Category = o.Enum<Category>("category"),
                Tier = o.Tier("tier"),
                Emergency = o.OptEnum<EmergencyLevel>("emergency"),
                Review = o.OptObj("review") == null ? null : Review.Read(o.Obj("review")),
                Warranty = warranty == null ? null : Warranty.Read(warranty),
                ServiceRequest = service == null ? null : new ServiceRequest(service.Str("reason"), service.Str("rule")),
                Warnings = o.Diagnostics("warnings"),
                ExplanationJson = o.Text("explanation"),
                RoutingJson = o.Text("routing"),
                Json = text,
            };
        }
    }

    /// <summary>Why a tier is provisional: the learned model's probability of tier 1 reached the
    /// policy's review threshold.</summary>
    public sealed class Review
    {
        /// <summary>Why (<c>model_tier_1</c>).</summary>
        public string Reason { get; private set; }
        /// <summary>The model's probability of tier 1.</summary>
        public double Tier1Probability { get; private set; }
        /// <summary>The policy's review threshold.</summary>
        public double Threshold { get; private set; }
        /// <summary>The tier a person may lower it to.</summary>
        public Tier AssessedTier { get; private set; }

        internal static Review Read(Reader o)
        {
            return new Review
            {
                Reason = o.Str("reason"),
                Tier1Probability = o.Double("tier_1_probability"),
                Threshold = o.Double("threshold"),
                AssessedTier = o.Tier("assessed_tier"),
            };
        }
    }

    /// <summary>Why a case is a service request rather than a warranty repair (docs/policy.md §1.1).</summary>
    public sealed class ServiceRequest
    {
        /// <summary>The warranty answer in words.</summary>
        public string Reason { get; private set; }
        /// <summary>The policy rule behind it, as a JSON path.</summary>
        public string Rule { get; private set; }

        public ServiceRequest(string reason, string rule) { Reason = reason; Rule = rule; }
    }

    /// <summary>The answer to "is it still under warranty?" (docs/policy.md §1.1).</summary>
    public sealed class Warranty
    {
        public WarrantyStatus Status { get; private set; }
        public WarrantyBasis DecidedBy { get; private set; }
        /// <summary>The element whose period decided, or null.</summary>
        public WarrantyElement? Element { get; private set; }
        /// <summary>The last day within that period, or null before the acceptance.</summary>
        public DateTime? EndsOn { get; private set; }
        /// <summary>The day judged.</summary>
        public DateTime On { get; private set; }
        /// <summary>The completion acceptance, or null when not known.</summary>
        public DateTime? AcceptedOn { get; private set; }
        /// <summary>The answer in words.</summary>
        public string Reason { get; private set; }
        /// <summary>The policy rule that decided, as a JSON path, or null.</summary>
        public string Rule { get; private set; }

        internal static Warranty Read(Reader o)
        {
            return new Warranty
            {
                Status = o.Enum<WarrantyStatus>("status"),
                DecidedBy = o.Enum<WarrantyBasis>("decided_by"),
                Element = o.OptEnum<WarrantyElement>("element"),
                EndsOn = o.OptDate("ends_on"),
                On = o.Date("on"),
                AcceptedOn = o.OptDate("accepted_on"),
                Reason = o.Str("reason"),
                Rule = o.OptStr("rule"),
            };
        }
    }

    /// <summary>The answer to <c>deadline</c>.</summary>
    public sealed class Deadline
    {
        /// <summary>The start, in the calendar's offset.</summary>
        public DateTimeOffset From { get; private set; }
        /// <summary>The duration added, such as <c>"3 working_days"</c>.</summary>
        public string Add { get; private set; }
        /// <summary>The due instant, in the calendar's offset.</summary>
        public DateTimeOffset Due { get; private set; }
        public IReadOnlyList<Diagnostic> Warnings { get; private set; }

        internal static Deadline Read(Reader o)
        {
            return new Deadline { From = o.Instant("from"), Add = DurationText(o, "add"), Due = o.Instant("due"), Warnings = o.Diagnostics("warnings") };
        }

        /// <summary>A duration as <c>"N unit"</c>, written as text or as <c>{"amount", "unit"}</c>.</summary>
        internal static string DurationText(Reader o, string key)
        {
            if (o.Req(key) is Dictionary<string, object>)
            {
                var d = o.Obj(key);
                return d.Long("amount") + " " + d.Str("unit");
            }
            return o.Str(key);
        }
    }

    /// <summary>One date of <c>calendarDays</c>.</summary>
    public sealed class CalendarDay
    {
        public DateTime Date { get; private set; }
        public bool Working { get; private set; }
        /// <summary>Whether it is a make-up working day (调休上班).</summary>
        public bool MakeUp { get; private set; }
        /// <summary>The holiday's name, or null.</summary>
        public string Holiday { get; private set; }
        /// <summary>Whether the calendar covers its year (else the weekday rule answered).</summary>
        public bool Covered { get; private set; }

        internal static CalendarDay Read(Reader o)
        {
            return new CalendarDay { Date = o.Date("date"), Working = o.Bool("working"), MakeUp = o.Bool("make_up"), Holiday = o.OptStr("holiday"), Covered = o.Bool("covered") };
        }
    }

    /// <summary>The answer to <c>calendarDays</c>.</summary>
    public sealed class CalendarRange
    {
        public IReadOnlyList<CalendarDay> Days { get; private set; }
        public IReadOnlyList<Diagnostic> Warnings { get; private set; }

        internal static CalendarRange Read(Reader o)
        {
            return new CalendarRange { Days = o.List("days", CalendarDay.Read), Warnings = o.Diagnostics("warnings") };
        }
    }

    /// <summary>A clock's status at an instant.</summary>
    public sealed class ClockStatus
    {
        /// <summary>The due instant, pushed out by the pauses, in the calendar's offset.</summary>
        public DateTimeOffset Due { get; private set; }
        /// <summary>Active time elapsed over the clock's span; above 1 after the due.</summary>
        public double FractionElapsed { get; private set; }
        public ClockState State { get; private set; }
        public IReadOnlyList<Diagnostic> Warnings { get; private set; }

        internal static ClockStatus Read(Reader o)
        {
            return new ClockStatus { Due = o.Instant("due"), FractionElapsed = o.Double("fraction_elapsed"), State = o.Enum<ClockState>("state"), Warnings = o.Diagnostics("warnings") };
        }
    }

    /// <summary>Where a stored log must end, for <c>Replay</c> and <c>VerifyLog</c>: the stored
    /// <see cref="CaseFile"/>, or a <see cref="LogAnchor"/>.</summary>
    public abstract class LogEnd
    {
        internal LogEnd() { }
    }

    /// <summary>A log's anchor: how many events it has and the hash of the last.</summary>
    public sealed class LogAnchor : LogEnd
    {
        public long Events { get; private set; }
        public string LastHash { get; private set; }

        public LogAnchor(long events, string lastHash) { Events = events; LastHash = lastHash; }
    }

    /// <summary>A case as the engine returned it: the document the host stores and passes back, kept exactly
    /// as written (<see cref="Json"/>), with its main fields typed. Load a stored one with <see cref="FromJson"/>.</summary>
    public sealed class CaseFile : LogEnd
    {
        public string Id { get; private set; }
        public CaseState State { get; private set; }
        public Category Category { get; private set; }
        public Tier Tier { get; private set; }
        public EmergencyLevel? Emergency { get; private set; }
        /// <summary>The emergency record (docs/policy.md §7): the current emergency, or the last one when it is
        /// over; null when there never was one.</summary>
        public EmergencyRecord EmergencyPlan { get; private set; }
        /// <summary>The case's earlier emergencies, oldest first, each declared over (a record moves here when a
        /// further emergency is declared); empty for a case with at most one.</summary>
        public IReadOnlyList<EmergencyRecord> EndedEmergencies { get; private set; }
        /// <summary>The facts learnt after intake (<see cref="Command.UpdateFacts"/>), or null when none.</summary>
        public Facts Facts { get; private set; }
        /// <summary>When its last event happened.</summary>
        public DateTimeOffset UpdatedAt { get; private set; }
        /// <summary>How many events it is the fold of.</summary>
        public long Events { get; private set; }
        /// <summary>The hash of its last event.</summary>
        public string LastHash { get; private set; }
        /// <summary>The document, as the engine wrote it.</summary>
        public string Json { get; private set; }

        /// <summary>A stored case; its typed fields are checked, the rest is kept as is.</summary>
        public static CaseFile FromJson(string json) { return Read(Reader.Root(json), json); }

        internal static CaseFile Read(Reader o, string json)
        {
            return new CaseFile
            {
                Id = o.Str("id"),
                State = o.Enum<CaseState>("state"),
                Category = o.Enum<Category>("category"),
                Tier = o.Tier("tier"),
                Emergency = o.OptEnum<EmergencyLevel>("emergency"),
                EmergencyPlan = o.OptObj("emergency_plan") == null ? null : EmergencyRecord.Read(o.Obj("emergency_plan")),
                EndedEmergencies = o.List("ended_emergencies", EmergencyRecord.Read),
                Facts = o.OptObj("facts") == null ? null : Facts.Read(o.Obj("facts")),
                UpdatedAt = o.Instant("updated_at"),
                Events = o.Long("events"),
                LastHash = o.Str("last_hash"),
                Json = json,
            };
        }
    }

    /// <summary>One event of a case's log, as the engine returned it: the host appends <see cref="Json"/> to its
    /// store unchanged. Load a stored one with <see cref="FromJson"/>.</summary>
    public sealed class Event
    {
        /// <summary>Its place in the log (0 for the record event).</summary>
        public long Seq { get; private set; }
        public DateTimeOffset At { get; private set; }
        /// <summary>The command's type, such as <c>accept</c>.</summary>
        public string Command { get; private set; }
        public string Hash { get; private set; }
        public string PrevHash { get; private set; }
        /// <summary>The host-key seal, or null when not sealed.</summary>
        public string Seal { get; private set; }
        public string Json { get; private set; }

        /// <summary>A stored event; its typed fields are checked, the rest is kept as is.</summary>
        public static Event FromJson(string json) { return Read(Reader.Root(json), json); }

        internal static Event Read(Reader o, string json)
        {
            return new Event
            {
                Seq = o.Long("seq"),
                At = o.Instant("at"),
                Command = o.Obj("command").Str("type"),
                Hash = o.Str("hash"),
                PrevHash = o.Str("prev_hash"),
                Seal = o.OptStr("seal"),
                Json = json,
            };
        }
    }

    /// <summary>What the host must do after a command or at a tick. Each kind is a nested class; an effect of a
    /// kind this binding does not know is an error, not silently dropped.</summary>
    public abstract class Effect
    {
        /// <summary>The policy rule behind the effect.</summary>
        public string Rule { get; private set; }

        Effect(string rule) { Rule = rule; }

        /// <summary>Send a message: <c>Template</c> rendered with <c>Params</c>, to whoever holds <c>To</c>.</summary>
        public sealed class Notify : Effect
        {
            public string Template { get; private set; }
            public Role To { get; private set; }
            public IReadOnlyDictionary<string, string> Params { get; private set; }
            internal Notify(string template, Role to, IReadOnlyDictionary<string, string> parameters, string rule) : base(rule) { Template = template; To = to; Params = parameters; }
        }

        /// <summary>Start a clock due at <c>Due</c>.</summary>
        public sealed class StartClock : Effect
        {
            public ClockKind Clock { get; private set; }
            public DateTimeOffset Due { get; private set; }
            internal StartClock(ClockKind clock, DateTimeOffset due, string rule) : base(rule) { Clock = clock; Due = due; }
        }

        /// <summary>Stop a clock; <c>Met</c> is false when it was stopped after its due instant.</summary>
        public sealed class StopClock : Effect
        {
            public ClockKind Clock { get; private set; }
            public bool Met { get; private set; }
            internal StopClock(ClockKind clock, bool met, string rule) : base(rule) { Clock = clock; Met = met; }
        }

        /// <summary>Pause a clock.</summary>
        public sealed class PauseClock : Effect
        {
            public ClockKind Clock { get; private set; }
            internal PauseClock(ClockKind clock, string rule) : base(rule) { Clock = clock; }
        }

        /// <summary>Resume a paused clock, now due at <c>Due</c>.</summary>
        public sealed class ResumeClock : Effect
        {
            public ClockKind Clock { get; private set; }
            public DateTimeOffset Due { get; private set; }
            internal ResumeClock(ClockKind clock, DateTimeOffset due, string rule) : base(rule) { Clock = clock; Due = due; }
        }

        /// <summary>Remind (or escalate to) <c>To</c> about a clock; <c>Id</c> is stable, to send it once.</summary>
        public abstract class Alert : Effect
        {
            public string Id { get; private set; }
            public ClockKind Clock { get; private set; }
            /// <summary>For an emergency clock, the action it is about (<c>review</c> for the post-event review);
            /// else null.</summary>
            public string Action { get; private set; }
            public DateTimeOffset Due { get; private set; }
            public string Template { get; private set; }
            public Role To { get; private set; }
            internal Alert(Reader o) : base(o.Str("rule"))
            {
                Id = o.Str("id"); Clock = o.Enum<ClockKind>("clock"); Action = o.OptStr("action"); Due = o.Instant("due"); Template = o.Str("template"); To = o.Enum<Role>("to");
            }
        }

        /// <summary>A clock is at risk.</summary>
        public sealed class Remind : Alert { internal Remind(Reader o) : base(o) { } }

        /// <summary>A clock is breached.</summary>
        public sealed class Escalate : Alert { internal Escalate(Reader o) : base(o) { } }

        internal static Effect Read(Reader o)
        {
            string type = o.Str("type");
            switch (type)
            {
                case "notify":
                    var parameters = new Dictionary<string, string>();
                    var p = o.Obj("params");
                    foreach (var key in p.Json.Keys) parameters[key] = p.Str(key);
                    return new Notify(o.Str("template"), o.Enum<Role>("to"), parameters, o.Str("rule"));
                case "start_clock": return new StartClock(o.Enum<ClockKind>("clock"), o.Instant("due"), o.Str("rule"));
                case "stop_clock": return new StopClock(o.Enum<ClockKind>("clock"), o.Bool("met"), o.Str("rule"));
                case "pause_clock": return new PauseClock(o.Enum<ClockKind>("clock"), o.Str("rule"));
                case "resume_clock": return new ResumeClock(o.Enum<ClockKind>("clock"), o.Instant("due"), o.Str("rule"));
                case "remind": return new Remind(o);
                case "escalate": return new Escalate(o);
                default: throw Reader.Unexpected(o.At("type"), "unknown effect `" + type + "`");
            }
        }
    }

    /// <summary>The answer to <c>record</c> and <c>apply</c>: store the event, keep the case, carry out the effects.</summary>
    public sealed class Applied
    {
        /// <summary>The case after the command.</summary>
        public CaseFile CaseFile { get; private set; }
        /// <summary>The event to append to the case's log.</summary>
        public Event Event { get; private set; }
        public IReadOnlyList<Effect> Effects { get; private set; }
        public string Json { get; private set; }

        internal static Applied Read(string text)
        {
            var o = Reader.Root(text);
            return new Applied
            {
                CaseFile = CaseFile.Read(o.Obj("case"), o.Text("case")),
                Event = Event.Read(o.Obj("event"), o.Text("event")),
                Effects = o.List("effects", Effect.Read),
                Json = text,
            };
        }
    }

    /// <summary>One clock at the instant asked about.</summary>
    public sealed class ClockReport
    {
        public ClockKind Clock { get; private set; }
        /// <summary>Who must act before it runs out.</summary>
        public Role Assignee { get; private set; }
        public ClockStatus Status { get; private set; }
        /// <summary>True once the awaited event happened.</summary>
        public bool Stopped { get; private set; }

        internal static ClockReport Read(Reader o)
        {
            return new ClockReport { Clock = o.Enum<ClockKind>("clock"), Assignee = o.Enum<Role>("assignee"), Status = ClockStatus.Read(o.Obj("status")), Stopped = o.Bool("stopped") };
        }
    }

    /// <summary>One emergency clock at the instant asked about (docs/policy.md §7).</summary>
    public sealed class EmergencyClock
    {
        /// <summary>The action's id, such as <c>people_on_site</c> or <c>status_update#2</c>, or <c>review</c>
        /// for the post-event review.</summary>
        public string Action { get; private set; }
        /// <summary>Who answers for it: the commanding role.</summary>
        public Role Assignee { get; private set; }
        public ClockStatus Status { get; private set; }
        /// <summary>For a clock of an earlier emergency, the index of its record in the case's
        /// <see cref="CaseFile.EndedEmergencies"/>; null for the clocks of the current (or last) emergency.</summary>
        public long? EndedEmergency { get; private set; }

        internal static EmergencyClock Read(Reader o)
        {
            return new EmergencyClock { Action = o.Str("action"), Assignee = o.Enum<Role>("assignee"), Status = ClockStatus.Read(o.Obj("status")), EndedEmergency = o.OptLong("ended_emergency") };
        }
    }

    /// <summary>The answer to <c>tick</c>: every clock of a case at an instant, and the reminders and escalations due.</summary>
    public sealed class TickReport
    {
        public string CaseId { get; private set; }
        public DateTimeOffset At { get; private set; }
        public CaseState State { get; private set; }
        public IReadOnlyList<ClockReport> Clocks { get; private set; }
        /// <summary>The emergencies' clocks (each action and the review), the earlier (ended) emergencies' first;
        /// empty without an emergency.</summary>
        public IReadOnlyList<EmergencyClock> Emergency { get; private set; }
        public IReadOnlyList<Effect> Effects { get; private set; }
        public IReadOnlyList<Diagnostic> Warnings { get; private set; }

        internal static TickReport Read(Reader o)
        {
            return new TickReport
            {
                CaseId = o.Str("case"), At = o.Instant("at"), State = o.Enum<CaseState>("state"),
                Clocks = o.List("clocks", ClockReport.Read), Emergency = o.List("emergency", EmergencyClock.Read), Effects = o.List("effects", Effect.Read), Warnings = o.Diagnostics("warnings"),
            };
        }
    }

    /// <summary>Where a log first goes wrong.</summary>
    public sealed class BadEvent
    {
        /// <summary>The event's index (0 for the first); the log's length when events are missing at its end.</summary>
        public long Index { get; private set; }
        public string Reason { get; private set; }

        internal BadEvent(long index, string reason) { Index = index; Reason = reason; }
    }

    /// <summary>The answer to <c>verifyLog</c>.</summary>
    public sealed class LogVerification
    {
        public bool Valid { get; private set; }
        public long Events { get; private set; }
        /// <summary>True when every seal was checked with the host's key.</summary>
        public bool SealsChecked { get; private set; }
        /// <summary>True when the log was checked to end at the stored case or anchor.</summary>
        public bool AnchorChecked { get; private set; }
        /// <summary>Where the log first goes wrong, or null when it is valid.</summary>
        public BadEvent FirstBad { get; private set; }

        internal static LogVerification Read(Reader o)
        {
            var bad = o.OptObj("first_bad");
            return new LogVerification
            {
                Valid = o.Bool("valid"), Events = o.Long("events"), SealsChecked = o.Bool("seals_checked"), AnchorChecked = o.Bool("anchor_checked"),
                FirstBad = bad == null ? null : new BadEvent(bad.Long("index"), bad.Str("reason")),
            };
        }
    }

    /// <summary>What <see cref="Engine.CheckPolicy"/> reports about a policy file.</summary>
    public sealed class PolicyCheck
    {
        public bool Valid { get; private set; }
        public IReadOnlyList<Diagnostic> Errors { get; private set; }
        public IReadOnlyList<Diagnostic> Warnings { get; private set; }

        internal static PolicyCheck Read(Reader o)
        {
            return new PolicyCheck { Valid = o.Bool("valid"), Errors = o.Diagnostics("errors"), Warnings = o.Diagnostics("warnings") };
        }
    }
}
