package cn.caseflow;

import com.sun.jna.ptr.PointerByReference;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** The library as a whole: its version, the policy check, live handles, instants. */
public final class Caseflow {
    private Caseflow() {}

    /** The library's version, such as {@code 0.1.0}. */
    public static String version() {
        return Strings.read(NativeLibrary.LIB.caseflow_version());
    }

    /** How many policy handles are live in the process (for leak checks). */
    public static long livePolicies() {
        return NativeLibrary.LIB.caseflow_policy_live_count();
    }

    /**
     * Checks a policy file: the report {@code {"valid", "errors", "warnings", "summary"?}} as JSON.
     * An invalid policy is a report with {@code "valid": false}, not an exception.
     */
    public static String check(String policyJson) {
        PointerByReference result = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = NativeLibrary.LIB.caseflow_policy_check(Strings.utf8(policyJson, "policyJson"), result, error);
        CaseflowException.throwIfFailed(status, error);
        return Strings.take(result.getValue());
    }

    /** Checks a policy file: an invalid policy is a report with {@code valid} false, not an exception. */
    public static PolicyCheck checkPolicy(String policyJson) {
        return PolicyCheck.read(Json.Obj.root(check(policyJson)));
    }

    /** An instant as RFC 3339 with seconds and its offset, as the engine reads it. */
    public static String instant(OffsetDateTime at) {
        return at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** An RFC 3339 instant written by the engine. */
    public static OffsetDateTime parseInstant(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
