package cn.caseflow;

import com.google.gson.JsonObject;

/**
 * The facts of a report that the tier and the emergency triggers read (docs/policy.md §3.3, §7):
 * the case's {@code facts} (those learnt after intake) and the input of {@link Command.UpdateFacts}.
 * A null member is a fact not given; build one with {@link #builder()}.
 *
 * @param safetyHazard a safety hazard
 * @param mainStructure the main structure is affected
 * @param injuries how many people are injured
 * @param householdsAffected how many households are affected
 * @param estimatedLossCny the estimated loss in yuan
 * @param legalActionThreatened legal action is threatened
 * @param mediaAttention the media or the public online took notice
 * @param deliveryBlocked the problem blocks delivery or moving in
 */
public record Facts(
        Boolean safetyHazard,
        Boolean mainStructure,
        Long injuries,
        Long householdsAffected,
        Long estimatedLossCny,
        Boolean legalActionThreatened,
        Boolean mediaAttention,
        Boolean deliveryBlocked) {
    /** No facts given; set some on the builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Facts}; each setter gives one fact. */
    public static final class Builder {
        private Boolean safetyHazard;
        private Boolean mainStructure;
        private Long injuries;
        private Long householdsAffected;
        private Long estimatedLossCny;
        private Boolean legalActionThreatened;
        private Boolean mediaAttention;
        private Boolean deliveryBlocked;

        private Builder() {}

        public Builder safetyHazard(boolean value) {
            safetyHazard = value;
            return this;
        }

        public Builder mainStructure(boolean value) {
            mainStructure = value;
            return this;
        }

        public Builder injuries(long value) {
            injuries = value;
            return this;
        }

        public Builder householdsAffected(long value) {
            householdsAffected = value;
            return this;
        }

        public Builder estimatedLossCny(long value) {
            estimatedLossCny = value;
            return this;
        }

        public Builder legalActionThreatened(boolean value) {
            legalActionThreatened = value;
            return this;
        }

        public Builder mediaAttention(boolean value) {
            mediaAttention = value;
            return this;
        }

        public Builder deliveryBlocked(boolean value) {
            deliveryBlocked = value;
            return this;
        }

        public Facts build() {
            return new Facts(safetyHazard, mainStructure, injuries, householdsAffected, estimatedLossCny,
                    legalActionThreatened, mediaAttention, deliveryBlocked);
        }
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        Json.put(o, "safety_hazard", safetyHazard);
        Json.put(o, "main_structure", mainStructure);
        Json.put(o, "injuries", injuries);
        Json.put(o, "households_affected", householdsAffected);
        Json.put(o, "estimated_loss_cny", estimatedLossCny);
        Json.put(o, "legal_action_threatened", legalActionThreatened);
        Json.put(o, "media_attention", mediaAttention);
        Json.put(o, "delivery_blocked", deliveryBlocked);
        return o;
    }

    static Facts read(Json.Obj o) {
        return new Facts(o.optBool("safety_hazard"), o.optBool("main_structure"), o.optInteger("injuries"),
                o.optInteger("households_affected"), o.optInteger("estimated_loss_cny"), o.optBool("legal_action_threatened"),
                o.optBool("media_attention"), o.optBool("delivery_blocked"));
    }
}
