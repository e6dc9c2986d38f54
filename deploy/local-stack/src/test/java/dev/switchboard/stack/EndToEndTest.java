package dev.switchboard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four services as separate processes on a real Kafka broker and a real PostgreSQL (the stack of
 * ./switchboard up), with an OpenAI-compatible LLM and LiveKit's server API served by the test: one simulated
 * call from the first word to the stored transcript.
 */
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static FakeLlmServer llmServer;
    private static FakeLiveKitServer livekit;
    private static LocalStack stack;
    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void startStack() {
        llmServer = new FakeLlmServer();
        livekit = new FakeLiveKitServer();
        stack = LocalStack.start(TestStacks.onFreePorts(),
                Map.of("SWITCHBOARD_LLM_BASE_URL", llmServer.baseUrl(), "SWITCHBOARD_LLM_API_KEY", "e2e-key", "SWITCHBOARD_LLM_MODEL", "fake-model"),
                Map.of("call-controller", Map.of("LIVEKIT_URL", livekit.url(), "LIVEKIT_API_KEY", livekit.apiKey(),
                        "LIVEKIT_API_SECRET", livekit.apiSecret())),
                new PrintStream(output, true));
    }

    @AfterAll
    static void stopStack() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
        llmServer.close();
        livekit.close();
        // Every service process, and PostgreSQL's, is gone.
        long deadline = System.currentTimeMillis() + 10_000;
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                .as("processes left behind").isEmpty();
    }

    @Test
    void everyServiceIsReadyOnTheRealBrokerAndDatabase() {
        for (String service : List.of("context-gateway", "transcript-service", "call-controller", "agent-worker")) {
            String health = given().get(stack.url(service) + "/q/health/ready").then().statusCode(200).extract().asString();
            assertThat(health).as(service).contains("Kafka connection health check");
        }
        assertThat(given().get(stack.url("transcript-service") + "/q/health/ready").asString()).contains("Database connections health check");
        assertThat(output.toString()).contains("ready: agent-worker");
    }

    @Test
    void aSimulatedCallIsSteeredHungUpByTheLlmAndItsTranscriptStored() {
        var llm = new FakeLlmControl(llmServer.baseUrl());
        String room = "e2e-" + System.nanoTime();
        String worker = stack.url("agent-worker");
        String gateway = stack.url("context-gateway");

        // A call starts; the gateway learns of it from session-events.
        String sessionId = given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are the Acme support agent."))
                .post(worker + "/v1/simulated-calls").then().statusCode(201).extract().path("sessionId");
        await(() -> given().get(gateway + "/v1/sessions/" + room).statusCode() == 200);

        // The caller speaks.
        llm.replyText("Let me check your order.");
        given().contentType(ContentType.JSON).body(Map.of("text", "Hi, where is my order?"))
                .post(worker + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200);

        // A back-office system adds context to the running call and is told it was applied.
        Response injected = given().contentType(ContentType.JSON).header("X-Switchboard-Issuer", "crm")
                .body(Map.of("role", "system", "text", "Order 42 shipped today by UPS.", "respond", false))
                .post(gateway + "/v1/sessions/" + room + "/context");
        assertThat(injected.statusCode()).as(injected.asString()).isEqualTo(200);
        assertThat(injected.jsonPath().getString("status")).isEqualTo("APPLIED");

        // The caller is done; the model answers with the end_call tool.
        llm.replyWithTool("Good news: it shipped today. Goodbye!", "end_call", Map.of("reason", "order status given"));
        Boolean ended = given().contentType(ContentType.JSON).body(Map.of("text", "Great, thanks, that's all."))
                .post(worker + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200).extract().path("ended");
        assertThat(ended).as("the agent hung up after its goodbye").isTrue();

        // That LLM request carried the injected message.
        List<JsonNode> messages = llm.lastMessages();
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("content").asText()).isEqualTo("Order 42 shipped today by UPS.");
        });

        // The call controller hangs up through LiveKit's server API with a valid token.
        await(() -> !livekit.requests(FakeLiveKitServer.DELETE_ROOM, room).isEmpty());
        FakeLiveKitServer.RecordedRequest deleteRoom = livekit.requests(FakeLiveKitServer.DELETE_ROOM, room).getFirst();
        assertThat(deleteRoom.authorized()).isTrue();
        assertThat(deleteRoom.video()).containsEntry("roomCreate", true);

        // The session ends everywhere.
        await(() -> "ENDED".equals(given().get(gateway + "/v1/sessions/" + room).jsonPath().getString("state")));
        await(() -> "ENDED".equals(given().get(worker + "/v1/simulated-calls/" + room).jsonPath().getString("state")));

        // The transcript service serves every line, in order.
        String transcripts = stack.url("transcript-service");
        await(() -> given().get(transcripts + "/v1/sessions/" + room + "/transcript").then().extract().statusCode() == 200
                && given().get(transcripts + "/v1/sessions/" + room + "/transcript").jsonPath().getList("segments").size() >= 5);
        var transcript = given().get(transcripts + "/v1/sessions/" + room + "/transcript").jsonPath();
        assertThat(transcript.getString("session.sessionId")).isEqualTo(sessionId);
        List<String> lines = transcript.getList("segments.findAll { it.isFinal }.collect { it.role + ': ' + it.text }");
        assertThat(lines).containsExactly(
                "USER: Hi, where is my order?",
                "AGENT: Let me check your order.",
                "INJECTED: Order 42 shipped today by UPS.",
                "USER: Great, thanks, that's all.",
                "AGENT: Good news: it shipped today. Goodbye!");
        assertThat(given().get(transcripts + "/v1/sessions/" + room + "/transcript?format=text").asString())
                .contains("Order 42 shipped today by UPS.");
    }

    private static void await(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + "; the services' logs are in the stack's state directory");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
