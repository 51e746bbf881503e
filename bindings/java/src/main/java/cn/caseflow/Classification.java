package cn.caseflow;

import java.util.List;

/**
 * The answer to {@code classify}: category, tier and emergency level of one report, the warranty
 * answer, routing and warnings. {@link #explanationJson()} and {@link #routingJson()} carry the
 * rule-by-rule explanation and the routing as the engine wrote them.
 *
 * @param reportId the report's id, echoed
 * @param category the category the engine chose (the clerk's, when the report named one)
 * @param tier the tier
 * @param emergency the emergency level, or null when the report is not an emergency
 * @param review set when the tier is provisional (tier 1 until a person answers with
 *     {@link Command.ReviewTier}); else null
 * @param warranty whether the report is under warranty, or null when the policy has no warranty periods
 * @param serviceRequest set when the report is outside warranty: handled as a service request; else null
 * @param warnings warnings, such as a deadline in a year the calendar does not cover
 * @param explanationJson why, as JSON
 * @param routingJson who drafts, approves and verifies, and the deadlines, as JSON
 * @param json the whole answer as JSON
 */
public record Classification(
        String reportId,
        Category category,
        Tier tier,
        EmergencyLevel emergency,
        Review review,
        Warranty warranty,
        ServiceRequest serviceRequest,
        List<Diagnostic> warnings,
        String explanationJson,
        String routingJson,
        String json) {
    /**
     * Why a case is a service request rather than a warranty repair (docs/policy.md §1.1).
     *
     * @param reason the warranty answer in words
     * @param rule the policy rule behind it, as a JSON path
     */
    public record ServiceRequest(String reason, String rule) {
        static ServiceRequest read(Json.Obj o) {
            return new ServiceRequest(o.str("reason"), o.str("rule"));
        }
    }

    /**
     * Why a tier is provisional: the learned model's probability of tier 1 reached the policy's
     * review threshold.
     *
     * @param reason why ({@code model_tier_1})
     * @param tier1Probability the model's probability of tier 1
     * @param threshold the policy's review threshold
     * @param assessedTier the tier a person may lower it to
     */
    public record Review(String reason, double tier1Probability, double threshold, Tier assessedTier) {
        static Review read(Json.Obj o) {
            return new Review(o.str("reason"), o.number("tier_1_probability"), o.number("threshold"), o.tier("assessed_tier"));
        }
    }

    static Classification read(String text) {
        Json.Obj o = Json.Obj.root(text);
        Json.Obj routing = o.obj("routing");
        Json.Obj warranty = o.optObj("warranty");
        return new Classification(
                o.str("report_id"),
                o.enumOf("category", Category.class),
                o.tier("tier"),
                o.optEnum("emergency", EmergencyLevel.class),
                o.optObj("review") == null ? null : Review.read(o.obj("review")),
                warranty == null ? null : Warranty.read(warranty),
                routing.optObj("service_request") == null ? null : ServiceRequest.read(routing.obj("service_request")),
                o.diagnostics("warnings"),
                o.text("explanation"),
                o.text("routing"),
                text);
    }
}
