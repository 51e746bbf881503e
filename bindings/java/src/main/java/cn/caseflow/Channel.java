package cn.caseflow;

/** How a report reached the company (docs/policy.md §2). */
public enum Channel implements Wire {
    ON_SITE, PHONE, WRITTEN, ONLINE
}
