package dev.switchboard.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The load the command benchmarks put on the stack, and how they sum it up. */
final class CommandLoad {
    private CommandLoad() {
    }

    @FunctionalInterface
    interface TimedOperation {
        /** Does one operation and returns how long it took, in nanoseconds. */
        long run() throws Exception;
    }

    /** Starts simulated calls on the packaged worker and waits until the gateway lists each one; returns their rooms. */
    static List<String> startSimulatedCalls(PackagedStack packaged, int calls) throws InterruptedException {
        String worker = packaged.url("agent-worker");
        String gateway = packaged.url("context-gateway");
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String room = "bench-" + i + "-" + System.nanoTime();
            given().contentType("application/json").body(Map.of("room", room, "instructions", "You are a benchmark."))
                    .post(worker + "/v1/simulated-calls").then().statusCode(201);
            rooms.add(room);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String room : rooms) {
            while (given().get(gateway + "/v1/sessions/" + room).statusCode() != 200) {
                assertThat(System.nanoTime()).as("the gateway saw " + room + " start").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        return rooms;
    }

    /** One inject-context command through the gateway, waiting for its result (the gateway's default wait). */
    record Inject(HttpClient http, String gateway, String bearer, List<String> rooms, AtomicLong failures) {
        Inject(HttpClient http, String gateway, String bearer, List<String> rooms) {
            this(http, gateway, bearer, rooms, new AtomicLong());
        }

        long roundTrip(long n) throws Exception {
            String room = rooms.get((int) (n % rooms.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/sessions/" + room + "/context"))
                    .header("Authorization", bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"role\":\"system\",\"text\":\"Order " + n + " shipped today by UPS.\",\"respond\":false}"))
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - t0;
            if (response.statusCode() != 200 || !response.body().contains("\"APPLIED\"")) {
                if (failures.incrementAndGet() <= 3) {
                    System.out.println("[benchmark] inject answered " + response.statusCode() + ": " + response.body());
                }
            }
            return took;
        }
    }

    /** Runs {@code operation} from {@code clients} virtual threads for {@code run}; CPU from {@code cpuSeconds} around it. */
    static Result concurrently(int clients, Duration run, DoubleSupplier cpuSeconds, TimedOperation operation) throws InterruptedException {
        List<long[]> perClient = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        double cpuBefore = cpuSeconds.getAsDouble();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                long[] samples = new long[200_000];
                perClient.add(samples);
                threads.submit(() -> {
                    int n = 0;
                    while (running.get() && n < samples.length) {
                        samples[n++] = operation.run();
                    }
                    return n;
                });
            }
            Thread.sleep(run.toMillis());
            running.set(false);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        double cpu = cpuSeconds.getAsDouble() - cpuBefore;
        long[] all = perClient.stream().flatMapToLong(s -> Arrays.stream(s).filter(v -> v > 0)).toArray();
        return Result.of(all, elapsed, cpu);
    }

    /** Latency percentiles, throughput and CPU per operation of one run. */
    record Result(int operations, double p50, double p99, double perSecond, double cpuMsPerOp) {
        static Result of(long[] nanos, Duration elapsed, double cpuSeconds) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double p50 = sorted[(int) (sorted.length * 0.50)] / 1e6;
            double p99 = sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6;
            return new Result(sorted.length, p50, p99, sorted.length / (elapsed.toNanos() / 1e9), cpuSeconds * 1000 / sorted.length);
        }

        String row(String what) {
            return String.format("%-44s %9.1f %9.1f %12.0f %14.2f", what, p50, p99, perSecond, cpuMsPerOp);
        }
    }
}
