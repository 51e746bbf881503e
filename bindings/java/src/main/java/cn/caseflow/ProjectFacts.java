package cn.caseflow;

import com.google.gson.JsonObject;
import java.time.LocalDate;

/**
 * What is known of a project, for the warranty (docs/policy.md §1.1).
 *
 * @param acceptedOn the completion acceptance, or null when not yet accepted
 * @param startedOn when the works started, or null
 * @param designServiceLifeYears the project's design service life, or null for the policy's
 */
public record ProjectFacts(LocalDate acceptedOn, LocalDate startedOn, Integer designServiceLifeYears) {
    /** A project accepted on {@code acceptedOn}. */
    public static ProjectFacts acceptedOn(LocalDate acceptedOn) {
        return new ProjectFacts(acceptedOn, null, null);
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        Json.put(o, "accepted_on", acceptedOn);
        Json.put(o, "started_on", startedOn);
        Json.put(o, "design_service_life_years", designServiceLifeYears);
        return o;
    }
}
