package dev.switchboard.controller;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.kit.health.SchemaRegistryReadiness;
import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.SharedInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a schema registry configured, the controller is not ready while the registry does not answer, says which
 * registry and why, and becomes ready once the registry answers and holds the schemas of the topics it writes.
 * The registry here is a test double speaking Confluent's REST API (the real one, Apicurio, is tested in registry
 * mode end to end), so the test chooses when it starts answering.
 */
@QuarkusTest
@TestProfile(SchemaRegistryReadinessTest.RegistryNotThereYet.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class SchemaRegistryReadinessTest {
    private static final int REGISTRY_PORT = freePort();

    /**
     * Topics of this test's own, read and written: the records the controller writes here carry the test double's
     * schema ids, which no other test's readers must meet.
     */
    private static final String TOPIC_PREFIX = "registry-readiness-test.";

    public static class RegistryNotThereYet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("kafka.switchboard.schema-registry.url", "http://127.0.0.1:" + REGISTRY_PORT);
            for (Topic topic : Topic.values()) {
                overrides.put(topic.configKey(), TOPIC_PREFIX + topic.id());
            }
            createTopics(overrides.entrySet().stream().filter(e -> e.getKey().startsWith("switchboard.topics.")).map(Map.Entry::getValue).toList());
            return overrides;
        }

        /** Made before the controller starts, so its consumers and admin find them. */
        private static void createTopics(List<String> names) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
                for (String name : names) {
                    try {
                        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("creating " + name, e);
                        }
                    }
                }
            } catch (InterruptedException | TimeoutException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void notReadyUntilTheRegistryAnswersThenReadyWithTheSchemasOfWhatTheServiceWrites() throws Exception {
        JsonPath down = readiness(503);
        assertThat(down.getString("status")).isEqualTo("DOWN");
        Map<String, Object> check = registryCheck(down);
        assertThat(check.get("status")).isEqualTo("DOWN");
        assertThat(check.get("data").toString()).contains("127.0.0.1:" + REGISTRY_PORT, "failed");

        Set<String> subjects = ConcurrentHashMap.newKeySet();
        AtomicInteger ids = new AtomicInteger();
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), REGISTRY_PORT), 0);
        registry.createContext("/subjects/", exchange -> {
            // POST /subjects/<subject>/versions {"schema": "..."} -> {"id": n}, as Confluent's API answers
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            subjects.add(path.substring("/subjects/".length(), path.lastIndexOf("/versions")));
            byte[] body = ("{\"id\":" + ids.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!"UP".equals(registryCheck(readiness(-1)).get("status")) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            Map<String, Object> up = registryCheck(readiness(-1));
            assertThat(up.get("status")).as(up.toString()).isEqualTo("UP");

            List<String> written = Party.CALL_CONTROLLER.writes().stream().filter(t -> t.valueType().isPresent())
                    .map(t -> TOPIC_PREFIX + t.id() + "-value").sorted().toList();
            assertThat(written).isNotEmpty();
            assertThat(subjects).containsExactlyInAnyOrderElementsOf(written);
        } finally {
            registry.stop(0);
        }
    }

    /** The readiness document; {@code expectedStatus} -1 takes whatever status it has. */
    private static JsonPath readiness(int expectedStatus) {
        var response = RestAssured.get("/q/health/ready");
        if (expectedStatus > 0) {
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(expectedStatus);
        }
        return response.jsonPath();
    }

    private static Map<String, Object> registryCheck(JsonPath readiness) {
        List<Map<String, Object>> checks = readiness.getList("checks");
        return checks.stream().filter(c -> SchemaRegistryReadiness.NAME.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no schema registry check in " + readiness.prettify()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
