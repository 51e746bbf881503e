package cn.caseflow;

/**
 * The search from one opening case: a case recorded at a tier, provisional or not.
 *
 * @param tier the tier the case opened at
 * @param provisional true for the provisional tier 1 awaiting the model's review
 * @param states distinct case states visited
 * @param transitions commands tried
 * @param edges commands accepted
 * @param bound the bound on distinct states (from the size of the policy)
 * @param complete false when the search stopped at the bound
 */
public record OpeningExploration(Tier tier, boolean provisional, long states, long transitions, long edges, long bound, boolean complete) {
    static OpeningExploration read(Json.Obj o) {
        return new OpeningExploration(o.tier("tier"), o.bool("provisional"), o.integer("states"), o.integer("transitions"), o.integer("edges"),
                o.integer("bound"), o.bool("complete"));
    }
}
