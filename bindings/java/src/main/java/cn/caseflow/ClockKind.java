package cn.caseflow;

/** The named clocks of a case (docs/policy.md §4,  §5.3). */
public enum ClockKind implements Wire {
    CONTACT_CUSTOMER, COMMITMENT, PLAN, APPROVAL, PROGRESS_UPDATE, VERIFICATION, CUSTOMER_REPLY, TIER_REVIEW
}
