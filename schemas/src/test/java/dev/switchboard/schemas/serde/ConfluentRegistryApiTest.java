package dev.switchboard.schemas.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.events.CommandResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes over the wire to a registry spoken to with Confluent's API, where the real registry of the other tests
 * cannot show it: basic authentication (Apicurio's in-memory build has none) and a refusal's answer. The registry here
 * answers as Confluent's does, with the status codes and error bodies of its API.
 */
class ConfluentRegistryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"id\": 42}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(Map.of("method", exchange.getRequestMethod(), "path", exchange.getRequestURI().getRawPath(),
                "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                "contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/registry/";
    }

    @Test
    void registersTheSchemaUnderTheSubjectWithTheCredentialsGiven() throws Exception {
        try (var api = new ConfluentRegistryApi(url(), Map.of(ConfluentRegistryApi.USER_INFO, "key-id:s3cret"))) {
            assertThat(api.register("switchboard.command-results-value", CommandResult.getClassSchema())).isEqualTo(42);
        }
        Map<String, String> request = requests.getFirst();
        assertThat(request).containsEntry("method", "POST").containsEntry("path", "/registry/subjects/switchboard.command-results-value/versions")
                .containsEntry("contentType", "application/vnd.schemaregistry.v1+json")
                .containsEntry("authorization", "Basic a2V5LWlkOnMzY3JldA==");
        assertThat(JSON.readTree(request.get("body")).get("schema").asText()).isEqualTo(CommandResult.getClassSchema().toString());
    }

    @Test
    void withoutCredentialsNoAuthorizationIsSent() {
        answer = "{\"schema\": " + JSON.valueToTree(CommandResult.getClassSchema().toString()) + "}";
        try (var api = new ConfluentRegistryApi(url(), Map.of())) {
            assertThat(api.schema(7)).isEqualTo(CommandResult.getClassSchema());
        }
        assertThat(requests.getFirst()).containsEntry("method", "GET").containsEntry("path", "/registry/schemas/ids/7")
                .containsEntry("authorization", "null");
    }

    @Test
    void aRefusalIsFinalAndQuotesTheRegistry() {
        status = 409;
        answer = "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible with an earlier schema\"}";
        try (var mode = SchemaRegistryMode.from(Map.of(SchemaRegistryMode.URL, url())).orElseThrow()) {
            assertThatThrownBy(() -> mode.idFor("switchboard.audit", CommandResult.getClassSchema()))
                    .isInstanceOf(RegistryApi.Refused.class)
                    .hasMessageContaining("HTTP 409").hasMessageContaining("incompatible with an earlier schema");
        }
        assertThat(requests).as("asked once: a refusal is not retried").hasSize(1);
    }
}
