package cn.caseflow;

/** Problem category (docs/policy.md §3.1). */
public enum Category implements Wire {
    TECHNICAL, SCHEDULE, QUALITY, SERVICE, OTHER
}
