package dev.switchboard.transcripts.api;

import dev.switchboard.events.EndReason;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import dev.switchboard.transcripts.support.Subtitles;
import dev.switchboard.transcripts.support.Subtitles.Cue;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptFormatsTest {
    private Call call;

    /** One call for every test of the class (RestAssured knows the port only per test). */
    @BeforeEach
    void oneCall() {
        if (call != null) {
            return;
        }
        call = Call.start("formats");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, "Hello, I <think> my bill is wrong & too high.", 1250, 3999),
                call.agent(1, "Let me look\ninto that.", 4200, 5800),
                call.injected(2, "crm", "Customer is on the premium plan.", 6000),
                call.agent(3, "You are on the premium plan.", 3_725_500, 3_727_250));
        Kafka.publish(call.ended(EndReason.AGENT_HANGUP, 3_730_000));
        Api.awaitTranscript(call.room(), t -> t.getList("segments").size() == 4 && "ended".equals(t.getString("session.status")));
    }

    @Test
    void srtHasNumberedCuesWithTheExactTimingsAndSpeakers() {
        String body = RestAssured.get("/v1/sessions/{room}/transcript?format=srt", call.room()).then().statusCode(200)
                .contentType("application/x-subrip").extract().asString();
        List<Cue> cues = Subtitles.srt(body);
        assertThat(cues).extracting(Cue::startMs).containsExactly(1250L, 4200L, 6000L, 3_725_500L);
        // an injected message has no duration: it is shown for a second
        assertThat(cues).extracting(Cue::endMs).containsExactly(3999L, 5800L, 7000L, 3_727_250L);
        assertThat(cues).extracting(Cue::text).containsExactly("Caller: Hello, I <think> my bill is wrong & too high.",
                "Agent: Let me look into that.", "Injected (crm): Customer is on the premium plan.", "Agent: You are on the premium plan.");
        assertThat(body).contains("01:02:05,500 --> 01:02:07,250");
    }

    @Test
    void vttHasVoiceSpansEscapedTextAndTheExactTimings() {
        String body = RestAssured.given().accept("text/vtt").get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200)
                .contentType("text/vtt").extract().asString();
        List<Cue> cues = Subtitles.vtt(body);
        assertThat(cues).extracting(Cue::startMs).containsExactly(1250L, 4200L, 6000L, 3_725_500L);
        assertThat(cues).extracting(Cue::endMs).containsExactly(3999L, 5800L, 7000L, 3_727_250L);
        assertThat(cues).extracting(Cue::text).containsExactly("<v Caller>Hello, I &lt;think&gt; my bill is wrong &amp; too high.",
                "<v Agent>Let me look into that.", "<v Injected (crm)>Customer is on the premium plan.", "<v Agent>You are on the premium plan.");
        assertThat(cues.getFirst().id()).matches("[0-9a-f-]{36}");
    }

    @Test
    void textIsReadableAndTheFormatCanComeFromTheAcceptHeader() {
        String body = RestAssured.given().accept("text/plain").get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200)
                .contentType("text/plain").extract().asString();
        assertThat(body.lines().filter(l -> l.startsWith("[")).toList()).containsExactly(
                "[00:01.2] Caller: Hello, I <think> my bill is wrong & too high.",
                "[00:04.2] Agent: Let me look into that.",
                "[00:06.0] Injected (crm): Customer is on the premium plan.",
                "[1:02:05.5] Agent: You are on the premium plan.");
        assertThat(body).contains("ended").contains("AGENT_HANGUP");
        RestAssured.given().accept("application/x-subrip").get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200)
                .contentType("application/x-subrip");
        RestAssured.given().accept("*/*").get("/v1/sessions/{room}/transcript", call.room()).then().statusCode(200)
                .contentType("application/json");
    }

    @Test
    void theFormatParameterWinsOverTheAcceptHeader() {
        RestAssured.given().accept("application/json").get("/v1/sessions/{room}/transcript?format=vtt", call.room()).then().statusCode(200)
                .contentType("text/vtt");
    }

    @Test
    void badFormatsAndUnknownRoomsAreProblems() {
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript?format=pdf", call.room()), 400, "format: one of json, text, srt, vtt");
        Api.assertProblem(RestAssured.given().accept("image/png").get("/v1/sessions/{room}/transcript", call.room()), 406, "Accept");
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript", "no-such-room"), 404, "no session stored for room 'no-such-room'");
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}/transcript?sessionId=nope", call.room()), 400, "sessionId: not a UUID");
        Api.assertProblem(RestAssured.get("/v1/sessions/{room}", "no-such-room"), 404, "no session stored");
    }
}
