package dev.switchboard.transcripts.api;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.FreezablePostgres;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that stops answering without dying (as with kill -STOP of the postmaster and its backends), seen through
 * a forwarder that accepts connections and passes nothing on: requests answer 503 database-unavailable with
 * Retry-After in bounded time, readiness answers DOWN within a few seconds, and both recover when it answers again.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FreezablePostgres.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class FrozenDatabaseTest {

    @AfterEach
    void thaw() {
        FreezablePostgres.freeze(false);
    }

    @Test
    void requestsAndReadinessAnswerInBoundedTimeWhileTheDatabaseIsFrozenAndRecoverAfter() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        RestAssured.given().accept("application/json").get("/v1/sessions?limit=1").then().statusCode(200);

        FreezablePostgres.freeze(true);
        // Two requests at once (one may hold a pooled connection, the other waits for one), then readiness.
        var first = CompletableFuture.supplyAsync(FrozenDatabaseTest::timedSessions);
        var second = CompletableFuture.supplyAsync(FrozenDatabaseTest::timedSessions);
        for (Timed answer : new Timed[]{first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS)}) {
            Api.assertProblem(answer.response(), 503, "the transcript database is unavailable; try again shortly");
            assertThat(answer.response().jsonPath().getString("type")).isEqualTo("urn:switchboard:problem:database-unavailable");
            assertThat(answer.response().header("Retry-After")).isEqualTo("2");
            assertThat(answer.took()).as("answered within the socket timeout and a little").isLessThan(Duration.ofSeconds(13));
        }
        for (int probe = 0; probe < 2; probe++) {
            long start = System.nanoTime();
            Response ready = RestAssured.get("/q/health/ready");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(503);
            assertThat(ready.asString()).contains("Database connections health check");
            assertThat(took).as("readiness probe %d answered within its bound", probe).isLessThan(Duration.ofSeconds(5));
        }

        FreezablePostgres.freeze(false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        RestAssured.given().accept("application/json").get("/v1/sessions?limit=1").then().statusCode(200);
    }

    private record Timed(Response response, Duration took) {
    }

    private static Timed timedSessions() {
        long start = System.nanoTime();
        Response response = RestAssured.given().accept("application/json").get("/v1/sessions?limit=1");
        return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }
}
