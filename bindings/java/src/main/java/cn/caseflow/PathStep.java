package cn.caseflow;

import java.util.List;

/**
 * One command on a counterexample path of the policy analysis.
 *
 * @param command the command's type, such as {@code approve_plan}
 * @param by the roles of the actor who issued it
 * @param state the case's state after it
 * @param inputJson the command exactly as given to the engine (its {@code type}, {@code actor} and
 *     payload), as JSON text: {@link Command#fromJson} takes it, and the path replays through
 *     {@code record} and {@code apply} (every step given at the report's receipt)
 */
public record PathStep(String command, List<Role> by, CaseState state, String inputJson) {
    static PathStep read(Json.Obj o) {
        return new PathStep(o.str("command"), o.enums("by", Role.class), o.enumOf("state", CaseState.class), o.text("input"));
    }
}
