package dev.switchboard.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.ApiFault;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.livekit.FakeLiveKitServer.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static dev.switchboard.controller.CallControlRequests.LLM;
import static dev.switchboard.controller.CallControlRequests.dial;
import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_DISPATCH;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_SIP_PARTICIPANT;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.LIST_PARTICIPANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbound calls from DialRequested on switchboard.call-control, placed through the fake LiveKit SIP API, on the real broker. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class DialTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    @Inject
    MeterRegistry metrics;

    private TopicProbe<SessionEvent> events;
    private TopicProbe<AuditRecord> audit;

    @BeforeEach
    void openProbe() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer());
    }

    @AfterEach
    void closeProbe() {
        livekit.reset(); // the fake is shared with the other test classes of this resource set
        events.close();
        audit.close();
    }

    private AuditRecord awaitAudit(CallControlRequest request) {
        return audit.await(a -> request.getCommandId().equals(a.getCommandId()), WAIT);
    }

    private SessionEvent awaitOutcome(String room) {
        return events.await(e -> room.equals(e.getRoom()) && (e.getPayload() instanceof CallAnswered || e.getPayload() instanceof CallFailed), WAIT);
    }

    private CallFailed awaitFailure(String room) {
        SessionEvent event = awaitOutcome(room);
        assertThat(event.getPayload()).as("the dial's outcome").isInstanceOf(CallFailed.class);
        return (CallFailed) event.getPayload();
    }

    private double count(String name, String... tags) {
        Counter counter = metrics.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anAnsweredCallIsReportedAfterTheAgentWasDispatchedWithTheDialsDetails() throws Exception {
        String room = CallControlRequests.room("dial-answered");
        CallControlRequest request = request(room, dial("+15550201")
                .setInstructions("Remind the customer of tomorrow's appointment.")
                .setMetadata(Map.of("customer", "42"))
                .setMaxCallDurationSeconds(600)
                .build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        SessionEvent event = awaitOutcome(room);
        assertThat(event.getPayload()).isInstanceOfSatisfying(CallAnswered.class, answered -> {
            assertThat(answered.getDialCommandId()).isEqualTo(request.getCommandId());
            assertThat(answered.getParticipantIdentity()).isEqualTo("sip_+15550201");
            assertThat(answered.getPhoneNumber()).isEqualTo("+15550201");
            assertThat(answered.getSipCallId()).startsWith("SCL_");
            assertThat(answered.getTenant()).as("a dial naming no tenant is the default tenant's").isEqualTo("default");
            assertThat(answered.getFromNumber()).as("SWITCHBOARD_SIP_FROM_NUMBER, the dial naming none").isEqualTo(FakeLiveKitResource.FROM_NUMBER);
            assertThat(answered.getAgentName()).as("SWITCHBOARD_LIVEKIT_AGENT_NAME, the dial naming none").isEqualTo(FakeLiveKitResource.AGENT_NAME);
        });
        assertThat(event.getSource()).isEqualTo("call-controller");

        // First a look for an earlier attempt (none: the room does not exist), then the agent, then the phone.
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method)
                .containsExactly(LIST_PARTICIPANTS, CREATE_DISPATCH, CREATE_SIP_PARTICIPANT);
        assertThat(livekit.requestsFor(room)).allMatch(RecordedRequest::authorized);

        RecordedRequest dispatch = livekit.requests(CREATE_DISPATCH, room).getFirst();
        assertThat(dispatch.video()).containsEntry("roomAdmin", true).containsEntry("room", room);
        CreateAgentDispatchRequest dispatched = dispatch.body(CreateAgentDispatchRequest.class);
        assertThat(dispatched.getAgentName()).isEqualTo(FakeLiveKitResource.AGENT_NAME);
        JsonNode metadata = JSON.readTree(dispatched.getMetadata());
        assertThat(metadata.path("direction").asText()).isEqualTo("OUTBOUND");
        assertThat(metadata.path("dialCommandId").asText()).isEqualTo(request.getCommandId());
        assertThat(metadata.path("calleeNumber").asText()).isEqualTo("+15550201");
        assertThat(metadata.path("callerNumber").asText()).isEqualTo(FakeLiveKitResource.FROM_NUMBER);
        assertThat(metadata.path("participantIdentity").asText()).isEqualTo("sip_+15550201");
        assertThat(metadata.path("instructions").asText()).isEqualTo("Remind the customer of tomorrow's appointment.");
        assertThat(metadata.path("metadata").path("customer").asText()).isEqualTo("42");

        RecordedRequest create = livekit.requests(CREATE_SIP_PARTICIPANT, room).getFirst();
        assertThat(create.sip()).containsEntry("call", true);
        CreateSIPParticipantRequest sip = create.body(CreateSIPParticipantRequest.class);
        assertThat(sip.getSipTrunkId()).isEqualTo(FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK);
        assertThat(sip.getSipCallTo()).isEqualTo("+15550201");
        assertThat(sip.getSipNumber()).isEqualTo(FakeLiveKitResource.FROM_NUMBER);
        assertThat(sip.getRoomName()).isEqualTo(room);
        assertThat(sip.getParticipantIdentity()).isEqualTo("sip_+15550201");
        assertThat(sip.getWaitUntilAnswered()).isTrue();
        assertThat(sip.getRingingTimeout().getSeconds()).isEqualTo(5);
        assertThat(sip.getMaxCallDuration().getSeconds()).isEqualTo(600);

        assertThat(livekit.findParticipant(room, "sip_+15550201")).hasValueSatisfying(p ->
                assertThat(p.getAttributesMap()).containsEntry("sip.callStatus", "active"));
        assertThat(livekit.hasRoom(room)).isTrue();
        assertThat(awaitAudit(request).getOutcome()).isEqualTo("DONE");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(DialOutcome.busy(), CallFailureReason.BUSY, 486, "Busy Here"),
                Arguments.of(DialOutcome.reject(600, "Busy Everywhere"), CallFailureReason.BUSY, 600, "Busy Everywhere"),
                Arguments.of(DialOutcome.declined(), CallFailureReason.DECLINED, 603, "Decline"),
                Arguments.of(DialOutcome.noAnswer(), CallFailureReason.NO_ANSWER, 480, "Temporarily Unavailable"),
                Arguments.of(DialOutcome.invalidNumber(), CallFailureReason.INVALID_NUMBER, 404, "Not Found"),
                Arguments.of(DialOutcome.addressIncomplete(), CallFailureReason.INVALID_NUMBER, 484, "Address Incomplete"),
                Arguments.of(DialOutcome.trunkRejected(), CallFailureReason.TRUNK_REJECTED, 403, "Forbidden"),
                Arguments.of(DialOutcome.trunkUnavailable(), CallFailureReason.TRUNK_UNAVAILABLE, 503, "Service Unavailable"),
                Arguments.of(DialOutcome.reject(488, "Not Acceptable Here"), CallFailureReason.FAILED, 488, "Not Acceptable Here"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void eachFailureIsReportedWithItsReasonOnceAndTheRoomIsDeleted(DialOutcome outcome, CallFailureReason reason, int sipStatus, String phrase) {
        String room = CallControlRequests.room("dial-" + reason.name().toLowerCase());
        String number = "+1555030" + sipStatus;
        livekit.dialOutcome(number, outcome);
        CallControlRequest request = request(room, dial(number).build(), "acme");

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CallFailed failed = awaitFailure(room);
        assertThat(failed.getTenant()).as("the dial's tenant").isEqualTo("acme");
        assertThat(failed.getReason()).isEqualTo(reason);
        assertThat(failed.getSipStatusCode()).isEqualTo(sipStatus);
        assertThat(failed.getSipStatus()).isEqualTo(phrase);
        assertThat(failed.getDialCommandId()).isEqualTo(request.getCommandId());
        assertThat(failed.getPhoneNumber()).isEqualTo(number);
        assertThat(failed.getFromNumber()).isEqualTo(FakeLiveKitResource.FROM_NUMBER);
        assertThat(failed.getAgentName()).isEqualTo(FakeLiveKitResource.AGENT_NAME);
        assertThat(failed.getDetail()).contains("room deleted");
        // Never dialled twice, whatever HTTP status LiveKit chose for the SIP status (486 is 429, 503 is 412...).
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).hasSize(1);
        // The dispatched agent leaves with the room.
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method)
                .containsExactly(LIST_PARTICIPANTS, CREATE_DISPATCH, CREATE_SIP_PARTICIPANT, DELETE_ROOM);
        assertThat(livekit.hasRoom(room)).isFalse();
        // The trail says the dial failed and why, without the number dialled.
        AuditRecord audited = awaitAudit(request);
        assertThat(audited.getAction()).isEqualTo("DialRequested");
        assertThat(audited.getOutcome()).isEqualTo("FAILED");
        assertThat(audited.getDetail()).contains("SIP " + sipStatus + " " + phrase).doesNotContain(number);
    }

    @Test
    void liveKitsRingingTimeoutIsNoAnswerAndNeverDialledAgain() {
        String room = CallControlRequests.room("dial-ringing-timeout");
        livekit.dialOutcome("+15550401", DialOutcome.ringingTimeout());

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, dial("+15550401").setRingingTimeoutSeconds(1)
                .setFromNumber("+15557654321").setAgentName("collections").build()));

        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.NO_ANSWER);
        assertThat(failed.getFromNumber()).as("the dial's own, not the default").isEqualTo("+15557654321");
        assertThat(failed.getAgentName()).as("the dial's own, not the default").isEqualTo("collections");
        assertThat(failed.getSipStatusCode()).isNull();
        assertThat(failed.getDetail()).contains("ringing timeout", "sip request timed out");
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo("canceled"));
        assertThat(livekit.hasRoom(room)).isFalse();
    }

    @Test
    void aSlowAnswerWithinTheRingingTimeoutIsAnswered() {
        String room = CallControlRequests.room("dial-slow");
        livekit.dialOutcome("+15550402", DialOutcome.answerAfter(Duration.ofMillis(1500)));

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, dial("+15550402").setRingingTimeoutSeconds(4).build()));

        assertThat(awaitOutcome(room).getPayload()).isInstanceOf(CallAnswered.class);
    }

    @Test
    void aRedeliveredDialRingsOnce() {
        String room = CallControlRequests.room("dial-twice");
        CallControlRequest request = request(room, dial("+15550403").build());
        double duplicates = count("switchboard.controller.dials", "outcome", "duplicate");

        TestProducer.send(Topic.CALL_CONTROL, room, request);
        TestProducer.send(Topic.CALL_CONTROL, room, request);

        awaitOutcome(room);
        await().atMost(WAIT).until(() -> count("switchboard.controller.dials", "outcome", "duplicate") >= duplicates + 1);
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).hasSize(1);
        assertThat(livekit.requests(CREATE_DISPATCH, room)).hasSize(1);
        assertThat(events.drain(Duration.ofMillis(300)).stream().filter(e -> room.equals(e.getRoom()))).hasSize(1);
    }

    @Test
    void aDialAnEarlierDeliveryAnsweredIsReportedWithoutRingingAgain() {
        // A controller placed this call, then died before it could report it; Kafka delivers the dial again.
        String room = CallControlRequests.room("dial-earlier-answered");
        CallControlRequest request = request(room, dial("+15550404").build());
        livekit.room(room, FakeLiveKitServer.participant("sip_+15550404", ParticipantInfo.Kind.SIP, Map.of(
                "switchboard.dialCommandId", request.getCommandId(), "sip.callStatus", "active", "sip.callID", "SCL_earlier")));

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        assertThat(awaitOutcome(room).getPayload()).isInstanceOfSatisfying(CallAnswered.class, answered -> {
            assertThat(answered.getSipCallId()).isEqualTo("SCL_earlier");
            assertThat(answered.getDialCommandId()).isEqualTo(request.getCommandId());
        });
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).isEmpty();
        assertThat(livekit.requests(CREATE_DISPATCH, room)).isEmpty();
    }

    @Test
    void aDialAnEarlierDeliveryBeganIsNotDialledAgain() {
        // The earlier controller dispatched the agent and may have rung the phone; what it heard back is lost.
        String room = CallControlRequests.room("dial-earlier-interrupted");
        CallControlRequest request = request(room, dial("+15550405").build());
        livekit.dispatch(room, FakeLiveKitResource.AGENT_NAME, "{\"dialCommandId\":\"" + request.getCommandId() + "\"}");

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(failed.getDetail()).contains("earlier delivery", "not dialled again", "room deleted");
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).isEmpty();
        assertThat(livekit.hasRoom(room)).isFalse();
    }

    @Test
    void transientErrorsBeforeTheInviteAreRetried() {
        String room = CallControlRequests.room("dial-retry");
        livekit.failNext(CREATE_DISPATCH, 1, 503).failNext(CREATE_SIP_PARTICIPANT, 2, 503);
        double retries = count("switchboard.controller.livekit.retries", "operation", CREATE_SIP_PARTICIPANT);

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, dial("+15550406").build()));

        assertThat(awaitOutcome(room).getPayload()).isInstanceOf(CallAnswered.class);
        assertThat(livekit.requests(CREATE_DISPATCH, room)).extracting(RecordedRequest::status).containsExactly(503, 200);
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).extracting(RecordedRequest::status).containsExactly(503, 503, 200);
        assertThat(count("switchboard.controller.livekit.retries", "operation", CREATE_SIP_PARTICIPANT)).isEqualTo(retries + 2);
        assertThat(livekit.dispatches(room)).hasSize(1);
    }

    @Test
    void nothingIsRetriedOnceThePhoneMayHaveRung() {
        String lost = CallControlRequests.room("dial-lost-answer");
        String internal = CallControlRequests.room("dial-internal");
        // LiveKit placed the call but its answer never came (ringing 1 s + grace 2 s); then an error after the INVITE.
        livekit.faultNext(CREATE_SIP_PARTICIPANT, new ApiFault.Timeout(Duration.ofSeconds(6), true), new ApiFault.HttpError(500));

        TestProducer.send(Topic.CALL_CONTROL, lost, request(lost, dial("+15550407").setRingingTimeoutSeconds(1).build()));
        CallFailed unknown = awaitFailure(lost);
        TestProducer.send(Topic.CALL_CONTROL, internal, request(internal, dial("+15550408").build()));
        CallFailed refused = awaitFailure(internal);

        assertThat(unknown.getReason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(unknown.getDetail()).contains("no answer from LiveKit", "may have rung", "room deleted");
        assertThat(refused.getReason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(refused.getDetail()).contains("HTTP 500");
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, lost)).hasSize(1);
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, internal)).hasSize(1);
        // The room of the call that may be up is deleted, which hangs it up.
        assertThat(livekit.hasRoom(lost)).isFalse();
    }

    @Test
    void aHangupWhileThePhoneRingsCancelsTheDial() {
        String room = CallControlRequests.room("dial-cancelled");
        livekit.dialOutcome("+15550409", DialOutcome.answerAfter(Duration.ofSeconds(15)));
        CallControlRequest dial = request(room, dial("+15550409").setRingingTimeoutSeconds(20).build());

        TestProducer.send(Topic.CALL_CONTROL, room, dial);
        await().atMost(WAIT).until(() -> !livekit.participants(room).isEmpty());
        CallControlRequest hangup = request(room, hangup(Transport.LIVEKIT).build());
        TestProducer.send(Topic.CALL_CONTROL, room, hangup);

        // The hang-up does not wait behind the ringing dial; LiveKit then ends the dial as at its ringing timeout.
        CallEnded ended = (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.CANCELLED);
        assertThat(failed.getDetail()).contains("hung up while the phone rang", "hung up meanwhile", hangup.getCommandId());
        assertThat(livekit.requests(DELETE_ROOM, room)).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).hasSize(1);
    }

    /**
     * The context gateway's hang-up of a room whose dial rings (no session yet): no session id, DELETE_ROOM, for the
     * dial's tenant. It cancels the dial; another tenant's is refused by the fence and the phone keeps ringing.
     */
    @Test
    void theGatewaysHangupOfARingingDialCancelsItAndAnotherTenantsIsRefused() {
        String room = CallControlRequests.room("dial-cancel-gateway");
        livekit.dialOutcome("+15550410", DialOutcome.answerAfter(Duration.ofSeconds(15)));
        TestProducer.send(Topic.CALL_CONTROL, room, request(room, dial("+15550410").setRingingTimeoutSeconds(20).build(), "acme"));
        await().atMost(WAIT).until(() -> !livekit.participants(room).isEmpty());
        HangupRequested cancel = HangupRequested.newBuilder().setReason(EndReason.OPERATOR_HANGUP).setDetail("wrong number")
                .setScope(HangupScope.DELETE_ROOM).setTransport(Transport.LIVEKIT).build();

        CallControlRequest foreign = request(room, cancel, "globex");
        TestProducer.send(Topic.CALL_CONTROL, room, foreign);
        assertThat(awaitAudit(foreign).getOutcome()).isEqualTo("REFUSED");
        assertThat(livekit.requests(DELETE_ROOM, room)).as("the phone still rings").isEmpty();

        CallControlRequest own = request(room, cancel, "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, own);
        SessionEvent endedEvent = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT);
        CallEnded ended = (CallEnded) endedEvent.getPayload();
        assertThat(endedEvent.getSessionId()).isNull();
        assertThat(ended.getHangupCommandId()).isEqualTo(own.getCommandId());
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.CANCELLED);
        assertThat(failed.getDetail()).contains("hung up meanwhile (command " + own.getCommandId() + ")");
        AuditRecord audited = awaitAudit(own);
        assertThat(audited.getOutcome()).isEqualTo("DONE");
        assertThat(audited.getActor()).isEqualTo(own.getIssuer());
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).hasSize(1);
    }

    @Test
    void anExpiredDialIsReportedAndNotDialled() {
        String room = CallControlRequests.room("dial-expired");
        Clock aMinuteAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1));
        DialRequested dial = dial("+15550410").build();
        CallControlRequest stale = new Commands(LLM, Duration.ofSeconds(30), aMinuteAgo).callControl(room, dial);

        TestProducer.send(Topic.CALL_CONTROL, room, stale);

        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(failed.getDetail()).startsWith("expired at");
        assertThat(failed.getFromNumber()).as("not dialled, still the one it would have called from").isEqualTo(FakeLiveKitResource.FROM_NUMBER);
        assertThat(failed.getAgentName()).isEqualTo(FakeLiveKitResource.AGENT_NAME);
        assertThat(livekit.requestsFor(room)).isEmpty();
    }

    @Test
    void aSipUriWithHeadersPublishedStraightToKafkaIsNeverDialled() {
        String room = CallControlRequests.room("dial-uri-headers");
        CallControlRequest request = request(room, dial("sip:bob@pbx.example.com?P-Asserted-Identity=sip:ceo@example.com").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(failed.getDetail()).contains("?headers part").doesNotContain("ceo@example.com");
        assertThat(livekit.requestsFor(room)).isEmpty();
        assertThat(awaitAudit(request).getOutcome()).isEqualTo("FAILED");
    }

    @Test
    void aDialTheGatewayWouldRefusePublishedStraightToKafkaIsAnsweredAndNeverDialled() {
        String room = CallControlRequests.room("dial-invalid");
        CallControlRequest request = request(room, dial("not-a-number").setRingingTimeoutSeconds(-5).build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CallFailed failed = awaitFailure(room);
        assertThat(failed.getReason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(failed.getDialCommandId()).isEqualTo(request.getCommandId());
        assertThat(failed.getDetail()).contains("neither an E.164 number").endsWith("not dialled");
        assertThat(livekit.requestsFor(room)).isEmpty();
        assertThat(awaitAudit(request).getOutcome()).isEqualTo("FAILED");
    }

    /** LiveKit calls a number or a SIP user at the trunk's address: sip:alice is dialled as the user alice. */
    @Test
    void aSipUserIsDialledAsTheUserAtTheTrunksAddress() {
        String room = CallControlRequests.room("dial-sip-user");
        CallControlRequest request = request(room, dial("sip:alice").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        assertThat(awaitOutcome(room).getPayload()).isInstanceOf(CallAnswered.class);
        RecordedRequest create = livekit.requests(CREATE_SIP_PARTICIPANT, room).getFirst();
        assertThat(create.body(CreateSIPParticipantRequest.class).getSipCallTo()).isEqualTo("alice");
    }

    /** A host is the outbound trunk's, never the dial's: a full SIP URI, or a number written loosely, is not dialled. */
    @Test
    void aFullSipUriOrALooselyWrittenNumberPublishedStraightToKafkaIsNeverDialled() {
        for (String written : new String[]{"sip:alice@pbx.example.com", "tel:tel:+15550405", " +15550405 "}) {
            String room = CallControlRequests.room("dial-loose");
            CallControlRequest request = request(room, dial(written).build());

            TestProducer.send(Topic.CALL_CONTROL, room, request);

            CallFailed failed = awaitFailure(room);
            assertThat(failed.getReason()).as(written).isEqualTo(CallFailureReason.FAILED);
            assertThat(failed.getDetail()).as(written).contains("neither an E.164 number").contains("SIP user").endsWith("not dialled");
            assertThat(livekit.requestsFor(room)).as(written).isEmpty();
        }
    }

    @Test
    void aCommandIdReusedForAnotherDialIsRefusedAndDeadLetteredWhileTheFirstDialStands() {
        String room = CallControlRequests.room("dial-reused");
        CallControlRequest first = request(room, dial("+15550404").build());
        CallControlRequest other = new Commands(LLM).callControl(first.getCommandId(), room, dial("+15550405").build(), Duration.ofSeconds(30));
        double reused = count("switchboard.controller.dials", "outcome", "id-reused");

        try (TopicProbe<byte[]> deadLetters = TopicProbe.fromNow(Topic.CALL_CONTROL_DLQ, new ByteArrayDeserializer())) {
            TestProducer.send(Topic.CALL_CONTROL, room, first);
            assertThat(awaitOutcome(room).getPayload()).isInstanceOf(CallAnswered.class);
            TestProducer.send(Topic.CALL_CONTROL, room, other);

            ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecord(r -> room.equals(r.key()), WAIT);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .contains("was already used for another request");
        }
        AuditRecord audited = audit.await(a -> first.getCommandId().equals(a.getCommandId()) && "REFUSED".equals(a.getOutcome()), WAIT);
        assertThat(audited.getDetail()).contains("was already used for another request; use a new commandId");
        assertThat(count("switchboard.controller.dials", "outcome", "id-reused")).isEqualTo(reused + 1);
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).as("the second number is never dialled").hasSize(1);
        assertThat(events.drain(Duration.ofMillis(300))).as("no second outcome under the first dial's id")
                .noneMatch(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallFailed);
    }
}
