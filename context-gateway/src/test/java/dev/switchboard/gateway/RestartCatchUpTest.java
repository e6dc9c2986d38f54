package dev.switchboard.gateway;

import dev.switchboard.gateway.health.LiveSessionRegistryReadinessCheck;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.EventsBeforeStartResource;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A gateway started on a topic that already holds history (a restart, a new replica): once it says it is ready, it
 * knows every session of that history, so it does not answer 404 for a live call, and every dial of it, so a retry with a
 * dial's Idempotency-Key never places it again.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EventsBeforeStartResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RestartCatchUpTest {
    @Test
    void onceReadyTheRegistryKnowsEverySessionPublishedBeforeTheStart() {
        // Read here, not injected: every test class is a bean of the one application, and only this one has these keys.
        var config = ConfigProvider.getConfig();
        String liveRoom = config.getValue("test.before-start.live-room", String.class);
        String liveSession = config.getValue("test.before-start.live-session", String.class);
        String endedRoom = config.getValue("test.before-start.ended-room", String.class);

        Api.awaitReady();
        // No waiting from here on: readiness is the promise.
        Api.session(liveRoom).statusCode(200).body("sessionId", is(liveSession)).body("state", is("LIVE"))
                .body("transport", is("LIVEKIT"));
        Api.session(endedRoom).statusCode(200).body("state", is("ENDED"));

        var health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        Map<String, String> data = health.getMap("checks.find { it.name == '" + LiveSessionRegistryReadinessCheck.NAME + "' }.data");
        long published = 0;
        for (String positionOverTarget : data.values()) {
            String[] parts = positionOverTarget.split("/");
            long position = Long.parseLong(parts[0]);
            long target = Long.parseLong(parts[1]);
            assertThat(position).as("read up to the start-up end offset").isGreaterThanOrEqualTo(target);
            published += target;
        }
        assertThat(data).hasSize(6);
        assertThat(published).isGreaterThanOrEqualTo(2L * EventsBeforeStartResource.ENDED_SESSIONS + 3);
    }

    @Test
    void onceReadyADialPlacedBeforeTheStartIsRecognisedByItsIdempotencyKeyAndNeverPlacedAgain() {
        String run = ConfigProvider.getConfig().getValue("test.before-start.run", String.class);
        String failed = "dial-failed-" + run;
        String ringing = "dial-ringing-" + run;
        String silent = "dial-silent-" + run;
        Api.awaitReady();
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            // Known from its outcome, and now from what it asked for too.
            given().get("/v1/calls/{room}", failed).then().statusCode(200).body("state", is("FAILED"))
                    .body("trunkId", is(EventsBeforeStartResource.TRUNK)).body("from", is(EventsBeforeStartResource.CALLER_ID))
                    .body("failure.sipStatusCode", is(486));
            dial(failed, EventsBeforeStartResource.DIALLED).statusCode(200).body("state", is("FAILED")).body("room", is(failed));
            dial(failed, "+15551230999").statusCode(409).contentType("application/problem+json")
                    .body("type", is("urn:switchboard:problem:idempotency-key-reused"))
                    .body("detail", containsString("different request"));

            // Still ringing when the gateway started.
            given().get("/v1/calls/{room}", ringing).then().statusCode(200).body("state", is("DIALING"));
            dial(ringing, EventsBeforeStartResource.DIALLED).statusCode(202).body("state", is("DIALING")).body("room", is(ringing));
            dial(ringing, "+15551230999").statusCode(409).body("detail", containsString("different request"));

            // Expired before the start, but a controller that took it in time may still ring: ringing here, and watched.
            String late = "dial-late-" + run;
            given().get("/v1/calls/{room}", late).then().statusCode(200).body("state", is("DIALING"));
            dial(late, EventsBeforeStartResource.DIALLED, 300).statusCode(202).body("state", is("DIALING")).body("room", is(late));

            // Placed ten minutes ago and no outcome names it: not shown as ringing, and not placed again.
            given().get("/v1/calls/{room}", silent).then().statusCode(404);
            dial(silent, EventsBeforeStartResource.DIALLED).statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("no outcome on record"));
            dial(silent, "+15551230999").statusCode(409).body("detail", containsString("different request"));

            assertThat(callControl.drain(Duration.ofSeconds(1))).as("dials published by the retries")
                    .noneMatch(request -> Set.of(failed, ringing, late, silent).contains(request.getCommandId()));
        }
    }

    private static ValidatableResponse dial(String key, String to) {
        return dial(key, to, 30);
    }

    private static ValidatableResponse dial(String key, String to, int ringingSeconds) {
        return given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("to", to, "trunkId", EventsBeforeStartResource.TRUNK, "from", EventsBeforeStartResource.CALLER_ID,
                        "ringingTimeout", ringingSeconds + "s"))
                .post("/v1/calls").then();
    }
}
