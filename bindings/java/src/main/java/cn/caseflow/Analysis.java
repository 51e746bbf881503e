package cn.caseflow;

import java.util.List;

/**
 * The answer to {@code analyze_policy} (issue 14, docs/analysis.md): what the workflow checks and
 * the rule checks found in the policy, and how much of the workflow was explored.
 *
 * @param findings the findings, errors first, then by path; none for a sound policy
 * @param workflow how much of the workflow was explored
 */
public record Analysis(List<PolicyFinding> findings, Exploration workflow) {
    static Analysis read(Json.Obj o) {
        return new Analysis(o.list("findings", PolicyFinding::read), Exploration.read(o.obj("workflow")));
    }
}
