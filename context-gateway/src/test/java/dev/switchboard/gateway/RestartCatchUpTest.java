package dev.switchboard.gateway;

import dev.switchboard.gateway.health.LiveSessionRegistryReadinessCheck;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.EventsBeforeStartResource;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A gateway started on a topic that already holds history (a restart, a new replica): once it says it is ready, it
 * knows every session of that history, so it does not answer 404 for a live call.
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
}
