package dev.switchboard.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack keeps its services running, on the stack as {@code ./switchboard up} runs it (its own JVM): a service
 * killed with {@code kill -9} is restarted and serves again, and the console says what happened; a service that
 * keeps dying uses up its restart limit, and then the stack stops, saying which and why, leaving nothing behind.
 */
class ServiceSupervisionTest {
    private static final String SERVICE = "transcript-service";
    private static final Duration START = Duration.ofSeconds(180);

    @TempDir
    Path state;

    @Test
    void aKilledServiceIsRestartedAndOneThatKeepsDyingStopsTheStackSayingWhy() throws Exception {
        Map<String, String> env = StackProcess.environment(state, SERVICE);
        env.put("SWITCHBOARD_RESTART_LIMIT", "2");
        int servicePort = Integer.parseInt(env.get("SWITCHBOARD_TRANSCRIPTS_PORT"));
        String kafka = "localhost:" + env.get("SWITCHBOARD_KAFKA_PORT");
        String jdbcUrl = "jdbc:postgresql://localhost:" + env.get("SWITCHBOARD_POSTGRES_PORT") + "/switchboard";
        try (StackProcess stack = StackProcess.start(env, state.resolve("console.log"))) {
            stack.awaitConsole("all services ready", START);
            ProcessHandle postgres = StackProcess.postgres(state).orElseThrow();
            assertStores(state, kafka, jdbcUrl, servicePort, "before-crash");

            // kill -9: restarted after 1 s, and it says so.
            ProcessHandle first = StackProcess.recorded(state.resolve(SERVICE + ".pid")).orElseThrow();
            first.destroyForcibly();
            stack.awaitConsole(SERVICE + " is ready again (restart 1", START);
            stack.console().lines().filter(line -> line.contains("is ready again")).forEach(System.out::println);
            assertThat(stack.console()).contains(
                    SERVICE + " exited with code 137 (killed by SIGKILL)",
                    "    | ", // the end of its log
                    "restarting " + SERVICE + " in 1 s (restart 1; at most 2 restarts within 10 min)");
            ProcessHandle second = StackProcess.recorded(state.resolve(SERVICE + ".pid")).orElseThrow();
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(stack.isAlive()).isTrue();
            assertStores(state, kafka, jdbcUrl, servicePort, "after-crash");

            // From now on it cannot start (its port is taken): restart 2 fails, and that is one death too many.
            second.destroyForcibly();
            assertThat(StackProcess.awaitGone(second, Duration.ofSeconds(10))).isTrue();
            try (ServerSocket squatter = bindSoon(servicePort)) {
                int exit = stack.awaitExit(START);
                String console = stack.console();
                assertThat(exit).as(console).isEqualTo(1);
                assertThat(console).contains(
                        "restarting " + SERVICE + " in 2 s (restart 2; at most 2 restarts within 10 min)",
                        "error: " + SERVICE + " exited with code 1 and has used up its restart limit (2 restarts within 10 min)",
                        "stopping Switchboard...",
                        "stopped.");
                assertThat(console).as("the end of the failed start's log").containsIgnoringCase("port " + servicePort);
            }
            assertThat(StackProcess.awaitGone(postgres, Duration.ofSeconds(10))).as("PostgreSQL stopped").isTrue();
            assertThat(StackProcess.recorded(state.resolve(SERVICE + ".pid"))).as("no service left").isEmpty();
        }
    }

    /** A call's lines published to Kafka are stored and served over HTTP. */
    private static void assertStores(Path state, String kafka, String jdbcUrl, int servicePort, String prefix) throws Exception {
        TranscriptLoad call = TranscriptLoad.of(prefix + "-" + System.nanoTime(), 1, 3);
        call.publish(kafka);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (call.stored(jdbcUrl) < 3) {
            assertThat(System.nanoTime()).as("the lines are stored").isLessThan(deadline);
            StackProcess.pause(200);
        }
        HttpResponse<String> transcript = HttpClient.newHttpClient().send(StackTokens.authorized(state, URI.create(
                        "http://localhost:" + servicePort + "/v1/sessions/" + call.rooms().getFirst() + "/transcript")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(transcript.statusCode()).as(transcript.body()).isEqualTo(200);
        assertThat(transcript.body()).contains("Line 2 of call 0");
    }

    /** Takes the port as soon as the killed service has let go of it. */
    private static ServerSocket bindSoon(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(port));
                return socket;
            } catch (BindException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
