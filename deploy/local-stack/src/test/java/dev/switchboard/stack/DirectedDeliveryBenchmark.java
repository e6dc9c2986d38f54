package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.CommandLoad.Inject;
import dev.switchboard.stack.CommandLoad.Result;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directed command delivery as workers are added, on the packaged stack: with 1, 2 and 4 agent worker processes (the
 * stack's own and packaged workers started beside it against the same broker), each holding the same number of
 * simulated calls, inject commands through the gateway and count what the workers read
 * ({@code switchboard_worker_commands_read_total} on each) against the commands applied, with the latency of each
 * phase. A last phase runs 4 workers configured to read the broadcast topic instead, for comparison. Not part of the
 * normal build:
 *
 * <pre>mvn -B -ntp -pl deploy/local-stack verify -Pbenchmark -Dtest=DirectedDeliveryBenchmark</pre>
 */
@Tag("benchmark")
@ExtendWith(PackagedStack.Resolver.class)
class DirectedDeliveryBenchmark {
    private static final int CALLS_PER_WORKER = 4;
    private static final int SEQUENTIAL_ROUNDS = 300;
    private static final int CLIENTS = 16;
    private static final Duration CONCURRENT_RUN = Duration.ofSeconds(10);
    private static final Pattern READ = Pattern.compile("(?m)^switchboard_worker_commands_read_total(?:\\{[^}]*})? ([0-9.Ee+-]+)");

    private record Phase(String name, int workers, boolean broadcast) {
    }

    private record Row(Phase phase, int calls, double readsPerCommand, long maxReadsByOneWorker, long applied, Result sequential,
                       Result concurrent) {
        String format() {
            return String.format("%-36s %5d %10.2f %9d %9.1f %9.1f %9.1f %9.1f %9.0f", phase.name, calls, readsPerCommand,
                    maxReadsByOneWorker, sequential.p50(), sequential.p99(), concurrent.p50(), concurrent.p99(), concurrent.perSecond());
        }
    }

    /** A worker process: the stack's own, or one started here (closed with the benchmark). */
    private record Worker(String url, ServiceProcess process) implements AutoCloseable {
        @Override
        public void close() {
            if (process != null) {
                process.requestStop();
                process.awaitStop(Duration.ofSeconds(15));
            }
        }
    }

    @Test
    void commandsReadPerCommandAppliedStayOneAsWorkersAreAdded(PackagedStack packaged) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        List<Worker> directed = new ArrayList<>(List.of(new Worker(packaged.url("agent-worker"), null)));
        List<Worker> broadcast = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try {
            for (Phase phase : List.of(new Phase("directed, 1 worker", 1, false), new Phase("directed, 2 workers", 2, false),
                    new Phase("directed, 4 workers", 4, false), new Phase("broadcast topic, 4 workers", 4, true))) {
                List<Worker> pool = phase.broadcast ? broadcast : directed;
                while (pool.size() < phase.workers) {
                    pool.add(startWorker(packaged, directed.size() + broadcast.size(), phase.broadcast));
                }
                rows.add(run(packaged, http, phase, pool));
            }
        } finally {
            directed.forEach(Worker::close);
            broadcast.forEach(Worker::close);
        }

        StringBuilder report = new StringBuilder(String.format("""

                ==== benchmark: directed command delivery as workers are added (%d calls per worker, inject -> 200 APPLIED) ====
                %-36s %5s %10s %9s %9s %9s %9s %9s %9s
                """, CALLS_PER_WORKER, "", "calls", "reads/cmd", "max reads", "seq p50", "seq p99",
                CLIENTS + "c p50", CLIENTS + "c p99", "cmd/s"));
        rows.forEach(row -> report.append(row.format()).append('\n'));
        report.append("reads/cmd: commands the workers read per command applied (sum over workers); max reads: the most one worker read.\n");
        System.out.println(report);
        for (Row row : rows) {
            if (!row.phase.broadcast) {
                assertThat(row.readsPerCommand).as(row.phase.name + ": each command read by exactly one worker").isEqualTo(1.0);
            }
        }
    }

    private static Row run(PackagedStack packaged, HttpClient http, Phase phase, List<Worker> workers) throws Exception {
        List<String> rooms = new ArrayList<>();
        for (Worker worker : workers) {
            rooms.addAll(startCalls(packaged, worker));
        }
        Map<String, Long> before = reads(http, packaged.bearer(), workers);
        Inject inject = new Inject(http, packaged.url("context-gateway"), packaged.bearer(), rooms);
        for (int i = 0; i < 100; i++) {
            inject.roundTrip(i); // warm up, counted in the reads below as well
        }
        long[] sequential = new long[SEQUENTIAL_ROUNDS];
        for (int i = 0; i < SEQUENTIAL_ROUNDS; i++) {
            sequential[i] = inject.roundTrip(i);
        }
        Result seq = Result.of(sequential, Duration.ofNanos(java.util.Arrays.stream(sequential).sum()), Double.NaN);
        AtomicLong counter = new AtomicLong();
        Result concurrent = CommandLoad.concurrently(CLIENTS, CONCURRENT_RUN, () -> Double.NaN,
                () -> inject.roundTrip(counter.incrementAndGet()));
        Map<String, Long> after = reads(http, packaged.bearer(), workers);
        endCalls(workers, rooms);

        long applied = 100 + SEQUENTIAL_ROUNDS + concurrent.operations() - inject.failures().get();
        long totalReads = 0;
        long maxReads = 0;
        for (Worker worker : workers) {
            long read = after.get(worker.url) - before.get(worker.url);
            totalReads += read;
            maxReads = Math.max(maxReads, read);
        }
        assertThat(inject.failures().get()).as(phase.name + ": commands that were not applied").isZero();
        return new Row(phase, rooms.size(), (double) totalReads / applied, maxReads, applied, seq, concurrent);
    }

    private static Worker startWorker(PackagedStack packaged, int index, boolean broadcast) {
        int port = FreePorts.pick();
        Map<String, String> env = new HashMap<>(packaged.stack.environmentOf("agent-worker"));
        // Simulated calls only: this worker does not register with LiveKit.
        env.keySet().removeIf(name -> name.startsWith("LIVEKIT_"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        if (broadcast) {
            env.put("SWITCHBOARD_WORKER_COMMAND_TOPIC", "switchboard.session-commands");
        }
        ServiceSpec spec = new ServiceSpec("agent-worker", port, false);
        ServiceProcess process = ServiceProcess.start(spec, TestStacks.repositoryRoot(),
                packaged.settings.logs().resolve("agent-worker-" + index), env, false);
        process.awaitReady(Duration.ofSeconds(120));
        System.out.println("[benchmark] started agent worker " + index + (broadcast ? " (reading the broadcast topic)" : "") + " on " + spec.url());
        return new Worker(spec.url(), process);
    }

    private static List<String> startCalls(PackagedStack packaged, Worker worker) {
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < CALLS_PER_WORKER; i++) {
            String room = "directed-" + i + "-" + System.nanoTime();
            given().contentType("application/json").body(Map.of("room", room, "instructions", "You are a benchmark."))
                    .post(worker.url + "/v1/simulated-calls").then().statusCode(201);
            rooms.add(room);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String room : rooms) {
            while (given().get(packaged.url("context-gateway") + "/v1/sessions/" + room).statusCode() != 200) {
                assertThat(System.nanoTime()).as("the gateway saw " + room + " start").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        return rooms;
    }

    private static void endCalls(List<Worker> workers, List<String> rooms) {
        for (String room : rooms) {
            for (Worker worker : workers) {
                if (given().delete(worker.url + "/v1/simulated-calls/" + room).statusCode() == 204) {
                    break;
                }
            }
        }
    }

    /** Every worker's count of commands read so far, from its Prometheus metrics. */
    private static Map<String, Long> reads(HttpClient http, String bearer, List<Worker> workers) throws Exception {
        Map<String, Long> reads = new HashMap<>();
        for (Worker worker : workers) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(worker.url + "/q/metrics")).header("Authorization", bearer).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher read = READ.matcher(metrics);
            // The counter appears with the first command a worker reads (its listener is created then).
            reads.put(worker.url, read.find() ? (long) Double.parseDouble(read.group(1)) : 0L);
        }
        return reads;
    }
}
