package dev.switchboard.gateway.support;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.events.Usage;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.UUID;

/**
 * Publishes a history of session events before the gateway starts, as a restarted gateway finds it: many sessions
 * that started and ended, one that is still live and one that ended. The gateway under test gets a fresh instance id
 * (so fresh consumer groups) and must rebuild its registry from that history before it reports ready.
 */
public class EventsBeforeStartResource implements QuarkusTestResourceLifecycleManager {
    public static final int ENDED_SESSIONS = 300;

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
            producer.flush();
        }
        return Map.of(
                "switchboard.gateway.instance-id", "restarted-" + run,
                "test.before-start.live-room", liveRoom,
                "test.before-start.live-session", liveSession,
                "test.before-start.ended-room", endedRoom);
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
