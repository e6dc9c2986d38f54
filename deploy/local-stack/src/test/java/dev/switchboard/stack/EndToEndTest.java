package dev.switchboard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmServer;
import dev.switchboard.testing.sfu.FakeSfuControl;
import dev.switchboard.testing.sfu.FakeSfuProcess;
import dev.switchboard.testing.speech.FakeDeepgramServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four services as separate processes on a real Kafka broker and a real PostgreSQL (the stack of
 * ./switchboard up, packaged applications started the way it starts them), with an OpenAI-compatible LLM,
 * Deepgram's speech APIs and LiveKit (its server API, and a fake SFU serving rooms and the agent endpoint) served
 * by the test: a voice call over LiveKit's real media engine on a freshly started worker, and a simulated call,
 * each from the first word to the stored transcript.
 */
@Order(1) // first of the classes sharing the packaged stack: its voice call must reach a worker nothing has touched
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(PackagedStack.Resolver.class)
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CALLER_SAYS = PackagedStack.CALLER_SAYS;
    private static PackagedStack packaged;
    private static LocalStack stack;
    private static FakeSfuProcess sfu;
    private static FakeDeepgramServer deepgram;
    private static FakeLiveKitServer livekit;
    private static FakeLlmServer llmServer;

    @BeforeAll
    static void useTheSharedStack(PackagedStack shared) {
        packaged = shared;
        stack = shared.stack;
        sfu = shared.sfu;
        deepgram = shared.deepgram;
        livekit = shared.livekitApi;
        llmServer = shared.llm;
    }

    /**
     * The product's core path, on the packaged worker exactly as ./switchboard up starts it, and before anything
     * else has touched the worker: LiveKit dispatches the call, the caller speaks, the agent answers out loud, the
     * transcript is stored, the caller hangs up and the job ends well.
     */
    @Test
    @Order(1)
    void aLiveKitCallOnAFreshlyStartedWorkerIsHeardAnsweredStoredAndEnds() throws Exception {
        FakeSfuControl sfuControl = sfu.control();
        var llm = new FakeLlmControl(llmServer.baseUrl());
        llm.reset();
        llm.replyText("Hello, Acme here. How can I help?"); // the agent opens an inbound call (the default)
        llm.replyText("Your order shipped today.");
        String room = "e2e-voice-" + System.nanoTime();
        String gateway = stack.url("context-gateway");
        String transcripts = stack.url("transcript-service");

        await(() -> sfuControl.agentWorkers().stream().anyMatch(FakeSfuControl.AgentWorker::connected));

        // A phone caller enters a new room: LiveKit dispatches the job to the worker, which joins and starts a session.
        var caller = sfuControl.joinParticipant(FakeSfuControl.ParticipantSpec.sipCaller("+15550100")
                .withAudio(FakeSfuControl.AudioSpec.silence()), room);
        await(() -> job(sfuControl, room).statuses().contains("JS_RUNNING"));
        await(() -> given().get(gateway + "/v1/sessions/" + room).statusCode() == 200);
        var session = given().get(gateway + "/v1/sessions/" + room).jsonPath();
        assertThat(session.getString("transport")).isEqualTo("LIVEKIT");
        assertThat(session.getString("direction")).isEqualTo("INBOUND");
        assertThat(session.getString("callerNumber")).isEqualTo("+15550100");

        // The agent greets the caller; then the caller asks (real speech audio through LiveKit's engine, the VAD and
        // the speech recognizer).
        await(() -> finalLines(transcripts, room).size() >= 1);
        assertThat(finalLines(transcripts, room)).containsExactly("AGENT: Hello, Acme here. How can I help?");
        long greetingHeardMs = agentAudioMs(sfuControl); // an agent line is stored once it was said in full
        sfuControl.play(caller.identity(), FakeSfuControl.AudioSpec.file(CallerSpeech.of(CALLER_SAYS).toString(), CallerSpeech.SAMPLE_RATE, false));

        // The agent answers out loud; once it has said all of it, both lines are stored.
        await(() -> finalLines(transcripts, room).size() >= 3);
        assertThat(finalLines(transcripts, room)).containsExactly("AGENT: Hello, Acme here. How can I help?", "USER: " + CALLER_SAYS,
                "AGENT: Your order shipped today.");
        // The fake speech synthesizer speaks 60 ms per character: the answer's 25 are 1.5 s the room must hear after the greeting.
        assertThat(agentAudioMs(sfuControl) - greetingHeardMs).as("ms of the agent's answer the room heard").isGreaterThanOrEqualTo(1000);
        assertThat(deepgram.audioBytesReceived()).as("caller audio the speech recognizer received").isGreaterThan(16_000);
        assertThat(deepgram.spoken()).as("what the agent had synthesized").contains("Your order shipped today.");

        // The caller hangs up: the session ends with the reason, the job ends well.
        sfuControl.leaveParticipant(caller.identity(), "CLIENT_INITIATED");
        await(() -> "ENDED".equals(given().get(gateway + "/v1/sessions/" + room).jsonPath().getString("state")));
        assertThat(given().get(gateway + "/v1/sessions/" + room).jsonPath().getString("endReason")).isEqualTo("CALLER_HANGUP");
        await(() -> job(sfuControl, room).statuses().contains("JS_SUCCESS"));
        assertThat(job(sfuControl, room).statuses()).doesNotContain("JS_FAILED");
        await(() -> "CALLER_HANGUP".equals(given().get(transcripts + "/v1/sessions/" + room).jsonPath().getString("endReason")));

        assertThat(packaged.log("agent-worker")).as("the worker's log")
                .doesNotContain("ClassNotFoundException", "the call failed");
    }

    /** The stored transcript's final lines as "ROLE: text" (empty until the session is known to the service). */
    static List<String> finalLines(String transcripts, String room) {
        Response response = given().get(transcripts + "/v1/sessions/" + room + "/transcript");
        return response.statusCode() != 200 ? List.of()
                : response.jsonPath().getList("segments.findAll { it.isFinal }.collect { it.role + ': ' + it.text }");
    }

    static FakeSfuControl.AgentJob job(FakeSfuControl control, String room) {
        return control.agentJobs().stream().filter(j -> room.equals(j.room())).findFirst()
                .orElseThrow(() -> new AssertionError("LiveKit dispatched no job for " + room + ": " + control.state().path("agents")));
    }

    /** Milliseconds of loud audio the SFU received from the agent (the fake speech synthesizer speaks a tone). */
    static long agentAudioMs(FakeSfuControl control) {
        return control.receivedAudio(100).tracks().stream().flatMap(t -> t.windows().stream()).filter(w -> w.rms() > 0.05).count() * 100;
    }

    @Test
    @Order(2)
    void everyServiceIsReadyOnTheRealBrokerAndDatabase() {
        for (String service : List.of("context-gateway", "transcript-service", "call-controller", "agent-worker")) {
            String health = given().get(stack.url(service) + "/q/health/ready").then().statusCode(200).extract().asString();
            assertThat(health).as(service).contains("Kafka connection health check");
        }
        assertThat(given().get(stack.url("transcript-service") + "/q/health/ready").asString()).contains("Database connections health check");
        assertThat(packaged.output.toString()).contains("ready: agent-worker");
    }

    @Test
    @Order(2)
    void everyPackagedApiWantsTheStacksTokenWhileHealthStaysOpen() {
        Map<String, String> apis = Map.of("context-gateway", "/v1/sessions", "transcript-service", "/v1/sessions",
                "agent-worker", "/v1/simulated-calls");
        apis.forEach((service, path) -> {
            String url = stack.url(service) + path;
            given().filter(TestTokens.withoutToken()).get(url).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
            // A token of another key (the tests' own) is refused: the services trust only the stack's key.
            given().auth().oauth2(TestTokens.admin()).get(url).then().statusCode(401);
            given().get(url).then().statusCode(200);
            given().filter(TestTokens.withoutToken()).get(stack.url(service) + "/q/health/live").then().statusCode(200);
        });
    }

    @Test
    @Order(3)
    void aSimulatedCallIsSteeredHungUpByTheLlmAndItsTranscriptStored() {
        var llm = new FakeLlmControl(llmServer.baseUrl());
        llm.reset();
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
        // Who did it is the token's subject; the header is only the label.
        assertThat(injected.jsonPath().getString("issuer.id")).isEqualTo("stack-test");
        assertThat(injected.jsonPath().getString("issuer.displayName")).isEqualTo("crm");

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

        // The audit trail names who steered the call (the token's subject, the header only as its label) and who hung up.
        await(() -> given().get(transcripts + "/v1/audit?room=" + room).jsonPath().getList("records").size() >= 2);
        var audit = given().get(transcripts + "/v1/audit?room=" + room).then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("records.findAll { it.action == 'InjectContext' }.collect { it.actor.id + '/' + it.actor.displayName + ' ' + it.outcome + ' by ' + it.service }"))
                .containsExactly("stack-test/crm APPLIED by agent-worker");
        assertThat(audit.getList("records.findAll { it.action == 'HangupRequested' }.collect { it.actor.kind + ' ' + it.outcome + ' by ' + it.service }"))
                .containsExactly("LLM DONE by call-controller");
        assertThat(audit.prettify()).doesNotContain("Order 42 shipped");
    }

    private static void await(Supplier<Boolean> condition) {
        Waits.until(WAIT, "the stack's state directory", condition);
    }
}
