package dev.switchboard.worker.heartbeat;

import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A worker the controller declared lost while it was still alive ends, in its own process too, the sessions the verdict
 * lists, without a second SessionEnded (the controller published theirs).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class LostVerdictTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static String start(String room) {
        return given().contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls").then().statusCode(201)
                .extract().path("sessionId");
    }

    private static WorkerHeartbeat lost(String workerId, String room, String sessionId) {
        return WorkerHeartbeat.newBuilder().setWorkerId(workerId).setState(WorkerState.LOST).setSentAt(Instant.now())
                .setSource("call-controller").setIntervalMs(0).setDetail("silent for 12000 ms")
                .setSessions(List.of(WorkerSession.newBuilder().setRoom(room).setSessionId(sessionId).setTransport(Transport.SIMULATED)
                        .setStartedAt(Instant.now()).build()))
                .build();
    }

    @Test
    void theSessionsAVerdictAboutThisWorkerListsEndAndTheOthersGoOn() {
        String workerId = ConfigProvider.getConfig().getValue("switchboard.worker.id", String.class);
        String listed = "lost-" + UUID.randomUUID().toString().substring(0, 8);
        String notListed = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        String elsewhere = "other-" + UUID.randomUUID().toString().substring(0, 8);
        String listedSession = start(listed);
        start(notListed);
        String elsewhereSession = start(elsewhere);
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            // Another worker's verdict naming a session id of ours changes nothing here; ours ends what it lists.
            TestProducer.send(Topic.WORKER_HEARTBEATS, "some-other-worker", lost("some-other-worker", elsewhere, elsewhereSession));
            TestProducer.send(Topic.WORKER_HEARTBEATS, workerId, lost(workerId, listed, listedSession));

            await().atMost(WAIT).untilAsserted(() ->
                    given().get("/v1/simulated-calls/{room}", listed).then().statusCode(200).body("state", equalTo("ENDED")));
            // The controller published the listed session's SessionEnded before its verdict: the worker adds none,
            // for it or for the sessions the verdict does not list.
            assertThat(events.drain(Duration.ofSeconds(2))).noneMatch(e -> e.getPayload() instanceof SessionEnded
                    && (listed.equals(e.getRoom()) || notListed.equals(e.getRoom()) || elsewhere.equals(e.getRoom())));
        }
        given().get("/v1/simulated-calls/{room}", notListed).then().body("state", equalTo("ACTIVE"));
        given().get("/v1/simulated-calls/{room}", elsewhere).then().body("state", equalTo("ACTIVE"));
        given().delete("/v1/simulated-calls/{room}", notListed);
        given().delete("/v1/simulated-calls/{room}", elsewhere);
    }
}
