package dev.switchboard.controller;

import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.testing.livekit.ApiFault;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import livekit.LivekitModels.ParticipantInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.switchboard.controller.CallControlRequests.LLM;
import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.LIST_PARTICIPANTS;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.REMOVE_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hang-ups from switchboard.call-control carried out against a fake LiveKit server API, on the real broker. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class HangupTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SIP_CALLER = "sip_+15550100";

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    @Inject
    MeterRegistry metrics;

    private TopicProbe<SessionEvent> events;
    private TopicProbe<byte[]> deadLetters;
    private TopicProbe<AuditRecord> audit;

    @BeforeEach
    void openProbes() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        deadLetters = TopicProbe.fromNow(Topic.CALL_CONTROL_DLQ, new ByteArrayDeserializer());
        audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer());
    }

    @AfterEach
    void closeProbes() {
        livekit.reset(); // the fake is shared with the other test classes of this resource set
        events.close();
        deadLetters.close();
        audit.close();
    }

    private static ParticipantInfo[] agentAndCaller() {
        return new ParticipantInfo[]{
                FakeLiveKitServer.participant("agent-worker-7", ParticipantInfo.Kind.AGENT, Map.of()),
                FakeLiveKitServer.participant(SIP_CALLER, ParticipantInfo.Kind.SIP, Map.of("sip.phoneNumber", "+15550100"))};
    }

    private ConsumerRecord<String, SessionEvent> awaitCallEnded(String room) {
        return events.awaitRecord(r -> room.equals(r.key()) && r.value().getPayload() instanceof CallEnded, WAIT);
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String room) {
        return deadLetters.awaitRecord(r -> room.equals(r.key()), WAIT);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private double count(String name, String... tags) {
        Counter counter = metrics.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theDefaultPolicyDeletesTheRoomWithAValidTokenAndPublishesCallEnded() {
        String room = CallControlRequests.room("delete");
        livekit.room(room, agentAndCaller());
        HangupRequested hangup = hangup(Transport.LIVEKIT).build();
        CallControlRequest request = request(room, hangup);

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        ConsumerRecord<String, SessionEvent> record = awaitCallEnded(room);
        SessionEvent event = record.value();
        CallEnded ended = (CallEnded) event.getPayload();
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
        assertThat(ended.getReason()).isEqualTo(hangup.getReason());
        assertThat(ended.getEndedBy()).isEqualTo(LLM);
        assertThat(ended.getDetail()).isEqualTo("the customer's question was answered");
        assertThat(ended.getHangupCommandId()).isEqualTo(request.getCommandId());
        assertThat(event.getRoom()).isEqualTo(room);
        assertThat(event.getSessionId()).isEqualTo(hangup.getSessionId());
        assertThat(event.getSource()).isEqualTo("call-controller");

        assertThat(livekit.hasRoom(room)).isFalse();
        assertThat(livekit.requestsFor(room)).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo(DELETE_ROOM);
            assertThat(call.authorized()).isTrue();
            assertThat(call.video()).containsEntry("roomCreate", true);
            assertThat(call.status()).isEqualTo(200);
        });

        AuditRecord audited = audit.await(a -> request.getCommandId().equals(a.getCommandId()), WAIT);
        assertThat(audited.getActor()).isEqualTo(LLM);
        assertThat(audited.getAction()).isEqualTo("HangupRequested");
        assertThat(audited.getOutcome()).isEqualTo("DONE");
        assertThat(audited.getRoom()).isEqualTo(room);
        assertThat(audited.getSessionId()).isEqualTo(hangup.getSessionId());
        assertThat(audited.getService()).isEqualTo("call-controller");
    }

    @Test
    void removeSipParticipantRemovesTheSipParticipantFoundByListParticipants() {
        String room = CallControlRequests.room("remove-sip");
        livekit.room(room, agentAndCaller());

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).setScope(HangupScope.REMOVE_SIP_PARTICIPANT).build()));

        CallEnded ended = (CallEnded) awaitCallEnded(room).value().getPayload();
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.REMOVE_SIP_PARTICIPANT);
        assertThat(livekit.requestsFor(room)).extracting(FakeLiveKitServer.RecordedRequest::method)
                .containsExactly(LIST_PARTICIPANTS, REMOVE_PARTICIPANT);
        assertThat(livekit.requests(REMOVE_PARTICIPANT, room).getFirst().identity()).isEqualTo(SIP_CALLER);
        assertThat(livekit.requestsFor(room)).allSatisfy(call -> {
            assertThat(call.authorized()).isTrue();
            assertThat(call.video()).containsEntry("roomAdmin", true).containsEntry("room", room);
        });
        // Only the phone leg was hung up; the room and the agent stay.
        assertThat(livekit.participants(room)).containsExactly("agent-worker-7");
    }

    @Test
    void aNamedParticipantIsRemovedWithoutListing() {
        String room = CallControlRequests.room("remove-named");
        livekit.room(room, agentAndCaller());

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT)
                .setScope(HangupScope.REMOVE_SIP_PARTICIPANT).setParticipantIdentity(SIP_CALLER).build()));

        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.REMOVE_SIP_PARTICIPANT);
        assertThat(livekit.requestsFor(room)).extracting(FakeLiveKitServer.RecordedRequest::method).containsExactly(REMOVE_PARTICIPANT);
    }

    @Test
    void aRoomLiveKitDoesNotKnowIsAlreadyGoneEvenForASimulatedCall() {
        String room = CallControlRequests.room("gone");

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.SIMULATED).build()));

        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.ALREADY_GONE);
        assertThat(livekit.requestsFor(room)).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo(DELETE_ROOM);
            assertThat(call.status()).isEqualTo(404);
        });
    }

    @Test
    void aRepeatedCommandAndASecondHangupOfTheRoomCallLiveKitOnceAndEndTheCallOnce() {
        String room = CallControlRequests.room("once");
        livekit.room(room, agentAndCaller());
        HangupRequested hangup = hangup(Transport.LIVEKIT).build();
        CallControlRequest first = request(room, hangup);
        // Another hang-up of the same session (an operator's), with its own command id.
        CallControlRequest second = request(room, hangup(Transport.LIVEKIT).setSessionId(hangup.getSessionId())
                .setReason(EndReason.OPERATOR_HANGUP).build());
        double duplicates = count("switchboard.controller.hangups", "outcome", "duplicate");
        double alreadyEnded = count("switchboard.controller.hangups", "outcome", "already_ended");

        // All three at once: they are handled one after the other because they are for the same room.
        TestProducer.send(Topic.CALL_CONTROL, room, first);
        TestProducer.send(Topic.CALL_CONTROL, room, first);
        TestProducer.send(Topic.CALL_CONTROL, room, second);

        awaitCallEnded(room);
        await().atMost(WAIT).until(() -> count("switchboard.controller.hangups", "outcome", "duplicate") >= duplicates + 1
                && count("switchboard.controller.hangups", "outcome", "already_ended") >= alreadyEnded + 1);
        assertThat(livekit.requestsFor(room)).hasSize(1);
        assertThat(events.drain(Duration.ofMillis(300)).stream()
                .filter(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded))
                .singleElement()
                .satisfies(e -> assertThat(((CallEnded) e.getPayload()).getHangupCommandId()).isEqualTo(first.getCommandId()));
    }

    @Test
    void transientFailuresAreRetriedWithBackoff() {
        String room = CallControlRequests.room("retry");
        livekit.room(room, agentAndCaller()).failNext(DELETE_ROOM, 2, 503);
        double retries = count("switchboard.controller.livekit.retries", "operation", DELETE_ROOM);

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));

        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
        assertThat(livekit.requestsFor(room)).extracting(FakeLiveKitServer.RecordedRequest::status).containsExactly(503, 503, 200);
        assertThat(count("switchboard.controller.livekit.retries", "operation", DELETE_ROOM)).isEqualTo(retries + 2);
    }

    @Test
    void serverErrorsAndATimeoutAreRetriedUntilLiveKitHasEndedTheCallOnce() {
        String room = CallControlRequests.room("faults");
        livekit.room(room, agentAndCaller()).faultNext(DELETE_ROOM,
                new ApiFault.HttpError(500), new ApiFault.Timeout(Duration.ofMillis(2500), false), new ApiFault.HttpError(502));
        double retries = count("switchboard.controller.livekit.retries", "operation", DELETE_ROOM);

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));

        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
        assertThat(livekit.requestsFor(room)).extracting(FakeLiveKitServer.RecordedRequest::fault)
                .containsExactly("HTTP 500", "timeout", "HTTP 502", null);
        assertThat(livekit.requestsFor(room)).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(count("switchboard.controller.livekit.retries", "operation", DELETE_ROOM)).isEqualTo(retries + 3);
        assertThat(events.drain(Duration.ofMillis(300)).stream().filter(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded)).hasSize(1);
    }

    @Test
    void aHangupWhoseAnswerWasLostFindsTheRoomGoneOnItsRetry() {
        String room = CallControlRequests.room("lost-answer");
        // LiveKit deleted the room, but its answer came after the controller stopped waiting.
        livekit.room(room, agentAndCaller()).faultNext(DELETE_ROOM, new ApiFault.Timeout(Duration.ofMillis(2500), true));

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));

        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.ALREADY_GONE);
        assertThat(livekit.requestsFor(room)).extracting(FakeLiveKitServer.RecordedRequest::status).containsExactly(200, 404);
        assertThat(livekit.hasRoom(room)).isFalse();
    }

    @Test
    void aRoomClosedUnderTheHangupCountsAsEndedWithoutRetrying() {
        String room = CallControlRequests.room("vanished");
        livekit.room(room, agentAndCaller()).faultNext(DELETE_ROOM, new ApiFault.RoomVanished());

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));

        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.ALREADY_GONE);
        assertThat(livekit.requestsFor(room)).extracting(FakeLiveKitServer.RecordedRequest::status).containsExactly(404);
    }

    @Test
    void aLiveKitThatKeepsFailingSendsTheRequestToTheDeadLetterTopic() {
        String room = CallControlRequests.room("unavailable");
        livekit.room(room, agentAndCaller()).failNext(DELETE_ROOM, 1_000, 503);
        CallControlRequest request = request(room, hangup(Transport.LIVEKIT).build());

        TestProducer.send(Topic.CALL_CONTROL, room, request);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(room);
        assertThat(header(dead, "dead-letter-reason")).contains("DeleteRoom kept failing", "503", "gave up after");
        assertThat(header(dead, "dead-letter-kind")).as("a sound request LiveKit kept failing: replay it later").isEqualTo("failed");
        assertThat(livekit.requestsFor(room).size()).isGreaterThan(2);
        assertThat(livekit.hasRoom(room)).isTrue();
        assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> room.equals(e.getRoom()));
    }

    @Test
    void aPermanentRefusalIsDeadLetteredWithoutRetrying() {
        String room = CallControlRequests.room("refused");
        livekit.room(room, agentAndCaller()).failNext(DELETE_ROOM, 1, 403);

        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));

        assertThat(header(awaitDeadLetter(room), "dead-letter-reason")).contains("DeleteRoom refused", "403");
        assertThat(livekit.requestsFor(room)).hasSize(1);
        assertThat(audit.await(a -> room.equals(a.getRoom()), WAIT)).satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo("REFUSED");
            assertThat(a.getDetail()).contains("403");
        });
    }

    @Test
    void anExpiredRequestIsAnsweredExpiredNotCarriedOutAndNotDeadLettered() {
        String room = CallControlRequests.room("expired");
        livekit.room(room, agentAndCaller());
        // Issued a minute ago with a 30 s lifetime (a controller back after being away, say).
        Clock aMinuteAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1));
        CallControlRequest stale = new Commands(LLM, Duration.ofSeconds(30), aMinuteAgo)
                .callControl(room, hangup(Transport.LIVEKIT).build());

        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            TestProducer.send(Topic.CALL_CONTROL, room, stale);

            var record = results.awaitRecord(r -> stale.getCommandId().equals(r.value().getCommandId()), WAIT);
            assertThat(record.key()).isEqualTo(room);
            CommandResult result = record.value();
            assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(result.getCommandType()).isEqualTo("HangupRequested");
            assertThat(result.getReason()).isEqualTo("expired at " + stale.getExpiresAt() + ", not carried out");

            AuditRecord trace = audit.await(r -> stale.getCommandId().equals(r.getCommandId()), WAIT);
            assertThat(trace.getOutcome()).isEqualTo("FAILED");
            assertThat(trace.getDetail()).isEqualTo("EXPIRED: " + result.getReason());
            // An expired request is not poison: answered, acknowledged, nothing dead-lettered.
            assertThat(deadLetters.drainRecords(Duration.ofSeconds(2))).noneMatch(r -> room.equals(r.key()));
        }
        assertThat(livekit.requestsFor(room)).isEmpty();
        assertThat(livekit.hasRoom(room)).isTrue();
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextRequestStillHandled() {
        String room = CallControlRequests.room("poison");
        byte[] poison = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        TestProducer.sendRaw(Topic.CALL_CONTROL, room, poison);
        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.SIMULATED).build()));

        assertThat(awaitDeadLetter(room).value()).isEqualTo(poison);
        assertThat(((CallEnded) awaitCallEnded(room).value().getPayload()).getMethod()).isEqualTo(HangupMethod.ALREADY_GONE);
    }
}
