package cn.caseflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy analysis and the impact of a change (issue 14) through the typed tier: the default
 * policy is sound and its workflow explored to the end; a tier 1 approved by the project manager is
 * found with a path that replays to closure; a diff lists one changed deadline and the report it
 * treats apart; a policy against itself is empty.
 */
class AnalysisTest {
    /** The default policy as its file's text (core/policy/default.json, beside the conformance corpus). */
    static String defaultText() throws IOException {
        return Files.readString(ConformanceTest.DIR.resolve("../../core/policy/default.json"), StandardCharsets.UTF_8);
    }

    /** The default policy's text with the member at {@code path} set to {@code value}. */
    static String edited(JsonElement value, String... path) throws IOException {
        JsonObject document = Json.parse(defaultText()).getAsJsonObject();
        JsonObject member = document;
        for (int k = 0; k < path.length - 1; k++) {
            member = member.getAsJsonObject(path[k]);
        }
        String last = path[path.length - 1];
        assertTrue(member.has(last), "the default policy has " + String.join(".", path));
        member.add(last, value);
        return Json.write(document);
    }

    static JsonArray roles(String... names) {
        JsonArray array = new JsonArray();
        for (String name : names) {
            array.add(name);
        }
        return array;
    }

    @Test
    void theDefaultPolicyHasNoFindingsAndEveryOpeningIsExploredToTheEnd() {
        try (Policy policy = Policy.builtin()) {
            Analysis analysis = policy.analyzePolicy();
            assertEquals(List.of(), analysis.findings());
            Exploration workflow = analysis.workflow();
            assertTrue(workflow.complete());
            // Tiers 1, 2 and 3, then the provisional tier 1 of the default policy's learned model.
            assertEquals(List.of(Tier.ONE, Tier.TWO, Tier.THREE, Tier.ONE), workflow.openings().stream().map(OpeningExploration::tier).toList());
            assertEquals(List.of(false, false, false, true), workflow.openings().stream().map(OpeningExploration::provisional).toList());
            for (OpeningExploration opening : workflow.openings()) {
                assertTrue(opening.complete());
                assertTrue(opening.states() > 1);
                assertTrue(opening.states() <= opening.bound());
                assertTrue(opening.edges() <= opening.transitions());
            }
            // The totals are those of the openings.
            assertEquals(workflow.openings().stream().mapToLong(OpeningExploration::states).sum(), workflow.states());
            assertEquals(workflow.openings().stream().mapToLong(OpeningExploration::transitions).sum(), workflow.transitions());
            assertEquals(workflow.openings().stream().mapToLong(OpeningExploration::edges).sum(), workflow.edges());
        }
    }

    @Test
    void tier1ApprovedByTheProjectManagerIsFoundWithAPathThatReplaysToClosure() throws IOException {
        try (Policy policy = Policy.fromJson(edited(roles("project_manager"), "tiers", "1", "plan", "approved_by"))) {
            PolicyFinding finding = policy.analyzePolicy().findings().stream()
                    .filter(f -> f.code().equals("tier1_path_skips_approval")).reduce((a, b) -> {
                        throw new AssertionError("found twice");
                    }).orElseThrow();
            assertEquals("$.tiers.1.plan.approved_by", finding.path());
            assertEquals(Severity.ERROR, finding.severity());
            assertEquals(Tier.ONE, finding.tier());
            assertTrue(finding.message().contains("project_manager"), finding.message());
            List<PathStep> path = finding.counterexample();
            assertEquals("record", path.get(0).command());
            assertEquals(CaseState.RECORDED, path.get(0).state());
            assertEquals(CaseState.CLOSED, path.get(path.size() - 1).state());
            assertTrue(path.stream().anyMatch(s -> s.command().equals("approve_plan") && s.by().contains(Role.PROJECT_MANAGER)));
            assertFalse(path.stream().anyMatch(s -> s.by().contains(Role.COMPANY_LEADERSHIP)), "leadership never acts on the path");

            // Each step's input is the command as given: after the record, the path replays through
            // apply, every step at the report's receipt, to the same states. (The analysis opens its
            // case at tier 1 directly; recorded here, the report's plain text classifies lower, so the
            // case is first raised to tier 1.)
            String raisedAt = Json.parse(path.get(0).inputJson()).getAsJsonObject().getAsJsonObject("report").get("raised_at").getAsString();
            OffsetDateTime at = Caseflow.parseInstant(raisedAt);
            Applied applied = policy.record(Command.fromJson(path.get(0).inputJson()), at);
            applied = policy.apply(applied.caseFile(), new Command.Reclassify(Actor.of("pl-0", Role.PROJECT_LEADER), null, Tier.ONE,
                    "the analysis' tier-1 opening"), at);
            assertEquals(Tier.ONE, applied.caseFile().tier());
            for (PathStep step : path.subList(1, path.size())) {
                applied = policy.apply(applied.caseFile(), Command.fromJson(step.inputJson()), at);
                assertEquals(step.state(), applied.caseFile().state(), step.command());
            }
            assertEquals(CaseState.CLOSED, applied.caseFile().state());
        }
    }

    @Test
    void theDefaultPolicyAgainstItselfIsEmpty() throws IOException {
        String text = defaultText();
        try (Policy policy = Policy.fromJson(text)) {
            PolicyDiff diff = policy.diffPolicies(text, List.of(LifecycleTest.leak()));
            assertTrue(diff.isEmpty());
            assertEquals(0, diff.counts().added() + diff.counts().removed() + diff.counts().changed());
            assertEquals(1, diff.counts().reports());
            assertEquals(0, diff.counts().reportsChanged());
            assertTrue(policy.diffPolicies(text, null).isEmpty());
        }
    }

    @Test
    void oneChangedDeadlineIsListedWithTheReportItTreatsApart() throws IOException {
        Report tier3 = Report.builder("N-1", "P-2026-017", Channel.PHONE, "夜间施工噪音太大，影响周边居民休息", LifecycleTest.at(3, 2, 21, 15), "3号楼")
                .contactName("业主").contactPhone("13800000000").build();
        try (Policy policy = Policy.fromJson(edited(new JsonPrimitive("8 hours"), "tiers", "2", "deadlines", "contact"))) {
            PolicyDiff diff = policy.diffPolicies(defaultText(), List.of(tier3, LifecycleTest.leak()));
            assertFalse(diff.isEmpty());
            assertEquals(1, diff.changes().size());
            PolicyDiff.Change change = diff.changes().get(0);
            assertEquals(PolicyDiff.ChangeKind.CHANGED, change.kind());
            assertEquals("$.tiers.2.deadlines.contact", change.path());
            assertNull(change.oldPath());
            assertTrue(change.oldJson().contains("24"), change.oldJson());
            assertTrue(change.newJson().contains("8"), change.newJson());
            assertEquals(1, diff.counts().changed());
            assertEquals(0, diff.counts().added() + diff.counts().removed());

            // The tier-2 leak (the second report) is routed with another contact deadline; the tier-3 report is not.
            assertEquals(1, diff.reports().size());
            PolicyDiff.ReportChange report = diff.reports().get(0);
            assertEquals(1, report.index());
            assertEquals("L-2", report.reportId());
            assertEquals(List.of(PolicyDiff.Aspect.ROUTING), report.changed());
            assertEquals(Tier.TWO, report.oldClassification().tier());
            assertEquals(Tier.TWO, report.newClassification().tier());
            List<PolicyDiff.ValueChange> contact = report.routing().stream().filter(v -> v.path().startsWith("$.routing.deadlines.contact")).toList();
            assertFalse(contact.isEmpty(), report.routing().toString());
            contact.forEach(v -> assertNotEquals(v.oldJson(), v.newJson(), v.path()));
            assertEquals(2, diff.counts().reports());
            assertEquals(1, diff.counts().reportsChanged());
            assertEquals(1L, diff.counts().byAspect().get(PolicyDiff.Aspect.ROUTING));
        }
    }

    @Test
    void anOlderPolicyThatDoesNotLoadIsRefusedUnderOld() throws IOException {
        String old = edited(roles("nobody"), "tiers", "1", "plan", "approved_by");
        try (Policy policy = Policy.builtin()) {
            CaseflowException e = assertThrows(CaseflowException.class, () -> policy.diffPolicies(old, null));
            assertEquals("invalid_input", e.code());
            assertEquals("$.old.tiers.1.plan.approved_by[0]", e.path());
        }
    }
}
