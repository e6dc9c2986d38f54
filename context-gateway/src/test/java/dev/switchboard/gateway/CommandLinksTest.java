package dev.switchboard.gateway;

import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The links a command answer hands out (statusUrl, Location) find that command when followed exactly as written, whatever
 * its Idempotency-Key holds: the id is one percent-encoded path segment, so a '/', '?', '#' or '%' in it neither names
 * another path, nor cuts the link at a query or fragment, nor is decoded into something else.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class CommandLinksTest {
    private static FakeWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = FakeWorker.start();
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @BeforeEach
    void gatewayIsReady() {
        Api.awaitReady();
    }

    @Test
    void followingTheLinksOfACommandWhoseKeyHoldsUrlCharactersFindsThatCommand() {
        String room = Api.newRoom("links");
        String sessionId = worker.startQuietSession(room, "acme");
        Api.awaitSession(room, sessionId, "LIVE");
        String acme = TestTokens.ofTenant("acme");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String everyVisibleAscii = IntStream.rangeClosed(0x21, 0x7E).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining());
        List<String> keys = List.of("loc/" + unique + "?y#z", unique + "/a/b", unique + "?d=1", "../../q/health/" + unique,
                unique + "%2F%25", unique + "+plus", "#" + unique, everyVisibleAscii + unique);
        for (String key : keys) {
            var accepted = given().auth().oauth2(acme).header("Idempotency-Key", key).queryParam("wait", "0")
                    .contentType(ContentType.JSON).body(Map.of("text", "k")).post("/v1/sessions/{room}/say", room)
                    .then().statusCode(202).extract();
            String commandId = accepted.path("commandId");
            assertThat(commandId).isEqualTo("acme:" + key);
            String statusUrl = accepted.path("statusUrl");
            URI location = URI.create(accepted.header("Location"));
            assertThat(location.getRawQuery()).as("Location of %s", key).isNull();
            assertThat(location.getRawFragment()).as("Location of %s", key).isNull();
            assertThat(location.getRawPath()).as("Location of %s", key).isEqualTo(statusUrl);
            assertThat(URI.create(statusUrl).getRawPath()).as("statusUrl of %s", key).isEqualTo(statusUrl);

            RawHttp.Answer followed = RawHttp.send(RestAssured.port, Requests.get(statusUrl,
                    Map.of("Authorization", TestTokens.bearer(acme))), Duration.ofSeconds(10));
            assertThat(followed.status()).as("GET %s: %s", statusUrl, followed.body()).isEqualTo(200);
            assertThat(JsonPath.from(followed.body()).getString("commandId")).as("GET %s", statusUrl).isEqualTo(commandId);
            assertThat(JsonPath.from(followed.body()).getString("statusUrl")).isEqualTo(statusUrl);
        }
    }

    /** The default tenant's key is its command id as it is: a leading '/' is a segment's content, not an empty segment. */
    @Test
    void aDefaultTenantsKeyIsTheWholeIdAndItsLinkFindsIt() {
        String room = Api.newRoom("links-default");
        String sessionId = worker.startQuietSession(room, "default");
        Api.awaitSession(room, sessionId, "LIVE");
        String key = "/" + UUID.randomUUID().toString().substring(0, 8) + "/..?#%";
        String statusUrl = Api.post(given().header("Idempotency-Key", key).queryParam("wait", "0"), room, "say",
                Map.of("text", "k")).statusCode(202).body("commandId", is(key)).extract().path("statusUrl");
        RawHttp.Answer followed = RawHttp.send(RestAssured.port, Requests.get(statusUrl,
                Map.of("Authorization", TestTokens.bearer(TestTokens.admin()))), Duration.ofSeconds(10));
        assertThat(followed.status()).as("GET %s: %s", statusUrl, followed.body()).isEqualTo(200);
        assertThat(JsonPath.from(followed.body()).getString("commandId")).isEqualTo(key);
    }

    /** "." and ".." would be dot segments of the link, which clients and servers resolve away: no link could name them. */
    @Test
    void aKeyThatIsADotSegmentIsRefused() {
        for (String key : List.of(".", "..")) {
            Api.post(given().header("Idempotency-Key", key), Api.newRoom("dots"), "say", Map.of("text", "k"))
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", is("Idempotency-Key must not be \".\" or \"..\" (it names the command in a URL path)"));
        }
    }
}
