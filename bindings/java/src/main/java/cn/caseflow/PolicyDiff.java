package cn.caseflow;

import java.util.List;
import java.util.Map;

/**
 * The answer to {@code diff_policies} (issue 14, docs/analysis.md): what changes from an older
 * policy to the one the call runs on, compared by meaning (rules by id, term and role lists as
 * sets, durations as parsed...), and the reports given that the two treat apart.
 *
 * @param changes the members whose meaning changed, in the order of the policy document
 * @param reports the reports treated apart, in the order they were given
 * @param counts how many changes of each kind, and how many reports changed in each respect
 */
public record PolicyDiff(List<Change> changes, List<ReportChange> reports, DiffCounts counts) {
    /** True when the two policies mean the same and treat every given report alike. */
    public boolean isEmpty() {
        return changes.isEmpty() && reports.isEmpty();
    }

    static PolicyDiff read(Json.Obj o) {
        return new PolicyDiff(o.list("changes", Change::read), o.list("reports", ReportChange::read), DiffCounts.read(o.obj("counts")));
    }

    /** Whether a policy member appeared, went, or changed its value. */
    public enum ChangeKind implements Wire {
        /** In the new policy only (for a set, such as a term list's words: the elements added). */
        ADDED,
        /** In the old policy only (for a set: the elements removed). */
        REMOVED,
        /** In both, with another value. */
        CHANGED
    }

    /** A respect in which a report is treated differently by the two policies. */
    public enum Aspect implements Wire {
        CATEGORY,
        TIER,
        /** Its emergency level (or whether it is an emergency). */
        EMERGENCY,
        /** Whether its tier is provisional (the model's review), and the review's figures. */
        REVIEW,
        /** Its routing: drafters, approvers, verifiers, records, deadlines, the emergency command, a service request. */
        ROUTING,
        /** Its warranty answer. */
        WARRANTY
    }

    /**
     * One difference of meaning between the two policies.
     *
     * @param kind added, removed or changed
     * @param path JSON path of the member in the new policy (in the old one when it was removed), such
     *     as {@code $.tiers.2.deadlines.contact}
     * @param oldPath JSON path of the member in the old policy when it sits elsewhere there (a rule
     *     that moved in its list); else null
     * @param oldJson the old value as JSON text (for a set: the elements removed); null when the
     *     member was added (a JSON null, such as no commitment cap, is the text {@code null})
     * @param newJson the new value as JSON text (for a set: the elements added); null when the member
     *     was removed
     * @param message the change in plain words
     */
    public record Change(ChangeKind kind, String path, String oldPath, String oldJson, String newJson, String message) {
        static Change read(Json.Obj o) {
            return new Change(o.enumOf("kind", ChangeKind.class), o.str("path"), o.optStr("old_path"), o.optText("old"), o.optText("new"),
                    o.str("message"));
        }
    }

    /**
     * A report the two policies treat differently, with both classifications and their explanations.
     *
     * @param index the report's position among those given, from 0
     * @param reportId the report's id
     * @param changed in which respects its treatment differs, in the order of {@link Aspect}
     * @param oldClassification its classification under the old policy (the JSON's {@code old}), with
     *     its explanation
     * @param newClassification its classification under the new policy (the JSON's {@code new})
     * @param routing the members of its routing and warranty answer that differ
     *     ({@code $.routing.…}, {@code $.warranty.…}; {@code $.error} when one policy could not route it)
     */
    public record ReportChange(long index, String reportId, List<Aspect> changed, ReportClassification oldClassification,
            ReportClassification newClassification,
            List<ValueChange> routing) {
        static ReportChange read(Json.Obj o) {
            return new ReportChange(o.integer("index"), o.str("report_id"), o.enums("changed", Aspect.class),
                    ReportClassification.read(o.obj("old"), o.text("old")), ReportClassification.read(o.obj("new"), o.text("new")),
                    o.list("routing", ValueChange::read));
        }
    }

    /**
     * A report's classification under one policy, with the rule-by-rule explanation (the engine's
     * classification, without the routing and warranty answer that {@link Classification} adds:
     * their differences are {@link ReportChange#routing}).
     *
     * @param category the category
     * @param tier the tier
     * @param emergency the emergency level, or null when the report is not an emergency
     * @param review set when the tier is provisional (the model's review); else null
     * @param explanationJson why, as JSON
     * @param json the whole classification as JSON
     */
    public record ReportClassification(Category category, Tier tier, EmergencyLevel emergency, Classification.Review review,
            String explanationJson, String json) {
        static ReportClassification read(Json.Obj o, String json) {
            return new ReportClassification(o.enumOf("category", Category.class), o.tier("tier"), o.optEnum("emergency", EmergencyLevel.class),
                    o.optObj("review") == null ? null : Classification.Review.read(o.obj("review")), o.text("explanation"), json);
        }
    }

    /**
     * One member of a report's routing or warranty answer that differs.
     *
     * @param path where, such as {@code $.routing.plan.approved_by} or {@code $.routing.deadlines.contact.due}
     * @param oldJson the value under the old policy, as JSON text ({@code null} when absent)
     * @param newJson the value under the new policy, as JSON text ({@code null} when absent)
     */
    public record ValueChange(String path, String oldJson, String newJson) {
        static ValueChange read(Json.Obj o) {
            return new ValueChange(o.str("path"), o.text("old"), o.text("new"));
        }
    }

    /**
     * Counts of the changes and of the reports treated apart.
     *
     * @param added changes of kind {@code added}
     * @param removed changes of kind {@code removed}
     * @param changed changes of kind {@code changed}
     * @param reports reports compared
     * @param reportsChanged reports treated apart in at least one respect
     * @param byAspect reports treated apart in each respect (a report may count under several)
     */
    public record DiffCounts(long added, long removed, long changed, long reports, long reportsChanged, Map<Aspect, Long> byAspect) {
        static DiffCounts read(Json.Obj o) {
            return new DiffCounts(o.integer("added"), o.integer("removed"), o.integer("changed"), o.integer("reports"), o.integer("reports_changed"),
                    o.map("by_aspect", Json.Obj.wireKey(Aspect.class), (m, k) -> m.integer(k)));
        }
    }
}
