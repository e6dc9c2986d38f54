package dev.switchboard.transcripts.api;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound calls as the call controller and the agent report them, on the real broker and database: the dial's outcome,
 * who answered and the SIP status are stored with the session (a failed dial with no session at all gets a row of its
 * own), filtered by, exported, idempotent under redelivery and in any order, and never shown to another tenant.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DialOutcomeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;

    /**
     * An hour of the past of this test's own, so that the list filters see only its calls: about eight years back, inside
     * the tests' retention (3650 days) and before the hours SessionQueryTest takes (from June 2022 on); the other tests'
     * calls start now.
     */
    private Instant hour;

    @BeforeEach
    void anHourOfItsOwn() {
        if (hour == null) {
            hour = Instant.now().minus(Duration.ofDays(3000)).truncatedTo(ChronoUnit.HOURS)
                    .plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(10_000)));
        }
    }

    private static String tenant() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String dialId() {
        return "dial-" + UUID.randomUUID();
    }

    /** The call controller's audit record of a dial it carried out (tenant and command id are what matter here). */
    private static AuditRecord dialAudit(String tenant, String room, String dialCommandId, String outcome) {
        Issuer operator = Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("ops").setTenant(tenant).build();
        return AuditRecords.action(operator, tenant, "DialRequested", outcome, Events.now(), "call-controller").setRoom(room)
                .setCommandId(dialCommandId).build();
    }

    @Test
    void anAnsweredOutboundCallShowsItsNumbersItsOutcomeAndWhoAnsweredAndIsFoundByThem() {
        String acme = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-ok", hour.plusSeconds(60));
        // The dial says other than the agent's SessionStarted (which a session has): the session's own stand.
        SessionEvent answered = call.callAnswered(dial, "+15551230001", 2_000, null, "+15550009999", "dialled-agent");
        SessionEvent classified = call.answerClassified(AnsweredBy.MACHINE, 5_000);
        Kafka.publish(call.started(call.startedPayload().setDirection(CallDirection.OUTBOUND).setTenant(acme)
                .setCallerNumber("+15557654321").setAgentName("reminders").build()), answered, classified,
                call.ended(EndReason.ANSWERING_MACHINE, 20_000));

        JsonPath session = Api.awaitSession(TestTokens.admin(), call.room(),
                s -> "ended".equals(s.getString("status")) && "MACHINE".equals(s.getString("answeredBy")));
        assertThat(session.getString("sessionId")).isEqualTo(call.sessionId());
        assertThat(session.getString("direction")).isEqualTo("OUTBOUND");
        assertThat(session.getString("callerNumber")).isEqualTo("+15557654321");
        assertThat(session.getString("agentName")).isEqualTo("reminders");
        assertThat(session.getString("calleeNumber")).isEqualTo("+15551230001");
        assertThat(session.getString("outcome")).isEqualTo("ANSWERED");
        assertThat(session.getString("outcomeAt")).isEqualTo(call.startedAt().plusSeconds(2).toString());
        assertThat(session.getString("dialCommandId")).isEqualTo(dial);
        assertThat(session.getString("sipCallId")).isEqualTo("SCL_" + dial);
        assertThat(session.getString("endReason")).isEqualTo("ANSWERING_MACHINE");
        assertThat(session.getString("tenant")).isEqualTo(acme);

        String token = TestTokens.ofTenant(acme);
        assertThat(rooms(token, "answeredBy=machine&outcome=answered&direction=OUTBOUND")).containsExactly(call.room());
        assertThat(rooms(token, "answeredBy=HUMAN")).isEmpty();
        assertThat(rooms(token, "outcome=BUSY")).isEmpty();
        assertThat(rooms(TestTokens.ofTenant(tenant()), "answeredBy=MACHINE")).isEmpty();
        String text = as(token).get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(200).extract().asString();
        assertThat(text.lines().toList()).contains("Outbound call from +15557654321 to +15551230001, answered by an answering machine");

        // The controller's and the worker's events again (a redelivery): nothing changes.
        List<String> before = Database.sessionRowsOfRoom(dataSource, call.room());
        Kafka.redeliver(metrics, answered, classified);
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).isEqualTo(before);
    }

    @Test
    void aFailedDialWithoutAnySessionIsStoredAndFoundByItsOutcomeOnceItsAuditRecordNamesItsTenant() {
        String acme = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-busy", hour.plusSeconds(120));
        SessionEvent failed = call.callFailed(dial, "+15551230002", CallFailureReason.BUSY, 486, "Busy Here", 0);
        Kafka.publish(failed);

        JsonPath session = Api.awaitSession(TestTokens.admin(), call.room(), s -> "BUSY".equals(s.getString("outcome")));
        assertThat(session.getString("status")).isEqualTo("ended");
        assertThat(session.getString("direction")).isEqualTo("OUTBOUND");
        assertThat(session.getString("calleeNumber")).isEqualTo("+15551230002");
        assertThat(session.getInt("sipStatusCode")).isEqualTo(486);
        assertThat(session.getString("sipStatus")).isEqualTo("Busy Here");
        assertThat(session.getString("failureDetail")).isEqualTo("the callee's line said BUSY");
        assertThat(session.getString("outcomeAt")).isEqualTo(call.startedAt().toString());
        assertThat(session.getString("endedAt")).isEqualTo(call.startedAt().toString());
        assertThat(session.getLong("durationMs")).isZero();
        assertThat(session.getString("agentName")).isNull();
        // No record has named its tenant yet: nobody but an operator of every tenant sees it.
        assertThat(session.getString("tenant")).isNull();
        as(TestTokens.ofTenant(acme)).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        as(TestTokens.ofTenant("default")).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        assertThat(rooms(TestTokens.ofTenant("default"), "outcome=BUSY")).isEmpty();

        // The controller's audit record of the dial names the tenant: the failed call is that tenant's from then on.
        Kafka.publish(dialAudit(acme, call.room(), dial, "FAILED"));
        String token = TestTokens.ofTenant(acme);
        Api.awaitSession(token, call.room(), s -> acme.equals(s.getString("tenant")));
        assertThat(rooms(token, "outcome=busy")).containsExactly(call.room());
        assertThat(rooms(token, "outcome=BUSY&direction=OUTBOUND&status=ended&phone=15551230002")).containsExactly(call.room());
        assertThat(rooms(token, "outcome=ANSWERED")).isEmpty();
        String text = as(token).get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(200).extract().asString();
        assertThat(text.lines().toList()).contains("Outbound call to +15551230002, not connected: BUSY (SIP 486 Busy Here): the callee's line said BUSY");
        String other = TestTokens.ofTenant(tenant());
        as(other).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        as(other).get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(404);
        assertThat(rooms(other, "outcome=BUSY")).isEmpty();

        // Delivered again: still one row, byte for byte as it was.
        List<String> before = Database.sessionRowsOfRoom(dataSource, call.room());
        assertThat(before).hasSize(1);
        Kafka.redeliver(metrics, failed);
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).isEqualTo(before);
    }

    /** A dial the call controller's hang-up of its room stopped (SessionEvent v4 on): CANCELLED, not the NO_ANSWER it once said. */
    @Test
    void aDialTheControllerReportsCancelledIsStoredCancelledAndFoundByThatOutcome() {
        String acme = tenant();
        Call call = Call.startedAt("dial-cancelled", hour.plusSeconds(150));
        Kafka.publish(call.callFailed(dialId(), "+15551230010", CallFailureReason.CANCELLED, null, null, 0, acme));

        String token = TestTokens.ofTenant(acme);
        JsonPath session = Api.awaitSession(token, call.room(), s -> "CANCELLED".equals(s.getString("outcome")));
        assertThat(session.getMap("$")).containsEntry("outcome", "CANCELLED").doesNotContainKey("sipStatusCode");
        assertThat(rooms(token, "outcome=CANCELLED")).containsExactly(call.room());
        assertThat(rooms(token, "outcome=NO_ANSWER")).doesNotContain(call.room());
        String text = as(token).get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(200).extract().asString();
        assertThat(text).contains("Outbound call to +15551230010, not connected: CANCELLED");
    }

    @Test
    void aDialThatFailedBeforeAnySipAnswerHasNoSipStatusNotAZeroOne() {
        String acme = tenant();
        Call call = Call.startedAt("dial-nosip", hour.plusSeconds(140));
        Kafka.publish(call.callFailed(dialId(), "+15551230009", CallFailureReason.FAILED, null, null, 0, acme));

        String token = TestTokens.ofTenant(acme);
        JsonPath session = Api.awaitSession(token, call.room(), s -> "FAILED".equals(s.getString("outcome")));
        assertThat(session.getMap("$")).containsEntry("outcome", "FAILED").doesNotContainKey("sipStatusCode");
        assertThat(window(token).get("/v1/sessions?outcome=FAILED").then().statusCode(200).extract().jsonPath()
                .getList("sessions.findAll { it.room == '" + call.room() + "' }.sipStatusCode")).containsExactly((Object) null);
        String text = as(token).get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(200).extract().asString();
        assertThat(text).contains("Outbound call to +15551230009, not connected: FAILED").doesNotContain("SIP");
    }

    @Test
    void aFailedDialThatNamesItsTenantIsThatTenantsWithoutWaitingForItsAuditRecord() {
        String acme = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-tenant", hour.plusSeconds(150));
        SessionEvent failed = call.callFailed(dial, "+15551230007", CallFailureReason.DECLINED, 603, "Decline", 0, acme,
                "+15557650007", "collections");
        Kafka.publish(failed);

        String token = TestTokens.ofTenant(acme);
        JsonPath session = Api.awaitSession(token, call.room(), s -> "DECLINED".equals(s.getString("outcome")));
        assertThat(session.getString("tenant")).isEqualTo(acme);
        // The number it was placed from is an outbound call's caller number, as an agent's session has it.
        assertThat(session.getString("callerNumber")).isEqualTo("+15557650007");
        assertThat(session.getString("calleeNumber")).isEqualTo("+15551230007");
        assertThat(session.getString("agentName")).isEqualTo("collections");
        assertThat(rooms(token, "outcome=DECLINED")).containsExactly(call.room());
        assertThat(rooms(token, "agent=collections")).containsExactly(call.room());
        assertThat(rooms(token, "phone=15557650007")).containsExactly(call.room());
        assertThat(rooms(token, "agent=reminders")).isEmpty();
        String other = TestTokens.ofTenant(tenant());
        as(other).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        as(TestTokens.ofTenant("default")).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        assertThat(rooms(other, "outcome=DECLINED")).isEmpty();

        // The dial's audit record arriving later changes nothing, nor does a redelivery.
        List<String> before = Database.sessionRowsOfRoom(dataSource, call.room());
        Kafka.publish(dialAudit(acme, call.room(), dial, "FAILED"));
        Awaitility.await().atMost(WAIT).until(() -> as(token).get("/v1/audit?room=" + call.room())
                .then().statusCode(200).extract().jsonPath().getList("records").size() == 1);
        Kafka.redeliver(metrics, failed);
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).isEqualTo(before);
    }

    @Test
    void aFailedDialWhoseAuditRecordCameFirstIsItsTenantsAtOnceAndNoOtherTenantsAnywhere() {
        String globex = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-no-answer", hour.plusSeconds(180));
        Kafka.publish(dialAudit(globex, call.room(), dial, "FAILED"));
        Awaitility.await().atMost(WAIT).until(() -> as(TestTokens.ofTenant(globex)).get("/v1/audit?room=" + call.room())
                .then().statusCode(200).extract().jsonPath().getList("records").size() == 1);
        Kafka.publish(call.callFailed(dial, "+15551230003", CallFailureReason.NO_ANSWER, 480, "Temporarily Unavailable", 0));

        String token = TestTokens.ofTenant(globex);
        JsonPath session = Api.awaitSession(token, call.room(), s -> "NO_ANSWER".equals(s.getString("outcome")));
        assertThat(session.getString("tenant")).isEqualTo(globex);
        assertThat(rooms(token, "outcome=NO_ANSWER")).containsExactly(call.room());

        String acme = TestTokens.ofTenant(tenant());
        as(acme).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        assertThat(rooms(acme, "outcome=NO_ANSWER")).isEmpty();
        assertThat(as(acme).get("/v1/sessions?room=" + call.room()).then().statusCode(200).extract().jsonPath().getList("sessions")).isEmpty();
        as(acme).delete("/v1/sessions/{room}", call.room()).then().statusCode(200);
        as(token).get("/v1/sessions/{room}", call.room()).then().statusCode(200);
    }

    @Test
    void anAnswerThatArrivesBeforeItsSessionStartedEndsUpInThatSessionAndInNoOtherRow() {
        String acme = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-early", hour.plusSeconds(240));
        SessionEvent answered = call.callAnswered(dial, "+15551230004", 1_500, null, "+15550009999", "dialled-agent");
        Kafka.publish(answered);
        JsonPath dialOnly = Api.awaitSession(TestTokens.admin(), call.room(), s -> "ANSWERED".equals(s.getString("outcome")));
        assertThat(dialOnly.getString("callerNumber")).isEqualTo("+15550009999");
        assertThat(dialOnly.getString("agentName")).isEqualTo("dialled-agent");
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).hasSize(1);

        Kafka.publish(call.started(call.startedPayload().setDirection(CallDirection.OUTBOUND).setTenant(acme)
                .setCallerNumber("+15557654321").setAgentName("reminders").build()));
        JsonPath session = Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> call.sessionId().equals(s.getString("sessionId")));
        assertThat(session.getString("outcome")).isEqualTo("ANSWERED");
        assertThat(session.getString("callerNumber")).as("the agent's SessionStarted's, not the dial's").isEqualTo("+15557654321");
        assertThat(session.getString("agentName")).as("the agent's SessionStarted's, not the dial's").isEqualTo("reminders");
        assertThat(session.getString("calleeNumber")).isEqualTo("+15551230004");
        assertThat(session.getString("dialCommandId")).isEqualTo(dial);
        assertThat(session.getString("answeredBy")).isEqualTo("UNKNOWN");
        assertThat(session.getString("status")).isEqualTo("live");
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).hasSize(1);

        List<String> before = Database.sessionRowsOfRoom(dataSource, call.room());
        Kafka.redeliver(metrics, answered);
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).isEqualTo(before);
    }

    /** CallEnded as the call controller publishes it for an operator's hang-up of the room: no session, the hang-up's id. */
    private static SessionEvent operatorHangup(Call call, String hangupCommandId, long atMs) {
        Issuer operator = Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("ops-1").setDisplayName("Ops").build();
        return call.controllerEvent(call.startedAt().plusMillis(atMs), CallEnded.newBuilder().setReason(EndReason.OPERATOR_HANGUP)
                .setEndedBy(operator).setDetail("done").setHangupCommandId(hangupCommandId).setMethod(HangupMethod.DELETE_ROOM).build());
    }

    @Test
    void anAnsweredDialWhoseAgentNeverStartedEndsWhenItsCallIsHungUp() {
        String acme = tenant();
        Call call = Call.startedAt("dial-nobody", hour.plusSeconds(400));
        SessionEvent answered = call.callAnswered(dialId(), "+15551230020", 0, acme);
        SessionEvent hungUp = operatorHangup(call, "hangup-" + UUID.randomUUID(), 30_000);
        Kafka.publish(answered);
        Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "ANSWERED".equals(s.getString("outcome")));
        Kafka.publish(hungUp);

        JsonPath session = Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "ended".equals(s.getString("status")));
        assertThat(session.getString("endReason")).isEqualTo("OPERATOR_HANGUP");
        assertThat(session.getString("endedAt")).isEqualTo(call.startedAt().plusSeconds(30).toString());
        assertThat(session.getLong("durationMs")).isEqualTo(30_000L);
        assertThat(session.getString("endedBy.kind")).isEqualTo("OPERATOR");
        assertThat(session.getString("endedBy.id")).isEqualTo("ops-1");
        assertThat(session.getString("endDetail")).isEqualTo("done");
        assertThat(session.getString("hangup.reason")).isEqualTo("OPERATOR_HANGUP");
        assertThat(rooms(TestTokens.ofTenant(acme), "status=live&room=" + call.room())).isEmpty();
        assertThat(rooms(TestTokens.ofTenant(acme), "status=ended&room=" + call.room())).containsExactly(call.room());
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).hasSize(1);

        // Redelivered, and a late CallEnded of another hang-up of the room: the first end stays.
        List<String> before = Database.sessionRowsOfRoom(dataSource, call.room());
        Kafka.redeliver(metrics, answered, hungUp);
        Kafka.redeliver(metrics, operatorHangup(call, "hangup-" + UUID.randomUUID(), 40_000));
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).isEqualTo(before);
    }

    @Test
    void anAnsweredDialAndItsHangUpInOneBatchEndTheDialsRowNotTheRoomsEarlierCall() {
        // The room's earlier call (an agent's session, live) and, later, a dial into it answered and hung up with no agent.
        String acme = tenant();
        Call earlier = Call.startedAt("dial-reused", hour.plusSeconds(500));
        Kafka.publish(earlier.started(earlier.startedPayload().setTenant(acme).build()));
        Api.awaitSession(TestTokens.ofTenant(acme), earlier.room(), s -> "live".equals(s.getString("status")));
        Call later = earlier.sameRoomLater(hour.plusSeconds(560));
        Kafka.publishTogether(later.callAnswered(dialId(), "+15551230021", 0, acme), operatorHangup(later, "hangup-" + UUID.randomUUID(), 5_000));

        Awaitility.await().atMost(WAIT).until(() -> Database.count(dataSource, "SELECT count(*) FROM sessions WHERE room = '" + earlier.room()
                + "' AND dial_only AND end_reason = 'OPERATOR_HANGUP'") == 1);
        assertThat(Database.query(dataSource, "SELECT ended_at, hangup_at FROM sessions WHERE session_id = '" + earlier.sessionId() + "'"))
                .as("the earlier call is ended by its own SessionEnded only").containsExactly("ended_at=null|hangup_at=null");
    }

    @Test
    void aDialHungUpBeforeItsAgentsSessionStartedArrivedKeepsTheHangUpInThatSessionWhichItsSessionEndedEnds() {
        String acme = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-late", hour.plusSeconds(680));
        Kafka.publish(call.callAnswered(dial, "+15551230023", 0, acme));
        Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "ANSWERED".equals(s.getString("outcome")));
        Kafka.publish(operatorHangup(call, "hangup-" + UUID.randomUUID(), 4_000));
        Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "ended".equals(s.getString("status")));

        Kafka.publish(call.started(call.startedPayload().setDirection(CallDirection.OUTBOUND).setTenant(acme).setDialCommandId(dial)
                .setCallerNumber("+15557770000").setAgentName("sales").build()));
        JsonPath session = Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> call.sessionId().equals(s.getString("sessionId")));
        assertThat(session.getString("status")).as("the dial's row's end is not the agent session's").isEqualTo("live");
        assertThat(session.getString("hangup.reason")).isEqualTo("OPERATOR_HANGUP");
        assertThat(session.getString("outcome")).isEqualTo("ANSWERED");
        assertThat(session.getString("callerNumber")).isEqualTo("+15557770000");
        assertThat(session.getString("agentName")).isEqualTo("sales");
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).hasSize(1);

        Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 5_000));
        JsonPath ended = Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "ended".equals(s.getString("status")));
        assertThat(ended.getString("endReason")).isEqualTo("CALLER_HANGUP");
        assertThat(ended.getLong("durationMs")).isEqualTo(5_000L);
    }

    @Test
    void aDialsAgentSessionIsEndedByItsSessionEndedNotByTheCallEnded() {
        String acme = tenant();
        String dial = dialId();
        Call call = Call.startedAt("dial-agent", hour.plusSeconds(620));
        Kafka.publish(call.callAnswered(dial, "+15551230022", 0, acme),
                call.started(call.startedPayload().setDirection(CallDirection.OUTBOUND).setTenant(acme).setDialCommandId(dial).build()),
                operatorHangup(call, "hangup-" + UUID.randomUUID(), 10_000));
        Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "OPERATOR_HANGUP".equals(s.getString("hangup.reason")));
        JsonPath live = as(TestTokens.ofTenant(acme)).get("/v1/sessions/{room}", call.room()).then().statusCode(200).extract().jsonPath();
        assertThat(live.getString("sessionId")).isEqualTo(call.sessionId());
        assertThat(live.getString("status")).isEqualTo("live");

        Kafka.publish(call.ended(EndReason.AGENT_HANGUP, 12_000));
        JsonPath ended = Api.awaitSession(TestTokens.ofTenant(acme), call.room(), s -> "ended".equals(s.getString("status")));
        assertThat(ended.getString("endReason")).isEqualTo("AGENT_HANGUP");
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).hasSize(1);
    }

    @Test
    void aDialsOutcomeNeverGoesToACallThatCameInToItsRoom() {
        // Another tenant's inbound call is live in the room when a dial into it fails: each keeps its own record.
        String acme = tenant();
        String globex = tenant();
        Call inbound = Call.startedAt("dial-squat", hour.plusSeconds(300));
        Kafka.publish(inbound.started(inbound.startedPayload().setTenant(globex).build()));
        Api.awaitSession(TestTokens.ofTenant(globex), inbound.room(), s -> "live".equals(s.getString("status")));
        String dial = dialId();
        Kafka.publish(inbound.callFailed(dial, "+15551230010", CallFailureReason.FAILED, null, null, 5_000, acme));

        JsonPath acmes = Api.awaitSession(TestTokens.ofTenant(acme), inbound.room(), s -> "FAILED".equals(s.getString("outcome")));
        assertThat(acmes.getString("sessionId")).isNotEqualTo(inbound.sessionId());
        assertThat(acmes.getString("dialCommandId")).isEqualTo(dial);
        JsonPath globexs = as(TestTokens.ofTenant(globex)).get("/v1/sessions/{room}", inbound.room()).then().statusCode(200).extract().jsonPath();
        assertThat(globexs.getString("sessionId")).isEqualTo(inbound.sessionId());
        assertThat(globexs.getString("outcome")).isNull();
        assertThat(globexs.getString("calleeNumber")).as("the dialled number is acme's").isNull();
        assertThat(globexs.getString("status")).isEqualTo("live");

        // The tenant's own inbound call starting in the room just after an answered dial is not that dial's session.
        Call second = Call.startedAt("dial-inbound", hour.plusSeconds(360));
        Kafka.publish(second.callAnswered(dialId(), "+15551230011", 0, acme));
        Api.awaitSession(TestTokens.ofTenant(acme), second.room(), s -> "ANSWERED".equals(s.getString("outcome")));
        Kafka.publish(second.started(second.startedPayload().setTenant(acme).build()));
        Awaitility.await().atMost(WAIT).until(() -> Database.sessionRowsOfRoom(dataSource, second.room()).size() == 2);
        assertThat(Database.query(dataSource, "SELECT direction, dial_outcome, callee_number FROM sessions WHERE session_id = '"
                + second.sessionId() + "'")).containsExactly("direction=INBOUND|dial_outcome=null|callee_number=null");
    }

    @Test
    void searchNarrowsItsSessionsWithTheSessionFiltersOnTheServer() {
        String word = "parsnip" + System.nanoTime() % 100_000;
        Call outbound = Call.startedAt("dial-search", hour.plusSeconds(300));
        Call inbound = Call.startedAt("in-search", hour.plusSeconds(310));
        Kafka.publish(outbound.started(outbound.startedPayload().setDirection(CallDirection.OUTBOUND).setCalleeNumber("+15551230005").build()),
                outbound.callAnswered(dialId(), "+15551230005", 1_000), outbound.ended(EndReason.AGENT_HANGUP, 30_000),
                inbound.started(inbound.startedPayload().setCallerNumber("+15551230006").build()), inbound.ended(EndReason.CALLER_HANGUP, 30_000));
        Kafka.publish(outbound.agent(0, "About your " + word + " order.", 100, 900), inbound.caller(0, "My " + word + " is late.", 100, 900));
        Api.awaitTranscriptSize(outbound.room(), 1);
        Api.awaitTranscriptSize(inbound.room(), 1);
        Api.awaitSession(TestTokens.admin(), outbound.room(), s -> "ANSWERED".equals(s.getString("outcome")) && "ended".equals(s.getString("status")));
        Api.awaitSession(TestTokens.admin(), inbound.room(), s -> "ended".equals(s.getString("status")));

        assertThat(hits(word, "")).containsExactlyInAnyOrder(outbound.room(), inbound.room());
        assertThat(hits(word, "&direction=outbound")).containsExactly(outbound.room());
        assertThat(hits(word, "&phone=15551230006")).containsExactly(inbound.room());
        assertThat(hits(word, "&endReason=CALLER_HANGUP")).containsExactly(inbound.room());
        assertThat(hits(word, "&outcome=ANSWERED&answeredBy=UNKNOWN")).containsExactly(outbound.room());
        assertThat(hits(word, "&outcome=BUSY")).isEmpty();
        assertThat(hits(word, "&status=live")).isEmpty();
    }

    @Test
    void anOutcomeOrAnsweredByThatIsNoneIsA400Problem() {
        String admin = TestTokens.admin();
        Api.assertProblem(as(admin).queryParam("outcome", "MAYBE").get("/v1/sessions"), 400, "outcome: one of ANSWERED, BUSY, NO_ANSWER");
        Api.assertProblem(as(admin).queryParam("answeredBy", "robot").get("/v1/sessions"), 400, "answeredBy: one of HUMAN, MACHINE, UNKNOWN");
        Api.assertProblem(as(admin).queryParam("q", "x").queryParam("outcome", "FINE").get("/v1/search"), 400, "outcome: one of ANSWERED");
        Api.assertProblem(as(admin).queryParam("q", "x").queryParam("direction", "SIDEWAYS").get("/v1/search"), 400,
                "direction: one of INBOUND, OUTBOUND, WEB, UNKNOWN");
        Api.assertProblem(as(admin).queryParam("q", "x").queryParam("endReason", "BORED").get("/v1/search"), 400, "endReason: one of CALLER_HANGUP");
        Api.assertProblem(as(admin).queryParam("q", "x").queryParam("phone", "call me").get("/v1/search"), 400, "phone: a phone number");
        Api.assertProblem(as(admin).queryParam("q", "x").queryParam("status", "paused").get("/v1/search"), 400, "status: live or ended");
        Api.assertProblem(as(admin).queryParam("q", "x").queryParam("answeredBy", "ghost").get("/v1/search"), 400, "answeredBy: one of HUMAN");
    }

    private RequestSpecification window(String token) {
        return as(token).queryParam("from", hour.toString()).queryParam("to", hour.plusSeconds(3600).toString());
    }

    private List<String> rooms(String token, String query) {
        return window(token).get("/v1/sessions?" + query).then().statusCode(200).extract().jsonPath().getList("sessions.room", String.class);
    }

    private List<String> hits(String word, String query) {
        return window(TestTokens.admin()).get("/v1/search?q=" + word + query).then().statusCode(200).extract().jsonPath()
                .getList("results.session.room", String.class);
    }
}
