package cn.caseflow;

/** The emergency level (docs/policy.md §5): I is the most serious. Written {@code "I"}, {@code "II"}, {@code "III"}. */
public enum EmergencyLevel implements Wire {
    I, II, III;

    @Override
    public String wire() {
        return name();
    }
}
