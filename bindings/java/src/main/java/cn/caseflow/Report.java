package cn.caseflow;

import com.google.gson.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A report as intake took it (docs/policy.md §2), the input of {@code classify} and of the record
 * command. Build one with {@link #builder}, or take one the host already holds as JSON with
 * {@link #fromJson} (passed on unchanged; the engine checks it and names every bad field).
 */
public final class Report {
    private final String json;

    private Report(String json) {
        this.json = json;
    }

    /** A report written as JSON, passed to the engine as is. */
    public static Report fromJson(String json) {
        java.util.Objects.requireNonNull(json, "json");
        return new Report(json);
    }

    /** The report as JSON. */
    public String toJson() {
        return json;
    }

    @Override
    public String toString() {
        return json;
    }

    /** A report with the fields every report has; add the others on the builder. */
    public static Builder builder(String id, String project, Channel channel, String description,
            OffsetDateTime raisedAt, String location) {
        return new Builder(id, project, channel, description, raisedAt, location);
    }

    /** Builds a {@link Report}. */
    public static final class Builder {
        private final JsonObject o = new JsonObject();
        private final JsonObject contact = new JsonObject();

        private Builder(String id, String project, Channel channel, String description, OffsetDateTime raisedAt, String location) {
            Json.put(o, "id", id);
            Json.put(o, "project", project);
            Json.put(o, "channel", channel);
            Json.put(o, "description", description);
            Json.put(o, "raised_at", raisedAt);
            Json.put(o, "location", location);
            o.add("contact", contact);
        }

        /** The customer's name. */
        public Builder contactName(String name) {
            Json.put(contact, "name", name);
            return this;
        }

        /** The customer's phone. */
        public Builder contactPhone(String phone) {
            Json.put(contact, "phone", phone);
            return this;
        }

        /** The customer's email. */
        public Builder contactEmail(String email) {
            Json.put(contact, "email", email);
            return this;
        }

        /** The clerk's category; the engine keeps it and says when it would choose differently. */
        public Builder category(Category category) {
            Json.put(o, "category", category);
            return this;
        }

        /** The element the clerk named, for the warranty. */
        public Builder element(WarrantyElement element) {
            Json.put(o, "element", element);
            return this;
        }

        /** When the company received it, if later than raised. */
        public Builder receivedAt(OffsetDateTime receivedAt) {
            Json.put(o, "received_at", receivedAt);
            return this;
        }

        /** What is known of the project, for the warranty. */
        public Builder projectFacts(ProjectFacts facts) {
            o.add("project_facts", facts.toJson());
            return this;
        }

        /** A fact of the report (docs/policy.md §3.3), such as {@code safety_hazard} true or {@code injuries} 2. */
        public Builder fact(String name, Object value) {
            JsonObject facts = o.has("facts") ? o.getAsJsonObject("facts") : new JsonObject();
            Json.put(facts, name, value);
            o.add("facts", facts);
            return this;
        }

        public Report build() {
            return new Report(Json.write(o));
        }
    }
}
