package dev.switchboard.stack;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.infra.SchemaRegistryServer;
import dev.switchboard.schemas.client.SwitchboardClient;
import dev.switchboard.schemas.topics.Topic;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged services in the schema-registry mode ({@code SWITCHBOARD_SCHEMA_REGISTRY_URL}: a real Apicurio Registry,
 * spoken to with Confluent's API as most registries are; its own v2 API is tested in the schemas module):
 * a call is steered over HTTP and its transcript stored, with every record the services write in Confluent's framing
 * and its schema registered; a system that still writes the single-object encoding steers the same call; and the
 * Python and Node.js examples, given the registry's Confluent-compatible API, read the framed results, also from a
 * registry behind basic authentication (credentials from SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO).
 */
class RegistryModeEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern COMMAND_LINE = Pattern.compile("(?m)^(InjectContext|EndSession) [0-9a-f-]{36} (\\S+)");
    private static final HttpClient http = HttpClient.newHttpClient();
    private static StackSettings settings;
    private static SchemaRegistryServer registry;
    private static LocalStack stack;
    private static String bearer;

    @BeforeAll
    static void startTheStackInTheRegistryMode() throws Exception {
        settings = TestStacks.onFreePorts(List.of("context-gateway", "transcript-service", "agent-worker"), RestartPolicy.DEFAULT);
        registry = SchemaRegistryServer.start();
        stack = LocalStack.start(settings, Map.of("SWITCHBOARD_SCHEMA_REGISTRY_URL", registry.confluentUrl()),
                new PrintStream(new ByteArrayOutputStream(), true));
        bearer = StackTokens.bearer(settings.stateDirectory());
    }

    @AfterAll
    static void stop() throws Exception {
        try (SchemaRegistryServer stopRegistry = registry; LocalStack stopStack = stack) {
            // closed in reverse order: the stack, then the registry
        }
    }

    @Test
    void theStackWritesConfluentsFramingAndStillReadsTheSingleObjectEncoding() throws Exception {
        String room = callRunningIn("registry");
        String gateway = stack.url("context-gateway");
        String transcripts = stack.url("transcript-service");

        // Over HTTP: the gateway writes the command framed, the worker reads it, applies it and answers framed.
        HttpResponse<String> injected = send(post(gateway + "/v1/sessions/" + room + "/context", bearer,
                "{\"role\":\"system\",\"text\":\"Registry mode is on.\",\"respond\":false}"));
        assertThat(injected.statusCode()).as(injected.body()).isEqualTo(200);
        assertThat(JsonPath.from(injected.body()).getString("status")).isEqualTo("APPLIED");
        String commandId = JsonPath.from(injected.body()).getString("commandId");

        // A system that has not moved over: the single-object encoding, straight to Kafka.
        try (SwitchboardClient legacy = SwitchboardClient.builder(stack.kafkaBootstrapServers()).issuer(IssuerKind.SYSTEM, "legacy-crm").build()) {
            legacy.injectContext(room, ContextRole.SYSTEM, "Written without a registry.", false).get();
        }

        // Both lines reach the transcript (worker -> transcripts topic, framed -> transcript service -> PostgreSQL).
        await(() -> {
            HttpResponse<String> transcript = send(get(transcripts + "/v1/sessions/" + room + "/transcript", bearer));
            return transcript.statusCode() == 200 && transcript.body().contains("Registry mode is on.")
                    && transcript.body().contains("Written without a registry.");
        });

        byte[] result = recordOf(stack.kafkaBootstrapServers(), Topic.COMMAND_RESULTS.topicName(), commandId);
        assertThat(result[0]).as("the worker's CommandResult is in Confluent's framing").isZero();
        String subjects = send(get(registry.confluentUrl() + "/subjects", null)).body();
        assertThat(subjects).contains("\"" + Topic.COMMAND_RESULTS.topicName() + "-value\"", "\"" + Topic.TRANSCRIPTS.topicName() + "-value\"",
                "\"" + Topic.SESSION_EVENTS.topicName() + "-value\"", "\"" + Topic.AUDIT.topicName() + "-value\"");
        for (String service : List.of("context-gateway", "transcript-service", "agent-worker")) {
            String log = java.nio.file.Files.readString(settings.logs().resolve(service + ".log"));
            assertThat(log).as(service + "'s log").doesNotContain("cannot decode")
                    .contains("schema registry at " + registry.confluentUrl() + ": the schemas of the");
            // Ready only once the registry held the schemas of every topic the service writes.
            JsonPath readiness = JsonPath.from(send(get(stack.url(service) + "/q/health/ready", null)).body());
            assertThat(readiness.getString("checks.find { it.name == 'Schema registry' }.status")).as(service + "'s readiness").isEqualTo("UP");
        }
    }

    @Test
    void thePythonExampleReadsTheFramedResultsWithTheRegistryAndSaysWhatIsMissingWithoutIt() throws Exception {
        String python = ExampleClients.pythonWithTheClientLibraries();
        List<String> example = List.of(python, "inject_and_hang_up.py", "--bootstrap-servers", stack.kafkaBootstrapServers(),
                "--text", "Order 1042 shipped today with UPS.", "--issuer", "order-system-python");

        String unread = callRunningIn("python-unframed");
        ExampleClients.Result withoutRegistry = ExampleClients.run(with(example, "--room", unread), ExampleClients.pythonDirectory(),
                ExampleClients.EXAMPLE_TIMEOUT);
        assertThat(withoutRegistry.exitCode()).as(withoutRegistry.output()).isEqualTo(3);
        assertThat(withoutRegistry.output()).contains("CommandResult in a schema registry's framing", "--schema-registry");

        String room = callRunningIn("python-framed");
        assertBothApplied(ExampleClients.run(with(example, "--room", room, "--schema-registry", registry.confluentUrl()),
                ExampleClients.pythonDirectory(), ExampleClients.EXAMPLE_TIMEOUT));
    }

    @Test
    void thePythonExampleSendsTheRegistryCredentialsFromTheEnvironmentAndSaysWhenTheyAreMissing() throws Exception {
        String python = ExampleClients.pythonWithTheClientLibraries();
        try (AuthenticatingFront front = new AuthenticatingFront(registry.confluentUrl())) {
            List<String> example = List.of(python, "inject_and_hang_up.py", "--bootstrap-servers", stack.kafkaBootstrapServers(),
                    "--text", "Order 1043 shipped today with DHL.", "--issuer", "order-system-python", "--schema-registry", front.url());

            ExampleClients.Result refused = ExampleClients.run(with(example, "--room", callRunningIn("python-no-credentials")),
                    ExampleClients.pythonDirectory(), ExampleClients.EXAMPLE_TIMEOUT);
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
            assertThat(refused.output()).contains("HTTP 401", "SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO=user:password");

            assertBothApplied(ExampleClients.run(with(example, "--room", callRunningIn("python-credentials")), ExampleClients.pythonDirectory(),
                    ExampleClients.EXAMPLE_TIMEOUT, Map.of("SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO", AuthenticatingFront.USER_INFO)));
            assertThat(front.answered()).as("schemas the front served to the example with its credentials").isPositive();
        }
    }

    @Test
    void theNodeExampleReadsTheFramedResultsWithTheRegistryBehindBasicAuthentication() throws Exception {
        Path node = ExampleClients.nodeDirectory();
        String room = callRunningIn("node-framed");
        try (AuthenticatingFront front = new AuthenticatingFront(registry.confluentUrl())) {
            assertBothApplied(ExampleClients.run(List.of("node", "inject-and-hang-up.mjs", "--bootstrap-servers", stack.kafkaBootstrapServers(),
                    "--room", room, "--text", "Order 77 left the warehouse this morning.", "--issuer", "order-system-node",
                    "--schema-registry", front.url()), node, ExampleClients.EXAMPLE_TIMEOUT,
                    Map.of("SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO", AuthenticatingFront.USER_INFO)));
            assertThat(front.answered()).as("schemas the front served to the example with its credentials").isPositive();
        }
    }

    /**
     * A registry that wants basic authentication, as Confluent Cloud's does: a front on the test's registry that
     * answers 401 without the right credentials and passes GETs through with them.
     */
    private static final class AuthenticatingFront implements AutoCloseable {
        static final String USER_INFO = "example-key:example-secret";
        private static final String EXPECTED = "Basic " + Base64.getEncoder()
                .encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));
        private final HttpServer server;
        private final AtomicInteger answered = new AtomicInteger();

        AuthenticatingFront(String registryUrl) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.createContext("/", exchange -> {
                try (exchange) {
                    if (!EXPECTED.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"registry\"");
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                    HttpResponse<byte[]> upstream = http.send(HttpRequest.newBuilder(URI.create(registryUrl + exchange.getRequestURI())).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    exchange.getResponseHeaders().set("Content-Type", upstream.headers().firstValue("Content-Type").orElse("application/json"));
                    exchange.sendResponseHeaders(upstream.statusCode(), upstream.body().length == 0 ? -1 : upstream.body().length);
                    exchange.getResponseBody().write(upstream.body());
                    answered.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int answered() {
            return answered.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A simulated call the gateway knows about, in a new room named after {@code prefix}. */
    private static String callRunningIn(String prefix) {
        String room = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send(post(stack.url("agent-worker") + "/v1/simulated-calls", bearer, "{\"room\":\"" + room + "\"}")).statusCode()).isEqualTo(201);
        await(() -> send(get(stack.url("context-gateway") + "/v1/sessions/" + room, bearer)).statusCode() == 200);
        return room;
    }

    /**
     * The example read both results, APPLIED. (That the call then ends is OtherLanguageClientsTest's: this stack has no
     * call controller to confirm the hang-up, so the session would take its 30 s confirmation timeout to end.)
     */
    private static void assertBothApplied(ExampleClients.Result run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        Matcher line = COMMAND_LINE.matcher(run.output());
        List<String> applied = new ArrayList<>();
        while (line.find()) {
            assertThat(line.group(2)).as(line.group()).isEqualTo("APPLIED");
            applied.add(line.group(1));
        }
        assertThat(applied).as(run.output()).containsExactly("InjectContext", "EndSession");
    }

    private static List<String> with(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    /** The value of the record on {@code topic} whose bytes carry {@code marker} (a command id), read raw. */
    private static byte[] recordOf(String bootstrap, String topic, String marker) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", "registry-raw-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(record.value(), StandardCharsets.ISO_8859_1).contains(marker)) {
                        return record.value();
                    }
                    seen.add(record.key());
                }
            }
            throw new AssertionError("no record for " + marker + " on " + topic + " (keys seen: " + seen + ")");
        }
    }

    private static HttpRequest get(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return request.build();
    }

    private static HttpRequest post(String url, String bearer, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        }
    }

    private static void await(Supplier<Boolean> condition) {
        Waits.until(WAIT, "the stack's state directory", condition);
    }
}
