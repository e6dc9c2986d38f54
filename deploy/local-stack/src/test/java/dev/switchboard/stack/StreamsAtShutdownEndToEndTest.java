package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import dev.switchboard.stack.cli.OperatorCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with open live streams (a console following a call) stops promptly on SIGTERM, as on every rolling
 * update: the streams end as shutdown starts, so the clients reconnect to another instance, instead of holding the HTTP
 * server until its 10 s shutdown timeout. Each case starts a second packaged instance beside the shared stack, opens a
 * stream on it, and stops it.
 */
@ExtendWith(PackagedStack.Resolver.class)
class StreamsAtShutdownEndToEndTest {
    /** Well under the services' 10 s shutdown timeout, which an open stream used to hold to the end. */
    private static final Duration STREAM_ENDS_WITHIN = Duration.ofSeconds(4);
    /**
     * The process itself then closes its Kafka consumers, a few seconds each when the group is rebalancing (as it is with
     * an instance that joined moments ago): a bound for the shutdown as a whole, not what is measured here.
     */
    private static final Duration STOPS_WITHIN = Duration.ofSeconds(25);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static PackagedStack packaged;
    private static String room;

    @BeforeAll
    static void startACall(PackagedStack shared) {
        packaged = shared;
        room = "shutdown-" + System.nanoTime();
        given().contentType("application/json").body(Map.of("room", room, "instructions", "You are a test."))
                .post(packaged.url("agent-worker") + "/v1/simulated-calls").then().statusCode(201);
    }

    @AfterAll
    static void endTheCall() {
        // The transcript case ends it itself, to see tail follow it to its end.
        given().delete(packaged.url("agent-worker") + "/v1/simulated-calls/" + room).then().statusCode(anyOf(is(204), is(404)));
    }

    /**
     * Also what an operator sees: ./switchboard tail, following the call on that instance, opens the stream again once
     * an instance answers on the same address (as a restarted service, or another one behind the same Service), shows
     * what was said in between from the replay, and follows the call to its end.
     */
    @Test
    void aTranscriptServiceStoppingEndsItsOpenTranscriptStreamsAtOnceAndTailCarriesOnWithTheNextInstance() throws Exception {
        int port = FreePorts.pick();
        ByteArrayOutputStream tailOut = new ByteArrayOutputStream();
        ByteArrayOutputStream tailErr = new ByteArrayOutputStream();
        Map<String, String> cliEnv = Map.of("SWITCHBOARD_STATE_DIR", packaged.settings.stateDirectory().toString(),
                "SWITCHBOARD_GATEWAY_URL", packaged.url("context-gateway"), "SWITCHBOARD_TRANSCRIPTS_URL", "http://localhost:" + port);
        AtomicReference<CompletableFuture<Integer>> tail = new AtomicReference<>();

        stopWithAnOpenStream("transcript-service", port, "/v1/sessions/" + room + "/transcript/stream", "event:replayed",
                () -> tail.set(CompletableFuture.supplyAsync(() -> OperatorCli.run(TestStacks.repositoryRoot(), List.of("tail", room), cliEnv,
                        new PrintStream(tailOut, true, StandardCharsets.UTF_8), new PrintStream(tailErr, true, StandardCharsets.UTF_8), false))));

        // Said while no instance serves that address: stored by the stack's own instance.
        given().contentType("application/json").body(Map.of("text", "Is anyone still listening?"))
                .post(packaged.url("agent-worker") + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200);
        ServiceProcess next = startInstance("transcript-service", port, "third");
        try {
            next.awaitReady(Duration.ofSeconds(120));
            given().delete(packaged.url("agent-worker") + "/v1/simulated-calls/" + room).then().statusCode(204);
            int exit = tail.get().get(60, TimeUnit.SECONDS);
            String out = tailOut.toString(StandardCharsets.UTF_8);
            String err = tailErr.toString(StandardCharsets.UTF_8);

            assertThat(exit).as("tail's exit code; it said: " + err).isZero();
            assertThat(err).contains("(the transcript stream broke off; opening it again for up to 60 s)", "(the transcript stream is open again)");
            assertThat(out).contains("Caller: Is anyone still listening?", "call ended: CALLER_HANGUP");
            assertThat(out.lines().filter(line -> line.contains("Is anyone still listening?"))).as("shown once").hasSize(1);
        } finally {
            next.requestStop();
            next.awaitStop(Duration.ofSeconds(15));
        }
    }

    @Test
    void aGatewayStoppingEndsItsOpenLiveStreamsAtOnce() throws Exception {
        stopWithAnOpenStream("context-gateway", FreePorts.pick(), "/v1/stream?room=" + room, "event:ready", () -> {
        });
    }

    private static ServiceProcess startInstance(String service, int port, String name) {
        Map<String, String> env = new HashMap<>(packaged.stack.environmentOf(service));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("HOSTNAME", service + "-" + name); // as on Kubernetes, where each pod has its own name
        return ServiceProcess.start(new ServiceSpec(service, port, false), TestStacks.repositoryRoot(),
                packaged.settings.logs().resolve(service + "-" + name), env, false);
    }

    /** Starts another instance, opens a stream on it, runs {@code alsoFollowing}, and stops the instance (SIGTERM). */
    private static void stopWithAnOpenStream(String service, int port, String path, String firstEventPrefix, Runnable alsoFollowing) throws Exception {
        ServiceProcess second = startInstance(service, port, "second");
        try {
            second.awaitReady(Duration.ofSeconds(120));
            BufferedReader stream = openStream("http://localhost:" + port + path);
            awaitLine(stream, firstEventPrefix);
            CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> readToEnd(stream));
            alsoFollowing.run();
            Thread.sleep(1_000); // for what else follows to have opened its stream too

            long stopping = System.nanoTime();
            second.requestStop();
            ended.get(STREAM_ENDS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            Duration streamEnded = Duration.ofNanos(System.nanoTime() - stopping);
            boolean stopped = second.onExit().thenApply(p -> true).completeOnTimeout(false, STOPS_WITHIN.toMillis(), TimeUnit.MILLISECONDS).get();
            Duration exited = Duration.ofNanos(System.nanoTime() - stopping);
            System.out.printf("[shutdown] %s: its open stream ended %d ms after SIGTERM, the process exited after %d ms%n",
                    service, streamEnded.toMillis(), exited.toMillis());

            assertThat(stopped).as(service + " stopped within " + STOPS_WITHIN + " of SIGTERM").isTrue();
            assertThat(Files.readString(second.log())).as("the stopping instance's log").contains("shutting down: ended")
                    .doesNotContain("ERROR");
        } finally {
            second.requestStop();
            second.awaitStop(Duration.ofSeconds(15));
        }
    }

    private static BufferedReader openStream(String url) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", packaged.bearer()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as("the stream of " + url + " opened").isEqualTo(200);
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    private static void awaitLine(BufferedReader stream, String prefix) throws IOException {
        for (String line = stream.readLine(); line != null; line = stream.readLine()) {
            if (line.replace(" ", "").startsWith(prefix)) {
                return;
            }
        }
        throw new AssertionError("the stream ended before a line starting with " + prefix);
    }

    private static void readToEnd(BufferedReader stream) {
        try (stream) {
            while (stream.readLine() != null) {
                // what the stream still says before it ends does not matter here
            }
        } catch (IOException e) {
            // a connection cut is an end too
        }
    }
}
