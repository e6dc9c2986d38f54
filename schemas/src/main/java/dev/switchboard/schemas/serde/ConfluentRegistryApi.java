package dev.switchboard.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Confluent's Schema Registry REST API, the one most registries speak (Confluent Schema Registry, Apicurio Registry's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda): {@code POST /subjects/<subject>/versions} registers a schema or
 * returns the id it already has, {@code GET /schemas/ids/<id>} gives it back. Two requests, so the JDK's HTTP client
 * does it: Confluent's own client is not on Maven Central. Basic authentication as Confluent's serializers take it
 * ({@value #USER_INFO} {@code user:password}, e.g. a Confluent Cloud API key and secret); TLS from the JVM's trust store.
 */
final class ConfluentRegistryApi implements RegistryApi {
    /** Confluent's serializer setting for the registry's basic-auth credentials, {@code user:password}. */
    static final String USER_INFO = "basic.auth.user.info";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final Optional<String> authorization;
    private final HttpClient http;

    ConfluentRegistryApi(String url, Map<String, ?> configs) {
        this.url = url.replaceAll("/+$", "");
        Object userInfo = configs.get(USER_INFO);
        this.authorization = userInfo == null || userInfo.toString().isBlank() ? Optional.empty()
                : Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.toString().trim().getBytes(StandardCharsets.UTF_8)));
        // HTTP/1.1: registries serve it everywhere, and the client then skips the h2c upgrade round on plain HTTP.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        JsonNode answer = send(request("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions")
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)), "registering the schema under " + subject);
        return field(answer, "id", "registering the schema under " + subject).asInt();
    }

    @Override
    public Schema schema(int id) {
        JsonNode answer = send(request("/schemas/ids/" + id).GET(), "reading schema " + id);
        return new Schema.Parser().parse(field(answer, "schema", "reading schema " + id).asText());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(what + " at " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " at " + url + " was interrupted", e);
        }
        String problem = what + " at " + url + ": HTTP " + response.statusCode() + " " + response.body().strip();
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
            throw new Refused(problem); // e.g. 409 an incompatible schema, 404 no such id, 401 wrong credentials
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(problem);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " at " + url + ": not JSON: " + response.body(), e);
        }
    }

    private static JsonNode field(JsonNode answer, String name, String what) {
        JsonNode value = answer.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalStateException(what + ": the registry's answer has no " + name + ": " + answer);
        }
        return value;
    }

    @Override
    public void close() {
        http.close();
    }
}
