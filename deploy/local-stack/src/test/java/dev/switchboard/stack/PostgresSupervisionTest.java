package dev.switchboard.stack;

import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.schemas.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack keeps its PostgreSQL running as it keeps its services running, on the stack as {@code ./switchboard up}
 * runs it (its own JVM) with the transcript service: the postmaster killed with {@code kill -9} is noticed, started
 * again on the same port and data directory, and the transcript service recovers by itself, storing every segment
 * published while the database was away (it holds the batch and retries; the offsets are committed only after the
 * rows) and serving the transcripts over HTTP. A restart that fails (the port taken meanwhile) counts against the
 * restart limit and is tried again after the next delay. Finally the stack is killed with {@code kill -9}: its guard
 * stops the restarted postmaster as it stops the first. Prints the figures.
 */
class PostgresSupervisionTest {
    private static final String SERVICE = "transcript-service";
    private static final String GROUP = "transcript-service";
    private static final Duration START = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path state;

    @Test
    void aKilledPostmasterIsRestartedAndTheTranscriptServiceRecoversLosingNothing() throws Exception {
        Map<String, String> env = StackProcess.environment(state, SERVICE);
        int postgresPort = Integer.parseInt(env.get("SWITCHBOARD_POSTGRES_PORT"));
        int servicePort = Integer.parseInt(env.get("SWITCHBOARD_TRANSCRIPTS_PORT"));
        String kafka = "localhost:" + env.get("SWITCHBOARD_KAFKA_PORT");
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgresPort + "/switchboard";
        URI ready = URI.create("http://localhost:" + servicePort + "/q/health/ready");
        Path serviceLog = state.resolve("logs").resolve(SERVICE + ".log");
        ProcessHandle lastPostmaster = null;
        Admin admin = null;
        try (StackProcess stack = StackProcess.start(env, state.resolve("console.log"))) {
            stack.awaitConsole("all services ready", START);
            Admin offsets = Admin.create(Map.of("bootstrap.servers", kafka, "request.timeout.ms", 5000, "default.api.timeout.ms", 5000));
            admin = offsets;
            assertStoredAndServed(kafka, jdbcUrl, servicePort, "before-postgres-kill");

            // 1. kill -9 of the postmaster; segments published while it is away.
            Figures figures = new Figures("kill -9 of the local stack's PostgreSQL postmaster, restarted by the stack");
            ProcessHandle first = StackProcess.postgres(state).orElseThrow();
            TranscriptLoad duringFirst = TranscriptLoad.of("postgres-away-1", 4, 25);
            Readiness readiness = Readiness.watch(ready);
            long killed = System.nanoTime();
            first.destroyForcibly();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> duringFirst.publish(kafka));
            await("the stack noticed", Duration.ofSeconds(10), () -> stack.console().contains("PostgreSQL (pid " + first.pid() + ") is gone"));
            long noticed = System.nanoTime();
            ProcessHandle second = awaitValue("a new postmaster runs", Duration.ofSeconds(30), () -> StackProcess.postgres(state)
                    .filter(p -> p.pid() != first.pid()));
            long restarted = System.nanoTime();
            lastPostmaster = second;
            await("PostgreSQL accepts connections", Duration.ofSeconds(30), () -> accepts(jdbcUrl));
            long accepting = System.nanoTime();
            publishing.get(30, TimeUnit.SECONDS);
            await("every segment published while PostgreSQL was away is stored", Duration.ofSeconds(60),
                    () -> storedAll(duringFirst, jdbcUrl));
            long allStored = System.nanoTime();
            readiness.awaitUp(Duration.ofSeconds(60));
            long readyAgain = readiness.upAgainAt();
            stack.awaitConsole("PostgreSQL is back on localhost:" + postgresPort + " (restart 1", Duration.ofSeconds(10));
            assertThat(stack.console()).contains(
                    "PostgreSQL (pid " + first.pid() + ") is gone after ",
                    "its postmaster died without being stopped",
                    "restarting PostgreSQL in 1 s (restart 1; at most 5 restarts within 10 min)",
                    "removed the stale ");
            stack.console().lines().filter(line -> line.contains("PostgreSQL") || line.contains("removed the stale")).forEach(System.out::println);
            assertThat(Duration.ofNanos(accepting - killed)).as("PostgreSQL accepts connections again").isLessThan(Duration.ofSeconds(10));
            assertNothingLostOrDuplicated(duringFirst, jdbcUrl);
            assertStoredAndServed(kafka, jdbcUrl, servicePort, "after-postgres-restart");
            assertThat(stack.isAlive()).isTrue();
            figures.put("kill -> the stack says it is gone", seconds(noticed - killed));
            figures.put("kill -> new postmaster running", seconds(restarted - killed));
            figures.put("kill -> PostgreSQL accepts connections", seconds(accepting - killed));
            figures.put("kill -> transcript service ready again", readyAgain > 0 ? seconds(readyAgain - killed) : "never seen down");
            figures.put("kill -> all 100 segments published meanwhile stored", seconds(allStored - killed));
            figures.put("readiness seen DOWN while it was away", readiness.sawDown() ? "yes" : "no (the outage fell between two probes)");

            // 2. Again, with its port taken meanwhile: restart 2 fails and counts, restart 3 (after 4 s) succeeds. The
            //    longer outage shows what the service does with what it consumes meanwhile.
            await("every committed offset caught up", Duration.ofSeconds(60), () -> lag(offsets) == 0);
            TranscriptLoad duringSecond = TranscriptLoad.of("postgres-away-2", 4, 25);
            readiness = Readiness.watch(ready);
            long logAtKill = Files.size(serviceLog);
            long killedAgain = System.nanoTime();
            second.destroyForcibly();
            long lagWhileDown;
            try (PortSquatter squatter = PortSquatter.on(postgresPort)) {
                duringSecond.publish(kafka);
                await("the service tried to write them and is retrying", Duration.ofSeconds(20),
                        () -> logSince(serviceLog, logAtKill).contains("segment(s) failed (attempt 1), retrying"));
                stack.awaitConsole("PostgreSQL did not start again (restart 2): port " + postgresPort + " is in use", Duration.ofSeconds(30));
                lagWhileDown = lag(offsets);
                assertThat(StackProcess.postgres(state)).as("no postmaster runs").isEmpty();
                assertThat(readiness.sawDown()).as("readiness DOWN while the database is away").isTrue();
            }
            assertThat(lagWhileDown).as("none of the records consumed while the database was away is committed").isEqualTo(duringSecond.size());
            ProcessHandle third = awaitValue("a new postmaster runs", Duration.ofSeconds(30), () -> StackProcess.postgres(state)
                    .filter(p -> p.pid() != second.pid()));
            lastPostmaster = third;
            long restartedAgain = System.nanoTime();
            await("PostgreSQL accepts connections", Duration.ofSeconds(30), () -> accepts(jdbcUrl));
            long acceptingAgain = System.nanoTime();
            await("every segment published while PostgreSQL was away is stored", Duration.ofSeconds(60),
                    () -> storedAll(duringSecond, jdbcUrl));
            long allStoredAgain = System.nanoTime();
            readiness.awaitUp(Duration.ofSeconds(60));
            await("their offsets committed", Duration.ofSeconds(30), () -> lag(offsets) == 0);
            stack.awaitConsole("PostgreSQL is back on localhost:" + postgresPort + " (restart 3", Duration.ofSeconds(10));
            assertThat(stack.console()).contains(
                    "restarting PostgreSQL in 2 s (restart 2; at most 5 restarts within 10 min)",
                    "restarting PostgreSQL in 4 s (restart 3; at most 5 restarts within 10 min)");
            assertNothingLostOrDuplicated(duringSecond, jdbcUrl);
            assertStoredAndServed(kafka, jdbcUrl, servicePort, "after-second-restart");
            assertThat(stack.isAlive()).isTrue();
            figures.put("port taken: kill -> new postmaster running", seconds(restartedAgain - killedAgain));
            figures.put("port taken: kill -> PostgreSQL accepts connections", seconds(acceptingAgain - killedAgain));
            figures.put("port taken: kill -> all 100 segments stored", seconds(allStoredAgain - killedAgain));
            figures.put("port taken: uncommitted while away (of 100 consumed)", Long.toString(lagWhileDown));
            figures.put("port taken: readiness DOWN, then UP after kill", seconds(readiness.upAgainAt() - killedAgain));
            figures.print();
            stack.console().lines().filter(line -> line.contains("PostgreSQL") || line.contains("removed the stale")).forEach(System.out::println);

            // 3. kill -9 of the stack: its guard stops the restarted postmaster.
            offsets.close();
            long stackKilled = System.nanoTime();
            stack.kill();
            assertThat(StackProcess.awaitGone(third, Duration.ofSeconds(20))).as("the restarted PostgreSQL stopped after the stack died").isTrue();
            System.out.printf("stack killed: its restarted PostgreSQL gone after %.1f s%n", (System.nanoTime() - stackKilled) / 1e9);
        } catch (Throwable failure) {
            keepLogs("killed-postmaster");
            throw failure;
        } finally {
            if (admin != null) {
                admin.close();
            }
            if (lastPostmaster != null) {
                lastPostmaster.destroyForcibly();
            }
        }
    }

    /** With no restarts allowed, the postmaster's death stops the stack, saying why, and nothing is left running. */
    @Test
    void aPostmasterThatDiesBeyondTheRestartLimitStopsTheStackSayingWhy() {
        Map<String, String> env = StackProcess.environment(state, SERVICE);
        env.put("SWITCHBOARD_RESTART_LIMIT", "0");
        try (StackProcess stack = StackProcess.start(env, state.resolve("console.log"))) {
            stack.awaitConsole("all services ready", START);
            ProcessHandle service = StackProcess.recorded(state.resolve(SERVICE + ".pid")).orElseThrow();
            ProcessHandle postmaster = StackProcess.postgres(state).orElseThrow();
            postmaster.destroyForcibly();
            int exit = stack.awaitExit(Duration.ofSeconds(60));
            String console = stack.console();
            assertThat(exit).as(console).isEqualTo(1);
            assertThat(console).contains(
                    "PostgreSQL (pid " + postmaster.pid() + ") is gone after ",
                    "error: PostgreSQL died and has used up its restart limit (0 restarts within 10 min); see ",
                    "stopping Switchboard...",
                    "stopped.");
            assertThat(console).doesNotContain("restarting PostgreSQL");
            assertThat(StackProcess.awaitGone(service, Duration.ofSeconds(10))).as("the service stopped").isTrue();
            assertThat(StackProcess.postgres(state)).as("no PostgreSQL started again").isEmpty();
        }
    }

    /** Copies the stack's logs to target/ so that a failure can be read after the temporary directory is gone. */
    private void keepLogs(String name) {
        Path target = Path.of("target", "postgres-supervision-" + name);
        try (var files = Files.walk(state.resolve("logs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(state.relativize(file));
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("cannot keep the logs: " + e);
        }
    }

    /** A call's lines published to Kafka are stored and served over HTTP. */
    private void assertStoredAndServed(String kafka, String jdbcUrl, int servicePort, String prefix) throws Exception {
        TranscriptLoad call = TranscriptLoad.of(prefix + "-" + System.nanoTime(), 1, 3);
        call.publish(kafka);
        await("the lines are stored", Duration.ofSeconds(60), () -> call.stored(jdbcUrl) == 3);
        HttpResponse<String> transcript = HTTP.send(StackTokens.authorized(state, URI.create(
                        "http://localhost:" + servicePort + "/v1/sessions/" + call.rooms().getFirst() + "/transcript")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(transcript.statusCode()).as(transcript.body()).isEqualTo(200);
        assertThat(transcript.body()).contains("Line 2 of call 0");
    }

    private static void assertNothingLostOrDuplicated(TranscriptLoad load, String jdbcUrl) {
        TranscriptLoad.Check check = load.check(jdbcUrl);
        assertThat(check.lost()).as("lost").isZero();
        assertThat(check.duplicated()).as("duplicated").isZero();
        assertThat(check.unexpected()).as("unexpected").isZero();
    }

    /** Records of the transcripts topic not yet committed by the transcript service's group. */
    private static long lag(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            IntStream.range(0, Topic.TRANSCRIPTS.partitions()).forEach(p -> latest.put(
                    new TopicPartition(Topic.TRANSCRIPTS.topicName(), p), OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new AssertionError("cannot read the group's offsets", e);
        }
    }

    /** Whether every segment of the load is stored; false while the database does not answer yet. */
    private static boolean storedAll(TranscriptLoad load, String jdbcUrl) {
        try {
            return load.stored(jdbcUrl) == load.size();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static boolean accepts(String jdbcUrl) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** What the service logged after its log had {@code offset} bytes. */
    private static String logSince(Path log, long offset) {
        try {
            byte[] text = Files.readAllBytes(log);
            return new String(text, (int) Math.min(offset, text.length), (int) Math.max(0, text.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static <T> T awaitValue(String what, Duration timeout, Supplier<Optional<T>> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            StackProcess.pause(50);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        awaitValue(what, timeout, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** The transcript service's readiness, probed every 100 ms from when it is watched: was it DOWN, when was it UP again. */
    private static final class Readiness {
        private final ConcurrentLinkedQueue<long[]> probes = new ConcurrentLinkedQueue<>();
        private final Thread prober;
        private volatile boolean done;

        private Readiness(URI ready) {
            HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build();
            prober = Thread.ofVirtual().name("readiness-probe").start(() -> {
                while (!done) {
                    int status;
                    try {
                        status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException e) {
                        status = 0;
                    } catch (InterruptedException e) {
                        return;
                    }
                    probes.add(new long[] {System.nanoTime(), status});
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static Readiness watch(URI ready) {
            return new Readiness(ready);
        }

        boolean sawDown() {
            return probes.stream().anyMatch(p -> p[1] != 200);
        }

        /** When the first 200 after a DOWN answer came, 0 if there was none. */
        long upAgainAt() {
            boolean down = false;
            for (long[] probe : new ArrayList<>(probes)) {
                if (probe[1] != 200) {
                    down = true;
                } else if (down) {
                    return probe[0];
                }
            }
            return 0;
        }

        /** Waits until a probe made from now on answers ready, then stops probing. */
        void awaitUp(Duration timeout) {
            long from = System.nanoTime();
            long deadline = from + timeout.toNanos();
            while (probes.stream().noneMatch(p -> p[0] > from && p[1] == 200)) {
                if (System.nanoTime() > deadline) {
                    done = true;
                    throw new AssertionError("the transcript service was not ready again within " + timeout + "; probes: "
                            + probes.stream().map(p -> Long.toString(p[1])).toList());
                }
                StackProcess.pause(100);
            }
            done = true;
            prober.interrupt();
        }
    }

    /**
     * Holds a port as something else would: it listens, and closes every connection at once (a client is refused fast
     * instead of waiting for an answer that never comes).
     */
    private static final class PortSquatter implements AutoCloseable {
        private final ServerSocket socket;

        private PortSquatter(ServerSocket socket) {
            this.socket = socket;
            Thread.ofVirtual().name("port-squatter").start(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        connection.setSoLinger(true, 0);
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        /** Binds the port as soon as the killed postmaster has let go of it. */
        static PortSquatter on(int port) throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (true) {
                ServerSocket socket = new ServerSocket();
                try {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(port));
                    return new PortSquatter(socket);
                } catch (BindException e) {
                    socket.close();
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    StackProcess.pause(10);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
