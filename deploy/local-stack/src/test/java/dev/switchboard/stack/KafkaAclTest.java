package dev.switchboard.stack;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.infra.EmbeddedKafka;
import dev.switchboard.infra.FreePorts;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.serde.SessionCommandDeserializer;
import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.TopicProvisioner;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A packaged service on a broker that authenticates and authorizes: it takes Kafka's SASL settings from the
 * {@code KAFKA_*} environment as the Kubernetes manifests give them, and the ACLs the catalogue grants it
 * ({@link Party#writes()}, {@link Party#reads()}, consumer groups named after itself, as in kafka-users.yaml) are
 * enough for it to do its job, while the broker refuses it anything else.
 */
class KafkaAclTest {
    private static final String USER = "switchboard-context-gateway";
    private static final String PASSWORD = "gateway-" + UUID.randomUUID();
    private static final Duration START = Duration.ofSeconds(180);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path state;

    @Test
    void theGatewayWorksWithExactlyTheAclsTheCatalogueGivesItAndNothingMore() throws Exception {
        String host = "127.0.0.1";
        int plain = FreePorts.pick();
        int controller = FreePorts.pick();
        int sasl = FreePorts.pick();
        // The test itself talks on a plaintext listener as the super user; the gateway only on the SASL one.
        var settings = new EmbeddedKafka.Settings(plain, controller, host, null, 1, Map.of(
                "listeners", "PLAINTEXT://" + host + ":" + plain + ",CONTROLLER://" + host + ":" + controller + ",SASL_PLAINTEXT://" + host + ":" + sasl,
                "advertised.listeners", "PLAINTEXT://" + host + ":" + plain + ",SASL_PLAINTEXT://" + host + ":" + sasl,
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD + "\";",
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS"));
        Process gateway = null;
        try (EmbeddedKafka kafka = new EmbeddedKafka(settings).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicProvisioner.createMissing(admin, (short) 1);
            admin.createAcls(aclsOf(Party.CONTEXT_GATEWAY)).all().get(30, TimeUnit.SECONDS);

            int port = FreePorts.pick();
            Map<String, String> env = new HashMap<>(LocalAuth.ensure(state).serviceEnvironment(Map.of()));
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("KAFKA_BOOTSTRAP_SERVERS", host + ":" + sasl);
            env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            env.put("KAFKA_SASL_MECHANISM", "PLAIN");
            env.put("KAFKA_SASL_JAAS_CONFIG", jaas(USER, PASSWORD));
            gateway = start("context-gateway", env);
            awaitReady(gateway, port);

            // A call starts (as a worker would announce it, with the worker's own command topic); the gateway hears of it
            // and steers it through that topic.
            String room = "acl-" + UUID.randomUUID().toString().substring(0, 8);
            String workerTopic = WorkerCommandTopics.of("acl-worker");
            admin.createTopics(List.of(WorkerCommandTopics.newTopic(workerTopic))).all().get(30, TimeUnit.SECONDS);
            try (var producer = new KafkaProducer<String, org.apache.avro.specific.SpecificRecord>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new AvroSerializer<>());
                 var commands = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "acl-test",
                         "auto.offset.reset", "earliest"), new StringDeserializer(), new SessionCommandDeserializer())) {
                producer.send(new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), room, SessionEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(UUID.randomUUID().toString())
                        .setOccurredAt(Instant.now()).setSource("agent-worker")
                        .setPayload(SessionStarted.newBuilder().setTransport(Transport.SIMULATED).setWorkerId("acl-worker")
                                .setCommandTopic(workerTopic).build()).build())).get();

                String statusUrl = injectWhenTheSessionIsKnown(port, room);
                commands.subscribe(List.of(workerTopic));
                SessionCommand command = awaitCommand(commands, room);
                producer.send(new ProducerRecord<>(Topic.COMMAND_RESULTS.topicName(), room, CommandResult.newBuilder()
                        .setCommandId(command.getCommandId()).setRoom(room).setCommandType("InjectContext")
                        .setStatus(CommandStatus.APPLIED).setDecidedAt(Instant.now()).setWorkerId("acl-worker").build())).get();
                assertThat(awaitStatus(port, statusUrl, "APPLIED")).as("the gateway read the result").contains("\"APPLIED\"");
            }
            assertThat(Files.readString(log("context-gateway"))).doesNotContain("AuthorizationException");

            // The same credentials cannot write where the catalogue does not let the gateway write.
            try (var intruder = new KafkaProducer<String, String>(Map.of("bootstrap.servers", host + ":" + sasl,
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", jaas(USER, PASSWORD),
                    "max.block.ms", "10000"), new StringSerializer(), new StringSerializer())) {
                assertThatThrownBy(() -> intruder.send(new ProducerRecord<>(Topic.TRANSCRIPTS.topicName(), "r", "forged line")).get(20, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
            }
        } finally {
            if (gateway != null) {
                gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The party's ACLs as kafka-users.yaml declares them. */
    private static List<AclBinding> aclsOf(Party party) {
        String principal = "User:" + USER;
        List<AclBinding> acls = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            List<AclOperation> operations = new ArrayList<>();
            if (party.writes().contains(topic)) {
                operations.add(AclOperation.WRITE);
            }
            if (party.reads().contains(topic)) {
                operations.add(AclOperation.READ);
            }
            if (!operations.isEmpty()) {
                operations.add(AclOperation.DESCRIBE);
            }
            for (AclOperation operation : operations) {
                acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic.topicName(), PatternType.LITERAL),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
        }
        for (WorkerCommandTopics.Access access : WorkerCommandTopics.accessOf(party)) {
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, WorkerCommandTopics.PREFIX, PatternType.PREFIXED),
                    new AccessControlEntry(principal, "*", AclOperation.valueOf(access.name()), AclPermissionType.ALLOW)));
        }
        acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, party.id(), PatternType.PREFIXED),
                new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW)));
        return acls;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private String injectWhenTheSessionIsKnown(int port, String room) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> answer = http.send(StackTokens.authorized(state, URI.create("http://127.0.0.1:" + port + "/v1/sessions/" + room + "/context?wait=0"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role\": \"system\", \"text\": \"VIP customer\", \"respond\": false}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 202) {
                return answer.headers().firstValue("Location").orElseThrow();
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404); // the gateway has not seen the start yet
            assertThat(System.nanoTime()).as("the gateway learned of the session").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static SessionCommand awaitCommand(KafkaConsumer<String, SessionCommand> commands, String room) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, SessionCommand> record : commands.poll(Duration.ofMillis(200))) {
                if (room.equals(record.key())) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("the gateway published no command for " + room);
    }

    private String awaitStatus(int port, String statusUrl, String status) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port).resolve(statusUrl);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(StackTokens.authorized(state, uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"" + status + "\"")) {
                return body;
            }
            Thread.sleep(200);
        }
        return body;
    }

    private void awaitReady(Process service, int port) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            assertThat(service.isAlive()).as("the gateway runs; its log: %s", log("context-gateway")).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("the gateway became ready on the SASL listener").isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    private static Path log(String service) {
        return Path.of("target", "kafka-acl-test").resolve(service + ".log").toAbsolutePath();
    }

    private static Process start(String service, Map<String, String> env) throws Exception {
        Files.createDirectories(log(service).getParent());
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-XX:+UseSerialGC",
                "-jar", ServiceSpec.application(TestStacks.repositoryRoot(), service).toString())
                .redirectErrorStream(true).redirectOutput(log(service).toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
