package cn.caseflow;

import com.sun.jna.ptr.PointerByReference;
import java.util.List;

/**
 * A call refused by caseflow: the status, its code ({@code invalid_report}, {@code refused}...),
 * the path of the first problem, every problem, and the error body as JSON. Unchecked, like
 * {@link IllegalArgumentException}: a refusal is the caller's input, named precisely.
 */
public class CaseflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final String code;
    private final transient List<Diagnostic> errors;
    private final String errorJson;

    CaseflowException(Status status, String code, String message, List<Diagnostic> errors, String errorJson) {
        super(message);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.errorJson = errorJson;
    }

    /** The status the library returned. */
    public Status status() {
        return status;
    }

    /** The error's code, which is the status's name: {@code invalid_report}, {@code refused}... */
    public String code() {
        return code;
    }

    /** The JSON path of the first problem ({@code $.location}), or the parameter at fault. */
    public String path() {
        return errors.isEmpty() ? "$" : errors.get(0).path();
    }

    /** Every problem, in the order the engine found them. */
    public List<Diagnostic> errors() {
        return errors;
    }

    /** The error body as the library wrote it. */
    public String errorJson() {
        return errorJson;
    }

    /** Throws for a failed status, reading (and freeing) the error body when there is one. */
    static void throwIfFailed(int status, PointerByReference error) {
        String body = Strings.take(error.getValue());
        if (status == Status.OK.code()) {
            return;
        }
        String name = Strings.read(NativeLibrary.LIB.caseflow_status_name(status));
        if (body == null) {
            throw new CaseflowException(Status.of(status), name, name, List.of(), null);
        }
        Json.Obj json = Json.Obj.root(body);
        throw new CaseflowException(Status.of(status), json.str("code"), json.str("message"), json.diagnostics("errors"), body);
    }
}
