package cn.caseflow;

import java.util.List;

/**
 * What {@link Caseflow#checkPolicy} reports about a policy file.
 *
 * @param valid true when the policy loads
 * @param errors every problem that prevents loading
 * @param warnings things that load but deserve a look
 */
public record PolicyCheck(boolean valid, List<Diagnostic> errors, List<Diagnostic> warnings) {
    static PolicyCheck read(Json.Obj o) {
        return new PolicyCheck(o.bool("valid"), o.diagnostics("errors"), o.diagnostics("warnings"));
    }
}
