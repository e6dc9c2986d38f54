package dev.switchboard.transcripts.api;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The causes of the server errors a fuzzer found, one by one: an empty or unreadable Accept header on a transcript,
 * a NUL byte in a room, a query, a filter or a forged cursor, and timestamps PostgreSQL cannot hold. Each is the
 * client's mistake: a 400 (or 406) problem naming what is wrong, never a 5xx, and nothing above DEBUG in the log. And
 * the one refusal that was not a problem: a failed If-Match, an empty 412.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileParametersTest {
    private LogCapture log;

    @BeforeEach
    void captureTheLog() {
        log = LogCapture.start();
    }

    @AfterEach
    void nothingWasLoggedAboveDebug() {
        try {
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
            assertThat(log.withStackTrace()).as(LogCapture.describe(log.all())).isEmpty();
        } finally {
            log.close();
        }
    }

    @Test
    void anEmptyAcceptHeaderGetsTheJsonTranscriptAndAnUnreadableOneA406() {
        Call call = Api.storedCall("accept", "default", "Hello?");
        String path = "/v1/sessions/" + call.room() + "/transcript";
        for (String accept : new String[]{"", "  "}) {
            RawHttp.Answer answer = send("GET", path, Map.of("Accept", accept));
            assertThat(answer.status()).as("Accept: [%s]", accept).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("application/json");
        }
        assertThat(send("GET", path, Map.of("Accept", "text/vtt;q=abc, nonsense")).status()).isEqualTo(406);
        assertThat(send("GET", path, Map.of("Accept", "image/png")).status()).isEqualTo(406);
        assertThat(send("GET", path, Map.of("Accept", "foo/bar, text/vtt")).contentType()).startsWith("text/vtt");
    }

    @Test
    void aNulByteIsA400NamingTheParameterWhereverItIs() {
        assertBadRequest("GET", "/v1/sessions/a%00b", "room must not contain NUL characters (%00)");
        assertBadRequest("GET", "/v1/sessions/a%00b/transcript", "room must not contain NUL characters (%00)");
        assertBadRequest("DELETE", "/v1/sessions/a%00b", "room must not contain NUL characters (%00)");
        assertBadRequest("GET", "/v1/search?q=refund%00", "q must not contain NUL characters (%00)");
        assertBadRequest("GET", "/v1/sessions?agent=%00", "agent must not contain NUL characters (%00)");
        assertBadRequest("GET", "/v1/sessions?text=card%00", "text must not contain NUL characters (%00)");
        assertBadRequest("GET", "/v1/search?q=x&room=%00", "room must not contain NUL characters (%00)");
    }

    @Test
    void anInstantPostgresCannotHoldIsA400NamingTheParameter() {
        assertBadRequest("GET", "/v1/sessions?from=%2B999999999-12-31T23:59:59Z", "from: out of range");
        assertBadRequest("GET", "/v1/sessions?to=-999999999-01-01T00:00:00Z", "to: out of range");
        assertBadRequest("GET", "/v1/search?q=refund&from=%2B10000-01-01T00:00:00Z", "from: out of range");
        assertThat(RestAssured.get("/v1/sessions?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z").statusCode()).isEqualTo(200);
    }

    @Test
    void aParameterThatTakesOneValueMayNotComeTwice() {
        assertBadRequest("GET", "/v1/sessions?limit=1&limit=500", "limit is given 2 times; it takes one value");
        assertBadRequest("GET", "/v1/search?q=refund&q=card", "q is given 2 times; it takes one value");
        assertBadRequest("GET", "/v1/sessions/r1/transcript?format=srt&format=json", "format is given 2 times; it takes one value");
    }

    @Test
    void aForgedCursorWithAnInstantOutOfRangeIsA400() {
        String sessions = cursor("s1|-startedAt|+999999999-12-31T23:59:59Z|" + UUID.randomUUID());
        assertBadRequest("GET", "/v1/sessions?cursor=" + sessions, "cursor: not a cursor this service issued");
        String search = cursor("q1|-createdAt|+999999999-12-31T23:59:59Z|" + UUID.randomUUID());
        assertBadRequest("GET", "/v1/search?q=refund&cursor=" + search, "cursor: not a cursor this service issued");
    }

    @Test
    void aForgedCursorCarryingANulByteIsA400BeforeTheDatabaseSeesIt() {
        // The audit cursor's id is text: its NUL reached PostgreSQL, refused there ("invalid byte sequence", an ERROR in its log).
        String audit = cursor("a1|-occurredAt|2025-01-31T09:00:00Z|audit\u0000id");
        assertBadRequest("GET", "/v1/audit?cursor=" + audit, "cursor: not a cursor this service issued");
        String search = cursor("q1|-createdAt|2025-01-31T09:00:00Z|" + UUID.randomUUID() + "\u0000");
        assertBadRequest("GET", "/v1/search?q=refund&cursor=" + search, "cursor: not a cursor this service issued");
        String sessions = cursor("s1|-duration|\u00001|" + UUID.randomUUID());
        assertBadRequest("GET", "/v1/sessions?sort=-duration&cursor=" + sessions, "cursor: not a cursor this service issued");
    }

    @Test
    void anIfMatchThatDoesNotHoldIsA412ProblemWithTheCurrentETag() {
        Call call = Api.storedCall("if-match", "default", "Hello?");
        String path = "/v1/sessions/" + call.room() + "/transcript?format=vtt";
        String current = send("GET", path, Map.of()).headers().get("etag");
        assertThat(current).startsWith("\"");

        for (String ifMatch : new String[]{"\"stale\"", "\"x", "W/\"weak\""}) {
            RawHttp.Answer answer = send("GET", path, Map.of("If-Match", ifMatch));
            assertThat(answer.status()).as("If-Match: %s -> %s", ifMatch, answer.body()).isEqualTo(412);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(new JsonPath(answer.body()).getString("title")).isEqualTo("Precondition Failed");
            assertThat(new JsonPath(answer.body()).getString("detail")).contains("If-Match").contains(current);
            assertThat(answer.headers()).containsEntry("etag", current);
        }
        assertThat(send("GET", path, Map.of("If-Match", current)).status()).isEqualTo(200);
        assertThat(send("GET", path, Map.of("If-Match", "*")).status()).isEqualTo(200);
    }

    @Test
    void aDeletionIsCarriedOutOnlyIfItsIfMatchHoldsWhichANamedVersionNeverDoes() {
        Call call = Api.storedCall("if-match-delete", "default", "Please delete me later.");
        String transcript = "/v1/sessions/" + call.room() + "/transcript";
        String etag = send("GET", transcript, Map.of()).headers().get("etag");

        RawHttp.Answer guarded = send("DELETE", "/v1/sessions/" + call.room(), Map.of("If-Match", etag));
        assertThat(guarded.status()).as(guarded.body()).isEqualTo(412);
        assertThat(guarded.contentType()).startsWith("application/problem+json");
        assertThat(new JsonPath(guarded.body()).getString("detail")).contains("takes only *", "nothing was deleted");
        assertThat(send("GET", transcript, Map.of()).status()).as("still stored").isEqualTo(200);

        RawHttp.Answer nothing = send("DELETE", "/v1/sessions/" + call.room() + "-none", Map.of("If-Match", "*"));
        assertThat(nothing.status()).as(nothing.body()).isEqualTo(412);
        RawHttp.Answer deleted = send("DELETE", "/v1/sessions/" + call.room(), Map.of("If-Match", "*"));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(new JsonPath(deleted.body()).getInt("deletedSessions")).isEqualTo(1);
    }

    private static void assertBadRequest(String method, String target, String detail) {
        RawHttp.Answer answer = send(method, target, Map.of());
        assertThat(answer.status()).as("%s %s: %s", method, target, answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(new JsonPath(answer.body()).getString("detail")).startsWith(detail);
    }

    private static RawHttp.Answer send(String method, String target, Map<String, String> headers) {
        Map<String, String> withToken = new java.util.HashMap<>(headers);
        withToken.put("Authorization", TestTokens.bearer(TestTokens.admin()));
        return RawHttp.send(RestAssured.port, Requests.of(method, target, withToken, null), Duration.ofSeconds(10));
    }

    private static String cursor(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
