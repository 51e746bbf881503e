package cn.caseflow;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The exports of libcaseflow (ffi/include/caseflow.h) as a JNA interface. Text goes in as
 * NUL-terminated UTF-8 {@code byte[]} (see {@link Strings#utf8}); strings come back through
 * {@link PointerByReference} and are freed by {@link Strings#take}. Statuses are {@code uint32_t},
 * read as {@code int} (every value is below 2^31).
 */
interface NativeLibrary extends Library {
    NativeLibrary LIB = Native.load("caseflow", NativeLibrary.class);

    /** One call export: policy, input, result, error. */
    @FunctionalInterface
    interface CallFn {
        int call(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);
    }

    Pointer caseflow_version();

    Pointer caseflow_status_name(int status);

    void caseflow_string_free(Pointer text);

    int caseflow_policy_new_default(PointerByReference policy, PointerByReference error);

    int caseflow_policy_new_from_json(byte[] policyJson, PointerByReference policy, PointerByReference error);

    int caseflow_policy_free(Pointer policy);

    /** {@code size_t}: 64 bits on the 64-bit platforms this binding is built for. */
    long caseflow_policy_live_count();

    int caseflow_policy_check(byte[] policyJson, PointerByReference result, PointerByReference error);

    int caseflow_call(Pointer policy, byte[] call, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_classify(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_deadline(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_calendar_days(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_clock_status(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_record(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_apply(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_tick(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_replay(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_verify_log(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_warranty(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_drill_status(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_assess(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_merge_assessments(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_spot_check(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_audit(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_analyze_policy(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    int caseflow_diff_policies(Pointer policy, byte[] inputJson, PointerByReference result, PointerByReference error);

    /** Only in a library built with the cargo feature {@code test-panic}. */
    int caseflow_test_panic(PointerByReference error);
}
