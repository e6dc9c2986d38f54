package dev.switchboard.stack;

import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * the session ended by that issuer.
 *
 * <p>Without the clients' libraries (python3 with confluent-kafka and avro, or npm) the test is skipped saying what is
 * missing, except in CI (CI=true), where it must run.
 */
@ExtendWith(PackagedStack.Resolver.class)
class OtherLanguageClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration EXAMPLE_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern COMMAND_LINE = Pattern.compile("(?m)^(InjectContext|EndSession) ([0-9a-f-]{36}) (\\S+)");
    private static PackagedStack packaged;
    private static Path examples;

    @BeforeAll
    static void useTheSharedStack(PackagedStack shared) {
        packaged = shared;
        examples = TestStacks.repositoryRoot().resolve("examples");
    }

    @Test
    void thePythonExampleInjectsContextWaitsForTheResultAndHangsUp() throws Exception {
        String python = pythonWithTheClientLibraries();
        steerACallWith("python", room -> List.of(python, "inject_and_hang_up.py",
                "--bootstrap-servers", packaged.stack.kafkaBootstrapServers(), "--room", room,
                "--text", "Order 1042 shipped today with UPS.", "--label", "crm-python", "--issuer", "order-system-python",
                "--goodbye", "Thanks for calling, goodbye from Python!", "--reason", "order status given"),
                examples.resolve("python"), "Order 1042 shipped today with UPS.", "crm-python", "order-system-python",
                "Thanks for calling, goodbye from Python!");
    }

    @Test
    void theNodeExampleInjectsContextWaitsForTheResultAndHangsUp() throws Exception {
        Path node = examples.resolve("node");
        // The lock names packages and their integrity, never the registry they came from (.npmrc).
        assertThat(Files.readString(node.resolve("package-lock.json"))).doesNotContain("\"resolved\"");
        requireClient(run(List.of("npm", "--version"), node, Duration.ofSeconds(60)), "npm (Node.js) is not installed");
        requireClient(run(List.of("npm", "ci", "--no-audit", "--no-fund"), node, Duration.ofMinutes(5)),
                "npm ci could not install the example's packages (kafkajs, avsc) from the npm registry");
        steerACallWith("node", room -> List.of("node", "inject-and-hang-up.mjs",
                "--bootstrap-servers", packaged.stack.kafkaBootstrapServers(), "--room", room,
                "--text", "Order 77 left the warehouse this morning.", "--label", "crm-node", "--issuer", "order-system-node",
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

        Result run = run(example.forRoom(room), directory, EXAMPLE_TIMEOUT);
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

    /**
     * A Python 3 that has confluent-kafka and Apache Avro: the one on PATH, or Debian's own interpreter, which is the one
     * Debian's python3-confluent-kafka and python3-avro install into (a pyenv or virtualenv python3 on PATH does not see them).
     */
    private static String pythonWithTheClientLibraries() throws InterruptedException {
        List<String> tried = new ArrayList<>();
        for (String python : List.of("python3", "/usr/bin/python3")) {
            Result probe = run(List.of(python, "-c", "import confluent_kafka, avro.io"), examples, Duration.ofSeconds(60));
            if (probe.exitCode() == 0) {
                return python;
            }
            tried.add(python + ": " + probe.output().strip().lines().reduce((first, last) -> last).orElse("failed"));
        }
        requireClient(new Result(1, String.join("\n", tried)), "no python3 with confluent-kafka and avro "
                + "(Debian: apt-get install python3-confluent-kafka python3-avro; elsewhere pip install -r examples/python/requirements.txt)");
        throw new IllegalStateException("unreachable");
    }

    /** Outside CI a missing client library skips the test with the reason; in CI (which installs them) it fails it. */
    private static void requireClient(Result result, String problem) {
        if (result.exitCode() == 0) {
            return;
        }
        String why = problem + ":\n" + result.output().strip();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the other-language examples, but " + why);
        }
        Assumptions.abort(why);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Path directory, Duration timeout) throws InterruptedException {
        try {
            Path output = Files.createTempFile("example", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().put("PYTHONUNBUFFERED", "1");
                builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return new Result(-1, String.join(" ", command) + " did not finish within " + timeout + ":\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        }
    }

    private static void await(Supplier<Boolean> condition) {
        Waits.until(WAIT, packaged.settings.logs().toString(), condition);
    }
}
