package dev.switchboard.worker.heartbeat;

import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.WorkerHeartbeatDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The worker's heartbeats on the real broker: keyed by its id, every interval, listing the sessions it runs. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class WorkerHeartbeatsTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1); // %test.switchboard.worker.heartbeat.interval

    @Test
    void theWorkerBeatsEveryIntervalWithTheSessionsItRuns() {
        String workerId = ConfigProvider.getConfig().getValue("switchboard.worker.id", String.class);
        String room = "beat-" + UUID.randomUUID().toString().substring(0, 8);
        try (var beats = TopicProbe.fromNow(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer())) {
            var started = given().contentType(ContentType.JSON).body(Map.of("room", room))
                    .post("/v1/simulated-calls").then().statusCode(201).extract();
            String sessionId = started.path("sessionId");

            ConsumerRecord<String, WorkerHeartbeat> first = beats.awaitRecord(r -> workerId.equals(r.key()) && holds(r.value(), room),
                    INTERVAL.multipliedBy(3));
            // The beats that follow: one every interval at least (a session starting or ending elsewhere adds one between).
            ConsumerRecord<String, WorkerHeartbeat> next = first;
            long longestGap = 0;
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<String, WorkerHeartbeat> previous = next;
                next = beats.awaitRecord(r -> workerId.equals(r.key()) && r.offset() > previous.offset()
                        && r.partition() == previous.partition(), INTERVAL.multipliedBy(3));
                longestGap = Math.max(longestGap, next.value().getSentAt().toEpochMilli() - previous.value().getSentAt().toEpochMilli());
            }

            WorkerHeartbeat beat = first.value();
            assertThat(beat.getWorkerId()).isEqualTo(workerId);
            assertThat(beat.getState()).isEqualTo(WorkerState.RUNNING);
            assertThat(beat.getSource()).isEqualTo("agent-worker");
            assertThat(beat.getIntervalMs()).isEqualTo((int) INTERVAL.toMillis());
            WorkerSession session = beat.getSessions().stream().filter(s -> s.getRoom().equals(room)).findFirst().orElseThrow();
            assertThat(session.getSessionId()).isEqualTo(sessionId);
            assertThat(session.getTransport()).isEqualTo(Transport.SIMULATED);
            assertThat(session.getTenant()).as("the call's tenant").isEqualTo(started.<String>path("tenant"));
            assertThat(longestGap).isLessThanOrEqualTo(INTERVAL.toMillis() + 1000);

            // Once the call ended (the hang-up waits for a controller's confirmation, 4 s in tests, none runs here), the
            // next beats no longer list it.
            given().delete("/v1/simulated-calls/{room}", room).then().statusCode(org.hamcrest.Matchers.lessThan(300));
            long last = next.offset();
            beats.awaitRecord(r -> workerId.equals(r.key()) && r.offset() > last && !holds(r.value(), room), Duration.ofSeconds(10));
        }
    }

    private static boolean holds(WorkerHeartbeat beat, String room) {
        return beat.getSessions().stream().anyMatch(s -> s.getRoom().equals(room));
    }
}
