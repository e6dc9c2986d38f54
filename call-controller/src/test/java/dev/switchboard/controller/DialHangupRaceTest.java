package dev.switchboard.controller;

import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.controller.dial.DialPlanner;
import dev.switchboard.controller.dial.HeldDialPlanner;
import dev.switchboard.controller.dial.SipSettings;
import dev.switchboard.controller.livekit.LiveKitSettings;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.switchboard.controller.CallControlRequests.dial;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_DISPATCH;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_SIP_PARTICIPANT;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hang-up of a room published right after its dial, carried out before the controller started dialling (it runs the
 * dial beside the room's queue): the dial's call began when the dial arrived, so the hang-up is that call's and the
 * phone is never dialled, whatever arrives in between. The planner holds the dial once taken on, as a busy controller
 * would be slow to reach LiveKit.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class DialHangupRaceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The context gateway's hang-up of a ringing room: no session, DELETE_ROOM. */
    private static final HangupRequested CANCEL = HangupRequested.newBuilder().setReason(EndReason.OPERATOR_HANGUP).setDetail("wrong number")
            .setScope(HangupScope.DELETE_ROOM).setTransport(Transport.LIVEKIT).build();

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    @Inject
    SipSettings sip;

    @Inject
    LiveKitSettings livekitSettings;

    private TopicProbe<SessionEvent> events;
    private TopicProbe<AuditRecord> audit;

    @BeforeEach
    void openProbes() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer());
    }

    @AfterEach
    void closeProbes() {
        livekit.reset();
        events.close();
        audit.close();
    }

    private HeldDialPlanner holdDialsOf(String room) {
        HeldDialPlanner held = new HeldDialPlanner(sip, livekitSettings, room);
        QuarkusMock.installMockForType(held, DialPlanner.class);
        return held;
    }

    private CallEnded awaitEnded(String room) {
        return (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
    }

    private SessionEvent awaitOutcome(String room) {
        return events.await(e -> room.equals(e.getRoom()) && (e.getPayload() instanceof CallAnswered || e.getPayload() instanceof CallFailed), WAIT);
    }

    private AuditRecord awaitAudit(CallControlRequest request) {
        return audit.await(a -> request.getCommandId().equals(a.getCommandId()), WAIT);
    }

    private void assertCancelledBeforeDialling(String room, CallControlRequest hangup) {
        SessionEvent outcome = awaitOutcome(room);
        assertThat(outcome.getPayload()).as("the dial's outcome").isInstanceOfSatisfying(CallFailed.class, failed -> {
            assertThat(failed.getReason()).isEqualTo(CallFailureReason.CANCELLED);
            assertThat(failed.getDetail()).contains("hung up meanwhile (command " + hangup.getCommandId() + ")", "not dialled");
        });
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).as("the phone never rang").isEmpty();
        assertThat(livekit.requests(CREATE_DISPATCH, room)).as("no agent was sent").isEmpty();
        assertThat(livekit.hasRoom(room)).isFalse();
    }

    @Test
    void aHangupCarriedOutBeforeTheDialStartedStopsItBeforeThePhoneRings() throws Exception {
        String room = CallControlRequests.room("dial-race");
        livekit.dialOutcome("+15550501", DialOutcome.answerAfter(Duration.ofMillis(500)));
        HeldDialPlanner held = holdDialsOf(room);
        CallControlRequest dial = request(room, dial("+15550501").setRingingTimeoutSeconds(10).build(), "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, dial);
        held.awaitHeld(WAIT);

        CallControlRequest hangup = request(room, CANCEL, "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, hangup);
        // Nothing to delete yet: the hang-up is carried out all the same, and answered.
        assertThat(awaitEnded(room).getMethod()).isEqualTo(HangupMethod.ALREADY_GONE);
        assertThat(awaitAudit(hangup).getOutcome()).isEqualTo("DONE");
        held.release();

        assertCancelledBeforeDialling(room, hangup);
        assertThat(awaitAudit(dial).getOutcome()).isEqualTo("FAILED");
    }

    /** Another tenant's dial of the room, refused by the tenant fence, does not begin a call there: the hang-up stands. */
    @Test
    void anotherTenantsRefusedDialMeanwhileDoesNotUndoTheHangup() throws Exception {
        String room = CallControlRequests.room("dial-race-foreign");
        HeldDialPlanner held = holdDialsOf(room);
        TestProducer.send(Topic.CALL_CONTROL, room, request(room, dial("+15550502").setRingingTimeoutSeconds(10).build(), "acme"));
        held.awaitHeld(WAIT);
        CallControlRequest hangup = request(room, CANCEL, "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, hangup);
        awaitEnded(room);

        CallControlRequest foreign = request(room, dial("+15550503").setRingingTimeoutSeconds(10).build(), "globex");
        TestProducer.send(Topic.CALL_CONTROL, room, foreign);
        assertThat(awaitAudit(foreign).getOutcome()).isEqualTo("REFUSED");
        held.release();

        assertCancelledBeforeDialling(room, hangup);
    }

    /** A dial delivered again after the hang-up (a redelivery) is a repeat: it does not begin the call anew either. */
    @Test
    void aDialDeliveredAgainAfterTheHangupDoesNotUndoIt() throws Exception {
        String room = CallControlRequests.room("dial-race-again");
        HeldDialPlanner held = holdDialsOf(room);
        CallControlRequest dial = request(room, dial("+15550504").setRingingTimeoutSeconds(10).build(), "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, dial);
        held.awaitHeld(WAIT);
        CallControlRequest hangup = request(room, CANCEL, "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, hangup);
        awaitEnded(room);

        TestProducer.send(Topic.CALL_CONTROL, room, dial);
        // Requests of the room are taken in order: once another tenant's hang-up behind it was refused, the repeat arrived.
        CallControlRequest foreign = request(room, CANCEL, "globex");
        TestProducer.send(Topic.CALL_CONTROL, room, foreign);
        assertThat(awaitAudit(foreign).getOutcome()).isEqualTo("REFUSED");
        held.release();

        assertCancelledBeforeDialling(room, hangup);
        assertThat(events.drain(Duration.ofMillis(500)).stream()
                .filter(e -> room.equals(e.getRoom()) && (e.getPayload() instanceof CallAnswered || e.getPayload() instanceof CallFailed)))
                .as("one outcome").hasSize(1);
    }

    /**
     * A hang-up carried out once the dial started but before its phone leg made the room anew (here while LiveKit's
     * CreateSIPParticipant is retried) deleted nothing that rings: the controller deletes the room the phone leg made,
     * which stops the ringing, instead of letting it ring until answered.
     */
    @Test
    void aHangupThatFoundNoRingingRoomStillStopsTheRinging() {
        String room = CallControlRequests.room("dial-race-ringing");
        livekit.dialOutcome("+15550505", DialOutcome.answerAfter(Duration.ofSeconds(15)));
        livekit.failNext(CREATE_SIP_PARTICIPANT, 3, 503);
        TestProducer.send(Topic.CALL_CONTROL, room, request(room, dial("+15550505").setRingingTimeoutSeconds(20).build(), "acme"));
        await().atMost(WAIT).until(() -> !livekit.requests(CREATE_SIP_PARTICIPANT, room).isEmpty());

        CallControlRequest hangup = request(room, CANCEL, "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, hangup);
        awaitEnded(room);

        SessionEvent outcome = events.await(e -> room.equals(e.getRoom()) && (e.getPayload() instanceof CallAnswered || e.getPayload() instanceof CallFailed),
                Duration.ofSeconds(10));
        assertThat(outcome.getPayload()).as("the dial's outcome, well before the phone would have been answered").isInstanceOfSatisfying(CallFailed.class,
                failed -> {
                    assertThat(failed.getReason()).isEqualTo(CallFailureReason.CANCELLED);
                    assertThat(failed.getDetail()).contains("hung up meanwhile (command " + hangup.getCommandId() + ")").doesNotContain("answered, but");
                });
        assertThat(livekit.requests(CREATE_SIP_PARTICIPANT, room)).filteredOn(r -> r.status() != 503).as("rang once").hasSize(1);
        assertThat(livekit.requests(DELETE_ROOM, room)).filteredOn(r -> r.status() == 200).isNotEmpty();
        assertThat(livekit.hasRoom(room)).isFalse();
    }
}
