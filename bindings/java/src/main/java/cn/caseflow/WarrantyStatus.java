package cn.caseflow;

/** Whether a report is under warranty (docs/policy.md §1.1). */
public enum WarrantyStatus implements Wire {
    WITHIN, EXPIRED, UNKNOWN
}
