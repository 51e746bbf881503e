package cn.caseflow;

/** The status codes of libcaseflow: stable numbers, never renumbered (see caseflow.h). */
public enum Status {
    OK(0),
    NULL_ARGUMENT(100),
    INVALID_UTF8(101),
    INVALID_HANDLE(102),
    INVALID_JSON(200),
    INVALID_POLICY(201),
    INVALID_REPORT(202),
    INVALID_INPUT(203),
    CALENDAR_NOT_COVERED(204),
    REFUSED(300),
    CORRUPT_LOG(301),
    INTERNAL(900),
    PANIC(901);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The number the library returns. */
    public int code() {
        return code;
    }

    /** The status for a number; {@code INTERNAL} for a number this binding does not know. */
    public static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return INTERNAL;
    }
}
