package cn.caseflow;

/** Where a case stands (docs/policy.md §4). */
public enum CaseState implements Wire {
    RECORDED, PLANNING, AWAITING_APPROVAL, IN_PROGRESS, AWAITING_VERIFICATION, VERIFIED, AWAITING_CONFIRMATION, ON_HOLD, CLOSED, WITHDRAWN
}
