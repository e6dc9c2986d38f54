package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
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

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptIngestionTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void storesACallAndServesItsTranscriptInOrder() {
        Call call = Call.start("ingest");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Hi, where is my order?", 1200, 2600),
                call.agent(1, "Let me check that for you.", 3000, 4500),
                call.injected(2, "crm", "The customer's order shipped today.", 4700),
                call.agent(3, "It shipped today.", 5000, 6200));
        Kafka.publish(call.ended(EndReason.AGENT_HANGUP, 7000));

        JsonPath transcript = Api.awaitTranscript(call.room(), t -> t.getList("segments").size() == 4 && "ended".equals(t.getString("session.status")));
        assertThat(Api.texts(transcript)).containsExactly("Hi, where is my order?", "Let me check that for you.",
                "The customer's order shipped today.", "It shipped today.");
        assertThat(transcript.getList("segments.speaker", String.class)).containsExactly("Caller", "Agent", "Injected (crm)", "Agent");
        assertThat(transcript.getString("segments[2].injectedBy.id")).isEqualTo("crm");
        assertThat(transcript.getString("segments[2].commandId")).isEqualTo("cmd-2");
        assertThat(transcript.getString("segments[2].label")).isEqualTo("order-status");
        assertThat(transcript.getString("session.sessionId")).isEqualTo(call.sessionId());
        assertThat(transcript.getString("session.endReason")).isEqualTo("AGENT_HANGUP");
        assertThat(transcript.getString("session.endedBy.kind")).isEqualTo("LLM");
        assertThat(transcript.getLong("session.durationMs")).isEqualTo(7000);
        assertThat(transcript.getInt("session.usage.llmRequests")).isEqualTo(3);
        assertThat(transcript.getString("session.agentName")).isEqualTo("support-agent");

        String text = RestAssured.get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(200)
                .contentType("text/plain").extract().asString();
        assertThat(text).contains("[00:01.2] Caller: Hi, where is my order?\n")
                .contains("[00:03.0] Agent: Let me check that for you.\n")
                .contains("[00:04.7] Injected (crm): The customer's order shipped today.\n");

        JsonPath sessions = RestAssured.given().queryParam("room", call.room()).get("/v1/sessions").then().statusCode(200).extract().jsonPath();
        assertThat(sessions.getList("sessions.sessionId", String.class)).containsExactly(call.sessionId());
        assertThat(sessions.getString("sessions[0].startedAt")).isEqualTo(call.startedAt().toString());
        assertThat(sessions.getString("sessions[0].endedAt")).isEqualTo(call.startedAt().plusMillis(7000).toString());
        assertThat(sessions.getString("sessions[0].endReason")).isEqualTo("AGENT_HANGUP");
    }

    @Test
    void aSegmentThatArrivesBeforeItsSessionStartedIsKeptAndTheSessionCompletedLater() {
        Call call = Call.start("early");
        Kafka.publish(call.caller(0, "Hello?", 500, 1200));
        JsonPath early = Api.awaitTranscriptSize(call.room(), 1);
        assertThat(early.getBoolean("session.startConfirmed")).isFalse();
        assertThat(early.getString("session.status")).isEqualTo("live");

        Kafka.publish(call.started());
        JsonPath later = Api.awaitTranscript(call.room(), t -> t.getBoolean("session.startConfirmed"));
        assertThat(later.getString("session.agentName")).isEqualTo("support-agent");
        assertThat(later.getString("session.startedAt")).isEqualTo(call.startedAt().toString());
        assertThat(Api.texts(later)).containsExactly("Hello?");
    }

    @Test
    void aFinalSupersedesItsInterimsAndIsNeverReplacedByOne() {
        Call call = Call.start("interim");
        TranscriptSegment.Builder utterance = call.line(0, SpeakerRole.USER, "I want", 1000, 1500).setIsFinal(false);
        Kafka.publish(call.started(), call.ended(EndReason.CALLER_HANGUP, 9000));
        Kafka.publish(utterance.build());
        Api.awaitTranscript(call.room(), t -> List.of("I want").equals(Api.texts(t)));

        Kafka.publish(utterance.setRevision(2).setText("I want to pay by").build());
        Api.awaitTranscript(call.room(), t -> List.of("I want to pay by").equals(Api.texts(t)));
        // An older interim arriving late does not win over a newer one.
        Kafka.publish(utterance.setRevision(1).setText("I want to").build());
        Kafka.publish(utterance.setRevision(3).setIsFinal(true).setText("I want to pay by invoice.").setEndMs(2400).build());
        JsonPath done = Api.awaitTranscript(call.room(), t -> t.getBoolean("segments[0].isFinal"));
        assertThat(Api.texts(done)).containsExactly("I want to pay by invoice.");

        // Interims after the final, even with a higher revision, are ignored; so is a redelivered final.
        Kafka.publish(utterance.setRevision(9).setIsFinal(false).setText("I want to pay by card").build());
        Kafka.publish(utterance.setRevision(3).setIsFinal(true).setText("I want to pay by invoice.").build());
        Kafka.publish(call.agent(1, "Invoice it is.", 2600, 3400));
        JsonPath after = Api.awaitTranscriptSize(call.room(), 2);
        assertThat(Api.texts(after)).containsExactly("I want to pay by invoice.", "Invoice it is.");
        assertThat(after.getInt("segments[0].revision")).isEqualTo(3);
        assertThat(after.getLong("segments[0].endMs")).isEqualTo(2400);
    }

    @Test
    void segmentsArrivingOutOfOrderAreServedInSpokenOrder() {
        Call call = Call.start("order");
        Kafka.publish(call.started());
        Kafka.publish(call.agent(3, "fourth", 9000, 9500), call.caller(2, "third", 6000, 6500),
                call.agent(1, "second", 3000, 3500), call.caller(0, "first", 1000, 1500),
                // the same start as "third" but created later: sequence breaks the tie
                call.injected(4, "supervisor", "third and a half", 6000));
        JsonPath transcript = Api.awaitTranscriptSize(call.room(), 5);
        assertThat(Api.texts(transcript)).containsExactly("first", "second", "third", "third and a half", "fourth");
        assertThat(transcript.getList("segments.sequence", Long.class)).containsExactly(0L, 1L, 2L, 4L, 3L);
    }

    @Test
    void aRedeliveredSegmentChangesNothing() {
        Call call = Call.start("redeliver");
        TranscriptSegment line = call.caller(0, "Only once, please.", 100, 900);
        Kafka.publish(call.started(), call.ended(EndReason.CALLER_HANGUP, 2000));
        Kafka.publish(line);
        Api.awaitTranscript(call.room(), t -> t.getList("segments").size() == 1 && "ended".equals(t.getString("session.status")));
        List<String> segments = Database.snapshot(dataSource, "segments WHERE room = '" + call.room() + "'", "segment_id");
        List<String> sessions = Database.snapshot(dataSource, "sessions WHERE room = '" + call.room() + "'", "session_id");

        Kafka.publish(line);
        Kafka.publish(call.started(), call.ended(EndReason.CALLER_HANGUP, 2000));
        // A marker behind the redeliveries on the same partitions: once it is stored, they were processed.
        Kafka.publish(call.agent(1, "marker", 1000, 1500));
        Api.awaitTranscriptSize(call.room(), 2);
        assertThat(Database.snapshot(dataSource, "segments WHERE room = '" + call.room() + "' AND text <> 'marker'", "segment_id"))
                .isEqualTo(segments);
        assertThat(Database.snapshot(dataSource, "sessions WHERE room = '" + call.room() + "'", "session_id")).isEqualTo(sessions);
    }

    @Test
    void theLatestSessionOfAReusedRoomIsServedAndAnOlderOneByItsId() {
        Call first = Call.start("reuse");
        Call second = first.sameRoomLater(first.startedAt().plusSeconds(30));
        Kafka.publish(first.started(), first.ended(EndReason.CALLER_HANGUP, 10_000), second.started());
        Kafka.publish(first.caller(0, "first call", 100, 500), second.caller(0, "second call", 100, 500));
        Api.awaitTranscript(first.room(), t -> List.of("second call").equals(Api.texts(t)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath older = RestAssured.given().queryParam("sessionId", first.sessionId()).get("/v1/sessions/{room}/transcript", first.room())
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Api.texts(older)).containsExactly("first call");
            assertThat(older.getString("session.endReason")).isEqualTo("CALLER_HANGUP");
        });
    }
}
