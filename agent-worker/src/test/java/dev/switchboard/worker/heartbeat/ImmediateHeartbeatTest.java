package dev.switchboard.worker.heartbeat;

import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.schemas.serde.WorkerHeartbeatDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session starting or ending is beaten at once, not at the next interval: the call controller learns from the beats
 * which tenant a room belongs to, and fences requests of other tenants only once it knows. The interval here is an hour,
 * so only those beats can arrive.
 */
@QuarkusTest
@TestProfile(ImmediateHeartbeatTest.HourlyBeats.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class ImmediateHeartbeatTest {

    public static class HourlyBeats implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.worker.heartbeat.interval", "1h");
        }
    }

    @Test
    void aSessionIsReportedAsSoonAsItStartsAndNoLongerOnceItEnded() {
        String workerId = ConfigProvider.getConfig().getValue("switchboard.worker.id", String.class);
        String room = "beat-now-" + UUID.randomUUID().toString().substring(0, 8);
        try (var beats = TopicProbe.fromNow(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer())) {
            var started = given().contentType(ContentType.JSON).body(Map.of("room", room))
                    .post("/v1/simulated-calls").then().statusCode(201).extract();

            var beat = beats.awaitRecord(r -> workerId.equals(r.key()) && holds(r.value(), room), Duration.ofSeconds(5));
            WorkerSession session = beat.value().getSessions().stream().filter(s -> s.getRoom().equals(room)).findFirst().orElseThrow();
            assertThat(session.getSessionId()).isEqualTo(started.<String>path("sessionId"));
            assertThat(session.getTenant()).isEqualTo(started.<String>path("tenant"));

            // The hang-up waits for a controller's confirmation (4 s in tests, none runs here), then the session ends.
            given().delete("/v1/simulated-calls/{room}", room).then().statusCode(Matchers.lessThan(300));
            long seen = beat.offset();
            beats.awaitRecord(r -> workerId.equals(r.key()) && r.offset() > seen && !holds(r.value(), room), Duration.ofSeconds(15));
        }
    }

    private static boolean holds(WorkerHeartbeat beat, String room) {
        return beat.getSessions().stream().anyMatch(s -> s.getRoom().equals(room));
    }
}
