package dev.switchboard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.stack.cli.OperatorCli;
import dev.switchboard.testing.llm.FakeLlmControl;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator CLI ({@code ./switchboard calls, inject, ...}) against the packaged stack the other end-to-end tests
 * share, finding it as it finds a local stack (its ports and state directory from the same variables, its token signed
 * with the stack's key): a simulated call is listed, steered, followed, searched, read in two formats and hung up, and
 * the errors people meet (an unknown room, a token without the scope) are worded and exit 1.
 */
@ExtendWith(PackagedStack.Resolver.class)
class OperatorCliEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PackagedStack packaged;
    private static Path root;
    private static Map<String, String> env;

    /** One run of the CLI: its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }
    }

    @BeforeAll
    static void useTheSharedStack(PackagedStack shared) {
        packaged = shared;
        root = TestStacks.repositoryRoot();
        // The gateway by its port variable, the transcript service by its URL variable: both ways a stack is found.
        env = Map.of("SWITCHBOARD_STATE_DIR", shared.settings.stateDirectory().toString(),
                "SWITCHBOARD_GATEWAY_PORT", Integer.toString(port(shared, "context-gateway")),
                "SWITCHBOARD_TRANSCRIPTS_URL", shared.url("transcript-service"));
    }

    private static int port(PackagedStack stack, String service) {
        return stack.settings.services().stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow().port();
    }

    private static Run cli(String... args) {
        return cli(env, args);
    }

    private static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OperatorCli.run(root, List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLiveCallIsListedSteeredFollowedSearchedReadAndHungUp() throws Exception {
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        llm.replyText("Let me look that up.");
        llm.replyText("Good news, the periwinkle umbrella ships tomorrow.");
        String room = "cli-" + System.nanoTime();
        String worker = packaged.url("agent-worker");
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post(worker + "/v1/simulated-calls").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("text", "Hi, I ordered a periwinkle umbrella"))
                .post(worker + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200);

        // calls: the call is listed, in a table for people and in the gateway's JSON for scripts.
        Run calls = await(() -> cli("calls"), run -> run.out().contains(room));
        assertThat(calls.exitCode()).isZero();
        assertThat(calls.out()).startsWith("ROOM ").containsPattern(room + "\\s+LIVE\\s+");
        JsonNode listed = cli("calls", "--json").json();
        assertThat(StreamSupport.stream(listed.path("sessions").spliterator(), false).map(s -> s.path("room").asText())).contains(room);

        // tail follows the call from here to its end, in the background.
        await(() -> cli("transcript", room), run -> run.out().contains("Caller: Hi, I ordered a periwinkle umbrella"));
        CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() -> cli("tail", room));

        // inject: APPLIED once the worker added it; the agent answers at once (--respond); the line is in the transcript.
        Run inject = cli("inject", room, "The umbrella ships tomorrow.", "--respond", "--label", "crm");
        assertThat(inject.exitCode()).as(inject.err()).isZero();
        assertThat(inject.out()).startsWith("APPLIED  InjectContext for room " + room + " (command ");
        Run transcript = await(() -> cli("transcript", room), run -> run.out().contains("ships tomorrow."));
        assertThat(transcript.out()).contains("Room " + room, "Caller: Hi, I ordered a periwinkle umbrella",
                "Agent: Let me look that up.", "Injected (local-admin): The umbrella ships tomorrow.");
        await(() -> cli("transcript", room), run -> run.out().contains("Agent: Good news, the periwinkle umbrella ships tomorrow."));

        // transcript --format srt: SubRip cues; --json: the service's JSON.
        Run srt = cli("transcript", room, "--format", "srt");
        assertThat(srt.exitCode()).isZero();
        assertThat(srt.out()).containsPattern("(?m)\\A1\\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}\\nCaller: Hi, I ordered a periwinkle umbrella\\n\\n2\\n");
        JsonNode stored = cli("transcript", room, "--json").json();
        assertThat(stored.path("session").path("room").asText()).isEqualTo(room);
        assertThat(StreamSupport.stream(stored.path("segments").spliterator(), false).map(s -> s.path("role").asText()))
                .contains("USER", "AGENT", "INJECTED");

        // search: the caller's spoken words are found, with the room.
        Run search = await(() -> cli("search", "periwinkle", "--room", room), run -> run.out().contains("Caller: Hi, I ordered"));
        assertThat(search.exitCode()).isZero();
        assertThat(search.out()).contains("  " + room + "  [");
        JsonNode found = cli("search", "periwinkle", "umbrella", "--room", room, "--json").json();
        assertThat(found.path("results").size()).isGreaterThanOrEqualTo(2);
        assertThat(found.path("results").get(0).path("highlight").asText()).contains("<mark>periwinkle</mark>");

        // hangup: the agent says goodbye and the call ends; it is no longer live, and tail saw all of it to the end.
        Run hangup = cli("hangup", room);
        assertThat(hangup.exitCode()).as(hangup.err()).isZero();
        assertThat(hangup.out()).startsWith("APPLIED  EndSession for room " + room);
        await(() -> cli("calls"), run -> !run.out().contains(room));
        JsonNode all = cli("calls", "--all", "--json").json();
        assertThat(StreamSupport.stream(all.path("sessions").spliterator(), false)
                .filter(s -> s.path("room").asText().equals(room)).map(s -> s.path("state").asText())).containsExactly("ENDED");
        Run followed = tail.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("[", "] Caller: Hi, I ordered a periwinkle umbrella", "Injected (local-admin): The umbrella ships tomorrow.",
                "Agent: Thank you for calling. Goodbye!");
        assertThat(followed.out().strip()).startsWith("[").containsPattern("\ncall ended: OPERATOR_HANGUP at \\d\\d:\\d\\d:\\d\\d\\z");
        assertThat(followed.err()).contains("(following the call live;").doesNotContain("already ended");

        // tail on the call now that it is over: the whole transcript and its end at once, and not a word of following it.
        Run over = cli("tail", room);
        assertThat(over.exitCode()).as(over.err()).isZero();
        assertThat(over.out()).contains("Agent: Thank you for calling. Goodbye!").containsPattern("\ncall ended: OPERATOR_HANGUP at ");
        assertThat(over.err()).contains("(the call had already ended;").doesNotContain("following");
    }

    @Test
    void hangupNowEndsACallAtOnceAndItsJsonParses() {
        String room = "cli-now-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post(packaged.url("agent-worker") + "/v1/simulated-calls")
                .then().statusCode(201);
        await(() -> cli("calls"), run -> run.out().contains(room));
        Run hangup = cli("hangup", room, "--now", "--json");
        assertThat(hangup.exitCode()).as(hangup.err()).isZero();
        JsonNode command = hangup.json();
        assertThat(command.path("status").asText()).isEqualTo("APPLIED");
        assertThat(command.path("type").asText()).isEqualTo("HangupRequested");
        assertThat(command.path("room").asText()).isEqualTo(room);
        await(() -> cli("calls"), run -> !run.out().contains(room));
    }

    @Test
    void keypadTonesReachAPhoneCallerAndAreRefusedForAWebCaller() {
        String worker = packaged.url("agent-worker");
        String phone = "cli-phone-" + System.nanoTime();
        String web = "cli-web-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("room", phone, "callerNumber", "+15550142")).post(worker + "/v1/simulated-calls")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("room", web)).post(worker + "/v1/simulated-calls").then().statusCode(201);
        await(() -> cli("calls"), run -> run.out().contains(phone) && run.out().contains(web));

        Run pressed = cli("dtmf", phone, "1w2#");
        assertThat(pressed.exitCode()).as(pressed.err()).isZero();
        assertThat(pressed.out()).startsWith("APPLIED  SendDtmf for room " + phone);
        assertThat(given().get(worker + "/v1/simulated-calls/" + phone).jsonPath().getString("tonesSent")).isEqualTo("12#");

        Run refused = cli("dtmf", web, "1");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).startsWith("REJECTED").contains("not on a phone line");
        cli("hangup", phone, "--now");
        cli("hangup", web, "--now");
    }

    @Test
    void tailOutlivesTheTokensItSignsItselfAndSaysSoWhenAGivenTokenExpires() throws Exception {
        String room = "cli-long-" + System.nanoTime();
        String worker = packaged.url("agent-worker");
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post(worker + "/v1/simulated-calls").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("text", "Is my parcel on its way?"))
                .post(worker + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200);
        await(() -> cli("transcript", room), run -> run.out().contains("Caller: Is my parcel on its way?"));

        // Tokens of 2 s: the transcript service ends each stream at its token's expiry (seen at its next keep-alive).
        Map<String, String> shortLived = new java.util.HashMap<>(env);
        shortLived.put("SWITCHBOARD_CLI_TOKEN_TTL", "2s");
        CompletableFuture<Run> renewing = CompletableFuture.supplyAsync(() -> cli(shortLived, "tail", room));
        String given = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("local-admin", "default", LocalAuth.ALL_SCOPES, Duration.ofSeconds(2));
        CompletableFuture<Run> givenToken = CompletableFuture.supplyAsync(() -> cli("tail", room, "--token", given));

        Run expired = givenToken.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(expired.exitCode()).isEqualTo(1);
        assertThat(expired.out()).contains("Caller: Is my parcel on its way?");
        assertThat(expired.err()).contains("error: the token expired while following the call (it came from --token); follow it again with a fresh token");
        // By now the self-signed tail's first token has expired as well: what follows reaches it on a renewed stream.
        assertThat(renewing).isNotDone();

        Run inject = cli("inject", room, "The parcel left the warehouse.");
        assertThat(inject.exitCode()).as(inject.err()).isZero();
        Thread.sleep(3_000); // longer than a renewed token lives: the next expiry may come before the hang-up
        assertThat(cli("hangup", room, "--now").exitCode()).isZero();

        Run followed = renewing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out().split("\n")).as(followed.out())
                .filteredOn(line -> line.contains("Caller: Is my parcel on its way?")).hasSize(1);
        assertThat(followed.out().split("\n")).filteredOn(line -> line.contains("The parcel left the warehouse.")).hasSize(1);
        assertThat(followed.out()).containsPattern("\ncall ended: [A-Z_]+ at ");
    }

    @Test
    void anUnknownRoomAndAMissingScopeAreWordedErrorsWithExit1() {
        String nowhere = "cli-nowhere-" + System.nanoTime();
        Run inject = cli("inject", nowhere, "hello");
        assertThat(inject.exitCode()).isEqualTo(1);
        assertThat(inject.out()).isEmpty();
        assertThat(inject.err()).isEqualTo("error: No such session: no session is known for room \"" + nowhere + "\"\n");
        Run transcript = cli("transcript", nowhere, "--json");
        assertThat(transcript.exitCode()).isEqualTo(1);
        assertThat(transcript.json().path("status").asInt()).as("the problem document, for scripts").isEqualTo(404);
        assertThat(transcript.err()).contains("no session stored for room '" + nowhere + "'");
        assertThat(cli("tail", nowhere).exitCode()).isEqualTo(1);

        String reader = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("reader", "default", List.of("calls:read"), Duration.ofMinutes(5));
        Run refused = cli("say", nowhere, "hello", "--token", reader);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("error: Missing scope: this request needs the scope calls:control, which the token does not grant\n");
        assertThat(cli("calls", "--token", reader).exitCode()).as("the scope it has").isZero();
    }

    private static Run await(java.util.function.Supplier<Run> run, Predicate<Run> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Run last = run.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + "; the last run exited " + last.exitCode() + " and printed:\n"
                        + last.out() + last.err());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = run.get();
        }
        return last;
    }
}
