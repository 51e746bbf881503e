package cn.caseflow;

/**
 * One problem in an input, or a warning in an answer.
 *
 * @param code a stable machine-readable code such as {@code missing_field}
 * @param path the JSON path of the offending value, such as {@code $.contact.phone}, or for a
 *     calling-contract error the name of the parameter at fault
 * @param message what is wrong, in plain words
 */
public record Diagnostic(String code, String path, String message) {
    static Diagnostic read(Json.Obj o) {
        return new Diagnostic(o.str("code"), o.str("path"), o.str("message"));
    }
}
