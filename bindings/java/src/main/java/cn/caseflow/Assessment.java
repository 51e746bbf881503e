package cn.caseflow;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code assess} and {@code mergeAssessments}: the supervision figures over a set of
 * cases (docs/policy.md §6), overall and by project, category, tier and channel, with the cases
 * left out. A mergeable summary: pass summaries of disjoint case sets (one period, {@code now} and
 * policy) to {@link Policy#mergeAssessments}, which sends each {@link #json()} as the engine wrote it.
 *
 * @param period the dates covered
 * @param now the instant open cases were judged at
 * @param policy the policy the cases were replayed under
 * @param cases cases read, counted and left out
 * @param overall the figures of every counted case
 * @param byProject by project id
 * @param byCategory by the case's current category
 * @param byTier by the case's current tier
 * @param byChannel by the channel the report came in by
 * @param leftOut the cases left out, one {@code bad_log} finding each
 * @param json the summary, as the engine wrote it
 */
public record Assessment(
        Period period,
        OffsetDateTime now,
        PolicyRef policy,
        CaseCounts cases,
        Figures overall,
        Map<String, Figures> byProject,
        Map<Category, Figures> byCategory,
        Map<Tier, Figures> byTier,
        Map<Channel, Figures> byChannel,
        List<Finding> leftOut,
        String json) {
    /** A stored summary (an earlier answer of {@code assess}); its typed fields are checked. */
    public static Assessment fromJson(String json) {
        return read(Json.Obj.root(json), json);
    }

    /**
     * The dates a summary covers: cases received from {@code from} to {@code to}, both included.
     *
     * @param from the first date
     * @param to the last date, included
     */
    public record Period(LocalDate from, LocalDate to) {}

    /**
     * The policy cases were replayed under.
     *
     * @param name the policy's name
     * @param version its version label
     * @param model the learned model it carried, or null
     */
    public record PolicyRef(String name, String version, Model model) {
        /**
         * A learned model, by name and hash.
         *
         * @param name the model's name
         * @param sha256 its SHA-256
         */
        public record Model(String name, String sha256) {}

        static PolicyRef read(Json.Obj o) {
            Json.Obj m = o.optObj("model");
            return new PolicyRef(o.str("name"), o.str("version"), m == null ? null : new Model(m.str("name"), m.str("sha256")));
        }
    }

    /**
     * How many cases a summary read, counted and left out.
     *
     * @param read every case given
     * @param counted the cases in the figures: read, replayed, and received in the period
     * @param outsidePeriod cases read well but received outside the period
     * @param leftOut cases whose log did not replay, not counted
     */
    public record CaseCounts(long read, long counted, long outsidePeriod, long leftOut) {}

    /**
     * One figure, a share of cases (the engine's {@code Ratio}): {@code numerator} of
     * {@code denominator}, and their {@code ratio} (null when the denominator is 0).
     *
     * @param numerator the cases that meet the figure
     * @param denominator the cases it is taken over
     * @param ratio their quotient, in [0, 1], or null when the denominator is 0
     */
    public record Figure(long numerator, long denominator, Double ratio) {
        static Figure read(Json.Obj o) {
            return new Figure(o.integer("numerator"), o.integer("denominator"), o.opt("ratio") == null ? null : o.number("ratio"));
        }
    }

    /**
     * A mean: {@code sum} over {@code count}.
     *
     * @param sum the sum of the values
     * @param count how many values
     * @param mean their quotient, or null when the count is 0
     */
    public record Mean(long sum, long count, Double mean) {
        static Mean read(Json.Obj o) {
            return new Mean(o.integer("sum"), o.integer("count"), o.opt("mean") == null ? null : o.number("mean"));
        }
    }

    /**
     * The satisfaction scores (1 to 5) given with the signed confirmations of closed cases (§4.6).
     *
     * @param histogram how many closed cases scored 1, 2, 3, 4 and 5 (in that order)
     * @param mean the mean score
     * @param fourOrFive the cases scored 4 or 5, over the cases scored
     */
    public record Satisfaction(List<Long> histogram, Mean mean, Figure fourOrFive) {
        static Satisfaction read(Json.Obj o) {
            return new Satisfaction(o.integers("histogram"), Mean.read(o.obj("mean")), Figure.read(o.obj("four_or_five")));
        }
    }

    /**
     * The breaches of one clock.
     *
     * @param breaches breaches on record (a clock that restarts may breach more than once per case)
     * @param cases cases with at least one
     */
    public record BreachCount(long breaches, long cases) {}

    /**
     * The cases recorded as emergencies (§7).
     *
     * @param byLevel how many, by their current level
     * @param actionsOnTime the mandated actions and status updates done by their due instant, over
     *     those done and those still open past their due instant at {@code now}
     * @param reviewsOnTime the post-event reviews filed by their due instant, over those filed and
     *     those past due at {@code now} unfiled
     */
    public record Emergencies(Map<EmergencyLevel, Long> byLevel, Figure actionsOnTime, Figure reviewsOnTime) {
        static Emergencies read(Json.Obj o) {
            return new Emergencies(o.map("by_level", Json.Obj.wireKey(EmergencyLevel.class), Json.Obj::integer),
                    Figure.read(o.obj("actions_on_time")), Figure.read(o.obj("reviews_on_time")));
        }
    }

    /**
     * The figures of a group of cases (docs/policy.md §6 defines each).
     *
     * @param cases the cases counted
     * @param closed closed with the customer's signed confirmation
     * @param withdrawn withdrawn
     * @param contactedInTime customer contacted within the tier's contact deadline (§4.2)
     * @param resolvedByCommitment work verified by the committed deadline (§4.2)
     * @param firstRoundSatisfied closed on the customer's first answer, over closed cases (§4.6)
     * @param satisfaction the scores of the signed confirmations (§4.6)
     * @param reopened rejected by the customer at least once, over cases with an answer (§4.6)
     * @param breaches breaches on record, per clock (§5.3)
     * @param casesWithBreach cases with a breach of the team's, over all cases
     * @param openOverdue open cases with a running clock past due at {@code now}, over open cases
     * @param emergencies emergencies (§7)
     */
    public record Figures(
            long cases,
            long closed,
            long withdrawn,
            Figure contactedInTime,
            Figure resolvedByCommitment,
            Figure firstRoundSatisfied,
            Satisfaction satisfaction,
            Figure reopened,
            Map<ClockKind, BreachCount> breaches,
            Figure casesWithBreach,
            Figure openOverdue,
            Emergencies emergencies) {
        static Figures read(Json.Obj o) {
            return new Figures(
                    o.integer("cases"),
                    o.integer("closed"),
                    o.integer("withdrawn"),
                    Figure.read(o.obj("contacted_in_time")),
                    Figure.read(o.obj("resolved_by_commitment")),
                    Figure.read(o.obj("first_round_satisfied")),
                    Satisfaction.read(o.obj("satisfaction")),
                    Figure.read(o.obj("reopened")),
                    o.map("breaches", Json.Obj.wireKey(ClockKind.class),
                            (m, key) -> new BreachCount(m.obj(key).integer("breaches"), m.obj(key).integer("cases"))),
                    Figure.read(o.obj("cases_with_breach")),
                    Figure.read(o.obj("open_overdue")),
                    Emergencies.read(o.obj("emergencies")));
        }

        static Map<String, Figures> group(Json.Obj o, String key) {
            return o.map(key, (k, path) -> k, (m, k) -> read(m.obj(k)));
        }
    }

    static Assessment read(Json.Obj o, String json) {
        Json.Obj period = o.obj("period");
        Json.Obj counts = o.obj("cases");
        return new Assessment(
                new Period(period.date("from"), period.date("to")),
                o.instant("now"),
                PolicyRef.read(o.obj("policy")),
                new CaseCounts(counts.integer("read"), counts.integer("counted"), counts.integer("outside_period"), counts.integer("left_out")),
                Figures.read(o.obj("overall")),
                Figures.group(o, "by_project"),
                o.map("by_category", Json.Obj.wireKey(Category.class), (m, k) -> Figures.read(m.obj(k))),
                o.map("by_tier", Json.Obj::tierKey, (m, k) -> Figures.read(m.obj(k))),
                o.map("by_channel", Json.Obj.wireKey(Channel.class), (m, k) -> Figures.read(m.obj(k))),
                o.list("left_out", Finding::read),
                json);
    }
}
