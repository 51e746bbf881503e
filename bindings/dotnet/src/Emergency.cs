using System;
using System.Collections.Generic;
using System.Linq;

// The emergency plan (docs/policy.md §7) as the engine writes it on a case, the facts learnt after intake, and
// the answer to drill_status.
namespace Caseflow
{
    /// <summary>An emergency on a case, from its declaration to its review: the case's <c>emergency_plan</c>.
    /// Its level is never lowered; each raise is kept in <see cref="Raises"/>.</summary>
    public sealed class EmergencyRecord
    {
        /// <summary>The current level.</summary>
        public EmergencyLevel Level { get; private set; }
        public DateTimeOffset DeclaredAt { get; private set; }
        /// <summary>Who declared it: an actor id, or <c>engine</c> when a trigger held.</summary>
        public string DeclaredBy { get; private set; }
        /// <summary>The trigger that held, when declared by the engine; else null.</summary>
        public string Trigger { get; private set; }
        /// <summary>Why, when declared by hand; else null.</summary>
        public string Reason { get; private set; }
        /// <summary>The role commanding the current level.</summary>
        public Role CommandingRole { get; private set; }
        /// <summary>The mandated actions, each a clock, and the status updates (<c>status_update#1</c>, ...).</summary>
        public IReadOnlyList<EmergencyAction> Actions { get; private set; }
        public IReadOnlyList<LevelChange> Raises { get; private set; }
        public IReadOnlyList<MediaStatement> MediaStatements { get; private set; }
        /// <summary>When the commander declared it over, or null.</summary>
        public DateTimeOffset? EndedAt { get; private set; }
        public string EndedBy { get; private set; }
        /// <summary>When the post-event review is due (after the end), or null.</summary>
        public DateTimeOffset? ReviewDue { get; private set; }
        /// <summary>The post-event review once filed (the record is then closed), or null.</summary>
        public EmergencyReview Review { get; private set; }

        /// <summary>True once the post-event review is filed.</summary>
        public bool IsClosed() { return Review != null; }

        /// <summary>True once the commander declared it over.</summary>
        public bool IsEnded() { return EndedAt != null; }

        /// <summary>The actions neither done nor waived.</summary>
        public IReadOnlyList<EmergencyAction> OpenActions() { return Actions.Where(a => a.Outcome == null).ToList().AsReadOnly(); }

        /// <summary>The action of id <paramref name="id"/>, or null.</summary>
        public EmergencyAction Action(string id) { return Actions.FirstOrDefault(a => a.Id == id); }

        internal static EmergencyRecord Read(Reader o)
        {
            var review = o.OptObj("review");
            return new EmergencyRecord
            {
                Level = o.Enum<EmergencyLevel>("level"),
                DeclaredAt = o.Instant("declared_at"),
                DeclaredBy = o.Str("declared_by"),
                Trigger = o.OptStr("trigger"),
                Reason = o.OptStr("reason"),
                CommandingRole = o.Enum<Role>("commanding_role"),
                Actions = o.List("actions", EmergencyAction.Read),
                Raises = o.List("raises", LevelChange.Read),
                MediaStatements = o.List("media_statements", MediaStatement.Read),
                EndedAt = o.OptInstant("ended_at"),
                EndedBy = o.OptStr("ended_by"),
                ReviewDue = o.OptInstant("review_due"),
                Review = review == null ? null : EmergencyReview.Read(review),
            };
        }
    }

    /// <summary>A mandated emergency action (or one status update) and its clock.</summary>
    public sealed class EmergencyAction
    {
        /// <summary>The policy's action id, such as <c>people_on_site</c>.</summary>
        public string Id { get; private set; }
        /// <summary>When its clock started.</summary>
        public DateTimeOffset Started { get; private set; }
        public DateTimeOffset Due { get; private set; }
        /// <summary>Done or waived, or null while open.</summary>
        public ActionOutcome Outcome { get; private set; }

        internal static EmergencyAction Read(Reader o)
        {
            var outcome = o.OptObj("outcome");
            return new EmergencyAction { Id = o.Str("id"), Started = o.Instant("started"), Due = o.Instant("due"), Outcome = outcome == null ? null : ActionOutcome.Read(outcome) };
        }
    }

    /// <summary>What became of an emergency action: done, or waived by the commander with a reason.</summary>
    public sealed class ActionOutcome
    {
        public OutcomeType Type { get; private set; }
        public string By { get; private set; }
        public DateTimeOffset At { get; private set; }
        /// <summary>Why it was waived; null when done.</summary>
        public string Reason { get; private set; }

        internal static ActionOutcome Read(Reader o)
        {
            var type = o.Enum<OutcomeType>("type");
            return new ActionOutcome { Type = type, By = o.Str("by"), At = o.Instant("at"), Reason = type == OutcomeType.Waived ? o.Str("reason") : o.OptStr("reason") };
        }
    }

    /// <summary>A raise of the emergency's level.</summary>
    public sealed class LevelChange
    {
        public EmergencyLevel From { get; private set; }
        public EmergencyLevel To { get; private set; }
        /// <summary>Who: an actor id, or <c>engine</c>.</summary>
        public string By { get; private set; }
        public DateTimeOffset At { get; private set; }
        /// <summary>Why (the trigger's id when raised by the engine).</summary>
        public string Reason { get; private set; }

        internal static LevelChange Read(Reader o)
        {
            return new LevelChange { From = o.Enum<EmergencyLevel>("from"), To = o.Enum<EmergencyLevel>("to"), By = o.Str("by"), At = o.Instant("at"), Reason = o.Str("reason") };
        }
    }

    /// <summary>A media statement, released (and so approved) by the commanding level.</summary>
    public sealed class MediaStatement
    {
        public string By { get; private set; }
        /// <summary>In which commanding role.</summary>
        public Role Role { get; private set; }
        public DateTimeOffset At { get; private set; }
        public string Text { get; private set; }

        internal static MediaStatement Read(Reader o)
        {
            return new MediaStatement { By = o.Str("by"), Role = o.Enum<Role>("role"), At = o.Instant("at"), Text = o.Str("text") };
        }
    }

    /// <summary>The post-event review.</summary>
    public sealed class EmergencyReview
    {
        public string By { get; private set; }
        public DateTimeOffset At { get; private set; }
        /// <summary>What was learnt.</summary>
        public string Summary { get; private set; }

        internal static EmergencyReview Read(Reader o)
        {
            return new EmergencyReview { By = o.Str("by"), At = o.Instant("at"), Summary = o.Str("summary") };
        }
    }

    /// <summary>The facts the tier and the emergency triggers read (docs/policy.md §3.3, §7): the case's
    /// <c>facts</c> (learnt after intake) and the input of <see cref="Command.UpdateFacts"/>. A null member is a
    /// fact not given: <c>new Facts(mediaAttention: true)</c>.</summary>
    public sealed class Facts
    {
        public bool? SafetyHazard { get; private set; }
        /// <summary>The main (load-bearing) structure is concerned.</summary>
        public bool? MainStructure { get; private set; }
        public long? Injuries { get; private set; }
        public long? HouseholdsAffected { get; private set; }
        /// <summary>The estimated loss in whole yuan.</summary>
        public long? EstimatedLossCny { get; private set; }
        public bool? LegalActionThreatened { get; private set; }
        /// <summary>The media or the public online took notice.</summary>
        public bool? MediaAttention { get; private set; }
        /// <summary>The problem blocks delivery or moving in.</summary>
        public bool? DeliveryBlocked { get; private set; }

        public Facts(bool? safetyHazard = null, bool? mainStructure = null, long? injuries = null, long? householdsAffected = null,
            long? estimatedLossCny = null, bool? legalActionThreatened = null, bool? mediaAttention = null, bool? deliveryBlocked = null)
        {
            SafetyHazard = safetyHazard; MainStructure = mainStructure; Injuries = injuries; HouseholdsAffected = householdsAffected;
            EstimatedLossCny = estimatedLossCny; LegalActionThreatened = legalActionThreatened; MediaAttention = mediaAttention; DeliveryBlocked = deliveryBlocked;
        }

        internal JsonBuilder ToJson()
        {
            return new JsonBuilder().Put("safety_hazard", SafetyHazard).Put("main_structure", MainStructure).Put("injuries", Injuries)
                .Put("households_affected", HouseholdsAffected).Put("estimated_loss_cny", EstimatedLossCny)
                .Put("legal_action_threatened", LegalActionThreatened).Put("media_attention", MediaAttention).Put("delivery_blocked", DeliveryBlocked);
        }

        internal static Facts Read(Reader o)
        {
            return new Facts(o.OptBool("safety_hazard"), o.OptBool("main_structure"), o.OptLong("injuries"), o.OptLong("households_affected"),
                o.OptLong("estimated_loss_cny"), o.OptBool("legal_action_threatened"), o.OptBool("media_attention"), o.OptBool("delivery_blocked"));
        }
    }

    /// <summary>Where the emergency drills stand (docs/policy.md §7): the answer to <c>DrillStatus</c>.</summary>
    public sealed class DrillStatus
    {
        /// <summary>The latest drill, or null when none was held.</summary>
        public DateTime? Last { get; private set; }
        /// <summary>When the next drill is due: the policy's interval after the start of the latest drill's day;
        /// "now" when no drill was held.</summary>
        public DateTimeOffset NextDue { get; private set; }
        /// <summary>True when no drill was held, or the next one is past due.</summary>
        public bool Overdue { get; private set; }
        /// <summary>Whole days past due (0 when not overdue, or when no drill was ever held).</summary>
        public long DaysOverdue { get; private set; }
        /// <summary>The policy's interval, such as <c>"365 calendar_days"</c>.</summary>
        public string Interval { get; private set; }
        public string Rule { get; private set; }

        internal static DrillStatus Read(Reader o)
        {
            return new DrillStatus { Last = o.OptDate("last"), NextDue = o.Instant("next_due"), Overdue = o.Bool("overdue"), DaysOverdue = o.Long("days_overdue"), Interval = o.Str("interval"), Rule = o.Str("rule") };
        }
    }
}
