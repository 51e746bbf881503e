package cn.caseflow;

import java.util.List;

/**
 * One thing the policy analysis found, with the JSON path of the policy member it concerns (named
 * so beside the audit's {@link Finding}).
 *
 * @param code a stable code listed in docs/errors.md, such as {@code unreachable_state} or
 *     {@code tier1_path_skips_approval}: a string, since the list grows with the checks
 * @param severity error or warning
 * @param path JSON path of the policy member at fault, such as {@code $.tiers.1.plan.approved_by}
 * @param message what is wrong, in plain words
 * @param tier the tier the finding holds for, when it is about one tier's workflow; else null
 * @param counterexample the shortest path of commands that shows it, from the case's recording
 *     (empty when the finding is not about a path)
 */
public record PolicyFinding(String code, Severity severity, String path, String message, Tier tier, List<PathStep> counterexample) {
    static PolicyFinding read(Json.Obj o) {
        return new PolicyFinding(o.str("code"), o.enumOf("severity", Severity.class), o.str("path"), o.str("message"), o.optTier("tier"),
                o.list("counterexample", PathStep::read));
    }
}
