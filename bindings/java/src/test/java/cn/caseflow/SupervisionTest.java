package cn.caseflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The supervision calls (docs/policy.md §6) through the typed tier, over case logs built with the
 * typed commands: the figures, merging, the spot check and the audit.
 */
class SupervisionTest {
    static OffsetDateTime at(int month, int day, int hour, int minute) {
        return LifecycleTest.at(month, day, hour, minute);
    }

    static final OffsetDateTime NOW = at(3, 20, 9, 0);
    static final LocalDate FROM = LocalDate.of(2026, 3, 1);
    static final LocalDate TO = LocalDate.of(2026, 3, 31);

    static Report report(String id, String project) {
        return Report.builder(id, project, Channel.PHONE, "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水", at(3, 2, 9, 15), "3号楼2单元801")
                .contactName("业主").contactPhone("13800000000").receivedAt(at(3, 2, 9, 20)).build();
    }

    /** A tier-2 case walked to its closure with the signed form (the corpus's walk). */
    static CaseLog closed(Policy policy, String id, String project) {
        Applied applied = policy.record(new Command.RecordReport(LifecycleTest.CLERK, report(id, project)), at(3, 2, 9, 30));
        List<Event> log = new ArrayList<>(List.of(applied.event()));
        for (int k = 0; k < LifecycleTest.STEPS.size(); k++) {
            applied = policy.apply(applied.caseFile(), LifecycleTest.STEPS.get(k), LifecycleTest.TIMES.get(k));
            log.add(applied.event());
        }
        assertEquals(CaseState.CLOSED, applied.caseFile().state());
        return CaseLog.of(log);
    }

    /** A case recorded and never answered: its contact clock is overdue at {@link #NOW}. */
    static CaseLog open(Policy policy, String id, String project) {
        return CaseLog.of(List.of(policy.record(new Command.RecordReport(LifecycleTest.CLERK, report(id, project)), at(3, 2, 9, 30)).event()));
    }

    /** A log whose record event was edited after it was written. */
    static CaseLog tampered(Policy policy) {
        return CaseLog.fromJson(open(policy, "T-1", "P-9").json().replace("3号楼", "4号楼"));
    }

    @Test
    void theFiguresOfClosedOpenAndBadCases() {
        try (Policy policy = Policy.builtin()) {
            Assessment a = policy.assess(List.of(closed(policy, "C-1", "P-1"), open(policy, "O-1", "P-1"), open(policy, "O-2", "P-2"),
                    tampered(policy)), FROM, TO, NOW);
            assertEquals(new Assessment.Period(FROM, TO), a.period());
            assertEquals(NOW, a.now());
            assertEquals(new Assessment.CaseCounts(4, 3, 0, 1), a.cases());
            assertEquals(3, a.overall().cases());
            assertEquals(1, a.overall().closed());
            assertEquals(0, a.overall().withdrawn());
            // One closed case, scored 5 on the signed form.
            assertEquals(List.of(0L, 0L, 0L, 0L, 1L), a.overall().satisfaction().histogram());
            assertEquals(new Assessment.Figure(1, 1, 1.0), a.overall().satisfaction().fourOrFive());
            assertEquals(new Assessment.Figure(1, 1, 1.0), a.overall().firstRoundSatisfied());
            // Both open cases are past their contact deadline.
            assertEquals(new Assessment.Figure(2, 2, 1.0), a.overall().openOverdue());
            assertEquals(Set.of("P-1", "P-2"), a.byProject().keySet());
            assertEquals(2, a.byProject().get("P-1").cases());
            assertEquals(Set.of(Tier.TWO), a.byTier().keySet());
            assertEquals(Set.of(Category.QUALITY), a.byCategory().keySet());
            assertEquals(Set.of(Channel.PHONE), a.byChannel().keySet());
            Finding bad = a.leftOut().get(0);
            assertEquals(Finding.Code.BAD_LOG, bad.code());
            assertEquals(3, bad.caseIndex());

            // Outside the period: read, not counted.
            Assessment april = policy.assess(List.of(closed(policy, "C-1", "P-1")), LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 30), NOW);
            assertEquals(new Assessment.CaseCounts(1, 0, 1, 0), april.cases());
            assertNull(april.overall().openOverdue().ratio());

            CaseflowException backwards = assertThrows(CaseflowException.class, () -> policy.assess(List.of(), TO, FROM, NOW));
            assertEquals("$.to", backwards.path());
            assertEquals("out_of_order", backwards.errors().get(0).code());
        }
    }

    @Test
    void mergedSummariesAreTheSummaryOfTheUnion() {
        try (Policy policy = Policy.builtin()) {
            CaseLog c1 = closed(policy, "C-1", "P-1");
            CaseLog o1 = open(policy, "O-1", "P-2");
            CaseLog bad = tampered(policy);
            Assessment left = policy.assess(List.of(c1), FROM, TO, NOW);
            Assessment right = policy.assess(List.of(o1, bad), FROM, TO, NOW);
            Assessment merged = policy.mergeAssessments(List.of(left, right));
            Assessment union = policy.assess(List.of(c1, o1, bad), FROM, TO, NOW);
            assertEquals(union.overall(), merged.overall());
            assertEquals(union.byProject(), merged.byProject());
            assertEquals(union.cases(), merged.cases());
            assertEquals(union.byTier(), merged.byTier());
            // A finding's position moves past the earlier shards' cases: the union's.
            assertEquals(2, merged.leftOut().get(0).caseIndex());
            assertEquals(2, union.leftOut().get(0).caseIndex());
            // A stored summary reads back and merges the same.
            assertEquals(merged.overall(), policy.mergeAssessments(List.of(Assessment.fromJson(left.json()), right)).overall());

            Assessment later = policy.assess(List.of(o1), FROM, TO, NOW.plusDays(1));
            CaseflowException refused = assertThrows(CaseflowException.class, () -> policy.mergeAssessments(List.of(left, later)));
            assertTrue(refused.errors().stream().anyMatch(d -> d.code().equals("incompatible_summaries")), refused.errors().toString());
        }
    }

    @Test
    void theSpotCheckIsReproducible() {
        try (Policy policy = Policy.builtin()) {
            List<CaseLog> cases = List.of(open(policy, "A-1", "P-1"), open(policy, "A-2", "P-1"), open(policy, "A-3", "P-1"),
                    open(policy, "B-1", "P-2"), tampered(policy));
            SpotCheck sample = policy.spotCheck(cases, 2, 2026);
            assertEquals(2026, sample.seed());
            assertEquals(2, sample.k());
            assertEquals(Set.of("P-1", "P-2"), sample.projects().keySet());
            assertEquals(3, sample.projects().get("P-1").population());
            assertEquals(2, sample.projects().get("P-1").cases().size());
            assertEquals(1, sample.projects().get("P-2").cases().size());
            List<SpotCheck.SampledCase> p1 = sample.projects().get("P-1").cases();
            assertTrue(p1.get(0).key().compareTo(p1.get(1).key()) < 0, "smallest key first");
            assertEquals(Finding.Code.BAD_LOG, sample.leftOut().get(0).code());
            assertEquals(sample, policy.spotCheck(cases, 2, 2026));
            // The seed is unsigned: -1L is 2^64 - 1, written and read back as such.
            SpotCheck top = policy.spotCheck(cases, 2, -1L);
            assertEquals(-1L, top.seed());
            assertNotEquals(sample.projects().get("P-1").cases().get(0).key(), top.projects().get("P-1").cases().get(0).key());
        }
    }

    @Test
    void theAuditFindsBadLogs() {
        try (Policy policy = Policy.builtin()) {
            AuditReport report = policy.audit(List.of(closed(policy, "C-1", "P-1"), open(policy, "O-1", "P-1"), tampered(policy),
                    CaseLog.fromJson("[{\"not\": \"an event\"}]")));
            assertEquals(4, report.cases());
            assertEquals(2, report.audited());
            assertEquals(List.of(Finding.Code.BAD_LOG, Finding.Code.BAD_LOG), report.findings().stream().map(Finding::code).toList());
            assertEquals(Set.of(2L, 3L), report.findings().stream().map(Finding::caseIndex).collect(java.util.stream.Collectors.toSet()));
            AuditReport atNow = policy.audit(List.of(closed(policy, "C-1", "P-1"), tampered(policy)),
                    java.time.OffsetDateTime.parse("2026-06-01T00:00:00+08:00"));
            assertEquals(2, atNow.cases());
            assertEquals(1, atNow.audited());
        }
    }
}
