package cn.caseflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The emergency plan (docs/policy.md §7) through the typed tier: each of the nine commands applied
 * by the engine, the emergency record read back typed, its clocks at a tick, drill_status.
 */
class EmergencyTest {
    static OffsetDateTime at(int month, int day, int hour, int minute) {
        return LifecycleTest.at(month, day, hour, minute);
    }

    static final Actor CLERK = LifecycleTest.CLERK;
    static final Actor LEADER = LifecycleTest.LEADER;
    static final Actor MANAGER = LifecycleTest.MANAGER;
    static final Actor LEADERSHIP = Actor.of("gm-1", Role.COMPANY_LEADERSHIP);

    /** A report whose form says there is a safety hazard: a level-III emergency from intake. */
    static Report hazard() {
        return Report.builder("E-3", "P-2026-021", Channel.PHONE, "外墙瓷砖空鼓，客厅墙面渗水发霉", at(3, 2, 9, 15), "5号楼东立面")
                .contactName("业主").contactPhone("13800000000").receivedAt(at(3, 2, 9, 15)).fact("safety_hazard", true).build();
    }

    static CaseFile step(Policy policy, List<Event> log, CaseFile file, Command command, OffsetDateTime now) {
        Applied applied = policy.apply(file, command, now);
        log.add(applied.event());
        return applied.caseFile();
    }

    static EmergencyRecord.Action action(CaseFile file, String id) {
        return file.emergencyPlan().actions().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aLevelThreeEmergencyFromIntakeToItsReview() {
        try (Policy policy = Policy.builtin()) {
            List<Event> log = new ArrayList<>();
            Applied opened = policy.record(new Command.RecordReport(CLERK, hazard()), at(3, 2, 9, 20));
            log.add(opened.event());
            CaseFile file = opened.caseFile();
            assertEquals(EmergencyLevel.III, file.emergency());
            assertEquals(Tier.ONE, file.tier());
            EmergencyRecord plan = file.emergencyPlan();
            assertNotNull(plan);
            assertEquals(EmergencyLevel.III, plan.level());
            assertEquals("engine", plan.declaredBy());
            assertEquals("emergency.III.safety_hazard", plan.trigger());
            assertEquals(Role.PROJECT_MANAGER, plan.commandingRole());
            assertEquals(List.of("notify_command", "people_on_site", "safety_measures", "initial_report", "status_update#1"),
                    plan.actions().stream().map(EmergencyRecord.Action::id).toList());
            assertEquals(plan.actions(), plan.openActions());
            assertEquals(at(3, 2, 11, 20), action(file, "notify_command").due());

            // Past three quarters of its two hours, the notification is at risk: a reminder naming the action.
            TickReport soon = policy.tick(file, at(3, 2, 11, 0));
            assertTrue(soon.effects().stream().anyMatch(e -> e instanceof Effect.Remind x && x.to() == Role.PROJECT_MANAGER
                    && x.clock() == ClockKind.EMERGENCY_ACTION && "notify_command".equals(x.action())), soon.effects().toString());

            // Three hours on, the two-hour notification is breached: escalated, naming the action.
            TickReport late = policy.tick(file, at(3, 2, 12, 20));
            TickReport.EmergencyClock notify = late.emergency().stream().filter(c -> c.action().equals("notify_command")).findFirst().orElseThrow();
            assertEquals(Role.PROJECT_MANAGER, notify.assignee());
            assertEquals(ClockState.BREACHED, notify.status().state());
            assertTrue(late.effects().stream().anyMatch(e -> e instanceof Effect.Escalate x
                    && x.clock() == ClockKind.EMERGENCY_ACTION && "notify_command".equals(x.action())), late.effects().toString());

            file = step(policy, log, file, new Command.CompleteEmergencyAction(MANAGER, "notify_command", null), at(3, 2, 12, 30));
            file = step(policy, log, file, new Command.CompleteEmergencyAction(LEADER, "people_on_site", "拉设警戒线"), at(3, 2, 15, 0));
            EmergencyRecord.Outcome done = action(file, "people_on_site").outcome();
            assertEquals(EmergencyRecord.OutcomeType.DONE, done.type());
            assertEquals("pl-1", done.by());
            assertNull(done.reason());

            // Only the commander waives.
            CaseFile before = file;
            CaseflowException notCommander = assertThrows(CaseflowException.class,
                    () -> policy.apply(before, new Command.WaiveEmergencyAction(LEADER, "safety_measures", "已隔离"), at(3, 2, 15, 30)));
            assertEquals("refused", notCommander.code());
            file = step(policy, log, file, new Command.WaiveEmergencyAction(MANAGER, "safety_measures", "警戒区已覆盖"), at(3, 2, 15, 30));
            EmergencyRecord.Outcome waived = action(file, "safety_measures").outcome();
            assertEquals(EmergencyRecord.OutcomeType.WAIVED, waived.type());
            assertEquals("警戒区已覆盖", waived.reason());

            file = step(policy, log, file, new Command.EmergencyStatusUpdate(LEADER, "警戒区已设置"), at(3, 3, 9, 0));
            assertNotNull(action(file, "status_update#1").outcome());
            assertNull(action(file, "status_update#2").outcome());
            file = step(policy, log, file, new Command.ReleaseMediaStatement(MANAGER, "我司已到场处置"), at(3, 3, 9, 30));
            assertEquals(List.of(new EmergencyRecord.MediaStatement("pm-1", Role.PROJECT_MANAGER, at(3, 3, 9, 30), "我司已到场处置")),
                    file.emergencyPlan().mediaStatements());

            // The end is refused while the written initial report is open; the case is unchanged.
            CaseFile open = file;
            CaseflowException stillOpen = assertThrows(CaseflowException.class,
                    () -> policy.apply(open, new Command.EndEmergency(MANAGER, null), at(3, 3, 10, 0)));
            assertEquals("refused", stillOpen.code());
            assertTrue(stillOpen.errors().stream().anyMatch(d -> d.code().equals("actions_open") && d.message().contains("initial_report")),
                    stillOpen.errors().toString());

            file = step(policy, log, file, new Command.CompleteEmergencyAction(LEADER, "initial_report", null), at(3, 3, 16, 0));
            file = step(policy, log, file, new Command.EndEmergency(MANAGER, "处置完毕"), at(3, 3, 17, 5));
            assertTrue(file.emergencyPlan().isEnded());
            assertEquals("pm-1", file.emergencyPlan().endedBy());
            // Seven calendar days: due at the end of the seventh day.
            assertEquals(at(3, 11, 0, 0), file.emergencyPlan().reviewDue());
            assertFalse(file.emergencyPlan().isClosed());
            TickReport reviewing = policy.tick(file, at(3, 9, 9, 0));
            assertTrue(reviewing.emergency().stream().anyMatch(c -> c.action().equals("review")));

            file = step(policy, log, file, new Command.FileEmergencyReview(MANAGER, "空鼓检测应纳入季度巡检"), at(3, 9, 10, 0));
            assertTrue(file.emergencyPlan().isClosed());
            assertEquals(new EmergencyRecord.Review("pm-1", at(3, 9, 10, 0), "空鼓检测应纳入季度巡检"), file.emergencyPlan().review());

            // The log of the nine commands replays to the same case.
            assertEquals(file.json(), policy.replay(log).json());
        }
    }

    @Test
    void declaredByHandRaisedAndNeverLowered() {
        try (Policy policy = Policy.builtin()) {
            List<Event> log = new ArrayList<>();
            Applied opened = policy.record(new Command.RecordReport(CLERK, LifecycleTest.leak()), at(3, 2, 9, 30));
            log.add(opened.event());
            CaseFile file = opened.caseFile();
            assertNull(file.emergencyPlan());
            assertEquals(Tier.TWO, file.tier());

            file = step(policy, log, file, new Command.DeclareEmergency(MANAGER, EmergencyLevel.III, "渗水影响配电箱"), at(3, 2, 10, 0));
            assertEquals(EmergencyLevel.III, file.emergency());
            assertEquals("pm-1", file.emergencyPlan().declaredBy());
            assertEquals("渗水影响配电箱", file.emergencyPlan().reason());
            assertNull(file.emergencyPlan().trigger());

            file = step(policy, log, file, new Command.RaiseEmergency(LEADERSHIP, EmergencyLevel.II, "多户受影响"), at(3, 2, 11, 0));
            assertEquals(EmergencyLevel.II, file.emergency());
            assertEquals(List.of(new EmergencyRecord.LevelChange(EmergencyLevel.III, EmergencyLevel.II, "gm-1", at(3, 2, 11, 0), "多户受影响")),
                    file.emergencyPlan().raises());

            CaseFile raised = file;
            CaseflowException lower = assertThrows(CaseflowException.class,
                    () -> policy.apply(raised, new Command.RaiseEmergency(LEADERSHIP, EmergencyLevel.III, "已缓解"), at(3, 2, 12, 0)));
            assertEquals("refused", lower.code());
            assertEquals(Status.REFUSED, lower.status());
            assertEquals("emergency_level_lower", lower.errors().get(0).code(), lower.errors().toString());
            assertEquals(raised.json(), policy.replay(log).json());
        }
    }

    @Test
    void newFactsDeclareTheEmergency() {
        try (Policy policy = Policy.builtin()) {
            Applied opened = policy.record(new Command.RecordReport(CLERK, LifecycleTest.leak()), at(3, 2, 9, 30));
            assertNull(opened.caseFile().facts());
            Applied updated = policy.apply(opened.caseFile(),
                    new Command.UpdateFacts(LEADER, Facts.builder().mediaAttention(true).householdsAffected(3).build(), "业主发布视频"),
                    at(3, 2, 11, 0));
            CaseFile file = updated.caseFile();
            assertEquals(new Facts(null, null, null, 3L, null, null, true, null), file.facts());
            assertEquals(EmergencyLevel.II, file.emergency());
            assertEquals("engine", file.emergencyPlan().declaredBy());
            assertEquals("emergency.II.media_exposure", file.emergencyPlan().trigger());
            assertTrue(updated.effects().stream().anyMatch(e -> e instanceof Effect.Notify n && n.template().equals("emergency_declared") && n.to() == Role.COMPANY_LEADERSHIP),
                    updated.effects().toString());
        }
    }

    @Test
    void drillStatus() {
        try (Policy policy = Policy.builtin()) {
            DrillStatus none = policy.drillStatus(List.of(), at(3, 2, 9, 0));
            assertNull(none.last());
            assertTrue(none.overdue());
            assertEquals(0, none.daysOverdue());
            assertEquals("365 calendar_days", none.interval());

            DrillStatus late = policy.drillStatus(List.of(LocalDate.of(2024, 11, 5), LocalDate.of(2025, 2, 10)), at(3, 2, 9, 0));
            assertEquals(LocalDate.of(2025, 2, 10), late.last());
            // 365 calendar days from the start of the drill's day: due at the end of the 365th.
            assertEquals(at(2, 11, 0, 0), late.nextDue());
            assertTrue(late.overdue());
            assertEquals(19, late.daysOverdue());

            DrillStatus fine = policy.drillStatus(List.of(LocalDate.of(2025, 6, 1)), at(3, 2, 9, 0));
            assertFalse(fine.overdue());
            assertEquals(0, fine.daysOverdue());

            CaseflowException future = assertThrows(CaseflowException.class,
                    () -> policy.drillStatus(List.of(LocalDate.of(2026, 3, 3)), at(3, 2, 9, 0)));
            assertEquals("$.drills[0]", future.path());
            assertEquals("out_of_order", future.errors().get(0).code());

            String text = policy.drillStatus("{\"drills\": [\"2025-06-01\"], \"now\": \"2026-03-02T09:00:00+08:00\"}");
            assertTrue(text.contains("\"next_due\":\"2026-06-02T00:00:00+08:00\""), text);
        }
    }
}
