package dev.switchboard.transcripts.store;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import dev.switchboard.transcripts.support.MadeUpWords;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DeletionAndRetentionTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void deletingARoomRemovesEverythingOfItsSessionsForGood() {
        Call first = Call.start("delete");
        Call second = first.sameRoomLater(first.startedAt().plusSeconds(20));
        String word = MadeUpWords.endingIn("ment");
        Kafka.publish(first.started(), first.ended(EndReason.CALLER_HANGUP, 10_000), second.started());
        var redelivered = first.caller(0, "my secret " + word, 100, 900);
        Kafka.publish(redelivered, first.agent(1, "noted", 1000, 1500), second.caller(0, "again " + word, 100, 900));
        Api.awaitTranscript(first.room(), t -> t.getString("session.sessionId").equals(second.sessionId()) && t.getList("segments").size() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf(first.room()) == 5);

        JsonPath deleted = RestAssured.delete("/v1/sessions/{room}", first.room()).then().statusCode(200).extract().jsonPath();
        assertThat(deleted.getInt("deletedSessions")).isEqualTo(2);
        assertThat(deleted.getLong("deletedSegments")).isEqualTo(3);
        assertThat(deleted.getList("sessionIds", String.class)).containsExactlyInAnyOrder(first.sessionId(), second.sessionId());

        assertThat(rowsOf(first.room())).isZero();
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript", first.room()), 404, "no session stored");
        assertThat(RestAssured.given().queryParam("q", word).get("/v1/search").then().statusCode(200).extract().jsonPath().getList("results")).isEmpty();
        assertThat(RestAssured.given().queryParam("room", first.room()).get("/v1/sessions").then().statusCode(200).extract().jsonPath()
                .getList("sessions")).isEmpty();

        // A repeat is harmless.
        JsonPath again = RestAssured.delete("/v1/sessions/{room}", first.room()).then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("deletedSessions")).isZero();
        assertThat(again.getLong("deletedSegments")).isZero();

        // Records of the deleted sessions that come again (redelivery, replay) do not bring them back. A later call
        // in the same room, published behind them on the same partitions, shows they have been processed.
        Call third = first.sameRoomLater(first.startedAt().plusSeconds(60));
        Kafka.publish(redelivered);
        Kafka.publish(first.ended(EndReason.CALLER_HANGUP, 10_000));
        Kafka.publish(third.started());
        Kafka.publish(third.caller(0, "a new call", 100, 900));
        Api.awaitTranscript(third.room(), t -> t.getString("session.sessionId").equals(third.sessionId()) && t.getList("segments").size() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sessionRows(third.room()) == 1 && rowsOf(third.room()) == 2);
        assertThat(Database.query(dataSource, "SELECT session_id FROM sessions WHERE room = '" + first.room() + "'"))
                .containsExactly("session_id=" + third.sessionId());
    }

    @Test
    void deletingOneSessionByIdKeepsTheOthersOfTheRoom() {
        Call first = Call.start("delete-one");
        Call second = first.sameRoomLater(first.startedAt().plusSeconds(20));
        Kafka.publish(first.started(), second.started());
        Kafka.publish(first.caller(0, "first", 100, 900), second.caller(0, "second", 100, 900));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf(first.room()) == 4);

        // A room name is taken exactly as given: " room " is another room (LiveKit's names may hold spaces), and has nothing.
        JsonPath spaced = RestAssured.delete("/v1/sessions/{room}", " " + first.room() + " ").then().statusCode(200).extract().jsonPath();
        assertThat(spaced.getInt("deletedSessions")).isZero();
        assertThat(rowsOf(first.room())).isEqualTo(4);
        Api.assertProblem(RestAssured.delete("/v1/sessions/{room}", "   "), 400, "room: must not be empty");

        JsonPath deleted = RestAssured.given().queryParam("sessionId", first.sessionId()).delete("/v1/sessions/{room}", first.room())
                .then().statusCode(200).extract().jsonPath();
        assertThat(deleted.getList("sessionIds", String.class)).containsExactly(first.sessionId());
        assertThat(Api.texts(Api.transcript(first.room()))).containsExactly("second");
        Api.assertProblem(RestAssured.given().queryParam("sessionId", "x").delete("/v1/sessions/{room}", first.room()), 400, "sessionId: not a UUID");
    }

    @Test
    void aSessionIdOfAnotherRoomDeletesNothing() {
        Call kept = Call.start("kept");
        Call named = Call.start("named");
        Kafka.publish(kept.started(), named.started());
        Kafka.publish(kept.caller(0, "still here", 100, 900), named.caller(0, "other call", 100, 900));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf(kept.room()) == 2 && rowsOf(named.room()) == 2);

        JsonPath deleted = RestAssured.given().queryParam("sessionId", kept.sessionId()).delete("/v1/sessions/{room}", named.room())
                .then().statusCode(200).extract().jsonPath();
        assertThat(deleted.getInt("deletedSessions")).isZero();
        assertThat(deleted.getList("sessionIds")).isEmpty();
        assertThat(rowsOf(kept.room())).isEqualTo(2);
        assertThat(rowsOf(named.room())).isEqualTo(2);
        assertThat(Database.count(dataSource, "SELECT count(*) AS n FROM deleted_sessions WHERE session_id = '" + kept.sessionId() + "'"))
                .as("no tombstone: the session's later lines are still stored").isZero();

        Kafka.publish(kept.agent(1, "and more", 1000, 1500));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf(kept.room()) == 3);
        assertThat(Api.texts(Api.transcript(kept.room()))).containsExactly("still here", "and more");
    }

    @Test
    void sessionsOlderThanTheRetentionArePurgedOnSchedule() {
        // The test profile keeps 3650 days and purges every second: a call from eleven years ago must go.
        Call ancient = Call.startedAt("ancient", Instant.now().minus(Duration.ofDays(11 * 365)));
        Call recent = Call.start("recent");
        Kafka.publish(ancient.started(), ancient.ended(EndReason.CALLER_HANGUP, 60_000), recent.started());
        Kafka.publish(ancient.caller(0, "a long time ago", 100, 900), recent.caller(0, "just now", 100, 900));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Database.query(dataSource,
                "SELECT reason FROM deleted_sessions WHERE session_id = '" + ancient.sessionId() + "'").equals(List.of("reason=retention")));
        assertThat(rowsOf(ancient.room())).isZero();
        assertThat(Api.texts(Api.awaitTranscriptSize(recent.room(), 1))).containsExactly("just now");
        // The purge is audited: the system acted, for the tenant whose sessions went, with counts and no content.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RestAssured.get("/v1/audit?limit=200").then().statusCode(200).extract()
                .jsonPath().getList("records.findAll { it.action == 'RetentionPurge' && it.actor.id == 'retention-policy' && it.tenant == 'default' }.detail",
                        String.class), details -> details.stream().anyMatch(d -> d.matches("\\d+ session\\(s\\) with \\d+ segment\\(s\\) that started before .* purged")));
    }

    @Test
    void auditRecordsOlderThanTheAuditRetentionArePurgedAndNewerOnesKept() {
        // The test profile keeps audit records 3650 days: one from eleven years ago must go, today's must stay.
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        Issuer operator = Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("alice").build();
        AuditRecord ancient = AuditRecords.action(operator, tenant, "Say", "APPLIED", Instant.now().minus(Duration.ofDays(11 * 365)),
                "agent-worker").setRoom("old-room").build();
        AuditRecord recent = AuditRecords.action(operator, tenant, "Say", "APPLIED", Instant.now(), "agent-worker").setRoom("new-room").build();
        Kafka.publish(recent, ancient);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> auditRows(tenant, recent.getAuditId()) == 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> auditRows(tenant, null) == 1);
        assertThat(Database.query(dataSource, "SELECT audit_id FROM audit_records WHERE tenant = '" + tenant + "'"))
                .containsExactly("audit_id=" + recent.getAuditId());
    }

    private long auditRows(String tenant, String auditId) {
        return Database.count(dataSource, "SELECT count(*) AS n FROM audit_records WHERE tenant = '" + tenant + "'"
                + (auditId == null ? "" : " AND audit_id = '" + auditId + "'"));
    }

    /** Session and segment rows stored under a room. */
    private long rowsOf(String room) {
        return Database.count(dataSource, "SELECT (SELECT count(*) FROM sessions WHERE room = '" + room + "')"
                + " + (SELECT count(*) FROM segments WHERE room = '" + room + "') AS n");
    }

    private long sessionRows(String room) {
        return Database.count(dataSource, "SELECT count(*) AS n FROM sessions WHERE room = '" + room + "'");
    }
}
