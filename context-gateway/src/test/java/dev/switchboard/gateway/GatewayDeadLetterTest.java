package dev.switchboard.gateway;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.DeadLetterConventionsTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Session events, command results, dials on call-control and (for the watchdog) session commands: poison is dead-lettered, labelled. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayDeadLetterTest extends DeadLetterConventionsTest {

    /** Records from before the start are replayed, not dead-lettered again: wait until those are read. */
    @Override
    protected void beforeSending() {
        Api.awaitReady();
    }

    @Test
    void aSessionEventDatedOutsideFourDigitYearsIsDeadLetteredAsInvalidAndNeverShownAsALiveCall() {
        Api.awaitReady();
        String room = Api.newRoom("far-future");
        SessionEvent started = SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room)
                .setSessionId(UUID.randomUUID().toString()).setOccurredAt(Instant.parse("+200000000-01-01T00:00:00Z"))
                .setSource("agent-worker").setPayload(SessionStarted.newBuilder().setTransport(Transport.SIMULATED)
                        .setDirection(CallDirection.INBOUND).setWorkerId("worker-far-future").build())
                .build();
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_EVENTS.deadLetter(), new ByteArrayDeserializer())) {
            TestProducer.send(Topic.SESSION_EVENTS, room, started);
            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> room.equals(r.key())
                    && "context-gateway".equals(header(r, "dead-letter-service")), Duration.ofSeconds(30));
            assertThat(header(dead, "dead-letter-kind")).isEqualTo("invalid");
            assertThat(header(dead, "dead-letter-reason")).startsWith("occurredAt is out of range");
        }
        Api.session(room).statusCode(404);
    }

    @Test
    void aSessionWithoutARoomOrWithATenantNoURLCanCarryIsDeadLetteredAsInvalid() {
        Api.awaitReady();
        String marker = Api.newRoom("bad-session");
        SessionEvent noRoom = started("", marker, "default");
        SessionEvent badTenant = started(marker, UUID.randomUUID().toString(), "../../etc x");
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_EVENTS.deadLetter(), new ByteArrayDeserializer())) {
            TestProducer.send(Topic.SESSION_EVENTS, "no-room-" + marker, noRoom);
            TestProducer.send(Topic.SESSION_EVENTS, marker, badTenant);
            ConsumerRecord<String, byte[]> roomless = dlq.awaitRecord(r -> ("no-room-" + marker).equals(r.key())
                    && "context-gateway".equals(header(r, "dead-letter-service")), Duration.ofSeconds(30));
            assertThat(header(roomless, "dead-letter-kind")).isEqualTo("invalid");
            assertThat(header(roomless, "dead-letter-reason")).isEqualTo("room is missing");
            ConsumerRecord<String, byte[]> tenant = dlq.awaitRecord(r -> marker.equals(r.key())
                    && "context-gateway".equals(header(r, "dead-letter-service")), Duration.ofSeconds(30));
            assertThat(header(tenant, "dead-letter-reason")).startsWith("tenant must be 1 to 64 letters");
        }
        Api.session(marker).statusCode(404);
    }

    private static SessionEvent started(String room, String sessionId, String tenant) {
        return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                .setOccurredAt(Instant.now()).setSource("agent-worker").setPayload(SessionStarted.newBuilder()
                        .setTransport(Transport.SIMULATED).setDirection(CallDirection.INBOUND).setWorkerId("worker-bad").setTenant(tenant).build())
                .build();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
