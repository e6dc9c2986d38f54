package dev.switchboard.transcripts.api;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.store.RetentionPurge;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendered transcripts are kept in memory while their session and lines are unchanged: a kept one is served only if
 * it is still what the database holds, never after a deletion (on request, behind this instance's back, or by
 * retention) and never to another tenant.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class RenderedTranscriptsTest {
    @Inject
    RenderedTranscripts rendered;
    @Inject
    RetentionPurge retention;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;

    /** An ended call with two lines, stored, and its transcript fetched once (so it is kept). */
    private Call endedCall(Call call) {
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Where is my parcel?", 100, 1500), call.agent(1, "It left the depot today.", 2000, 3500));
        Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 10_000));
        Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")) && t.getList("segments").size() == 2);
        assertThat(rendered.holds(UUID.fromString(call.sessionId()))).isTrue();
        return call;
    }

    @Test
    void anUnchangedTranscriptIsServedAsKeptAndEveryLaterChangeIsSeen() {
        Call call = endedCall(Call.start("kept"));
        // The first fetch may render again: the rendering kept while awaiting may carry the version read just before the
        // last line's commit (its lines are read after the version, so it held them all, but under the older version).
        String first = RestAssured.get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200).extract().asString();
        double keptBefore = kept();
        for (int i = 0; i < 2; i++) {
            assertThat(RestAssured.get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200).extract().asString())
                    .isEqualTo(first);
        }
        assertThat(kept()).isEqualTo(keptBefore + 2);

        // A line that arrives after SessionEnded (the topics are not ordered with each other), an interim and its final,
        // and the hang-up (CallEnded, after SessionEnded): each shows up although the previous rendering was kept.
        Kafka.publish(call.agent(2, "Goodbye.", 4000, 4500));
        Api.awaitTranscript(call.room(), t -> t.getList("segments").size() == 3);
        var interim = call.line(3, SpeakerRole.USER, "Thanks", 5000, 5400).setIsFinal(false);
        Kafka.publish(interim.build());
        Api.awaitTranscript(call.room(), t -> Api.texts(t).contains("Thanks"));
        Kafka.publish(interim.setRevision(1).setIsFinal(true).setText("Thanks a lot.").build());
        Api.awaitTranscript(call.room(), t -> Api.texts(t).equals(List.of("Where is my parcel?", "It left the depot today.", "Goodbye.", "Thanks a lot.")));
        Kafka.publish(call.callEnded(EndReason.CALLER_HANGUP, 10_000));
        Api.awaitTranscript(call.room(), t -> "CALLER_HANGUP".equals(t.getString("session.hangup.reason")));
        // Text is kept apart from JSON and follows the same changes.
        assertThat(RestAssured.given().queryParam("format", "text").get("/v1/sessions/{room}/transcript", call.room())
                .then().statusCode(200).extract().asString()).contains("Thanks a lot.");
    }

    @Test
    void ifNoneMatchAnswersNotModifiedUntilTheTranscriptChanges() {
        Call call = endedCall(Call.start("etag"));
        Response json = RestAssured.get("/v1/sessions/{room}/transcript", call.room());
        String tag = json.header("ETag");
        assertThat(tag).startsWith("\"").endsWith("\"");
        String textTag = RestAssured.given().queryParam("format", "text").get("/v1/sessions/{room}/transcript", call.room()).header("ETag");
        assertThat(textTag).isNotEqualTo(tag);

        Response unchanged = RestAssured.given().header("If-None-Match", tag).get("/v1/sessions/{room}/transcript", call.room());
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.header("ETag")).isEqualTo(tag);
        assertThat(unchanged.asByteArray()).isEmpty();
        RestAssured.given().header("If-None-Match", "\"something-else\"").get("/v1/sessions/{room}/transcript", call.room())
                .then().statusCode(200);
        // If-None-Match compares weakly (RFC 9110): a cache that holds the tag weakened, or lists several, still gets its 304.
        for (String weakened : new String[]{"W/" + tag, "\"older\", " + tag, "*"}) {
            assertThat(RestAssured.given().header("If-None-Match", weakened).get("/v1/sessions/{room}/transcript", call.room())
                    .statusCode()).as("If-None-Match: %s", weakened).isEqualTo(304);
        }

        Kafka.publish(call.agent(2, "One more thing.", 4000, 4500));
        Api.awaitTranscriptSize(call.room(), 3);
        Response changed = RestAssured.given().header("If-None-Match", tag).get("/v1/sessions/{room}/transcript", call.room());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(tag);
    }

    @Test
    void aDeletedTranscriptIsNeverServedAndNothingOfItIsKept() {
        Call call = endedCall(Call.start("kept-delete"));
        RestAssured.delete("/v1/sessions/{room}", call.room()).then().statusCode(200);

        assertThat(rendered.holds(UUID.fromString(call.sessionId()))).isFalse();
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript", call.room()), 404, "no session stored");
        Api.assertProblem(RestAssured.given().queryParam("sessionId", call.sessionId()).get("/v1/sessions/{room}/transcript", call.room()),
                404, "no session");
    }

    @Test
    void aTranscriptDeletedByAnotherInstanceIsNotServedFromThisOnesMemory() throws Exception {
        Call call = endedCall(Call.start("kept-elsewhere"));
        // As another replica's deletion would: straight in the database, this instance hears nothing of it.
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO deleted_sessions (session_id, room, reason) VALUES ('" + call.sessionId() + "', '"
                    + call.room() + "', 'request')");
            statement.execute("DELETE FROM segments WHERE session_id = '" + call.sessionId() + "'");
            statement.execute("DELETE FROM sessions WHERE session_id = '" + call.sessionId() + "'");
        }
        assertThat(rendered.holds(UUID.fromString(call.sessionId()))).isTrue();

        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript", call.room()), 404, "no session stored");
    }

    @Test
    void theRetentionPurgeLeavesNothingOfAPurgedTranscript() throws Exception {
        // Older than anything else the tests store (except calls the scheduled purge removes anyway), younger than its cutoff.
        Instant started = Instant.now().minus(Duration.ofDays(3000));
        Call call = endedCall(Call.startedAt("kept-purged", started));

        retention.purgeStartedBefore(started.plusSeconds(60));

        assertThat(Database.count(dataSource, "SELECT count(*) AS n FROM sessions WHERE session_id = '" + call.sessionId() + "'")).isZero();
        assertThat(rendered.holds(UUID.fromString(call.sessionId()))).isFalse();
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript", call.room()), 404, "no session stored");
    }

    @Test
    void aKeptTranscriptIsNeverServedToAnotherTenant() {
        Call call = Call.start("kept-tenant");
        Kafka.publish(call.started(call.startedPayload().setTenant("acme").build()));
        Kafka.publish(call.line(0, SpeakerRole.USER, "my account number please", 0, 900).setTenant("acme").build());
        Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 10_000));
        String acme = TestTokens.ofTenant("acme");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                as(acme).get("/v1/sessions/{room}/transcript", call.room()).then().extract().path("session.status"), "ended"::equals);
        as(acme).get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200);
        assertThat(rendered.holds(UUID.fromString(call.sessionId()))).isTrue();

        String globex = TestTokens.ofTenant("globex");
        as(globex).get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(404);
        as(globex).get("/v1/sessions/{room}/transcript?sessionId=" + call.sessionId(), call.room()).then().statusCode(404);
        as(globex).get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(404);
    }

    private double kept() {
        var counter = metrics.find("switchboard.transcripts.transcript.renderings").tag("outcome", "kept").counter();
        return counter == null ? 0 : counter.count();
    }
}
