package cn.caseflow;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * The person issuing a command; the host vouches for the roles, the engine decides whether they
 * suffice (docs/policy.md §4.1).
 *
 * @param id the host's id for the person
 * @param roles the roles held
 */
public record Actor(String id, List<Role> roles) {
    public Actor {
        roles = List.copyOf(roles);
    }

    /** A person holding {@code roles}. */
    public static Actor of(String id, Role... roles) {
        return new Actor(id, List.of(roles));
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        Json.put(o, "id", id);
        o.add("roles", Json.array(roles.stream().map(r -> (com.google.gson.JsonElement) new com.google.gson.JsonPrimitive(r.wire())).toList()));
        return o;
    }
}
