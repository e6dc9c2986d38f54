package dev.switchboard.gateway.support;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.events.Usage;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes a history of session events before the gateway starts, as a restarted gateway finds it: many sessions
 * that started and ended, one that is still live and one that ended; and three dials on the call-control topic: one
 * that failed (its CallFailed on the session events), one still ringing, one expired whose phone may still ring, and one
 * placed ten minutes ago that no outcome names. The gateway under test gets a fresh instance id (so fresh consumer groups) and must rebuild its registry and
 * its calls from that history before it reports ready.
 */
public class EventsBeforeStartResource implements QuarkusTestResourceLifecycleManager {
    public static final int ENDED_SESSIONS = 300;
    /** What the dials before the start asked for. */
    public static final String TRUNK = "ST_beforeStart";
    public static final String DIALLED = "+15551230901";
    public static final String CALLER_ID = "+15557654321";

    @Override
    public Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String liveRoom = "before-start-live-" + run;
        String liveSession = UUID.randomUUID().toString();
        String endedRoom = "before-start-ended-" + run;
        String endedSession = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<String, SessionEvent>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new AvroSerializer<>())) {
            for (int i = 0; i < ENDED_SESSIONS; i++) {
                String room = "before-start-" + run + "-" + i;
                String sessionId = UUID.randomUUID().toString();
                producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), room, started(room, sessionId)));
                producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), room, ended(room, sessionId)));
            }
            producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), endedRoom, started(endedRoom, endedSession)));
            producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), endedRoom, ended(endedRoom, endedSession)));
            producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), liveRoom, started(liveRoom, liveSession)));
            producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), "dial-failed-" + run, event("dial-failed-" + run, null,
                    CallFailed.newBuilder().setPhoneNumber(DIALLED).setReason(CallFailureReason.BUSY).setSipStatusCode(486)
                            .setSipStatus("Busy Here").setDetail("busy").setDialCommandId("dial-failed-" + run).setTenant("default").build())));
            producer.flush();
        }
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
        try (var producer = new KafkaProducer<String, CallControlRequest>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new AvroSerializer<>())) {
            send(producer, "dial-failed-" + run, tenMinutesAgo, Duration.ofMinutes(1), 30);
            send(producer, "dial-ringing-" + run, Instant.now(), Duration.ofMinutes(1), 30);
            send(producer, "dial-silent-" + run, tenMinutesAgo, Duration.ofMinutes(1), 30);
            // Expired before the gateway starts, yet a controller that took it in time may ring for five minutes.
            send(producer, "dial-late-" + run, Instant.now().minusSeconds(10), Duration.ofSeconds(5), 300);
            producer.flush();
        }
        return Map.of(
                "switchboard.gateway.instance-id", "restarted-" + run,
                "test.before-start.live-room", liveRoom,
                "test.before-start.live-session", liveSession,
                "test.before-start.ended-room", endedRoom,
                "test.before-start.run", run);
    }

    /** A dial of the tenant default; the room is named after the key (its commandId), as the test dials it. */
    private static void send(KafkaProducer<String, CallControlRequest> producer, String key, Instant issuedAt, Duration lifetime,
                             int ringingSeconds) {
        Commands placedThen = new Commands(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("test-admin").build(), lifetime,
                Clock.fixed(issuedAt, ZoneOffset.UTC));
        CallControlRequest request = placedThen.callControl(key, key, DialRequested.newBuilder().setSipTrunkId(TRUNK)
                .setPhoneNumber(DIALLED).setFromNumber(CALLER_ID).setMetadata(Map.of()).setRingingTimeoutSeconds(ringingSeconds)
                .build(), lifetime, "default");
        producer.send(new ProducerRecord<>(Topic.CALL_CONTROL.topicName(), key, request));
    }

    private static SessionEvent started(String room, String sessionId) {
        return event(room, sessionId, SessionStarted.newBuilder().setTransport(Transport.LIVEKIT)
                .setDirection(CallDirection.OUTBOUND).setWorkerId("worker-before-start").build());
    }

    private static SessionEvent ended(String room, String sessionId) {
        return event(room, sessionId, SessionEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDurationMs(1000)
                .setUsage(Usage.newBuilder().build()).build());
    }

    private static SessionEvent event(String room, String sessionId, Object payload) {
        return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                .setOccurredAt(FakeWorker.now()).setSource("agent-worker").setPayload(payload).build();
    }

    @Override
    public void stop() {
        // The records stay in the shared broker's topic, like any history.
    }
}
