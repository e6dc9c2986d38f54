package dev.switchboard.stack;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.WorkerHeartbeatDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.llm.FakeLlmServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability: an agent worker killed with {@code kill -9} in the middle of its calls, on the local stack (real Kafka,
 * the packaged worker and call controller as processes, default settings: a beat every 3 s, lost after 10 s of
 * silence). Every session it ran must end as WORKER_LOST, once, within 15 s of the kill, and the gateway must show it
 * ended and answer commands for it at once; a worker stopped gracefully
 * (SIGTERM) ends its sessions itself and is never reported lost, and neither is a live worker when the broker is away
 * for longer than the window. Prints the measured time. Run with
 * <pre>mvn -B -ntp -pl deploy/local-stack -am verify -Preliability -Dtest=WorkerLossReliabilityTest</pre>
 */
@Tag("reliability")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerLossReliabilityTest {
    private static final String WORKER = "agent-worker";
    private static final int CALLS = 5;
    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private static FakeLlmServer llm;
    private static LocalStack stack;
    private static StackSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startStack() {
        llm = new FakeLlmServer();
        settings = TestStacks.onFreePorts(List.of("context-gateway", "call-controller", WORKER), RestartPolicy.DEFAULT);
        stack = LocalStack.start(settings,
                Map.of("SWITCHBOARD_LLM_BASE_URL", llm.baseUrl(), "SWITCHBOARD_LLM_API_KEY", "reliability", "SWITCHBOARD_LLM_MODEL", "fake-model"),
                new PrintStream(output, true));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (llm != null) {
            llm.close();
        }
        System.out.println(output);
    }

    @Test
    @Order(1)
    void aWorkerKilledMidCallHasItsSessionsEndedAsWorkerLostWithin15Seconds() throws Exception {
        try (var events = new Probe<>(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var beats = new Probe<>(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer())) {
            long pid = awaitWorker(-1);
            Map<String, String> calls = startCalls("killed");
            WorkerHeartbeat holding = beats.await(b -> b.getState() == WorkerState.RUNNING && holdsAll(b, calls.keySet()), Duration.ofSeconds(20));

            long killed = System.nanoTime();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            Map<String, Long> endedAt = new HashMap<>();
            long deadline = killed + LIMIT.plusSeconds(15).toNanos();
            while (endedAt.size() < CALLS && System.nanoTime() < deadline) {
                events.poll().stream()
                        .filter(e -> calls.containsKey(e.getRoom()) && e.getPayload() instanceof SessionEnded ended
                                && ended.getReason() == EndReason.WORKER_LOST)
                        .forEach(e -> endedAt.putIfAbsent(e.getRoom(), System.nanoTime()));
            }
            assertThat(endedAt.keySet()).as("every session of the killed worker ended as WORKER_LOST").isEqualTo(calls.keySet());
            Duration slowest = Duration.ofNanos(endedAt.values().stream().mapToLong(t -> t - killed).max().orElseThrow());
            Duration fastest = Duration.ofNanos(endedAt.values().stream().mapToLong(t -> t - killed).min().orElseThrow());

            // Once: the verdict is written, and nothing more follows for these sessions.
            beats.await(b -> b.getWorkerId().equals(holding.getWorkerId()) && b.getState() == WorkerState.LOST, Duration.ofSeconds(10));
            events.pollFor(Duration.ofSeconds(5));
            List<SessionEvent> all = new ArrayList<>(events.seen());
            long endings = all.stream().filter(e -> calls.containsKey(e.getRoom()) && e.getPayload() instanceof SessionEnded).count();
            SessionEvent sample = all.stream().filter(e -> calls.containsKey(e.getRoom()) && e.getPayload() instanceof SessionEnded)
                    .findFirst().orElseThrow();

            Figures figures = new Figures("kill -9 of an agent worker with " + CALLS + " calls (beat 3 s, lost after 10 s)");
            figures.put("kill -> first session ended WORKER_LOST", seconds(fastest));
            figures.put("kill -> last session ended WORKER_LOST", seconds(slowest));
            figures.put("SessionEnded per session", String.format(Locale.ROOT, "%.1f", endings / (double) CALLS));
            figures.print();
            assertThat(slowest).as("sessions ended within 15 s of the kill").isLessThan(LIMIT);
            assertThat(endings).as("one SessionEnded per session").isEqualTo(CALLS);
            assertThat(((SessionEnded) sample.getPayload()).getDetail()).contains(holding.getWorkerId());
            assertThat(sample.getSessionId()).isEqualTo(calls.get(sample.getRoom()));
            assertThat(output.toString()).contains(WORKER + " exited with code 137 (killed by SIGKILL)");

            // The gateway no longer lists them as live, and a command for one is answered at once: the session ended.
            String room = calls.keySet().iterator().next();
            HttpResponse<String> session = http.send(StackTokens.authorized(settings.stateDirectory(),
                    URI.create(stack.url("context-gateway") + "/v1/sessions/" + room)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(session.statusCode()).isEqualTo(200);
            assertThat(session.body()).contains("\"state\":\"ENDED\"").contains("\"endReason\":\"WORKER_LOST\"");
            HttpResponse<String> command = http.send(StackTokens.authorized(settings.stateDirectory(),
                            URI.create(stack.url("context-gateway") + "/v1/sessions/" + room + "/context"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"system\",\"text\":\"Order 42 shipped.\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(command.statusCode()).as(command.body()).isEqualTo(409);
            assertThat(command.body()).contains("session-ended");
        }
    }

    @Test
    @Order(2)
    void aWorkerStoppedGracefullyEndsItsOwnSessionsAndIsNotLost() throws Exception {
        try (var events = new Probe<>(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var beats = new Probe<>(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer())) {
            long pid = awaitWorker(-1);
            Map<String, String> calls = startCalls("graceful");
            WorkerHeartbeat holding = beats.await(b -> b.getState() == WorkerState.RUNNING && holdsAll(b, calls.keySet()), Duration.ofSeconds(20));

            // Each call is steered through the gateway all along, one command after another, before, during and after the
            // drain: no command may go unanswered or be answered with a server error, whenever it arrives.
            List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean steering = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<Thread> steerers = calls.keySet().stream().map(room -> Thread.ofVirtual().start(() -> {
                while (steering.get()) {
                    answers.add(inject(room, "drain-" + UUID.randomUUID()));
                }
            })).toList();
            long applying = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!answers.contains("APPLIED") && System.nanoTime() < applying) {
                Thread.sleep(100); // the sessions take commands before the stop
            }
            ProcessHandle.of(pid).orElseThrow().destroy(); // SIGTERM, as Kubernetes stops a pod
            beats.await(b -> b.getWorkerId().equals(holding.getWorkerId()) && b.getState() == WorkerState.STOPPED, Duration.ofSeconds(30));
            Thread.sleep(2000);
            steering.set(false);
            for (Thread steerer : steerers) {
                steerer.join(Duration.ofSeconds(120).toMillis());
            }
            Map<String, Long> byAnswer = answers.stream().collect(Collectors.groupingBy(a -> a, java.util.TreeMap::new, Collectors.counting()));
            Figures figures = new Figures("commands sent to " + CALLS + " calls while their worker drained");
            figures.put("final answers", byAnswer.toString());
            figures.print();
            assertThat(byAnswer.keySet()).as("every command's final answer").allMatch(a -> a.equals("APPLIED")
                    || a.startsWith("409 ") || a.startsWith("404 ") || a.equals("504 EXPIRED") || a.equals("UNKNOWN_SESSION")
                    || a.equals("EXPIRED") || a.equals("REJECTED"));
            assertThat(byAnswer).as("commands applied before the stop").containsKey("APPLIED");
            // Longer than the controller's window: a worker that said goodbye is never declared lost.
            events.pollFor(Duration.ofSeconds(15));
            Map<String, EndReason> reasons = events.seen().stream()
                    .filter(e -> calls.containsKey(e.getRoom()) && e.getPayload() instanceof SessionEnded)
                    .collect(Collectors.toMap(SessionEvent::getRoom, e -> ((SessionEnded) e.getPayload()).getReason(), (a, b) -> a));
            assertThat(reasons).hasSize(CALLS).allSatisfy((room, reason) -> assertThat(reason).isEqualTo(EndReason.WORKER_SHUTDOWN));
            assertThat(events.seen().stream().filter(e -> calls.containsKey(e.getRoom()) && e.getPayload() instanceof SessionEnded)).hasSize(CALLS);
            assertThat(beats.seen().stream().filter(b -> b.getWorkerId().equals(holding.getWorkerId()) && b.getState() == WorkerState.LOST)).isEmpty();
        }
    }

    @Test
    @Order(3)
    void aBrokerAwayForLongerThanTheWindowGetsNoLiveWorkerDeclaredLost() throws Exception {
        try (var events = new Probe<>(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var beats = new Probe<>(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer())) {
            awaitWorker(-1);
            Map<String, String> calls = startCalls("broker-away");
            WorkerHeartbeat holding = beats.await(b -> b.getState() == WorkerState.RUNNING && holdsAll(b, calls.keySet()), Duration.ofSeconds(20));

            // No beat can reach the controller for 15 s (longer than its 10 s window): that is not the worker's death.
            Duration away = stack.restartKafka(Duration.ofSeconds(15));
            beats.await(b -> b.getWorkerId().equals(holding.getWorkerId()) && b.getState() == WorkerState.RUNNING
                    && b.getSentAt().isAfter(holding.getSentAt().plus(away)), Duration.ofSeconds(60));
            events.pollFor(Duration.ofSeconds(15));

            Figures figures = new Figures("Kafka away while an agent worker runs " + CALLS + " calls");
            figures.put("broker away", seconds(away));
            long lost = events.seen().stream().filter(e -> calls.containsKey(e.getRoom()) && e.getPayload() instanceof SessionEnded).count();
            figures.put("sessions ended (must be 0)", Long.toString(lost));
            figures.print();
            assertThat(lost).as("no session of the live worker ended").isZero();
            assertThat(beats.seen().stream().filter(b -> b.getWorkerId().equals(holding.getWorkerId()) && b.getState() == WorkerState.LOST)).isEmpty();
        }
    }

    /** Waits for a running worker other than {@code not} (the stack restarts a killed one) and returns its pid. */
    private long awaitWorker(long not) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> pid = stack.pid(WORKER).filter(p -> p != not);
            if (pid.isPresent() && status(stack.url(WORKER) + "/q/health/ready") == 200) {
                return pid.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no ready agent worker; stack output:\n" + output);
    }

    private Map<String, String> startCalls(String prefix) throws Exception {
        Map<String, String> calls = new HashMap<>();
        for (int i : IntStream.range(0, CALLS).toArray()) {
            String room = prefix + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            HttpResponse<String> response = http.send(StackTokens.authorized(settings.stateDirectory(), URI.create(stack.url(WORKER) + "/v1/simulated-calls"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            String sessionId = response.body().replaceAll("(?s).*\"sessionId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            calls.put(room, sessionId);
        }
        return calls;
    }

    /**
     * Injects context into the call's session through the gateway and returns its final answer: APPLIED, the HTTP
     * status and problem of a refusal ("409 session-ended"), or, for a command still pending after the wait, its
     * status once decided (PENDING if it never was within 90 s).
     */
    private String inject(String room, String key) {
        try {
            URI uri = URI.create(stack.url("context-gateway") + "/v1/sessions/" + room + "/context?wait=5s");
            HttpResponse<String> response = http.send(StackTokens.authorized(settings.stateDirectory(), uri)
                    .header("Content-Type", "application/json").header("Idempotency-Key", key).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"system\",\"text\":\"still there?\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> field(response.body(), "status");
                case 202 -> decided(field(response.body(), "commandId"));
                default -> response.statusCode() + " " + Optional.ofNullable(field(response.body(), "commandStatus"))
                        .orElse(String.valueOf(field(response.body(), "type")).replaceAll(".*:", ""));
            };
        } catch (Exception e) {
            return "no answer: " + e;
        }
    }

    private String decided(String commandId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String status = "PENDING";
        while (status.equals("PENDING") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            HttpResponse<String> response = http.send(StackTokens.authorized(settings.stateDirectory(),
                    URI.create(stack.url("context-gateway") + "/v1/commands/" + commandId)).build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode() == 200 ? field(response.body(), "status") : "status " + response.statusCode();
        }
        return status;
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean holdsAll(WorkerHeartbeat beat, Set<String> rooms) {
        return beat.getSessions().stream().map(WorkerSession::getRoom).collect(Collectors.toCollection(TreeSet::new)).containsAll(rooms);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** Reads a topic of the stack's broker from now on. */
    private static final class Probe<T> implements AutoCloseable {
        private final KafkaConsumer<String, T> consumer;
        private final List<T> seen = new ArrayList<>();

        Probe(Topic topic, Deserializer<T> deserializer) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), deserializer);
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        List<T> poll() {
            List<T> values = new ArrayList<>();
            consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            seen.addAll(values);
            return values;
        }

        List<T> pollFor(Duration duration) {
            List<T> values = new ArrayList<>();
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                values.addAll(poll());
            }
            return values;
        }

        T await(Predicate<T> match, Duration timeout) {
            long end = System.nanoTime() + timeout.toNanos();
            Optional<T> found = seen.stream().filter(match).findFirst();
            while (found.isEmpty() && System.nanoTime() < end) {
                found = poll().stream().filter(match).findFirst();
            }
            return found.orElseThrow(() -> new AssertionError("no matching record within " + timeout));
        }

        List<T> seen() {
            return seen;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
