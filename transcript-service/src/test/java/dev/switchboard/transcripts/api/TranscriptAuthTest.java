package dev.switchboard.transcripts.api;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.AuthAssertions;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.live.LiveFeed;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import dev.switchboard.testing.http.SseClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Who may read and delete which transcripts: tokens, scopes and tenants on every endpoint, SSE included. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL base;
    @Inject
    LiveFeed feed;

    private record Endpoint(String name, String scope, Function<RequestSpecification, Response> call) {
    }

    /** A stored call of the tenant, with one line that says the word. */
    private static Call storedCall(String prefix, String tenant, String word) {
        return Api.storedCall(prefix, tenant, "my " + word + " please");
    }

    @Test
    void everyEndpointRefusesUnusableTokensAndMissingScopesWithoutLoggingAboveDebug() {
        Call call = storedCall("auth", "default", "parcel");
        List<Endpoint> endpoints = List.of(
                new Endpoint("list sessions", "transcripts:read", r -> r.get("/v1/sessions")),
                new Endpoint("a session", "transcripts:read", r -> r.get("/v1/sessions/{room}", call.room())),
                new Endpoint("a transcript", "transcripts:read", r -> r.get("/v1/sessions/{room}/transcript?format=text", call.room())),
                new Endpoint("search", "transcripts:read", r -> r.get("/v1/search?q=parcel")),
                new Endpoint("the live stream", "transcripts:read", r -> r.accept("text/event-stream")
                        .get("/v1/sessions/{room}/transcript/stream", call.room())),
                new Endpoint("delete", "transcripts:delete", r -> r.delete("/v1/sessions/{room}", call.room())));
        try (LogCapture log = LogCapture.start()) {
            for (Endpoint endpoint : endpoints) {
                AuthAssertions.refusesUnusableTokens(endpoint.name(), endpoint.call());
                AuthAssertions.needsScope(endpoint.name(), endpoint.scope(), endpoint.call());
            }
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        }
        // Nothing was deleted by the refused requests; the right token reads it.
        as(TestTokens.token().scopes("transcripts:read").sign()).get("/v1/sessions/{room}/transcript", call.room())
                .then().statusCode(200).body("segments.size()", is(1)).body("session.tenant", is("default"));
    }

    @Test
    void anotherTenantsTranscriptsDoNotExistForAToken() throws Exception {
        Awaitility.await().atMost(WAIT).until(feed::running);
        String word = "zebra" + System.nanoTime() % 100_000;
        Call acmeCall = storedCall("acme", "acme", word);
        Call globexCall = storedCall("globex", "globex", word);
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String room = acmeCall.room();

        as(acme).get("/v1/sessions/{room}", room).then().statusCode(200).body("tenant", is("acme"));
        as(globex).get("/v1/sessions/{room}", room).then().statusCode(404)
                .body("detail", equalTo("no session stored for room '" + room + "'"));
        as(globex).get("/v1/sessions/{room}/transcript", room).then().statusCode(404);
        as(globex).get("/v1/sessions/{room}?sessionId=" + acmeCall.sessionId(), room).then().statusCode(404);
        as(globex).get("/v1/sessions?room=" + room).then().statusCode(200).body("sessions", org.hamcrest.Matchers.empty());
        as(globex).get("/v1/sessions?limit=200").then().statusCode(200).body("sessions.room", not(hasItem(room)));
        // Search finds only the token's own tenant's lines; tenants:all finds both.
        as(globex).get("/v1/search?q=" + word).then().statusCode(200).body("results.session.room", equalTo(List.of(globexCall.room())));
        as(acme).get("/v1/search?q=" + word).then().statusCode(200).body("results.session.room", equalTo(List.of(room)));
        as(TestTokens.admin()).get("/v1/search?q=" + word).then().statusCode(200).body("results.size()", is(2));

        // The live stream of another tenant's call does not exist either.
        URI stream = base.toURI().resolve("v1/sessions/" + room + "/transcript/stream");
        try (SseClient other = new SseClient(stream, globex)) {
            assertThat(other.status()).isEqualTo(404);
        }
        try (SseClient own = new SseClient(stream, acme)) {
            assertThat(own.status()).isEqualTo(200);
            assertThat(own.next(WAIT).data()).contains(word);
        }

        // Deleting it from another tenant removes nothing, by room or by id.
        as(globex).delete("/v1/sessions/{room}", room).then().statusCode(200).body("deletedSessions", is(0));
        as(globex).delete("/v1/sessions/{room}?sessionId=" + acmeCall.sessionId(), room).then().statusCode(200).body("deletedSessions", is(0));
        as(acme).get("/v1/sessions/{room}/transcript", room).then().statusCode(200).body("segments.size()", is(1));
        as(acme).delete("/v1/sessions/{room}", room).then().statusCode(200).body("deletedSessions", is(1));
        as(acme).get("/v1/sessions/{room}", room).then().statusCode(404);
    }

    @Test
    void aLiveStreamFollowsTheTokensOwnSessionWhenAnotherTenantReusesTheRoomName() throws Exception {
        Awaitility.await().atMost(WAIT).until(feed::running);
        Call acmeCall = Call.start("contested");
        Call globexCall = acmeCall.sameRoomLater(acmeCall.startedAt().plusSeconds(10));
        Kafka.publish(acmeCall.started(acmeCall.startedPayload().setTenant("acme").build()));
        Kafka.publish(acmeCall.line(0, dev.switchboard.events.SpeakerRole.USER, "acme's caller", 100, 800).setTenant("acme").build());
        Kafka.publish(globexCall.started(globexCall.startedPayload().setTenant("globex").build()));
        Kafka.publish(globexCall.line(0, dev.switchboard.events.SpeakerRole.USER, "globex's caller", 100, 800).setTenant("globex").build());
        Awaitility.await().atMost(WAIT).until(() -> as(TestTokens.ofTenant("globex")).get("/v1/sessions/{room}/transcript", acmeCall.room())
                .statusCode() == 200);

        URI stream = base.toURI().resolve("v1/sessions/" + acmeCall.room() + "/transcript/stream");
        try (SseClient acme = new SseClient(stream, TestTokens.ofTenant("acme"));
             SseClient globex = new SseClient(stream, TestTokens.ofTenant("globex"))) {
            assertThat(acme.status()).isEqualTo(200);
            assertThat(acme.next(WAIT).data()).contains("acme's caller");
            assertThat(globex.status()).isEqualTo(200);
            assertThat(globex.next(WAIT).data()).contains("globex's caller");
        }
    }

    @Test
    void aSegmentBeforeItsSessionStartedAlreadyBelongsToItsTenant() {
        Call call = Call.start("early");
        Kafka.publish(call.line(0, dev.switchboard.events.SpeakerRole.USER, "early bird", 0, 500).setTenant("acme").build());
        Awaitility.await().atMost(WAIT).until(() -> as(TestTokens.admin()).get("/v1/sessions/{room}", call.room()).statusCode() == 200);
        as(TestTokens.ofTenant("default")).get("/v1/sessions/{room}", call.room()).then().statusCode(404);
        as(TestTokens.ofTenant("acme")).get("/v1/sessions/{room}", call.room()).then().statusCode(200).body("tenant", is("acme"));
    }

    @Test
    void aLiveTailEndsWhenItsTokenExpires() throws Exception {
        Call call = storedCall("expiry", "default", "kiwi");
        // A token's exp has whole seconds: it expires 2 to 3 s from now, and the tail ends at the heartbeat after.
        String shortLived = TestTokens.token().expiresIn(Duration.ofSeconds(3)).sign();
        long opened = System.nanoTime();
        try (SseClient tail = new SseClient(base.toURI().resolve("v1/sessions/" + call.room() + "/transcript/stream"), shortLived)) {
            assertThat(tail.status()).isEqualTo(200);
            assertThat(tail.next(WAIT).name()).isEqualTo("segment");
            assertThat(tail.next(WAIT).name()).isEqualTo("replayed");
            SseClient.Event expired = tail.next(WAIT);
            assertThat(expired.name()).isEqualTo("expired");
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofSeconds(1));
            assertThat(tail.closedByServerWithin(WAIT)).isTrue();
        }
    }
}
