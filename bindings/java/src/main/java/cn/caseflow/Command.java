package cn.caseflow;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A lifecycle command (docs/policy.md §4): who issues it and what it does. Each command is a record
 * whose {@link #toJson()} is one line; a command this binding does not model yet can be given
 * as JSON with {@link #fromJson}.
 */
public interface Command {
    /** The command as the JSON API reads it. */
    String toJson();

    /** A command written as JSON, passed to the engine as is. */
    static Command fromJson(String json) {
        java.util.Objects.requireNonNull(json, "json");
        return () -> json;
    }

    /** Opens a case for a report (the input of {@code record}). */
    record RecordReport(Actor actor, Report report) implements Command {
        public String toJson() {
            return of("record", actor, "report", Json.parse(report.toJson()));
        }
    }

    /** The project leader contacted the customer and commits a deadline (§4.2); {@code contactedAt} and {@code note} may be null. */
    record Accept(Actor actor, OffsetDateTime committedDeadline, OffsetDateTime contactedAt, String note) implements Command {
        public String toJson() {
            return of("accept", actor, "committed_deadline", committedDeadline, "contacted_at", contactedAt, "note", note);
        }
    }

    /** Changes the category or the tier (either may be null), with the reason (§3.2, §3.4). */
    record Reclassify(Actor actor, Category category, Tier tier, String reason) implements Command {
        public String toJson() {
            return of("reclassify", actor, "category", category, "tier", tier, "reason", reason);
        }
    }

    /** Submits the handling plan (§4.3). */
    record SubmitPlan(Actor actor, Plan plan) implements Command {
        public String toJson() {
            return of("submit_plan", actor, "plan", plan.toJson());
        }
    }

    /** Approves the plan. */
    record ApprovePlan(Actor actor, String note) implements Command {
        public String toJson() {
            return of("approve_plan", actor, "note", note);
        }
    }

    /** Rejects the plan, with the reasons for the drafters. */
    record RejectPlan(Actor actor, String reasons) implements Command {
        public String toJson() {
            return of("reject_plan", actor, "reasons", reasons);
        }
    }

    /** The customer was told of the progress. */
    record ReportProgress(Actor actor, String note) implements Command {
        public String toJson() {
            return of("report_progress", actor, "note", note);
        }
    }

    /** The work is done. */
    record CompleteWork(Actor actor, String note) implements Command {
        public String toJson() {
            return of("complete_work", actor, "note", note);
        }
    }

    /** A verification of the work (§4.5); {@code note}, {@code reportRef} and {@code role} may be null. */
    record Verify(Actor actor, boolean passed, String note, String reportRef, Role role) implements Command {
        public String toJson() {
            return of("verify", actor, "passed", passed, "note", note, "report_ref", reportRef, "role", role);
        }
    }

    /** The customer was asked to confirm. */
    record NotifyCustomer(Actor actor, String note) implements Command {
        public String toJson() {
            return of("notify_customer", actor, "note", note);
        }
    }

    /** The customer confirmed, with the signed form (§4.6). */
    record CustomerConfirm(Actor actor, int satisfaction, String signedFormRef, String note) implements Command {
        public String toJson() {
            return of("customer_confirm", actor, "satisfaction", satisfaction, "signed_form_ref", signedFormRef, "note", note);
        }
    }

    /** The customer is not satisfied; {@code satisfaction} may be null. */
    record CustomerReject(Actor actor, String reasons, Integer satisfaction) implements Command {
        public String toJson() {
            return of("customer_reject", actor, "reasons", reasons, "satisfaction", satisfaction);
        }
    }

    /** Puts the case on hold. */
    record Hold(Actor actor, String reason) implements Command {
        public String toJson() {
            return of("hold", actor, "reason", reason);
        }
    }

    /** Resumes a case on hold. */
    record Resume(Actor actor, String note) implements Command {
        public String toJson() {
            return of("resume", actor, "note", note);
        }
    }

    /**
     * Answers the model's review of a provisional tier 1: {@code tier} 1 confirms it, 2 or 3
     * lowers it (docs/policy.md §3.4; the roles of {@code lifecycle.lower_tier_1}).
     */
    record ReviewTier(Actor actor, Tier tier, String reason) implements Command {
        public String toJson() {
            return of("review_tier", actor, "tier", tier, "reason", reason);
        }
    }

    /** Withdraws the case (§4.7). */
    record Withdraw(Actor actor, String reason) implements Command {
        public String toJson() {
            return of("withdraw", actor, "reason", reason);
        }
    }

    // ---- The emergency plan (docs/policy.md §7): who may issue each is the policy's
    // (`emergency.levels`); a refusal names its code, such as `lower_level` or `actions_open`.

    /** Declares an emergency by hand at {@code level}, with the reason. */
    record DeclareEmergency(Actor actor, EmergencyLevel level, String reason) implements Command {
        public String toJson() {
            return of("declare_emergency", actor, "level", level, "reason", reason);
        }
    }

    /** Raises the emergency to a more serious {@code level} (never lower: refused {@code lower_level}). */
    record RaiseEmergency(Actor actor, EmergencyLevel level, String reason) implements Command {
        public String toJson() {
            return of("raise_emergency", actor, "level", level, "reason", reason);
        }
    }

    /** Marks a mandated emergency action done, such as {@code people_on_site}; {@code note} may be null. */
    record CompleteEmergencyAction(Actor actor, String action, String note) implements Command {
        public String toJson() {
            return of("complete_emergency_action", actor, "action", action, "note", note);
        }
    }

    /** Waives a mandated emergency action, with the reason: the commander only. */
    record WaiveEmergencyAction(Actor actor, String action, String reason) implements Command {
        public String toJson() {
            return of("waive_emergency_action", actor, "action", action, "reason", reason);
        }
    }

    /** Posts a status update to the commanding level; the next is due a cadence later. */
    record EmergencyStatusUpdate(Actor actor, String note) implements Command {
        public String toJson() {
            return of("emergency_status_update", actor, "note", note);
        }
    }

    /** Declares the emergency over: the commander only, every action done or waived; {@code note} may be null. */
    record EndEmergency(Actor actor, String note) implements Command {
        public String toJson() {
            return of("end_emergency", actor, "note", note);
        }
    }

    /** Files the post-event review, which closes the emergency record. */
    record FileEmergencyReview(Actor actor, String summary) implements Command {
        public String toJson() {
            return of("file_emergency_review", actor, "summary", summary);
        }
    }

    /** Releases a media statement: the commanding level's approval, so its role. */
    record ReleaseMediaStatement(Actor actor, String statement) implements Command {
        public String toJson() {
            return of("release_media_statement", actor, "statement", statement);
        }
    }

    /**
     * New facts learnt after intake (§3.3), merged over the report's (those not given keep their
     * value), with where they come from; a trigger that now holds declares or raises the emergency.
     */
    record UpdateFacts(Actor actor, Facts facts, String reason) implements Command {
        public String toJson() {
            return of("update_facts", actor, "facts", facts.toJson(), "reason", reason);
        }
    }

    /**
     * A handling plan (§4.3).
     *
     * @param measures the measures
     * @param responsible who is responsible, and for what (duty may be null)
     * @param milestones the milestones
     */
    record Plan(List<String> measures, List<Responsible> responsible, List<Milestone> milestones) {
        /** A person responsible; {@code duty} may be null. */
        public record Responsible(String name, String duty) {}

        /** A milestone. */
        public record Milestone(String description, OffsetDateTime due) {}

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.add("measures", Json.array(measures.stream().map(m -> (JsonElement) new com.google.gson.JsonPrimitive(m)).toList()));
            o.add("responsible", Json.array(responsible.stream().map(r -> {
                JsonObject p = new JsonObject();
                Json.put(p, "name", r.name());
                Json.put(p, "duty", r.duty());
                return p;
            }).toList()));
            o.add("milestones", Json.array(milestones.stream().map(m -> {
                JsonObject p = new JsonObject();
                Json.put(p, "description", m.description());
                Json.put(p, "due", m.due());
                return p;
            }).toList()));
            return o;
        }
    }

    /** {@code {"type": type, "actor": ..., key: value...}}, null values left out. */
    private static String of(String type, Actor actor, Object... fields) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.add("actor", actor.toJson());
        for (int k = 0; k < fields.length; k += 2) {
            Json.put(o, (String) fields[k], fields[k + 1]);
        }
        return Json.write(o);
    }
}
