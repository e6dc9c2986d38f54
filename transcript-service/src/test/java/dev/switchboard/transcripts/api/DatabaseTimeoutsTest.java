package dev.switchboard.transcripts.api;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.store.SessionDeleter;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A database that stops answering does not hold requests for good: a statement the server says nothing to for the
 * socket timeout (10 s, application.properties) fails as an outage, and the API answers 503 database-unavailable with
 * Retry-After. The server's silence is made with a lock the request waits for (or pg_sleep): to the service's socket it
 * is the same as a frozen server (kill -STOP), which the tests cannot do to the database other tests share.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseTimeoutsTest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SessionDeleter deleter;

    @Test
    void aDeletionGivesItsConnectionBackWithTheSocketTimeoutEveryOtherStatementHas() throws SQLException {
        int own;
        try (Connection connection = dataSource.getConnection()) {
            own = connection.getNetworkTimeout();
        }

        deleter.delete(List.of(new SessionDeleter.Victim(UUID.randomUUID(), "no-such-room")), "test");

        // The pool hands this thread its cached connection again: the one the deletion used.
        try (Connection connection = dataSource.getConnection()) {
            assertThat(own).as("the socket timeout of application.properties").isEqualTo(10_000);
            assertThat(connection.getNetworkTimeout()).as("not the deletion's 60 s").isEqualTo(own);
        }
    }

    @Test
    void aStatementTheServerIsSilentOnFailsAsAnOutageAfterTheSocketTimeoutAndThePoolRecovers() {
        long start = System.nanoTime();
        SQLException failure = catchThrowableOfType(SQLException.class, () -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_sleep(20)");
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat((Throwable) failure).as("the statement gave up").isNotNull();
        assertThat(failure.getSQLState()).as("a connection failure, which is an outage").startsWith("08");
        assertThat(took.toMillis()).isBetween(9_000L, 15_000L);
        assertThat(Database.query(dataSource, "SELECT 1 AS one")).as("the next connection works").containsExactly("one=1");
    }

    @Test
    void aRequestTheDatabaseDoesNotAnswerIs503WithRetryAfterWithinTheTimeout() throws SQLException {
        Api.storedCall("db-silent", "default", "hello there");
        try (Connection holder = dataSource.getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            // Every read of sessions now waits, and the server sends the waiting request nothing.
            statement.execute("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            Response response = RestAssured.given().accept("application/json").get("/v1/sessions?limit=1");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            holder.rollback();

            Api.assertProblem(response, 503, "the transcript database is unavailable; try again shortly");
            assertThat(response.jsonPath().getString("type")).isEqualTo("urn:switchboard:problem:database-unavailable");
            assertThat(response.header("Retry-After")).isEqualTo("2");
            assertThat(took.toMillis()).as("bounded by the socket timeout").isBetween(9_000L, 15_000L);
        }
        RestAssured.given().accept("application/json").get("/v1/sessions?limit=1").then().statusCode(200);
    }

    @Test
    void aWriteTheDatabaseDoesNotAnswerIsRetriedAndStoresEveryLineOnce() throws Exception {
        Call call = Call.start("db-silent-write");
        try (Connection holder = dataSource.getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            // The ingestion's COPY into segments waits, and the server sends it nothing: its write times out and is
            // retried until the lock is gone.
            statement.execute("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE");
            Kafka.publish(call.started(call.startedPayload().setTenant("default").build()));
            for (int i = 0; i < 3; i++) {
                Kafka.publish(call.line(i, SpeakerRole.USER, "line " + i, i * 1000L, i * 1000L + 900).setTenant("default").build());
            }
            Thread.sleep(12_000); // beyond the socket timeout: the first write has given up by now
            holder.rollback();
        }
        Api.awaitTranscriptSize(call.room(), 3);
        assertThat(Database.count(dataSource, "SELECT count(*) FROM segments WHERE session_id = '" + call.sessionId() + "'"))
                .as("each line stored once").isEqualTo(3);
    }

    @Test
    void aDeletionMayWaitLongerThanOtherStatements() throws Exception {
        Call call = Api.storedCall("db-slow-delete", "default", "delete me");
        try (Connection holder = dataSource.getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE");
            var deletion = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> RestAssured.given().delete("/v1/sessions/{room}", call.room()));
            Thread.sleep(12_000); // beyond the 10 s every other statement is allowed
            holder.rollback();
            Response response = deletion.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            assertThat(response.jsonPath().getInt("deletedSessions")).isEqualTo(1);
        }
    }
}
