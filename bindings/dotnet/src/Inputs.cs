using System;
using System.Collections.Generic;
using System.Linq;

// The typed inputs: each writes the JSON of the JSON API. A command the engine gains is one nested class
// with one line of ToJson.
namespace Caseflow
{
    /// <summary>The person issuing a command; the host vouches for the roles, the engine decides whether they
    /// suffice (docs/policy.md §4.1).</summary>
    public sealed class Actor
    {
        public string Id { get; private set; }
        public IReadOnlyList<Role> Roles { get; private set; }

        public Actor(string id, params Role[] roles)
        {
            Id = id;
            Roles = roles.ToList().AsReadOnly();
        }

        internal JsonBuilder ToJson()
        {
            return new JsonBuilder().Put("id", Id).Put("roles", Roles.Select(r => (object)Wire.Name(r)).ToList());
        }
    }

    /// <summary>What is known of a project, for the warranty (docs/policy.md §1.1).</summary>
    public sealed class ProjectFacts
    {
        /// <summary>The completion acceptance, or null when not yet accepted.</summary>
        public DateTime? AcceptedOn { get; private set; }
        public DateTime? StartedOn { get; private set; }
        /// <summary>The project's design service life, or null for the policy's.</summary>
        public int? DesignServiceLifeYears { get; private set; }

        public ProjectFacts(DateTime? acceptedOn, DateTime? startedOn = null, int? designServiceLifeYears = null)
        {
            AcceptedOn = acceptedOn;
            StartedOn = startedOn;
            DesignServiceLifeYears = designServiceLifeYears;
        }

        internal JsonBuilder ToJson()
        {
            return new JsonBuilder().Put("accepted_on", AcceptedOn).Put("started_on", StartedOn).Put("design_service_life_years", DesignServiceLifeYears);
        }
    }

    /// <summary>A deadline clock, the input of <c>ClockStatus</c>.</summary>
    public sealed class Clock
    {
        public DateTimeOffset Start { get; private set; }
        /// <summary>How long it runs, such as <c>"3 working_days"</c>.</summary>
        public string Duration { get; private set; }
        /// <summary>Pauses in order: (from, to), to null while it lasts.</summary>
        public IReadOnlyList<KeyValuePair<DateTimeOffset, DateTimeOffset?>> Pauses { get; private set; }
        public DateTimeOffset? StoppedAt { get; private set; }

        public Clock(DateTimeOffset start, string duration, IEnumerable<KeyValuePair<DateTimeOffset, DateTimeOffset?>> pauses = null, DateTimeOffset? stoppedAt = null)
        {
            Start = start;
            Duration = duration;
            Pauses = (pauses ?? new KeyValuePair<DateTimeOffset, DateTimeOffset?>[0]).ToList().AsReadOnly();
            StoppedAt = stoppedAt;
        }

        internal JsonBuilder ToJson()
        {
            return new JsonBuilder().Put("start", Start).Put("duration", Duration)
                .Put("pauses", Pauses.Select(p => (object)new JsonBuilder().Put("from", p.Key).Put("to", p.Value).Members).ToList())
                .Put("stopped_at", StoppedAt);
        }

        internal static Clock Read(Reader o)
        {
            return new Clock(o.Instant("start"), Deadline.DurationText(o, "duration"),
                o.List("pauses", p => new KeyValuePair<DateTimeOffset, DateTimeOffset?>(p.Instant("from"), p.OptInstant("to"))), o.OptInstant("stopped_at"));
        }
    }

    /// <summary>A report as intake took it (docs/policy.md §2), the input of <c>Classify</c> and of the record
    /// command. Build one with <see cref="Builder"/>, or take one the host holds as JSON with
    /// <see cref="FromJson"/> (passed on unchanged; the engine checks it and names every bad field).</summary>
    public sealed class Report
    {
        readonly string json;

        Report(string json) { this.json = json; }

        /// <summary>A report written as JSON, passed to the engine as is.</summary>
        public static Report FromJson(string json)
        {
            if (json == null) throw new ArgumentNullException("json");
            return new Report(json);
        }

        /// <summary>The report as JSON.</summary>
        public string ToJson() { return json; }

        public override string ToString() { return json; }

        /// <summary>A report with the fields every report has; add the others on the builder.</summary>
        public static ReportBuilder Builder(string id, string project, Channel channel, string description, DateTimeOffset raisedAt, string location)
        {
            return new ReportBuilder(id, project, channel, description, raisedAt, location);
        }

        /// <summary>Builds a <see cref="Report"/>.</summary>
        public sealed class ReportBuilder
        {
            readonly JsonBuilder o = new JsonBuilder();
            readonly JsonBuilder contact = new JsonBuilder();
            JsonBuilder facts;

            internal ReportBuilder(string id, string project, Channel channel, string description, DateTimeOffset raisedAt, string location)
            {
                o.Put("id", id).Put("project", project).Put("channel", channel).Put("description", description)
                    .Put("raised_at", raisedAt).Put("location", location).Put("contact", contact);
            }

            public ReportBuilder ContactName(string name) { contact.Put("name", name); return this; }
            public ReportBuilder ContactPhone(string phone) { contact.Put("phone", phone); return this; }
            public ReportBuilder ContactEmail(string email) { contact.Put("email", email); return this; }
            /// <summary>The clerk's category; the engine keeps it and says when it would choose differently.</summary>
            public ReportBuilder Category(Category category) { o.Put("category", category); return this; }
            /// <summary>The element the clerk named, for the warranty.</summary>
            public ReportBuilder Element(WarrantyElement element) { o.Put("element", element); return this; }
            public ReportBuilder ReceivedAt(DateTimeOffset receivedAt) { o.Put("received_at", receivedAt); return this; }
            public ReportBuilder ProjectFacts(ProjectFacts projectFacts) { o.Put("project_facts", projectFacts.ToJson()); return this; }

            /// <summary>A fact of the report (docs/policy.md §3.3), such as <c>safety_hazard</c> true or <c>injuries</c> 2.</summary>
            public ReportBuilder Fact(string name, object value)
            {
                if (facts == null) { facts = new JsonBuilder(); o.Put("facts", facts); }
                facts.Put(name, value);
                return this;
            }

            public Report Build() { return new Report(o.ToString()); }
        }
    }

    /// <summary>A handling plan (§4.3).</summary>
    public sealed class Plan
    {
        public IReadOnlyList<string> Measures { get; private set; }
        /// <summary>Who is responsible: (name, duty), duty may be null.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Responsible { get; private set; }
        /// <summary>Milestones: (description, due).</summary>
        public IReadOnlyList<KeyValuePair<string, DateTimeOffset>> Milestones { get; private set; }

        public Plan(IEnumerable<string> measures, IEnumerable<KeyValuePair<string, string>> responsible, IEnumerable<KeyValuePair<string, DateTimeOffset>> milestones)
        {
            Measures = measures.ToList().AsReadOnly();
            Responsible = responsible.ToList().AsReadOnly();
            Milestones = milestones.ToList().AsReadOnly();
        }

        internal JsonBuilder ToJson()
        {
            return new JsonBuilder()
                .Put("measures", Measures.Select(m => (object)m).ToList())
                .Put("responsible", Responsible.Select(r => (object)new JsonBuilder().Put("name", r.Key).Put("duty", r.Value).Members).ToList())
                .Put("milestones", Milestones.Select(m => (object)new JsonBuilder().Put("description", m.Key).Put("due", m.Value).Members).ToList());
        }
    }

    /// <summary>A lifecycle command (docs/policy.md §4): who issues it and what it does. Each command is a nested
    /// class; one this binding does not model yet can be given as JSON with <see cref="FromJson"/>.</summary>
    public abstract class Command
    {
        internal Command() { }

        /// <summary>The command as the JSON API reads it.</summary>
        public abstract string ToJson();

        public override string ToString() { return ToJson(); }

        /// <summary>A command written as JSON, passed to the engine as is.</summary>
        public static Command FromJson(string json)
        {
            if (json == null) throw new ArgumentNullException("json");
            return new Raw(json);
        }

        sealed class Raw : Command
        {
            readonly string json;
            internal Raw(string json) { this.json = json; }
            public override string ToJson() { return json; }
        }

        /// <summary><c>{"type": type, "actor": ...}</c> and the fields, null values left out.</summary>
        static JsonBuilder Of(string type, Actor actor)
        {
            return new JsonBuilder().Put("type", type).Put("actor", actor.ToJson());
        }

        /// <summary>Opens a case for a report (the input of <c>Record</c>).</summary>
        public sealed class RecordReport : Command
        {
            readonly Actor actor; readonly Report report;
            public RecordReport(Actor actor, Report report) { this.actor = actor; this.report = report; }
            public override string ToJson() { return Of("record", actor).PutJson("report", report.ToJson()).ToString(); }
        }

        /// <summary>The project leader contacted the customer and commits a deadline (§4.2).</summary>
        public sealed class Accept : Command
        {
            readonly Actor actor; readonly DateTimeOffset committedDeadline; readonly DateTimeOffset? contactedAt; readonly string note;
            public Accept(Actor actor, DateTimeOffset committedDeadline, DateTimeOffset? contactedAt = null, string note = null)
            { this.actor = actor; this.committedDeadline = committedDeadline; this.contactedAt = contactedAt; this.note = note; }
            public override string ToJson() { return Of("accept", actor).Put("committed_deadline", committedDeadline).Put("contacted_at", contactedAt).Put("note", note).ToString(); }
        }

        /// <summary>Changes the category or the tier (either may be null), with the reason (§3.2, §3.4).</summary>
        public sealed class Reclassify : Command
        {
            readonly Actor actor; readonly Category? category; readonly Tier? tier; readonly string reason;
            public Reclassify(Actor actor, Category? category, Tier? tier, string reason) { this.actor = actor; this.category = category; this.tier = tier; this.reason = reason; }
            public override string ToJson() { return Of("reclassify", actor).Put("category", category).Put("tier", tier).Put("reason", reason).ToString(); }
        }

        /// <summary>Submits the handling plan (§4.3).</summary>
        public sealed class SubmitPlan : Command
        {
            readonly Actor actor; readonly Plan plan;
            public SubmitPlan(Actor actor, Plan plan) { this.actor = actor; this.plan = plan; }
            public override string ToJson() { return Of("submit_plan", actor).Put("plan", plan.ToJson()).ToString(); }
        }

        /// <summary>Approves the plan.</summary>
        public sealed class ApprovePlan : Command
        {
            readonly Actor actor; readonly string note;
            public ApprovePlan(Actor actor, string note = null) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("approve_plan", actor).Put("note", note).ToString(); }
        }

        /// <summary>Rejects the plan, with the reasons for the drafters.</summary>
        public sealed class RejectPlan : Command
        {
            readonly Actor actor; readonly string reasons;
            public RejectPlan(Actor actor, string reasons) { this.actor = actor; this.reasons = reasons; }
            public override string ToJson() { return Of("reject_plan", actor).Put("reasons", reasons).ToString(); }
        }

        /// <summary>The customer was told of the progress.</summary>
        public sealed class ReportProgress : Command
        {
            readonly Actor actor; readonly string note;
            public ReportProgress(Actor actor, string note) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("report_progress", actor).Put("note", note).ToString(); }
        }

        /// <summary>The work is done.</summary>
        public sealed class CompleteWork : Command
        {
            readonly Actor actor; readonly string note;
            public CompleteWork(Actor actor, string note = null) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("complete_work", actor).Put("note", note).ToString(); }
        }

        /// <summary>A verification of the work (§4.5).</summary>
        public sealed class Verify : Command
        {
            readonly Actor actor; readonly bool passed; readonly string note; readonly string reportRef; readonly Role? role;
            public Verify(Actor actor, bool passed, string note = null, string reportRef = null, Role? role = null)
            { this.actor = actor; this.passed = passed; this.note = note; this.reportRef = reportRef; this.role = role; }
            public override string ToJson() { return Of("verify", actor).Put("passed", passed).Put("note", note).Put("report_ref", reportRef).Put("role", role).ToString(); }
        }

        /// <summary>The customer was asked to confirm.</summary>
        public sealed class NotifyCustomer : Command
        {
            readonly Actor actor; readonly string note;
            public NotifyCustomer(Actor actor, string note = null) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("notify_customer", actor).Put("note", note).ToString(); }
        }

        /// <summary>The customer confirmed, with the signed form (§4.6).</summary>
        public sealed class CustomerConfirm : Command
        {
            readonly Actor actor; readonly int satisfaction; readonly string signedFormRef; readonly string note;
            public CustomerConfirm(Actor actor, int satisfaction, string signedFormRef, string note = null)
            { this.actor = actor; this.satisfaction = satisfaction; this.signedFormRef = signedFormRef; this.note = note; }
            public override string ToJson() { return Of("customer_confirm", actor).Put("satisfaction", satisfaction).Put("signed_form_ref", signedFormRef).Put("note", note).ToString(); }
        }

        /// <summary>The customer is not satisfied.</summary>
        public sealed class CustomerReject : Command
        {
            readonly Actor actor; readonly string reasons; readonly int? satisfaction;
            public CustomerReject(Actor actor, string reasons, int? satisfaction = null) { this.actor = actor; this.reasons = reasons; this.satisfaction = satisfaction; }
            public override string ToJson() { return Of("customer_reject", actor).Put("reasons", reasons).Put("satisfaction", satisfaction).ToString(); }
        }

        /// <summary>Puts the case on hold.</summary>
        public sealed class Hold : Command
        {
            readonly Actor actor; readonly string reason;
            public Hold(Actor actor, string reason) { this.actor = actor; this.reason = reason; }
            public override string ToJson() { return Of("hold", actor).Put("reason", reason).ToString(); }
        }

        /// <summary>Resumes a case on hold.</summary>
        public sealed class Resume : Command
        {
            readonly Actor actor; readonly string note;
            public Resume(Actor actor, string note = null) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("resume", actor).Put("note", note).ToString(); }
        }

        /// <summary>Answers the model's review of a provisional tier 1: tier 1 confirms it, 2 or 3
        /// lowers it (docs/policy.md §3.4; the roles of <c>lifecycle.lower_tier_1</c>).</summary>
        public sealed class ReviewTier : Command
        {
            readonly Actor actor; readonly Tier tier; readonly string reason;
            public ReviewTier(Actor actor, Tier tier, string reason) { this.actor = actor; this.tier = tier; this.reason = reason; }
            public override string ToJson() { return Of("review_tier", actor).Put("tier", (Tier?)tier).Put("reason", reason).ToString(); }
        }

        /// <summary>Withdraws the case (§4.7).</summary>
        public sealed class Withdraw : Command
        {
            readonly Actor actor; readonly string reason;
            public Withdraw(Actor actor, string reason) { this.actor = actor; this.reason = reason; }
            public override string ToJson() { return Of("withdraw", actor).Put("reason", reason).ToString(); }
        }

        // ---- The emergency plan (docs/policy.md §7): who may issue each is the policy's (emergency.levels); a
        // refusal names its code, such as emergency_level_lower or actions_open.

        /// <summary>Declares an emergency by hand at <paramref name="level"/>, with the reason.</summary>
        public sealed class DeclareEmergency : Command
        {
            readonly Actor actor; readonly EmergencyLevel level; readonly string reason;
            public DeclareEmergency(Actor actor, EmergencyLevel level, string reason) { this.actor = actor; this.level = level; this.reason = reason; }
            public override string ToJson() { return Of("declare_emergency", actor).Put("level", level).Put("reason", reason).ToString(); }
        }

        /// <summary>Raises the emergency to a more serious level (never lower: refused <c>emergency_level_lower</c>).</summary>
        public sealed class RaiseEmergency : Command
        {
            readonly Actor actor; readonly EmergencyLevel level; readonly string reason;
            public RaiseEmergency(Actor actor, EmergencyLevel level, string reason) { this.actor = actor; this.level = level; this.reason = reason; }
            public override string ToJson() { return Of("raise_emergency", actor).Put("level", level).Put("reason", reason).ToString(); }
        }

        /// <summary>Marks a mandated emergency action done, such as <c>people_on_site</c>.</summary>
        public sealed class CompleteEmergencyAction : Command
        {
            readonly Actor actor; readonly string action; readonly string note;
            public CompleteEmergencyAction(Actor actor, string action, string note = null) { this.actor = actor; this.action = action; this.note = note; }
            public override string ToJson() { return Of("complete_emergency_action", actor).Put("action", action).Put("note", note).ToString(); }
        }

        /// <summary>Waives a mandated emergency action, with the reason: the commander only.</summary>
        public sealed class WaiveEmergencyAction : Command
        {
            readonly Actor actor; readonly string action; readonly string reason;
            public WaiveEmergencyAction(Actor actor, string action, string reason) { this.actor = actor; this.action = action; this.reason = reason; }
            public override string ToJson() { return Of("waive_emergency_action", actor).Put("action", action).Put("reason", reason).ToString(); }
        }

        /// <summary>Posts a status update to the commanding level; the next is due a cadence later.</summary>
        public sealed class EmergencyStatusUpdate : Command
        {
            readonly Actor actor; readonly string note;
            public EmergencyStatusUpdate(Actor actor, string note) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("emergency_status_update", actor).Put("note", note).ToString(); }
        }

        /// <summary>Declares the emergency over: the commander only, every action done or waived.</summary>
        public sealed class EndEmergency : Command
        {
            readonly Actor actor; readonly string note;
            public EndEmergency(Actor actor, string note = null) { this.actor = actor; this.note = note; }
            public override string ToJson() { return Of("end_emergency", actor).Put("note", note).ToString(); }
        }

        /// <summary>Files the post-event review, which closes the emergency record.</summary>
        public sealed class FileEmergencyReview : Command
        {
            readonly Actor actor; readonly string summary;
            public FileEmergencyReview(Actor actor, string summary) { this.actor = actor; this.summary = summary; }
            public override string ToJson() { return Of("file_emergency_review", actor).Put("summary", summary).ToString(); }
        }

        /// <summary>Releases a media statement: the commanding level's approval, so its role.</summary>
        public sealed class ReleaseMediaStatement : Command
        {
            readonly Actor actor; readonly string statement;
            public ReleaseMediaStatement(Actor actor, string statement) { this.actor = actor; this.statement = statement; }
            public override string ToJson() { return Of("release_media_statement", actor).Put("statement", statement).ToString(); }
        }

        /// <summary>New facts learnt after intake (§3.3), merged over the report's (those not given keep their
        /// value), with where they come from; a trigger that now holds declares or raises the emergency.</summary>
        public sealed class UpdateFacts : Command
        {
            readonly Actor actor; readonly Facts facts; readonly string reason;
            public UpdateFacts(Actor actor, Facts facts, string reason) { this.actor = actor; this.facts = facts; this.reason = reason; }
            public override string ToJson() { return Of("update_facts", actor).Put("facts", facts.ToJson()).Put("reason", reason).ToString(); }
        }
    }
}
