package cn.caseflow;

/** A role in the lifecycle (docs/policy.md §4.1). */
public enum Role implements Wire {
    INTAKE_CLERK, PROJECT_LEADER, TECHNICAL_LEAD, FOREMAN, SITE_MANAGER, PROJECT_MANAGER, COMPANY_EXPERT, COMPANY_LEADERSHIP, TECHNICAL_DEPT, QUALITY_DEPT, CUSTOMER
}
