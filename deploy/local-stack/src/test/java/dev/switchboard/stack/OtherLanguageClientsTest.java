package dev.switchboard.stack;

import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python and Node.js examples (examples/python, examples/node), written from schemas/README.md alone, steer a
 * call on the packaged stack over its real Kafka broker: each injects context into a running simulated call, waits for
 * the CommandResult and hangs up with EndSession. What they did is checked from outside: the injected line in the
 * stored transcript with its label, issuer and commandId, the goodbye, the hang-up through LiveKit's server API and
 * the session ended by that issuer. The role is given in lower case, as the CLI spells it: both examples take it in any case.
 *
 * <p>Without the clients' libraries the test is skipped saying what is missing, except in CI (see {@link ExampleClients}).
 */
@ExtendWith(PackagedStack.Resolver.class)
class OtherLanguageClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern COMMAND_LINE = Pattern.compile("(?m)^(InjectContext|EndSession) ([0-9a-f-]{36}) (\\S+)");
    private static PackagedStack packaged;

    @BeforeAll
    static void useTheSharedStack(PackagedStack shared) {
        packaged = shared;
    }

    @Test
    void thePythonExampleInjectsContextWaitsForTheResultAndHangsUp() throws Exception {
        String python = ExampleClients.pythonWithTheClientLibraries();
        steerACallWith("python", room -> List.of(python, "inject_and_hang_up.py",
                "--bootstrap-servers", packaged.stack.kafkaBootstrapServers(), "--room", room,
                "--text", "Order 1042 shipped today with UPS.", "--role", "user", "--label", "crm-python", "--issuer", "order-system-python",
                "--goodbye", "Thanks for calling, goodbye from Python!", "--reason", "order status given"),
                ExampleClients.pythonDirectory(), "Order 1042 shipped today with UPS.", "crm-python", "order-system-python",
                "Thanks for calling, goodbye from Python!");
    }

    @Test
    void theNodeExampleInjectsContextWaitsForTheResultAndHangsUp() throws Exception {
        Path node = ExampleClients.nodeDirectory();
        steerACallWith("node", room -> List.of("node", "inject-and-hang-up.mjs",
                "--bootstrap-servers", packaged.stack.kafkaBootstrapServers(), "--room", room,
                "--text", "Order 77 left the warehouse this morning.", "--role", "user", "--label", "crm-node", "--issuer", "order-system-node",
                "--goodbye", "Thanks for calling, goodbye from Node!", "--reason", "order status given"),
                node, "Order 77 left the warehouse this morning.", "crm-node", "order-system-node", "Thanks for calling, goodbye from Node!");
    }

    private interface Command {
        List<String> forRoom(String room);
    }

    private static void steerACallWith(String language, Command example, Path directory, String text, String label, String issuer,
                                       String goodbye) throws Exception {
        String room = language + "-client-" + System.nanoTime();
        String worker = packaged.url("agent-worker");
        String gateway = packaged.url("context-gateway");
        String transcripts = packaged.url("transcript-service");

        // A call is running: the worker has a session for the room and the gateway knows it.
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post(worker + "/v1/simulated-calls").then().statusCode(201);
        await(() -> given().get(gateway + "/v1/sessions/" + room).statusCode() == 200);

        ExampleClients.Result run = ExampleClients.run(example.forRoom(room), directory, ExampleClients.EXAMPLE_TIMEOUT);
        assertThat(run.exitCode()).as("the %s example's exit code; it printed:\n%s", language, run.output()).isZero();
        Map<String, String> commandIds = new HashMap<>();
        Matcher line = COMMAND_LINE.matcher(run.output());
        while (line.find()) {
            assertThat(line.group(3)).as(line.group()).isEqualTo("APPLIED");
            commandIds.put(line.group(1), line.group(2));
        }
        assertThat(commandIds).as(run.output()).containsOnlyKeys("InjectContext", "EndSession");

        // The injected line is stored with who sent it, its label and its command; then the goodbye.
        await(() -> finalSegments(transcripts, room).size() >= 2);
        JsonPath transcript = given().get(transcripts + "/v1/sessions/" + room + "/transcript").jsonPath();
        assertThat(transcript.getList("segments.findAll { it.isFinal }.collect { it.role + ': ' + it.text }", String.class))
                .containsExactly("INJECTED: " + text, "AGENT: " + goodbye);
        Map<String, Object> injected = transcript.getMap("segments.find { it.role == 'INJECTED' }");
        assertThat(injected).containsEntry("label", label).containsEntry("commandId", commandIds.get("InjectContext"));
        assertThat(transcript.getMap("segments.find { it.role == 'INJECTED' }.injectedBy"))
                .containsEntry("kind", "SYSTEM").containsEntry("id", issuer);

        // The hang-up went through the call controller to LiveKit, and the session ended, by that issuer.
        await(() -> !packaged.livekitApi.requests(FakeLiveKitServer.DELETE_ROOM, room).isEmpty());
        await(() -> "ENDED".equals(given().get(gateway + "/v1/sessions/" + room).jsonPath().getString("state")));
        JsonPath session = given().get(gateway + "/v1/sessions/" + room).jsonPath();
        assertThat(session.getString("endReason")).isEqualTo("SYSTEM_HANGUP");
        assertThat(session.getString("sessionEnded.endedBy.id")).isEqualTo(issuer);
        assertThat(session.getString("sessionEnded.detail")).isEqualTo("order status given");
        JsonPath call = given().get(worker + "/v1/simulated-calls/" + room).jsonPath();
        assertThat(call.getString("state")).isEqualTo("ENDED");
        assertThat(call.getList("agentSaid.text", String.class)).containsExactly(goodbye);
    }

    private static List<Object> finalSegments(String transcripts, String room) {
        Response response = given().get(transcripts + "/v1/sessions/" + room + "/transcript");
        return response.statusCode() != 200 ? List.of() : response.jsonPath().getList("segments.findAll { it.isFinal }");
    }

    private static void await(Supplier<Boolean> condition) {
        Waits.until(WAIT, packaged.settings.logs().toString(), condition);
    }
}
