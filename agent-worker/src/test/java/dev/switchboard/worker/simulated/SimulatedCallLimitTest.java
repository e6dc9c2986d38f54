package dev.switchboard.worker.simulated;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A worker runs at most SWITCHBOARD_SIMULATED_MAX_CALLS simulated calls at once, whoever's they are; one more is a 429
 * with Retry-After that says nothing of the other calls; an ended call makes room again.
 */
@QuarkusTest
@TestProfile(SimulatedCallLimitTest.TwoCalls.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class SimulatedCallLimitTest {

    public static class TwoCalls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.simulated.max-calls", "2");
        }
    }

    @Test
    void aThirdCallIs429UntilOneOfTheTwoRunningEnds() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        start("limit-a-" + run).statusCode(201);
        start("limit-b-" + run).statusCode(201);

        String detail = start("limit-c-" + run).statusCode(429).contentType(containsString("application/problem+json"))
                .body("type", is("urn:switchboard:problem:too-many-calls"))
                .header("Retry-After", "5")
                .extract().path("detail");
        // Neither the running calls nor the limit (both 2 here): with the caller's own count, they would tell it the others'.
        assertThat(detail).contains("SWITCHBOARD_SIMULATED_MAX_CALLS").doesNotContain("2");
        given().get("/v1/simulated-calls/{room}", "limit-c-" + run).then().statusCode(404);

        given().delete("/v1/simulated-calls/{room}", "limit-a-" + run).then().statusCode(204);
        Awaitility.await("the ended call makes room").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> start("limit-c-" + run).extract().statusCode() == 201);
        start("limit-d-" + run).statusCode(429);
    }

    private static io.restassured.response.ValidatableResponse start(String room) {
        return given().contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls").then();
    }
}
