package dev.switchboard.gateway;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.ControllerState;
import dev.switchboard.events.ControllerStatus;
import dev.switchboard.gateway.controllers.ControllerStatuses;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The call controllers' statuses (switchboard.controller-status, played by the test): while the controllers that reported
 * recently all say they cannot dial (no LiveKit settings), POST /v1/calls is answered 503 at once saying which service
 * lacks what and what to set, and nothing is published; a transfer alike. One capable controller, or none heard from
 * recently, and dials are published as before.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class ControllerStatusGateTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TRUNK = "ST_requestTrunk";
    private static final String NOT_CONFIGURED =
            "LiveKit is not configured on the call controller: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET";
    private static FakeWorker worker;

    @Inject
    ControllerStatuses controllers;

    /** Every controller id this test reported, said STOPPED afterwards: no other test may meet them. */
    private final List<String> reported = new ArrayList<>();

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

    @AfterEach
    void stopEveryControllerReported() {
        for (String id : reported) {
            TestProducer.send(Topic.CONTROLLER_STATUS, id, status(id, ControllerState.STOPPED, false, Instant.now()));
        }
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isEmpty() && controllers.whyNoneCanTransfer().isEmpty());
    }

    private ControllerStatus report(boolean canDial, Instant sentAt) {
        String id = "cc-test-" + UUID.randomUUID();
        reported.add(id);
        ControllerStatus status = status(id, ControllerState.RUNNING, canDial, sentAt);
        TestProducer.send(Topic.CONTROLLER_STATUS, id, status);
        return status;
    }

    private static ControllerStatus status(String id, ControllerState state, boolean capable, Instant sentAt) {
        return ControllerStatus.newBuilder().setControllerId(id).setState(state).setSentAt(sentAt.truncatedTo(ChronoUnit.MILLIS))
                .setIntervalMs(5_000).setCanDial(capable).setCanTransfer(capable).setDetail(capable ? null : NOT_CONFIGURED).build();
    }

    private static io.restassured.response.ValidatableResponse dial(String room) {
        return given().contentType(ContentType.JSON).body(Map.of("to", "+15551239001", "trunkId", TRUNK, "room", room))
                .post("/v1/calls").then();
    }

    @Test
    void whenNoRecentControllerCanDialADialIs503SayingWhatToSetAndNothingIsPublished() {
        ControllerStatus incapable = report(false, Instant.now());
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isPresent());

        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var logs = LogCapture.start()) {
            List<String> rooms = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String room = Api.newRoom("no-controller");
                rooms.add(room);
                dial(room).statusCode(503).contentType("application/problem+json")
                        .body("type", is("urn:switchboard:problem:dialing-not-configured"))
                        .body("detail", containsString("no running call controller can dial"))
                        .body("detail", containsString(incapable.getControllerId() + ": " + NOT_CONFIGURED));
            }
            assertThat(callControl.drain(Duration.ofMillis(500)).stream().map(CallControlRequest::getRoom))
                    .as("no dial published").doesNotContainAnyElementsOf(rooms);
            given().get("/v1/calls/{room}", rooms.getFirst()).then().statusCode(404);
            // A missing setting is not an outage: not a WARN line per request.
            assertThat(logs.atLeast(LogCapture.WARN).stream().filter(r -> String.valueOf(LogCapture.describe(List.of(r)))
                    .contains("no running call controller can dial"))).as(LogCapture.describe(logs.atLeast(LogCapture.WARN))).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void whenNoRecentControllerCanTransferATransferIs503AndNeverReachesTheAgent() {
        String room = Api.newRoom("no-transfer");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        ControllerStatus incapable = report(false, Instant.now());
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanTransfer().isPresent());

        given().contentType(ContentType.JSON).body(Map.of("to", "+15550199")).post("/v1/sessions/{room}/transfer", room)
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", is("urn:switchboard:problem:transfers-not-configured"))
                .body("detail", containsString("no running call controller can transfer"))
                .body("detail", containsString(incapable.getControllerId() + ": " + NOT_CONFIGURED));
        // Other commands are not the controllers' business: still published.
        Api.post(room, "say", Map.of("text", "Still here.")).statusCode(200);
        assertThat(worker.received(room)).extracting(c -> c.getPayload().getClass().getSimpleName()).containsExactly("Say");
    }

    @Test
    void oneRecentControllerThatCanDialIsEnoughAndTheDialIsPublished() {
        report(false, Instant.now());
        ControllerStatus capable = report(true, Instant.now());
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isEmpty());
        assertThat(capable.getCanDial()).isTrue();

        String room = Api.newRoom("capable-controller");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            dial(room).statusCode(202).body("state", is("DIALING"));
            callControl.awaitRecord(r -> room.equals(r.key()), WAIT);
        }
    }

    @Test
    void aControllersTombstoneMakesTheGatewayForgetIt() {
        ControllerStatus incapable = report(false, Instant.now());
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isPresent());

        // What a controller sends after its STOPPED status on a clean shutdown: its record is deleted.
        TestProducer.sendRaw(Topic.CONTROLLER_STATUS, incapable.getControllerId(), null);
        Awaitility.await().atMost(WAIT).until(() -> controllers.latest(incapable.getControllerId()).isEmpty());
        assertThat(controllers.whyNoneCanDial()).isEmpty();
    }

    @Test
    void aCapableStatusDatedFarAheadIsNotBelievedAndIsLoggedOnceWithoutAStackTrace() {
        ControllerStatus incapable = report(false, Instant.now());
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isPresent());

        try (var logs = LogCapture.start()) {
            // Forged, or a controller whose clock is off: it would count as recent until year 10000.
            ControllerStatus forged = report(true, Instant.parse("+10000-01-01T00:00:00Z"));
            String id = forged.getControllerId();
            TestProducer.send(Topic.CONTROLLER_STATUS, id, forged);
            Instant last = Instant.parse("+10001-01-01T00:00:00Z");
            TestProducer.send(Topic.CONTROLLER_STATUS, id, status(id, ControllerState.RUNNING, true, last));
            Awaitility.await().atMost(WAIT).until(() -> controllers.latest(id).map(s -> s.getSentAt().equals(last)).orElse(false));

            dial(Api.newRoom("forged-controller")).statusCode(503)
                    .body("type", is("urn:switchboard:problem:dialing-not-configured"))
                    .body("detail", containsString(incapable.getControllerId()));
            assertThat(logs.atLeast(LogCapture.WARN).stream().filter(r -> LogCapture.describe(List.of(r)).contains(id)))
                    .as("one line for three statuses" + LogCapture.describe(logs.atLeast(LogCapture.WARN))).hasSize(1);
            assertThat(logs.withStackTrace()).as(LogCapture.describe(logs.withStackTrace())).isEmpty();
        }
    }

    @Test
    void aStatusDatedHoursAheadDoesNotHideTheLaterRealOnesOfItsController() {
        ControllerStatus ahead = report(true, Instant.now().plus(Duration.ofHours(3)));
        Awaitility.await().atMost(WAIT).until(() -> controllers.latest(ahead.getControllerId()).isPresent());
        assertThat(controllers.whyNoneCanDial()).as("read, and not believed").isEmpty();

        // Its clock set right, the same controller says it cannot dial: that is what counts now.
        String id = ahead.getControllerId();
        TestProducer.send(Topic.CONTROLLER_STATUS, id, status(id, ControllerState.RUNNING, false, Instant.now()));
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isPresent());
        dial(Api.newRoom("skewed-then-right")).statusCode(503)
                .body("detail", containsString(id + ": " + NOT_CONFIGURED));
    }

    @Test
    void aStaleStatusIsNoReasonToRefuseAndTheDialWaitsInKafkaAsBefore() {
        // Sent 20 s ago with a 5 s interval: the controller may be gone, or restarted as another id.
        ControllerStatus stale = report(false, Instant.now().minusSeconds(20));
        Awaitility.await().atMost(WAIT).until(() -> controllers.latest(stale.getControllerId()).isPresent());
        assertThat(controllers.whyNoneCanDial()).as("read, and not believed").isEmpty();

        String room = Api.newRoom("stale-controller");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            dial(room).statusCode(202).body("state", is("DIALING"));
            callControl.awaitRecord(r -> room.equals(r.key()), WAIT);
        }
        // A fresh word from the same controller and the gateway refuses again: the stale one was read, not missed.
        TestProducer.send(Topic.CONTROLLER_STATUS, stale.getControllerId(), status(stale.getControllerId(), ControllerState.RUNNING, false, Instant.now()));
        Awaitility.await().atMost(WAIT).until(() -> controllers.whyNoneCanDial().isPresent());
        dial(Api.newRoom("stale-then-fresh")).statusCode(503);
    }
}
