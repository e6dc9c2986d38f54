package dev.switchboard.gateway;

import dev.switchboard.events.EndReason;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** GET /v1/sessions and the registry behind it, fed by real session events. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class LiveSessionRegistryTest {
    private static FakeWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = FakeWorker.start();
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @BeforeEach
    void gatewayIsReady() {
        Api.awaitReady();
    }

    private static List<String> listedRooms(String query) {
        return given().get("/v1/sessions" + query).then().statusCode(200).extract().jsonPath().getList("sessions.room");
    }

    @Test
    void aSessionGoesFromLiveToEndingToEndedAndIsListedAccordingly() {
        String room = Api.newRoom("lifecycle");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        Api.session(room).statusCode(200)
                .body("transport", is("SIMULATED"))
                .body("direction", is("INBOUND"))
                .body("agentName", is("test-agent"))
                .body("workerId", is(worker.workerId()))
                .body("callerNumber", is("+15550100"))
                .body("calleeNumber", is("+15550199"))
                .body("startedAt", notNullValue())
                .body("endedAt", nullValue());
        assertThat(listedRooms("")).contains(room);
        assertThat(listedRooms("?state=live")).contains(room);
        assertThat(listedRooms("?state=ended")).doesNotContain(room);

        worker.callEnded(room, sessionId, EndReason.OPERATOR_HANGUP, null);
        Api.awaitSession(room, sessionId, "ENDING");
        assertThat(listedRooms("")).contains(room);
        assertThat(listedRooms("?state=live")).doesNotContain(room);

        worker.endSession(room, sessionId, EndReason.OPERATOR_HANGUP);
        Api.awaitSession(room, sessionId, "ENDED");
        Api.session(room).statusCode(200)
                .body("endedAt", notNullValue())
                .body("endReason", is("OPERATOR_HANGUP"))
                .body("sessionEnded.durationMs", is(1234))
                .body("callEnded.reason", is("OPERATOR_HANGUP"));
        assertThat(listedRooms("")).doesNotContain(room);
        assertThat(listedRooms("?state=ended")).contains(room);
        assertThat(listedRooms("?all=true")).contains(room);
        assertThat(listedRooms("?all")).as("a bare ?all is true").contains(room);
        assertThat(listedRooms("?all=false")).doesNotContain(room);
    }

    @Test
    void aReusedRoomShowsItsLatestSession() {
        String room = Api.newRoom("reused");
        String first = worker.startSession(room);
        Api.awaitSession(room, first, "LIVE");
        worker.endSession(room, first, EndReason.CALLER_HANGUP);
        Api.awaitSession(room, first, "ENDED");

        String second = worker.startSession(room);
        Api.awaitSession(room, second, "LIVE");
        Api.session(room).body("endedAt", nullValue());
        given().queryParam("sessionId", first).get("/v1/sessions/{room}", room).then().statusCode(404)
                .body("detail", containsString("its latest session is " + second));

        // A late event of the first session changes nothing for the second: had it been applied to the second,
        // its CallEnded reason (the first one seen wins) would be CALLER_HANGUP, not MAX_DURATION.
        worker.callEnded(room, first, EndReason.CALLER_HANGUP, null);
        worker.callEnded(room, second, EndReason.MAX_DURATION, null);
        Api.awaitSession(room, second, "ENDING");
        Api.session(room).body("callEnded.reason", is("MAX_DURATION"));
    }

    @Test
    void anUndecodableSessionEventIsDeadLetteredAndTheRegistryKeepsWorking() {
        String room = Api.newRoom("poison-event");
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_EVENTS_DLQ, new ByteArrayDeserializer())) {
            byte[] poison = ("not an event " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            TestProducer.sendRaw(Topic.SESSION_EVENTS, room, poison);
            String sessionId = worker.startSession(room); // behind the poison record, on the same partition

            var dead = dlq.awaitRecord(r -> Arrays.equals(r.value(), poison), Duration.ofSeconds(15));
            assertThat(dead.key()).isEqualTo(room);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .contains("SessionEvent");
            Api.awaitSession(room, sessionId, "LIVE");
        }
    }
}
