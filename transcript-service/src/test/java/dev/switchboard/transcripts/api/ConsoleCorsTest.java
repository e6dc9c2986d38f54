package dev.switchboard.transcripts.api;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

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
}
