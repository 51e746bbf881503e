using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Caseflow
{
    /// <summary>Problem category (docs/policy.md §3.1).</summary>
    public enum Category { Technical, Schedule, Quality, Service, Other }

    /// <summary>Problem tier (docs/policy.md §3.3): 1 is the most serious. Written as the number.</summary>
    public enum Tier { One = 1, Two = 2, Three = 3 }

    /// <summary>The emergency level (docs/policy.md §5): I is the most serious. Written <c>"I"</c>, <c>"II"</c>, <c>"III"</c>.</summary>
    public enum EmergencyLevel { I, II, III }

    /// <summary>How a report reached the company (docs/policy.md §2).</summary>
    public enum Channel { OnSite, Phone, Written, Online }

    /// <summary>A role in the lifecycle (docs/policy.md §4.1).</summary>
    public enum Role
    {
        IntakeClerk, ProjectLeader, TechnicalLead, Foreman, SiteManager, ProjectManager, CompanyExpert,
        CompanyLeadership, TechnicalDept, QualityDept, Customer,
    }

    /// <summary>Where a case stands (docs/policy.md §4).</summary>
    public enum CaseState
    {
        Recorded, Planning, AwaitingApproval, InProgress, AwaitingVerification, Verified, AwaitingConfirmation,
        OnHold, Closed, Withdrawn,
    }

    /// <summary>The named clocks of a case (docs/policy.md §4, §5.3), and the emergency's (§7): one emergency
    /// action's clock (<c>emergency_action</c>; its reminders and escalations name the action) and the post-event
    /// review's (<c>emergency_review</c>).</summary>
    public enum ClockKind
    {
        ContactCustomer, Commitment, Plan, Approval, ProgressUpdate, Verification, CustomerReply, TierReview,
        EmergencyAction, EmergencyReview,
    }

    /// <summary>What became of an emergency action (docs/policy.md §7).</summary>
    public enum OutcomeType { Done, Waived }

    /// <summary>Where a clock stands at an instant.</summary>
    public enum ClockState { Running, AtRisk, Breached, Met, Paused }

    /// <summary>Whether a report is under warranty (docs/policy.md §1.1).</summary>
    public enum WarrantyStatus { Within, Expired, Unknown }

    /// <summary>A part of the works with its own warranty period (docs/policy.md §1.1).</summary>
    public enum WarrantyElement { FoundationsAndStructure, Waterproofing, Heating, Cooling, Installations, Decoration, Other }

    /// <summary>How a warranty answer was reached.</summary>
    public enum WarrantyBasis { NotAccepted, Clerk, Rules, EveryElement, Undetermined }

    /// <summary>The names of enum values on the wire: <c>ProjectLeader</c> is <c>project_leader</c>, an
    /// <see cref="EmergencyLevel"/> is its name, a <see cref="Tier"/> its number. Adding a value the engine
    /// gains is adding the member.</summary>
    public static class Wire
    {
        /// <summary>The value as the JSON API writes it.</summary>
        public static string Name(Enum value)
        {
            if (value is Tier) return ((int)(Tier)value).ToString(CultureInfo.InvariantCulture);
            string name = value.ToString();
            if (value is EmergencyLevel) return name;
            var sb = new StringBuilder();
            for (int i = 0; i < name.Length; i++)
            {
                if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(name[i]));
            }
            return sb.ToString();
        }

        /// <summary>The member written <paramref name="text"/>; an unknown value throws
        /// <see cref="FormatException"/> naming the values known.</summary>
        public static T Parse<T>(string text) where T : struct
        {
            return Parse<T>(text, "value");
        }

        internal static T Parse<T>(string text, string path) where T : struct
        {
            var known = new List<string>();
            foreach (T value in Enum.GetValues(typeof(T)))
            {
                string name = Name((Enum)(object)value);
                if (name == text) return value;
                known.Add(name);
            }
            throw Reader.Unexpected(path, "unknown " + typeof(T).Name + " `" + text + "`, expected one of: " + string.Join(", ", known));
        }
    }
}
