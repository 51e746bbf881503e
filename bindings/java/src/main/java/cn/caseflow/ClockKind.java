package cn.caseflow;

/**
 * The named clocks of a case (docs/policy.md §4, §5.3), and the emergency's (§7): one emergency
 * action's clock ({@code emergency_action}, its reminders and escalations name the action) and the
 * post-event review's ({@code emergency_review}).
 */
public enum ClockKind implements Wire {
    CONTACT_CUSTOMER, COMMITMENT, PLAN, APPROVAL, PROGRESS_UPDATE, VERIFICATION, CUSTOMER_REPLY, TIER_REVIEW,
    EMERGENCY_ACTION, EMERGENCY_REVIEW
}
