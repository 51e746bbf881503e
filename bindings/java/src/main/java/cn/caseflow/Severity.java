package cn.caseflow;

/** How serious a finding of the policy analysis is. */
public enum Severity implements Wire {
    /** The policy breaks a rule the company's policy demands. */
    ERROR,
    /** It deserves a look. */
    WARNING
}
