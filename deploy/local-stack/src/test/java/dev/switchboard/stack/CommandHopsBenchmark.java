package dev.switchboard.stack;

import dev.switchboard.testing.otel.FakeOtlpCollector;
import dev.switchboard.testing.otel.FakeOtlpCollector.ExportedSpan;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the time of one command goes: sequential {@code POST /v1/sessions/{room}/context} ({@code respond: false})
 * until 200 APPLIED, each in its own trace, cut into hops by the spans the traced packaged services export (the
 * gateway's request, its publishing of the command, the worker's receiving and applying it and publishing the
 * result, the gateway's receiving the result) and the client's own clock. All processes run on one machine, so their
 * clocks agree to a few microseconds. The raw Kafka hop to compare with is half the ping-pong of
 * {@link CommandPathBenchmark}. Not part of the normal build:
 *
 * <pre>mvn -B -ntp -pl deploy/local-stack verify -Pbenchmark -Dtest=CommandHopsBenchmark</pre>
 */
@Tag("benchmark")
@ExtendWith(PackagedStack.Resolver.class)
class CommandHopsBenchmark {
    private static final int WARM_UP = 300;
    private static final int COMMANDS = 500;

    /** One measured command: its trace, the client's span id and the client's send and receive instants. */
    private record Sent(String traceId, String clientSpanId, long sentEpochNanos, long answeredEpochNanos) {
    }

    /** The spans of one command's trace that mark its hops. */
    private record Marks(ExportedSpan request, ExportedSpan published, ExportedSpan received, ExportedSpan applied,
                         ExportedSpan resultPublished, ExportedSpan resultReceived) {
        static Optional<Marks> of(List<ExportedSpan> trace, String clientSpanId) {
            ExportedSpan request = first(trace, s -> s.service().equals("context-gateway") && s.parentSpanId().equals(clientSpanId));
            ExportedSpan published = first(trace, s -> s.service().equals("context-gateway")
                    && s.name().startsWith("switchboard.session-commands") && s.name().endsWith(" publish"));
            ExportedSpan received = first(trace, s -> s.service().equals("agent-worker")
                    && s.name().startsWith("switchboard.session-commands") && s.name().endsWith(" receive"));
            ExportedSpan applied = first(trace, s -> s.name().equals("apply InjectContext"));
            ExportedSpan resultPublished = first(trace, s -> s.service().equals("agent-worker") && s.name().equals("switchboard.command-results publish"));
            ExportedSpan resultReceived = first(trace, s -> s.service().equals("context-gateway") && s.name().equals("switchboard.command-results receive"));
            if (request == null || published == null || received == null || applied == null || resultPublished == null || resultReceived == null) {
                return Optional.empty();
            }
            return Optional.of(new Marks(request, published, received, applied, resultPublished, resultReceived));
        }

        private static ExportedSpan first(List<ExportedSpan> trace, Predicate<ExportedSpan> match) {
            return trace.stream().filter(match).findFirst().orElse(null);
        }
    }

    @Test
    void whereTheTimeOfOneCommandGoes(PackagedStack packaged) throws Exception {
        assertThat(PackagedStack.tracing()).as("the hops are read from the services' spans: run without -Dpackaged.tracing=off").isTrue();
        FakeOtlpCollector otlp = packaged.otlp;
        String room = CommandLoad.startSimulatedCalls(packaged, 1).getFirst();
        URI inject = URI.create(packaged.url("context-gateway") + "/v1/sessions/" + room + "/context");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < WARM_UP; i++) {
            send(http, inject, packaged.bearer(), i);
        }
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            sent.add(send(http, inject, packaged.bearer(), WARM_UP + i));
        }

        Map<Sent, Marks> marked = awaitMarks(otlp, sent, Duration.ofSeconds(30));
        assertThat(marked).as("commands whose every hop was exported").hasSize(COMMANDS);

        Map<String, long[]> hops = new LinkedHashMap<>();
        hop(hops, marked, "client -> gateway: the HTTP request arrives", (s, m) -> m.request().startEpochNanos() - s.sentEpochNanos());
        hop(hops, marked, "gateway: token, validation, tracking, encoding", (s, m) -> m.published().startEpochNanos() - m.request().startEpochNanos());
        hop(hops, marked, "Kafka: the command to the worker", (s, m) -> m.received().startEpochNanos() - m.published().startEpochNanos());
        hop(hops, marked, "worker: to the call's session", (s, m) -> m.applied().startEpochNanos() - m.received().startEpochNanos());
        hop(hops, marked, "worker: applying it", (s, m) -> m.applied().endEpochNanos() - m.applied().startEpochNanos());
        hop(hops, marked, "worker: applied -> result sent", (s, m) -> m.resultPublished().startEpochNanos() - m.applied().endEpochNanos());
        hop(hops, marked, "Kafka: the result to the gateway", (s, m) -> m.resultReceived().startEpochNanos() - m.resultPublished().startEpochNanos());
        hop(hops, marked, "gateway: result -> response sent", (s, m) -> m.request().endEpochNanos() - m.resultReceived().startEpochNanos());
        hop(hops, marked, "gateway -> client: the response arrives", (s, m) -> s.answeredEpochNanos() - m.request().endEpochNanos());
        hop(hops, marked, "the whole round trip", (s, m) -> s.answeredEpochNanos() - s.sentEpochNanos());

        StringBuilder report = new StringBuilder(String.format("%n==== benchmark: where one command's time goes (%d sequential commands, traced) ====%n%-48s %9s %9s %9s%n",
                COMMANDS, "", "p50 ms", "p99 ms", "mean ms"));
        hops.forEach((name, nanos) -> {
            CommandLoad.Result hop = CommandLoad.Result.of(nanos, Duration.ofNanos(Arrays.stream(nanos).sum()), Double.NaN);
            report.append(String.format("%-48s %9.2f %9.2f %9.2f%n", name, hop.p50(), hop.p99(), Arrays.stream(nanos).average().orElse(0) / 1e6));
        });
        System.out.println(report);

        // The clocks of four processes are compared: a record cannot arrive before it was sent.
        assertThat(Arrays.stream(hops.get("Kafka: the command to the worker")).min().orElseThrow())
                .as("the worker received a command before the gateway sent it").isPositive();
        assertThat(Arrays.stream(hops.get("Kafka: the result to the gateway")).min().orElseThrow())
                .as("the gateway received a result before the worker sent it").isPositive();
    }

    private static Sent send(HttpClient http, URI inject, String bearer, int n) throws Exception {
        ClientTrace client = ClientTrace.random();
        HttpRequest request = HttpRequest.newBuilder(inject).header("Authorization", bearer).header("Content-Type", "application/json")
                .header("traceparent", client.traceparent())
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"system\",\"text\":\"Order " + n + " shipped today by UPS.\",\"respond\":false}"))
                .build();
        long sent = epochNanos();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = epochNanos();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"APPLIED\"");
        return new Sent(client.traceId(), client.spanId(), sent, answered);
    }

    /** The services export in batches every 100 ms: waits until every command's trace holds all its marks. */
    private static Map<Sent, Marks> awaitMarks(FakeOtlpCollector otlp, List<Sent> sent, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Sent, Marks> marked = new LinkedHashMap<>();
        while (true) {
            Map<String, List<ExportedSpan>> byTrace = otlp.spans().stream().collect(Collectors.groupingBy(ExportedSpan::traceId));
            for (Sent command : sent) {
                if (!marked.containsKey(command)) {
                    Marks.of(byTrace.getOrDefault(command.traceId(), List.of()), command.clientSpanId()).ifPresent(m -> marked.put(command, m));
                }
            }
            if (marked.size() == sent.size() || System.nanoTime() > deadline) {
                return marked;
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface Hop {
        long nanos(Sent sent, Marks marks);
    }

    private static void hop(Map<String, long[]> hops, Map<Sent, Marks> marked, String name, Hop hop) {
        hops.put(name, marked.entrySet().stream().mapToLong(e -> hop.nanos(e.getKey(), e.getValue())).toArray());
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
