package dev.switchboard.transcripts.api;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console reads transcripts from another origin in the local stack: the origin configured (here
 * http://console.example) may send its bearer token; any other origin gets no permission, and a token is still needed.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleCorsTest {
    private static final String CONSOLE = "http://console.example";

    private static Response preflight(String origin) {
        return RestAssured.given().header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/v1/sessions/some-room/transcript/stream");
    }

    @Test
    void theConsolesOriginMaySendItsTokenAndReadAnswers() {
        Response answer = preflight(CONSOLE);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
        assertThat(answer.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        assertThat(answer.header("Access-Control-Allow-Methods")).contains("GET");

        Response read = RestAssured.given().header("Origin", CONSOLE).get("/v1/sessions?limit=1");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
    }

    @Test
    void anotherOriginIsNotAllowedAndATokenIsStillNeeded() {
        Response answer = preflight("http://elsewhere.example");
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();

        Response read = RestAssured.given().header("Origin", "http://elsewhere.example").get("/v1/sessions?limit=1");
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(read.header("Access-Control-Allow-Origin")).isNull();

        Response noToken = RestAssured.given().filter(TestTokens.withoutToken()).header("Origin", CONSOLE).get("/v1/sessions?limit=1");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE); // so the console can read why
    }

    /** Quarkus' CORS filter answers a refused origin with an empty 403; the kit answers it first, as a problem. */
    @Test
    void aRefusedOriginIsA403ProblemNamingTheOriginAndNothingIsLogged() {
        try (LogCapture log = LogCapture.start()) {
            for (String origin : List.of("http://elsewhere.example", "http://localhost:1", "has spaces", "null", "eyJhbGciOiJub25lIn0.e30.")) {
                for (Response answer : List.of(RestAssured.given().header("Origin", origin).get("/v1/sessions?limit=1"),
                        RestAssured.given().header("Origin", origin).delete("/v1/sessions/some-room"), preflight(origin))) {
                    assertThat(answer.statusCode()).as(origin).isEqualTo(403);
                    assertThat(answer.contentType()).as(origin).startsWith("application/problem+json");
                    assertThat(answer.jsonPath().getInt("status")).isEqualTo(403);
                    assertThat(answer.jsonPath().getString("title")).isEqualTo("Forbidden");
                    assertThat(answer.jsonPath().getString("detail")).contains("Origin header (" + origin + ")");
                    assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
                }
            }
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
            assertThat(log.withStackTrace()).as(LogCapture.describe(log.all())).isEmpty();
        }
        // The service's own origin still passes (same origin), with or without a port in the Origin.
        assertThat(RestAssured.given().header("Origin", "http://localhost:" + RestAssured.port).get("/v1/sessions?limit=1").statusCode())
                .isEqualTo(200);
    }
}
