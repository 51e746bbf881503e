package cn.caseflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed tier, built by hand the way a host would: commands, a whole case, the log, errors. */
class LifecycleTest {
    static final ZoneOffset CST = ZoneOffset.ofHours(8);

    static OffsetDateTime at(int month, int day, int hour, int minute) {
        return OffsetDateTime.of(2026, month, day, hour, minute, 0, 0, CST);
    }

    static final Actor CLERK = Actor.of("clerk-1", Role.INTAKE_CLERK);
    static final Actor LEADER = Actor.of("pl-1", Role.PROJECT_LEADER);
    static final Actor MANAGER = Actor.of("pm-1", Role.PROJECT_MANAGER);
    static final Actor OWNER = Actor.of("owner-801", Role.CUSTOMER);

    /** The report of the corpus's tier-2 walk (040-tier-2-record). */
    static Report leak() {
        return Report.builder("L-2", "P-2026-017", Channel.PHONE, "3号楼2单元801卫生间顶棚渗水，楼上排水管接口漏水",
                        at(3, 2, 9, 15), "3号楼2单元801")
                .contactName("业主").contactPhone("13800000000").receivedAt(at(3, 2, 9, 20)).build();
    }

    /** The commands of the corpus's tier-2 walk after the record, from acceptance to closure. */
    static final List<Command> STEPS = List.of(
            new Command.Accept(LEADER, at(3, 16, 17, 30), null, null),
            new Command.SubmitPlan(LEADER, new Command.Plan(List.of("更换排水管接口"),
                    List.of(new Command.Plan.Responsible("王班长", null)),
                    List.of(new Command.Plan.Milestone("完成维修", at(3, 10, 17, 30))))),
            new Command.ApprovePlan(MANAGER, null),
            new Command.CompleteWork(LEADER, null),
            new Command.Verify(LEADER, true, null, null, null),
            new Command.NotifyCustomer(LEADER, null),
            new Command.CustomerConfirm(OWNER, 5, "CF-2026-0031", null));

    /** When each of {@link #STEPS} is applied. */
    static final List<OffsetDateTime> TIMES = List.of(at(3, 2, 15, 0), at(3, 3, 10, 0), at(3, 3, 16, 0), at(3, 9, 16, 0),
            at(3, 10, 10, 0), at(3, 10, 11, 0), at(3, 11, 9, 0));

    /** The corpus's tier-2 walk with typed commands ends at the very case the corpus expects. */
    @Test
    void aWholeCaseWithTypedCommands() throws IOException {
        String key = "5a".repeat(32);
        try (Policy policy = Policy.builtin()) {
            Classification c = policy.classify(leak());
            assertEquals(Category.QUALITY, c.category());
            assertEquals(Tier.TWO, c.tier());
            assertNull(c.emergency());
            assertNull(c.serviceRequest());

            List<Event> log = new ArrayList<>();
            Applied opened = policy.record(new Command.RecordReport(CLERK, leak()), at(3, 2, 9, 30), key);
            assertEquals(CaseState.RECORDED, opened.caseFile().state());
            assertEquals(Tier.TWO, opened.caseFile().tier());
            assertEquals(0, opened.event().seq());
            assertEquals("record", opened.event().command());
            assertNotNull(opened.event().seal());
            assertTrue(opened.effects().stream().anyMatch(e -> e instanceof Effect.StartClock s && s.clock() == ClockKind.CONTACT_CUSTOMER));
            log.add(opened.event());
            CaseFile file = opened.caseFile();

            CaseflowException refused = assertThrows(CaseflowException.class, () -> policy.apply(opened.caseFile(),
                    new Command.Accept(LEADER, at(6, 30, 17, 30), null, null), at(3, 2, 15, 0), key));
            assertEquals("refused", refused.code());
            assertEquals(Status.REFUSED, refused.status());
            assertEquals("$.committed_deadline", refused.path());
            assertEquals("beyond_cap", refused.errors().get(0).code());

            List<Command> steps = STEPS;
            List<OffsetDateTime> times = TIMES;
            for (int k = 0; k < steps.size(); k++) {
                Applied applied = policy.apply(file, steps.get(k), times.get(k), key);
                assertEquals(k + 1, applied.event().seq());
                log.add(applied.event());
                file = applied.caseFile();
            }
            assertEquals(CaseState.CLOSED, file.state());
            assertEquals(8, file.events());

            // Unsealed, the same walk is the corpus's (052-tier-2-step-12-customer-confirm).
            var expected = Json.parse(Files.readString(ConformanceTest.DIR.resolve("cases/052-tier-2-step-12-customer-confirm.json")))
                    .getAsJsonObject().getAsJsonObject("expect").getAsJsonObject("ok").get("case");
            CaseFile unsealed = policy.record(new Command.RecordReport(CLERK, leak()), at(3, 2, 9, 30)).caseFile();
            for (int k = 0; k < steps.size(); k++) {
                unsealed = policy.apply(unsealed, steps.get(k), times.get(k)).caseFile();
            }
            assertEquals(expected, Json.parse(unsealed.json()));

            // Store and reload: the stored text round-trips; the log verifies and replays with the key.
            List<Event> stored = log.stream().map(e -> Event.fromJson(e.json())).toList();
            CaseFile reloaded = CaseFile.fromJson(file.json());
            assertEquals(file, reloaded);
            LogVerification ok = policy.verifyLog(stored, reloaded, key);
            assertTrue(ok.valid() && ok.sealsChecked() && ok.anchorChecked());
            assertNull(ok.firstBad());
            assertEquals(Json.parse(file.json()), Json.parse(policy.replay(stored, reloaded, key).json()));
            assertTrue(policy.verifyLog(stored, new LogAnchor(file.events(), file.lastHash()), null).anchorChecked());

            // A removed tail is found against the stored case, and replay refuses it.
            List<Event> cut = stored.subList(0, 3);
            LogVerification bad = policy.verifyLog(cut, reloaded, null);
            assertFalse(bad.valid());
            assertEquals(3, bad.firstBad().index());
            CaseflowException corrupt = assertThrows(CaseflowException.class, () -> policy.replay(cut, reloaded, key));
            assertEquals("corrupt_log", corrupt.code());
            assertEquals("$.events[3]", corrupt.path());
            CaseflowException badKey = assertThrows(CaseflowException.class, () -> policy.verifyLog(stored, null, "abc"));
            assertEquals("invalid_input", badKey.code());
            assertEquals("$.key", badKey.path());

            TickReport tick = policy.tick(file, at(3, 12, 9, 0));
            assertEquals(CaseState.CLOSED, tick.state());
            assertTrue(tick.clocks().stream().allMatch(TickReport.ClockReport::stopped));
        }
    }

    @Test
    void deadlinesClocksCalendarAndWarranty() {
        try (Policy policy = Policy.builtin()) {
            OffsetDateTime from = OffsetDateTime.of(2026, 2, 13, 18, 0, 0, 0, CST);
            Deadline d = policy.deadline(from, "3 working_days");
            assertEquals(OffsetDateTime.of(2026, 2, 25, 17, 30, 0, 0, CST), d.due());
            assertEquals(d.due(), policy.deadline(from.withOffsetSameInstant(ZoneOffset.UTC), "3 working_days").due());
            CaseflowException e = assertThrows(CaseflowException.class, () -> policy.deadline(from, "3 fortnights"));
            assertEquals("invalid_input", e.code());
            assertEquals("$.add", e.path());

            CalendarDay.Range days = policy.calendarDays(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 10));
            assertEquals(10, days.days().size());
            assertFalse(days.days().get(0).working());
            assertNotNull(days.days().get(0).holiday());
            assertTrue(days.days().stream().anyMatch(CalendarDay::makeUp));

            ClockStatus s = policy.clockStatus(new Clock(at(3, 2, 9, 20), "24 hours"), at(3, 3, 12, 0));
            assertEquals(ClockState.BREACHED, s.state());
            assertTrue(s.fractionElapsed() > 1);

            Warranty w = policy.warranty(ProjectFacts.acceptedOn(LocalDate.of(2024, 6, 30)), WarrantyElement.WATERPROOFING,
                    LocalDate.of(2029, 7, 1));
            assertEquals(WarrantyStatus.EXPIRED, w.status());
            assertEquals(WarrantyBasis.CLERK, w.decidedBy());
            assertEquals(LocalDate.of(2029, 6, 30), w.endsOn());
            Warranty early = policy.warranty(null, null, LocalDate.of(2026, 1, 1));
            assertEquals(WarrantyBasis.NOT_ACCEPTED, early.decidedBy());
        }
    }

    @Test
    void anOutOfWarrantyReportIsAServiceRequest() {
        try (Policy policy = Policy.builtin()) {
            Report report = Report.builder("W-1", "P-2019-003", Channel.ONLINE, "墙面涂料起皮", at(3, 2, 9, 0), "5号楼302")
                    .contactPhone("13800000000").element(WarrantyElement.DECORATION)
                    .projectFacts(ProjectFacts.acceptedOn(LocalDate.of(2019, 6, 1))).build();
            Classification c = policy.classify(report);
            assertEquals(WarrantyStatus.EXPIRED, c.warranty().status());
            assertNotNull(c.serviceRequest());
            assertTrue(c.serviceRequest().rule().startsWith("$.warranty"));
        }
    }

    @Test
    void refusalsCarryCodeAndPath() {
        try (Policy policy = Policy.builtin()) {
            CaseflowException e = assertThrows(CaseflowException.class, () -> policy.classify(Report.fromJson(
                    "{\"id\":\"C-1\",\"project\":\"P\",\"channel\":\"phone\",\"description\":\"漏水\","
                            + "\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"contact\":{\"phone\":\"13800000000\"}}")));
            assertEquals("invalid_report", e.code());
            assertEquals("$.location", e.path());
            assertEquals(1, e.errors().size());
            e = assertThrows(CaseflowException.class, () -> Policy.fromJson("{\"schema\": 1}"));
            assertEquals("invalid_policy", e.code());
            assertTrue(e.errors().size() > 1);
            PolicyCheck check = Caseflow.checkPolicy("{\"schema\": 1}");
            assertFalse(check.valid());
            assertFalse(check.errors().isEmpty());
            assertTrue(Caseflow.checkPolicy(Files.readString(ConformanceTest.DIR.resolve("policies/strict.json"))).valid());
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void theReaderIsStrictAboutClosedSets() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CaseFile.fromJson(
                "{\"id\":\"X\",\"state\":\"dreaming\",\"category\":\"quality\",\"tier\":2,\"updated_at\":\"2026-03-02T09:30:00+08:00\","
                        + "\"events\":1,\"last_hash\":\"00\"}"));
        assertTrue(e.getMessage().contains("$.state") && e.getMessage().contains("dreaming") && e.getMessage().contains("awaiting_approval"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CaseFile.fromJson(
                "{\"id\":\"X\",\"state\":\"closed\",\"category\":\"quality\",\"tier\":4,\"updated_at\":\"2026-03-02T09:30:00+08:00\","
                        + "\"events\":1,\"last_hash\":\"00\"}"));
        assertTrue(e.getMessage().contains("$.tier"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Effect.read(new Json.Obj(Json.parse("{\"type\":\"teleport\",\"rule\":\"r\"}"), "$.effects[0]")));
        assertTrue(e.getMessage().contains("$.effects[0].type"), e.getMessage());
        // Fields it does not know are kept in the document and otherwise ignored.
        CaseFile future = CaseFile.fromJson("{\"id\":\"X\",\"state\":\"closed\",\"category\":\"quality\",\"tier\":2,"
                + "\"updated_at\":\"2026-03-02T09:30:00+08:00\",\"events\":1,\"last_hash\":\"00\",\"review\":{\"by\":\"model\"}}");
        assertTrue(future.json().contains("\"review\""));
        assertInstanceOf(LogEnd.class, future);
    }
}
