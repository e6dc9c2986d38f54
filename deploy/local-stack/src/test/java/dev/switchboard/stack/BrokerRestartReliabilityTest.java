package dev.switchboard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmServer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability: the Kafka broker restarted (stopped, then started again on the same port and data directory) while
 * commands stream through the context gateway to a simulated call on the agent worker. Every command must end,
 * for its sender, as APPLIED (and then be in the agent's chat context exactly once) or as a failure it was told
 * about; none may stay unanswered and none may be applied twice. The senders behave as the API asks: they poll
 * {@code statusUrl} after a 202 and send a 503 again with the same Idempotency-Key. Run with
 * <pre>mvn -B -ntp -pl deploy/local-stack -am verify -Preliability -Dtest=BrokerRestartReliabilityTest</pre>
 */
@Tag("reliability")
class BrokerRestartReliabilityTest {
    private static final Duration STREAM = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMillis(25);
    private static final Duration RESTART_AFTER = Duration.ofSeconds(5);
    /** How long a sender keeps trying: a command's lifetime (30 s) with room to spare; after that it has its answer. */
    private static final Duration SENDER_PATIENCE = Duration.ofSeconds(90);
    private static final Duration COMMAND_LIFETIME = Duration.ofSeconds(30);
    /** How long commands are written to the broadcast topic while the gateway is killed and restarted. */
    private static final Duration KILL_STREAM = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private static FakeLlmServer llm;
    private static LocalStack stack;
    private static StackSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    @BeforeAll
    static void startStack() {
        llm = new FakeLlmServer();
        settings = TestStacks.onFreePorts(List.of("context-gateway", "agent-worker"), RestartPolicy.DEFAULT);
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

    /** What a sender was finally told about its command. */
    record Outcome(String commandId, int index, String finalStatus, int attempts, boolean polled, Duration took) {
        boolean applied() {
            return "APPLIED".equals(finalStatus);
        }

        boolean silent() {
            return finalStatus == null;
        }
    }

    /**
     * @param downtimeSeconds how long the broker stays down before it starts again: 0 is a plain restart, 15 is longer
     *                        than the gateway's publish timeout (10 s), so that senders are told 503 and send again
     */
    @ParameterizedTest(name = "broker down {0} s before it starts again")
    @ValueSource(ints = {0, 15})
    void everyCommandIsAppliedOnceOrReportedFailedAcrossABrokerRestart(int downtimeSeconds) throws Exception {
        String room = "broker-restart-" + System.nanoTime();
        String gateway = stack.url("context-gateway");
        String worker = stack.url("agent-worker");
        send(StackTokens.authorized(settings.stateDirectory(), URI.create(worker + "/v1/simulated-calls")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room + "\"}")).build(), 201);
        awaitStatus(gateway + "/v1/sessions/" + room, 200);

        // Open loop, as independent systems send: a new command every 25 ms, whatever became of the earlier ones.
        List<CompletableFuture<Outcome>> commands = new ArrayList<>();
        var senders = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Duration> restart = null;
        long started = System.nanoTime();
        int count = (int) (STREAM.toMillis() / INTERVAL.toMillis());
        for (int i = 0; i < count; i++) {
            long due = started + INTERVAL.toNanos() * i;
            Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
            if (restart == null && System.nanoTime() - started >= RESTART_AFTER.toNanos()) {
                restart = CompletableFuture.supplyAsync(() -> stack.restartKafka(Duration.ofSeconds(downtimeSeconds)));
            }
            int index = i;
            commands.add(CompletableFuture.supplyAsync(() -> command(gateway, room, index), senders));
        }
        long lastSent = System.nanoTime();
        Duration brokerAway = restart.get();
        List<Outcome> outcomes = commands.stream().map(CompletableFuture::join).toList();

        // Until the last command's lifetime is over, a worker could still apply one: only then count what it applied.
        Thread.sleep(Math.max(0, (lastSent + COMMAND_LIFETIME.plusSeconds(2).toNanos() - System.nanoTime()) / 1_000_000));
        Map<String, Long> applied = appliedNotes(worker, room);

        Map<String, Long> finals = outcomes.stream().collect(Collectors.groupingBy(o -> String.valueOf(o.finalStatus()), TreeMap::new, Collectors.counting()));
        long silent = outcomes.stream().filter(Outcome::silent).count();
        long appliedTwice = applied.values().stream().filter(n -> n > 1).count();
        long reportedAppliedButMissing = outcomes.stream().filter(o -> o.applied() && applied.getOrDefault(note(o.index()), 0L) != 1).count();
        long reportedFailedButApplied = outcomes.stream().filter(o -> !o.applied() && !o.silent() && applied.containsKey(note(o.index()))).count();
        Figures figures = new Figures("Kafka broker restarted (down " + downtimeSeconds + " s) during a stream of commands through the gateway");
        figures.put("commands", String.format(Locale.ROOT, "%d in %d s (one every %d ms), broker restarted after %d s",
                count, STREAM.toSeconds(), INTERVAL.toMillis(), RESTART_AFTER.toSeconds()));
        figures.put("broker away (stop + start in place)", String.format(Locale.ROOT, "%.1f s", brokerAway.toMillis() / 1000.0));
        figures.put("final answers", finals.toString());
        figures.put("sent again after a 503 (same Idempotency-Key)", Long.toString(outcomes.stream().filter(o -> o.attempts() > 1).count()));
        figures.put("answered 202, then decided via statusUrl", Long.toString(outcomes.stream().filter(Outcome::polled).count()));
        figures.put("longest time to a final answer", outcomes.stream().map(Outcome::took).max(Duration::compareTo)
                .map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).orElse("-"));
        figures.put("silent (no final answer)", Long.toString(silent));
        figures.put("applied twice", Long.toString(appliedTwice));
        figures.put("reported APPLIED but not applied once", Long.toString(reportedAppliedButMissing));
        figures.put("reported failed but applied", Long.toString(reportedFailedButApplied));
        figures.print();

        assertThat(silent).as("commands whose sender never got a final answer").isZero();
        assertThat(appliedTwice).as("commands applied twice").isZero();
        assertThat(reportedAppliedButMissing).as("commands reported APPLIED but not in the chat context exactly once").isZero();
        assertThat(reportedFailedButApplied).as("commands reported failed that were applied all the same").isZero();
        assertThat(applied.keySet()).as("only the commands sent").allMatch(n -> outcomes.stream().anyMatch(o -> note(o.index()).equals(n)));
        assertThat(finals.getOrDefault("APPLIED", 0L)).as("commands applied").isPositive();
    }

    /**
     * The gateway forwards the commands a system writes to the broadcast topic (it knows only the room) to the topic of
     * the room's worker. Killed ({@code kill -9}) in the middle of a stream of them, and restarted by the stack, it must
     * lose none and apply none twice: it acknowledges a record only once forwarded, so what it had not forwarded is
     * read again by the restarted instance, and the worker applies a commandId once.
     */
    @Test
    void everyBroadcastCommandIsAppliedOnceAcrossAGatewayKilledWhileForwarding() throws Exception {
        String room = "gateway-kill-" + System.nanoTime();
        String worker = stack.url("agent-worker");
        send(StackTokens.authorized(settings.stateDirectory(), URI.create(worker + "/v1/simulated-calls")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room + "\"}")).build(), 201);
        awaitStatus(stack.url("context-gateway") + "/v1/sessions/" + room, 200);

        Commands commands = new Commands(new Issuer(IssuerKind.SYSTEM, "reliability", null, null));
        Map<String, Integer> sent = new ConcurrentHashMap<>(); // commandId -> index
        Map<String, List<String>> results = new ConcurrentHashMap<>();
        Duration gatewayDownFor;
        try (var producer = new KafkaProducer<String, SessionCommand>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                "acks", "all", "enable.idempotence", "true", "linger.ms", "0"), new StringSerializer(), new AvroSerializer<>());
             var resultsTopic = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrapServers(),
                     "enable.auto.commit", false), new StringDeserializer(), new CommandResultDeserializer())) {
            List<TopicPartition> partitions = resultsTopic.partitionsFor(Topic.COMMAND_RESULTS.topicName()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            resultsTopic.assign(partitions);
            resultsTopic.seekToEnd(partitions);
            partitions.forEach(resultsTopic::position);

            long gatewayPid = stack.pid("context-gateway").orElseThrow();
            long started = System.nanoTime();
            long killedAt = 0;
            int count = (int) (KILL_STREAM.toMillis() / INTERVAL.toMillis());
            for (int i = 0; i < count; i++) {
                long due = started + INTERVAL.toNanos() * i;
                Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                if (killedAt == 0 && System.nanoTime() - started >= RESTART_AFTER.toNanos()) {
                    ProcessHandle.of(gatewayPid).orElseThrow().destroyForcibly();
                    killedAt = System.nanoTime();
                }
                // A lifetime that outlasts the gateway's restart: what is measured is loss, not expiry.
                SessionCommand command = commands.session(UUID.randomUUID().toString(), room, InjectContext.newBuilder()
                        .setRole(ContextRole.SYSTEM).setText(note(i)).setRespond(false).build(), Duration.ofMinutes(3));
                producer.send(new ProducerRecord<>(Topic.SESSION_COMMANDS.topicName(), room, command)).get();
                sent.put(command.getCommandId(), i);
            }
            long readyAgain = awaitReadyAgain(gatewayPid);
            gatewayDownFor = Duration.ofNanos(readyAgain - killedAt);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!results.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
                resultsTopic.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (sent.containsKey(r.value().getCommandId())) {
                        results.computeIfAbsent(r.value().getCommandId(), id -> new ArrayList<>()).add(r.value().getStatus().name());
                    }
                });
            }
        }
        Map<String, Long> applied = appliedNotes(worker, room);

        long unanswered = sent.keySet().stream().filter(id -> !results.containsKey(id)).count();
        long appliedTwice = applied.values().stream().filter(n -> n > 1).count();
        long notApplied = sent.values().stream().filter(i -> !applied.containsKey(note(i))).count();
        Map<String, Long> finals = results.values().stream().collect(Collectors.groupingBy(r -> r.getFirst(), TreeMap::new, Collectors.counting()));
        Figures figures = new Figures("the context gateway killed (kill -9) while forwarding commands written to the broadcast topic");
        figures.put("commands", String.format(Locale.ROOT, "%d in %d s (one every %d ms), gateway killed after %d s",
                sent.size(), KILL_STREAM.toSeconds(), INTERVAL.toMillis(), RESTART_AFTER.toSeconds()));
        figures.put("gateway away (kill to ready again)", String.format(Locale.ROOT, "%.1f s", gatewayDownFor.toMillis() / 1000.0));
        figures.put("results", finals.toString());
        figures.put("answered more than once (the same decision again)", Long.toString(results.values().stream().filter(r -> r.size() > 1).count()));
        figures.put("unanswered", Long.toString(unanswered));
        figures.put("not in the chat context", Long.toString(notApplied));
        figures.put("in the chat context twice", Long.toString(appliedTwice));
        figures.print();

        assertThat(unanswered).as("commands without a result").isZero();
        assertThat(results.values()).as("a command answered again gets its first decision").allMatch(r -> r.stream().distinct().count() == 1);
        assertThat(finals.keySet()).as("every command applied").containsExactly("APPLIED");
        assertThat(notApplied).as("commands not in the agent's chat context").isZero();
        assertThat(appliedTwice).as("commands in the agent's chat context twice").isZero();
    }

    /** Waits until the stack has restarted the killed gateway and it is ready; returns when it was seen ready. */
    private long awaitReadyAgain(long killedPid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (stack.pid("context-gateway").filter(pid -> pid != killedPid).isPresent()) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(stack.url("context-gateway") + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return System.nanoTime();
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway was not restarted and ready within 120 s; stack output:\n" + output);
    }

    /** One sender: send, poll a 202, send a 503 again with the same key, until a final answer or its patience ends. */
    private Outcome command(String gateway, String room, int index) {
        String commandId = UUID.randomUUID().toString();
        long started = System.nanoTime();
        long deadline = started + SENDER_PATIENCE.toNanos();
        String body = "{\"role\":\"system\",\"text\":\"" + note(index) + "\",\"respond\":false}";
        int attempts = 0;
        boolean polled = false;
        String refused = null;
        while (System.nanoTime() < deadline) {
            attempts++;
            HttpResponse<String> response;
            try {
                response = http.send(StackTokens.authorized(settings.stateDirectory(), URI.create(gateway + "/v1/sessions/" + room + "/context?wait=10s"))
                        .timeout(Duration.ofSeconds(40)).header("Content-Type", "application/json").header("Idempotency-Key", commandId)
                        .header("X-Switchboard-Issuer", "reliability").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                pause(1000);
                continue; // the gateway runs on: an I/O error here is the test's, and the key makes sending again safe
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            String status = status(response);
            if (response.statusCode() == 202) {
                polled = true;
                status = pollUntilDecided(gateway, commandId, deadline);
            } else if (response.statusCode() == 503) {
                refused = status + " (gave up sending again)";
                pause(1000);
                continue;
            }
            return new Outcome(commandId, index, status, attempts, polled, Duration.ofNanos(System.nanoTime() - started));
        }
        // Told "unavailable" until it gave up: a failure it knows of. Nothing at all: silent.
        return new Outcome(commandId, index, refused, attempts, polled, Duration.ofNanos(System.nanoTime() - started));
    }

    private String pollUntilDecided(String gateway, String commandId, long deadline) {
        while (System.nanoTime() < deadline) {
            pause(500);
            try {
                HttpResponse<String> response = http.send(StackTokens.authorized(settings.stateDirectory(), URI.create(gateway + "/v1/commands/" + commandId))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                String status = status(response);
                if (response.statusCode() == 200 && !"PENDING".equals(status)) {
                    return status;
                }
            } catch (IOException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** The command's status from a command view, or the outcome a problem names. */
    private static String status(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body.hasNonNull("status") && body.get("status").isTextual()) {
                return body.get("status").asText();
            }
            if (body.hasNonNull("commandStatus")) {
                return body.get("commandStatus").asText();
            }
        } catch (IOException e) {
            // not JSON
        }
        return "HTTP " + response.statusCode();
    }

    /** How many times each injected note is in the agent's chat context, as the LLM sees it on the next turn. */
    private Map<String, Long> appliedNotes(String worker, String room) throws Exception {
        new FakeLlmControl(llm.baseUrl()).replyText("Noted.");
        int before = llm.requests().size();
        send(StackTokens.authorized(settings.stateDirectory(), URI.create(worker + "/v1/simulated-calls/" + room + "/utterances")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"What do you know?\"}")).build(), 200);
        assertThat(llm.requests()).hasSizeGreaterThan(before);
        JsonNode messages = llm.requests().getLast().path("messages");
        Map<String, Long> notes = new ConcurrentHashMap<>();
        for (JsonNode message : messages) {
            String content = message.path("content").asText("");
            if ("system".equals(message.path("role").asText()) && content.startsWith("reliability note ")) {
                notes.merge(content, 1L, Long::sum);
            }
        }
        return notes;
    }

    private static String note(int index) {
        return "reliability note " + index;
    }

    private void send(HttpRequest request, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    }

    private void awaitStatus(String url, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.send(StackTokens.authorized(settings.stateDirectory(), URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() != expected) {
            assertThat(System.nanoTime()).as("GET " + url + " answers " + expected).isLessThan(deadline);
            pause(200);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
