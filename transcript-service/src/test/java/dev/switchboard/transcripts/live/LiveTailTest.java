package dev.switchboard.transcripts.live;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import dev.switchboard.testing.http.SseClient;
import dev.switchboard.testing.http.SseClient.Event;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class LiveTailTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL base;
    @Inject
    LiveFeed feed;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;
    @Inject
    LiveHub hub;

    @Test
    void replaysWhatIsStoredThenDeliversLiveLinesWithinASecondThenEnds() throws Exception {
        Awaitility.await().atMost(WAIT).until(feed::running);
        Call call = Call.start("live");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Hello?", 100, 800), call.agent(1, "Hi, how can I help?", 1000, 2000));
        Api.awaitTranscriptSize(call.room(), 2);

        try (SseClient stream = new SseClient(stream(call.room()))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            assertThat(text(stream.next(WAIT))).isEqualTo("Hello?");
            assertThat(text(stream.next(WAIT))).isEqualTo("Hi, how can I help?");
            Event replayed = stream.next(WAIT);
            assertThat(replayed.name()).isEqualTo("replayed");
            assertThat(replayed.data()).isEqualTo("{\"segments\":2}");
            assertThat(stream.otherFields()).as("fields beyond event, id and data").isEmpty();

            for (int i = 0; i < 3; i++) {
                long published = System.nanoTime();
                Kafka.publish(call.caller(2 + i, "live line " + i, 3000 + i * 1000L, 3500 + i * 1000L));
                Event live = stream.next(WAIT);
                long latencyMillis = (live.receivedNanos() - published) / 1_000_000;
                assertThat(text(live)).isEqualTo("live line " + i);
                assertThat(latencyMillis).as("publication to SSE delivery").isLessThan(1000);
            }

            // Versions of one utterance: the interim, then the final that replaces it (same segmentId).
            var utterance = call.line(5, SpeakerRole.AGENT, "Let me", 7000, 7300).setIsFinal(false);
            Kafka.publish(utterance.build());
            Event interim = stream.next(WAIT);
            Kafka.publish(utterance.setRevision(1).setIsFinal(true).setText("Let me check.").setEndMs(7800).build());
            Event fin = stream.next(WAIT);
            assertThat(json(interim).getString("segmentId")).isEqualTo(json(fin).getString("segmentId"));
            assertThat(json(interim).getBoolean("isFinal")).isFalse();
            assertThat(json(fin).getBoolean("isFinal")).isTrue();
            assertThat(text(fin)).isEqualTo("Let me check.");

            Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 9000));
            Event end = stream.next(WAIT);
            assertThat(end.name()).isEqualTo("end");
            assertThat(JsonPath.from(end.data()).getString("endReason")).isEqualTo("CALLER_HANGUP");
            assertThat(stream.closedByServerWithin(WAIT)).isTrue();
        }
    }

    @Test
    void liveLinesDoNotWaitForTheDatabase() throws Exception {
        Awaitility.await().atMost(WAIT).until(feed::running);
        Call call = Call.start("live-blocked");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "stored first", 100, 800));
        Api.awaitTranscriptSize(call.room(), 1);

        try (SseClient stream = new SseClient(stream(call.room()));
             Connection blocker = dataSource.getConnection(); Statement statement = blocker.createStatement()) {
            assertThat(text(stream.next(WAIT))).isEqualTo("stored first");
            assertThat(stream.next(WAIT).name()).isEqualTo("replayed");
            // Hold off every write to the segments table: the ingestion's batch waits behind this lock.
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE segments IN EXCLUSIVE MODE");

            long published = System.nanoTime();
            Kafka.publish(call.agent(1, "live while the database is busy", 1000, 2000));
            Event live = stream.next(WAIT);
            assertThat(text(live)).isEqualTo("live while the database is busy");
            assertThat((live.receivedNanos() - published) / 1_000_000).isLessThan(1000);
            assertThat(Api.texts(Api.transcript(call.room()))).containsExactly("stored first");

            // A stream that starts now replays the line that is not stored yet, from the live tail's recent window.
            try (SseClient late = new SseClient(stream(call.room()))) {
                assertThat(text(late.next(WAIT))).isEqualTo("stored first");
                assertThat(text(late.next(WAIT))).isEqualTo("live while the database is busy");
                assertThat(late.next(WAIT).data()).isEqualTo("{\"segments\":2}");
            }
            blocker.rollback();
        }
        assertThat(Api.texts(Api.awaitTranscriptSize(call.room(), 2))).containsExactly("stored first", "live while the database is busy");
    }

    @Test
    void aStreamOfAnEndedSessionReplaysAndEnds() throws Exception {
        Call call = Call.start("live-ended");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Bye.", 100, 800));
        Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 1000));
        Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")) && t.getList("segments").size() == 1);

        try (SseClient stream = new SseClient(stream(call.room()))) {
            assertThat(text(stream.next(WAIT))).isEqualTo("Bye.");
            assertThat(stream.next(WAIT).name()).isEqualTo("replayed");
            assertThat(stream.next(WAIT).name()).isEqualTo("end");
            assertThat(stream.closedByServerWithin(WAIT)).isTrue();
        }
    }

    /** An outbound call answered, its agent never joining: no SessionEnded comes, and the CallEnded that hung it up ends the stream. */
    @Test
    void aStreamOfAnAnsweredDialWhoseAgentNeverJoinedEndsWhenItsCallIsHungUp() throws Exception {
        Awaitility.await().atMost(WAIT).until(feed::running);
        Call call = Call.start("live-dial");
        Kafka.publish(call.callAnswered("dial-" + UUID.randomUUID(), "+15550001111", 0));
        Api.awaitSession(TestTokens.admin(), call.room(), s -> "ANSWERED".equals(s.getString("outcome")));

        try (SseClient stream = new SseClient(stream(call.room()))) {
            assertThat(stream.next(WAIT).name()).isEqualTo("replayed");
            // As the call controller hangs up a call whose agent never joined: the room and the hang-up, no session.
            Kafka.publish(call.controllerEvent(call.startedAt().plusSeconds(30), CallEnded.newBuilder().setReason(EndReason.ERROR)
                    .setMethod(HangupMethod.DELETE_ROOM).setHangupCommandId("agent-join-" + call.room()).setDetail("no agent joined").build()));

            Event end = stream.next(WAIT);
            assertThat(end.name()).isEqualTo("end");
            assertThat(JsonPath.from(end.data()).getString("endReason")).isEqualTo("ERROR");
            assertThat(stream.closedByServerWithin(WAIT)).isTrue();
        }
    }

    @Test
    void oneCallerMayHoldTwentyStreamsAndADroppedOneFreesItsPlace() throws Exception {
        Call call = Call.start("live-quota");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Hello.", 100, 800));
        Api.awaitTranscript(call.room(), t -> t.getList("segments").size() == 1);
        String subject = "tail-" + System.nanoTime();
        String token = TestTokens.token().subject(subject).sign();
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SseClient client = new SseClient(stream(call.room()), token);
                open.add(client);
                assertThat(client.status()).as("stream %d", i + 1).isEqualTo(200);
            }
            try (SseClient refused = new SseClient(stream(call.room()), token)) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("Retry-After")).as("the test's heartbeat").isEqualTo("2");
                JsonPath problem = JsonPath.from(refused.body(WAIT));
                assertThat(problem.getString("type")).isEqualTo("urn:switchboard:problem:too-many-streams");
                assertThat(problem.getString("detail")).startsWith("'" + subject + "' of tenant default already holds 20 open streams here");
            }
            try (SseClient other = new SseClient(stream(call.room()), TestTokens.token().subject(subject + "-other").sign())) {
                assertThat(other.status()).as("another caller").isEqualTo(200);
            }
            open.removeFirst().close();
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                try (SseClient again = new SseClient(stream(call.room()), token)) {
                    return again.status() == 200;
                }
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void recordsTheLiveTailCannotReadAreSkippedAndCounted() {
        Awaitility.await().atMost(WAIT).until(feed::running);
        String room = Events.room("live-poison");
        double segmentsBefore = metrics.counter("switchboard.transcripts.live.skipped", "record", "segment").count();
        double eventsBefore = metrics.counter("switchboard.transcripts.live.skipped", "record", "session-event").count();

        Kafka.send(Topic.TRANSCRIPTS, room, "not a segment".getBytes(StandardCharsets.UTF_8));
        Kafka.send(Topic.TRANSCRIPTS, room, null);
        Kafka.send(Topic.SESSION_EVENTS, room, "not an event".getBytes(StandardCharsets.UTF_8));
        Kafka.send(Topic.SESSION_EVENTS, room, null);

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metrics.counter("switchboard.transcripts.live.skipped", "record", "session-event").count() - eventsBefore).isEqualTo(2);
            // A segment is decoded only for a room somebody follows: the null one is skipped at once.
            assertThat(metrics.counter("switchboard.transcripts.live.skipped", "record", "segment").count() - segmentsBefore).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void aDeletedSessionIsNeitherStreamedNorStoredAgainWhileItsCallGoesOn() throws Exception {
        Call call = storedCall("live-deleted", "first", "x");
        try (SseClient stream = new SseClient(stream(call.room()))) {
            assertThat(List.of(text(stream.next(WAIT)), text(stream.next(WAIT)), stream.next(WAIT).name())).containsExactly("first", "x", "replayed");
            JsonPath deleted = RestAssured.delete("/v1/sessions/{room}", call.room()).then().statusCode(200).extract().jsonPath();
            assertThat(deleted.getInt("deletedSessions")).isEqualTo(1);
            assertDeletedAndClosed(stream, call, 1000);
        }
        assertThat(hub.holds(call.room(), java.util.UUID.fromString(call.sessionId()))).as("the window forgot the deleted lines").isFalse();

        // The call goes on: what is said after the deletion is neither streamed nor stored.
        Kafka.publish(call.caller(2, "after deletion", 2000, 2500));
        Call next = call.sameRoomLater(call.startedAt().plusSeconds(60));
        Kafka.publish(next.started());
        Kafka.publish(next.caller(0, "a new call", 100, 900));
        Api.awaitTranscript(next.room(), t -> t.getString("session.sessionId").equals(next.sessionId()) && t.getList("segments").size() == 1);
        assertThat(Database.count(dataSource, "SELECT count(*) AS n FROM segments WHERE session_id = '" + call.sessionId() + "'")).isZero();
        assertThat(hub.holds(call.room(), java.util.UUID.fromString(call.sessionId()))).as("a later line of the deleted session").isFalse();
        try (SseClient deletedOne = new SseClient(base.toURI().resolve("v1/sessions/" + call.room() + "/transcript/stream?sessionId=" + call.sessionId()))) {
            assertThat(deletedOne.status()).isEqualTo(404);
            assertThat(JsonPath.from(deletedOne.body(WAIT)).getString("type")).isEqualTo("urn:switchboard:problem:session-not-found");
        }
        // The room's stream is the later call's, with nothing of the deleted one.
        try (SseClient room = new SseClient(stream(call.room()))) {
            assertThat(text(room.next(WAIT))).isEqualTo("a new call");
            assertThat(room.next(WAIT).data()).isEqualTo("{\"segments\":1}");
        }
    }

    @Test
    void aSessionDeletedByIdAsSoonAsItStartsIsNotStreamed() throws Exception {
        Awaitility.await().atMost(WAIT).until(feed::running);
        Call call = Call.start("live-deleted-early");
        Kafka.publish(call.started());
        // The live tail has seen it start; stored or not yet, its id is remembered as deleted.
        Awaitility.await().atMost(WAIT).until(() -> hub.start(java.util.UUID.fromString(call.sessionId())).isPresent());
        RestAssured.given().queryParam("sessionId", call.sessionId()).delete("/v1/sessions/{room}", call.room()).then().statusCode(200);
        Kafka.publish(call.caller(0, "after deletion", 100, 800));
        try (SseClient stream = new SseClient(stream(call.room()))) {
            assertThat(stream.status()).isEqualTo(404);
        }
    }

    @Test
    void aDeletionOnAnotherInstanceEndsTheStreamsHereWithinSeconds() throws Exception {
        Call call = storedCall("live-deleted-elsewhere", "first");
        try (SseClient stream = new SseClient(stream(call.room()))) {
            assertThat(List.of(text(stream.next(WAIT)), stream.next(WAIT).name())).containsExactly("first", "replayed");
            // What another instance's deletion leaves in the shared database; this instance hears of it from nobody else.
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("INSERT INTO deleted_sessions (session_id, room, reason) VALUES ('" + call.sessionId() + "', '"
                        + call.room() + "', 'request')");
                statement.execute("DELETE FROM segments WHERE session_id = '" + call.sessionId() + "'");
                statement.execute("DELETE FROM sessions WHERE session_id = '" + call.sessionId() + "'");
                connection.commit();
            }
            // Read every second: well within three.
            assertDeletedAndClosed(stream, call, 3000);
        }
        Kafka.publish(call.caller(1, "after deletion", 1000, 1500));
        try (SseClient again = new SseClient(stream(call.room()))) {
            assertThat(again.status()).isEqualTo(404);
        }
    }

    /** A HEAD is answered at once with a GET's headers, on a connection that serves the next request, and takes no stream. */
    @Test
    void aHeadOfTheStreamIsAnsweredAtOnceAndHoldsNoStream() throws Exception {
        Call call = Call.start("live-head");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Hello.", 100, 800));
        Api.awaitTranscript(call.room(), t -> t.getList("segments").size() == 1);
        String token = TestTokens.token().subject("head-" + System.nanoTime()).sign();
        HttpClient http = HttpClient.newHttpClient(); // one client: its requests share a kept-alive connection
        for (int i = 0; i < 25; i++) {
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(stream(call.room())).timeout(WAIT)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).as("HEAD %d", i + 1).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        }
        HttpResponse<Void> unknown = http.send(HttpRequest.newBuilder(stream("nobody-here")).timeout(WAIT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(unknown.statusCode()).isEqualTo(404);
        // 25 HEADs, more than one caller's 20 streams: had any held one, this would be refused with 429.
        try (SseClient client = new SseClient(stream(call.room()), token)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(text(client.next(WAIT))).isEqualTo("Hello.");
        }
    }

    @Test
    void anUnknownRoomIsNotFound() {
        Api.assertProblem(RestAssured.given().accept("text/event-stream").get("/v1/sessions/{room}/transcript/stream", "nobody-here"),
                404, "no session known for room 'nobody-here'");
    }

    /** A call whose SessionStarted and lines (the caller's and the agent's in turn) are stored, with the live tail running. */
    private Call storedCall(String prefix, String... lines) {
        Awaitility.await().atMost(WAIT).until(feed::running);
        Call call = Call.start(prefix);
        Kafka.publish(call.started());
        for (int i = 0; i < lines.length; i++) {
            long start = i * 1000L + 100;
            Kafka.publish(i % 2 == 0 ? call.caller(i, lines[i], start, start + 700) : call.agent(i, lines[i], start, start + 700));
        }
        Api.awaitTranscriptSize(call.room(), lines.length);
        return call;
    }

    /** The stream's next event says the session was deleted, within the time given, and the stream closes. */
    private static void assertDeletedAndClosed(SseClient stream, Call call, long withinMillis) throws InterruptedException {
        long deletedAt = System.nanoTime();
        Event gone = stream.next(WAIT);
        assertThat(gone.name()).isEqualTo("deleted");
        assertThat(JsonPath.from(gone.data()).getString("sessionId")).isEqualTo(call.sessionId());
        assertThat((gone.receivedNanos() - deletedAt) / 1_000_000).as("deletion to the stream's event").isLessThan(withinMillis);
        assertThat(stream.closedByServerWithin(WAIT)).isTrue();
    }

    private URI stream(String room) throws Exception {
        return base.toURI().resolve("v1/sessions/" + room + "/transcript/stream");
    }

    private static JsonPath json(Event event) {
        assertThat(event.name()).as("event %s", event).isEqualTo("segment");
        return JsonPath.from(event.data());
    }

    private static String text(Event event) {
        return json(event).getString("text");
    }
}
