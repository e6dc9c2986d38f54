package dev.switchboard.worker.simulated;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** How the simulated-call API reads request bodies: chunked ones with trailers, and text no UTF-8 or database can carry. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class SimulatedCallBodiesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private FakeLlmControl llm;

    @BeforeEach
    void resetLlm() {
        llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
    }

    private static String newRoom() {
        return "bodies-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void chunkedBodiesEndingInTrailersAreReadWhole() {
        String room = newRoom();
        try (LogCapture log = LogCapture.start()) {
            RawHttp.Answer started = send("POST", "/v1/simulated-calls",
                    "{\"room\":\"" + room + "\",\"instructions\":\"You are a test agent.\",\"callerNumber\":\"+15550100\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            assertThat(started.body()).contains("\"room\":\"" + room + "\"");

            llm.replyText("Hello there.");
            RawHttp.Answer said = send("POST", "/v1/simulated-calls/" + room + "/utterances", "{\"text\":\"hi\"}");
            assertThat(said.status()).as(said.body()).isEqualTo(200);
            assertThat(said.body()).contains("\"replies\":[\"Hello there.\"]");
            // The utterance reached the agent as written: the LLM was asked about it.
            assertThat(llm.lastMessages().getLast().path("role").asText()).isEqualTo("user");
            assertThat(llm.lastMessages().getLast().path("content").asText()).isEqualTo("hi");

            RawHttp.Answer pressed = send("POST", "/v1/simulated-calls/" + room + "/dtmf", "{\"digits\":\"12#\"}");
            assertThat(pressed.status()).as(pressed.body()).isEqualTo(202);
            assertThat(pressed.body()).contains("\"pressed\":\"12#\"");

            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        }
        given().delete("/v1/simulated-calls/{room}", room).then().statusCode(204);
    }

    @Test
    void textWithNulOrALoneSurrogateIsRefusedNamingTheField() {
        String room = newRoom();
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls").then().statusCode(201);

        // As JSON escapes, the way a client writes them: the worker's reader turns them into the characters.
        refused("/v1/simulated-calls/" + room + "/utterances", "{\"text\":\"nul\\u0000here\"}", "text must not contain NUL characters");
        refused("/v1/simulated-calls/" + room + "/utterances", "{\"text\":\"lone\\ud800here\"}",
                "text is not valid Unicode: a lone surrogate");
        refused("/v1/simulated-calls/" + room + "/utterances", "{\"text\":\"lone\\udc00\"}", "text is not valid Unicode: a lone surrogate");
        assertThat(llm.requests()).as("no refused utterance reached the agent").isEmpty();

        String other = newRoom();
        refused("/v1/simulated-calls", "{\"room\":\"" + other + "\",\"instructions\":\"be\\u0000nice\"}",
                "instructions must not contain NUL characters");
        refused("/v1/simulated-calls", "{\"room\":\"" + other + "\",\"instructions\":\"be\\ud83dnice\"}",
                "instructions is not valid Unicode: a lone surrogate");
        refused("/v1/simulated-calls", "{\"room\":\"" + other + "\",\"metadata\":{\"crm\":\"a\\u0000b\"}}",
                "metadata entry 'crm' must not contain NUL characters");
        refused("/v1/simulated-calls", "{\"room\":\"" + other + "\",\"metadata\":{\"crm\":\"a\\ud800b\"}}",
                "metadata entry 'crm' is not valid Unicode: a lone surrogate");
        given().get("/v1/simulated-calls/{room}", other).then().statusCode(404);

        // A pair of surrogates is one character (an emoji), not a lone one.
        llm.replyText("Nice.");
        given().contentType(ContentType.JSON).body("{\"text\":\"thumbs \\ud83d\\udc4d\"}").post("/v1/simulated-calls/{room}/utterances", room)
                .then().statusCode(200);
        assertThat(llm.lastMessages().getLast().path("content").asText()).isEqualTo("thumbs \uD83D\uDC4D");
        given().delete("/v1/simulated-calls/{room}", room).then().statusCode(204);
    }

    private static void refused(String path, String json, String detail) {
        given().contentType(ContentType.JSON).body(json).post(path).then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", equalTo(detail));
    }

    /** The request over a raw socket, its JSON body in two chunks and a trailer after the last (zero-size) chunk. */
    private static RawHttp.Answer send(String method, String target, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        int half = body.length / 2;
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer " + TestTokens.token().scopes("calls:simulate").sign() + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk(request, body, 0, half);
        chunk(request, body, half, body.length);
        request.writeBytes("0\r\nX-Trace: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return RawHttp.send(RestAssured.port, request.toByteArray(), TIMEOUT);
    }

    private static void chunk(ByteArrayOutputStream request, byte[] body, int from, int to) {
        request.writeBytes((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(body, from, to - from);
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
