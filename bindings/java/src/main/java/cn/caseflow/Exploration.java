package cn.caseflow;

import java.util.List;

/**
 * How much of the workflow the policy analysis explored, over every opening case.
 *
 * @param states distinct case states visited, over every tier
 * @param transitions commands tried from them
 * @param edges commands the engine accepted (the edges of the state graph)
 * @param complete false when a search stopped at its bound (an {@code exploration_incomplete}
 *     finding says so)
 * @param openings the search from each opening case, in order: tiers 1, 2 and 3, then the
 *     provisional tier 1 of a policy with a model
 */
public record Exploration(long states, long transitions, long edges, boolean complete, List<OpeningExploration> openings) {
    static Exploration read(Json.Obj o) {
        return new Exploration(o.integer("states"), o.integer("transitions"), o.integer("edges"), o.bool("complete"),
                o.list("openings", OpeningExploration::read));
    }
}
