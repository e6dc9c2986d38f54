package dev.switchboard.controller;

import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.livekit.FakeLiveKitServer.RecordedRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.switchboard.controller.CallControlRequests.LLM;
import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.controller.CallControlRequests.transfer;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.LIST_PARTICIPANTS;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.TRANSFER_SIP_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Cold transfers from TransferRequested on switchboard.call-control, through the fake LiveKit SIP API, on the real broker. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class TransferTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CALLER = "sip_+15550600";

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    private TopicProbe<SessionEvent> events;
    private TopicProbe<CommandResult> results;
    private TopicProbe<AuditRecord> audit;

    @BeforeEach
    void openProbes() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
        audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer());
    }

    @AfterEach
    void closeProbes() {
        livekit.reset(); // the fake is shared with the other test classes of this resource set
        events.close();
        results.close();
        audit.close();
    }

    private AuditRecord awaitAudit(CallControlRequest request) {
        return audit.await(a -> request.getCommandId().equals(a.getCommandId()), WAIT);
    }

    private String callInProgress(String prefix) {
        String room = CallControlRequests.room(prefix);
        livekit.room(room,
                FakeLiveKitServer.participant("agent-worker-7", ParticipantInfo.Kind.AGENT, Map.of()),
                FakeLiveKitServer.sipParticipant(CALLER, "+15550600"));
        return room;
    }

    private CommandResult awaitResult(CallControlRequest request) {
        return results.await(r -> request.getCommandId().equals(r.getCommandId()), WAIT);
    }

    @Test
    void anAcceptedTransferHandsTheCallerOverAndEndsTheAgentsSession() {
        String room = callInProgress("transfer-accepted");
        // As the worker hands over a TransferCall: under its session and tenant, which the result names as a worker's would.
        CallControlRequest request = request(room, transfer("tel:+15550699").setPlayDialtone(true).setSessionId("s-" + room).build(), "default");

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CommandResult result = awaitResult(request);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(result.getCommandType()).isEqualTo("TransferRequested");
        assertThat(result.getRoom()).isEqualTo(room);
        assertThat(result.getSessionId()).isEqualTo("s-" + room);
        assertThat(result.getTenant()).isEqualTo("default");
        CallEnded ended = (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.TRANSFERRED);
        assertThat(ended.getHangupCommandId()).isEqualTo(request.getCommandId());
        assertThat(ended.getEndedBy()).isEqualTo(LLM);
        assertThat(ended.getDetail()).contains("tel:+15550699");
        assertThat(ended.getTransferTo()).isEqualTo("tel:+15550699");

        // The caller was looked up as for a hang-up, then transferred with the grants LiveKit requires.
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method).containsExactly(LIST_PARTICIPANTS, TRANSFER_SIP_PARTICIPANT);
        RecordedRequest transfer = livekit.requests(TRANSFER_SIP_PARTICIPANT, room).getFirst();
        assertThat(transfer.sip()).containsEntry("call", true);
        assertThat(transfer.video()).containsEntry("roomAdmin", true).containsEntry("room", room);
        TransferSIPParticipantRequest body = transfer.body(TransferSIPParticipantRequest.class);
        assertThat(body.getParticipantIdentity()).isEqualTo(CALLER);
        assertThat(body.getTransferTo()).isEqualTo("tel:+15550699");
        assertThat(body.getPlayDialtone()).isTrue();
        assertThat(livekit.participants(room)).containsExactly("agent-worker-7");
    }

    @Test
    void theRoomClosingAfterATransferAddsNoSecondCallEnded() {
        String room = callInProgress("transfer-closed");
        CallControlRequest request = request(room, transfer("tel:+15550698").setParticipantIdentity(CALLER).build());
        TestProducer.send(Topic.CALL_CONTROL, room, request);
        awaitResult(request);

        var delivery = SignedWebhooks.sign(SignedWebhooks.event("room_finished", room).build(), livekit.apiKey(), livekit.apiSecret());
        RestAssured.given().contentType("application/webhook+json").header("Authorization", delivery.authorization()).body(delivery.body())
                .post("/livekit/webhook").then().statusCode(200).body("result", equalTo("SUPPRESSED"));
        // A named caller needs no lookup.
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method).containsExactly(TRANSFER_SIP_PARTICIPANT);
    }

    @Test
    void aRefusedTransferIsReportedWithTheSipStatusAndTheCallGoesOn() {
        String room = callInProgress("transfer-refused");
        livekit.refuseTransfersTo("tel:+15550697", 486, "Busy Here");
        CallControlRequest request = request(room, transfer("tel:+15550697").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CommandResult result = awaitResult(request);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).contains("refused", "SIP 486 Busy Here", "the caller stays with the agent");
        assertThat(livekit.requests(TRANSFER_SIP_PARTICIPANT, room)).hasSize(1);
        assertThat(livekit.participants(room)).containsExactly("agent-worker-7", CALLER);
        // The session's record gets the attempt: where to, why not, who asked.
        SessionEvent refusal = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof TransferFailed, WAIT);
        assertThat(refusal.getSource()).isEqualTo("call-controller");
        assertThat(refusal.getPayload()).isInstanceOfSatisfying(TransferFailed.class, failed -> {
            assertThat(failed.getTransferTo()).isEqualTo("tel:+15550697");
            assertThat(failed.getParticipantIdentity()).isEqualTo(CALLER);
            assertThat(failed.getReason()).isEqualTo(CallFailureReason.BUSY);
            assertThat(failed.getSipStatusCode()).isEqualTo(486);
            assertThat(failed.getSipStatus()).isEqualTo("Busy Here");
            assertThat(failed.getTransferCommandId()).isEqualTo(request.getCommandId());
            assertThat(failed.getRequestedBy()).isEqualTo(LLM);
        });
        assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded);
        AuditRecord audited = awaitAudit(request);
        assertThat(audited.getOutcome()).isEqualTo("FAILED");
        assertThat(audited.getDetail()).contains("SIP 486 Busy Here");

        // The call goes on: it can still be hung up.
        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));
        CallEnded ended = (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
    }

    @Test
    void aRepeatedTransferIsCarriedOutOnce() {
        String room = callInProgress("transfer-twice");
        CallControlRequest request = request(room, transfer("tel:+15550696").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);
        TestProducer.send(Topic.CALL_CONTROL, room, request);

        awaitResult(request);
        assertThat(results.drain(Duration.ofMillis(500))).filteredOn(r -> request.getCommandId().equals(r.getCommandId())).hasSize(1);
        assertThat(livekit.requests(TRANSFER_SIP_PARTICIPANT, room)).hasSize(1);
    }

    @Test
    void aRoomWithoutACallerCannotBeTransferred() {
        String room = CallControlRequests.room("transfer-nobody");
        livekit.room(room, FakeLiveKitServer.participant("agent-worker-7", ParticipantInfo.Kind.AGENT, Map.of()));
        CallControlRequest request = request(room, transfer("tel:+15550695").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CommandResult result = awaitResult(request);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).contains("no SIP participant");
        assertThat(livekit.requests(TRANSFER_SIP_PARTICIPANT, room)).isEmpty();
        // Refused before LiveKit was asked: the requester's answer says so, the session's record gets no attempt.
        assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> room.equals(e.getRoom()) && e.getPayload() instanceof TransferFailed);
    }

    @Test
    void aDestinationWithSipHeadersIsRefusedBeforeAnythingIsAskedOfLiveKit() {
        String room = callInProgress("transfer-uri-headers");
        CallControlRequest request = request(room, transfer("sip:billing@pbx.example.com?Subject=urgent").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CommandResult result = awaitResult(request);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).contains("?headers part");
        assertThat(livekit.requestsFor(room)).isEmpty();
        assertThat(awaitAudit(request).getOutcome()).isEqualTo("FAILED");
    }

    /** Written straight to Kafka, a destination the gateway and the worker refuse is refused here too. */
    @Test
    void aDestinationThatIsNeitherTelNorSipIsRefusedBeforeAnythingIsAskedOfLiveKit() {
        String room = callInProgress("transfer-mailto");
        CallControlRequest request = request(room, transfer("mailto:x@example.com").build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        CommandResult result = awaitResult(request);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).contains("neither tel: and an E.164 number");
        assertThat(livekit.requestsFor(room)).isEmpty();
    }
}
