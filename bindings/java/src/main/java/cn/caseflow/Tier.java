package cn.caseflow;

/** Problem tier (docs/policy.md §3.3): 1 is the most serious. Written as the number. */
public enum Tier {
    ONE(1), TWO(2), THREE(3);

    private final int number;

    Tier(int number) {
        this.number = number;
    }

    /** 1, 2 or 3. */
    public int number() {
        return number;
    }

    /** The tier numbered {@code number}. */
    public static Tier of(int number) {
        for (Tier t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException("a tier is 1, 2 or 3, not " + number);
    }
}
