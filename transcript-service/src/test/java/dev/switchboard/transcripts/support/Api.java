package dev.switchboard.transcripts.support;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.support.Events.Call;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/** Reads the service's HTTP API, waiting for what the ingestion has not stored yet. */
public final class Api {
    private Api() {
    }

    public static JsonPath transcript(String room) {
        return RestAssured.given().accept("application/json").get("/v1/sessions/{room}/transcript", room)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the room's transcript (latest session) satisfies the condition, and returns it. */
    public static JsonPath awaitTranscript(String room, Predicate<JsonPath> done) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var response = RestAssured.given().accept("application/json").get("/v1/sessions/{room}/transcript", room);
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = response.jsonPath();
            return done.test(last[0]);
        });
        return last[0];
    }

    /** Waits until the room's session (latest), as the token sees it, satisfies the condition, and returns it. */
    public static JsonPath awaitSession(String token, String room, Predicate<JsonPath> done) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var response = as(token).get("/v1/sessions/{room}", room);
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, session -> session != null && done.test(session));
    }

    /** A new call of the tenant with one line the caller said, published and waited for until the API serves it. */
    public static Call storedCall(String prefix, String tenant, String callerSaid) {
        Call call = Call.start(prefix);
        Kafka.publish(call.started(call.startedPayload().setTenant(tenant).build()));
        Kafka.publish(call.line(0, SpeakerRole.USER, callerSaid, 0, 900).setTenant(tenant).build());
        awaitTranscriptSize(call.room(), 1);
        return call;
    }

    public static JsonPath awaitTranscriptSize(String room, int segments) {
        return awaitTranscript(room, t -> t.getList("segments").size() == segments);
    }

    public static List<String> texts(JsonPath transcript) {
        return transcript.getList("segments.text", String.class);
    }

    /** The auditIds stored for the room, once there are {@code count} of them. */
    public static List<String> awaitAuditIds(String room, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> as(TestTokens.admin()).get("/v1/audit?room=" + room).then().statusCode(200).extract().jsonPath()
                        .getList("records.auditId", String.class),
                ids -> ids.size() == count);
    }

    public static void assertProblem(io.restassured.response.Response response, int status, String detailContains) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("type")).isNotBlank();
        assertThat(problem.getString("instance")).isNotBlank();
        assertThat(problem.getString("detail")).contains(detailContains);
    }
}
