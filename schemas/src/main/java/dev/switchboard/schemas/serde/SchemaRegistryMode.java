package dev.switchboard.schemas.serde;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.v2.beans.ArtifactMetaData;
import io.apicurio.registry.rest.v2.beans.IfExists;
import org.apache.avro.Schema;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The optional schema-registry mode of the serializers, read from the Kafka client's configuration. With {@value #URL}
 * set (Apicurio Registry's v2 API), records are written in Confluent's wire format: the magic byte 0, the schema's
 * 4-byte id (big-endian), the Avro body. The schema is registered under the subject {@code <topic>-value} in the default
 * group, or found there if it already is; the id is its content id, which is what the registry's Confluent-compatible
 * API serves as the schema id, so Confluent's own deserializers read these records too. Readers read both encodings.
 * {@value #WRITE}{@code =false} keeps writing Avro's single-object encoding while reading both: how a fleet moves over
 * without a flag day (every reader first, then the writers).
 *
 * <p>Why not Apicurio's Kafka serde: Quarkus refuses to build an application that carries its deserializer class
 * without its own Apicurio extension, which speaks only Apicurio 3's API. So the registry is reached through Apicurio's
 * REST client (its other {@code apicurio.*} settings, e.g. request headers and TLS, pass through), and the framing,
 * five bytes, is written here. Ids and schemas are cached: the registry is asked once per schema, not per record.
 */
final class SchemaRegistryMode implements AutoCloseable {
    /** The registry's v2 API, e.g. {@code http://registry:8080/apis/registry/v2}. */
    static final String URL = "apicurio.registry.url";
    /** Whether writers use the registry's framing (the default once a URL is set) or keep the single-object encoding. */
    static final String WRITE = "switchboard.schema-registry.write";
    static final byte MAGIC = 0;
    static final int HEADER_LENGTH = 5;
    private static final int ATTEMPTS = 4;

    private final RegistryClient client;
    private final boolean write;
    private final ConcurrentMap<TopicSchema, Integer> idsByTopicAndSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private SchemaRegistryMode(RegistryClient client, boolean write) {
        this.client = client;
        this.write = write;
    }

    static Optional<SchemaRegistryMode> from(Map<String, ?> configs) {
        Object url = configs.get(URL);
        if (url == null || url.toString().isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> clientConfig = new HashMap<>();
        configs.forEach((key, value) -> {
            if (key.startsWith("apicurio.")) {
                clientConfig.put(key, value);
            }
        });
        Object write = configs.get(WRITE);
        return Optional.of(new SchemaRegistryMode(RegistryClientFactory.create(url.toString().trim(), clientConfig),
                write == null || !"false".equalsIgnoreCase(write.toString().trim())));
    }

    boolean write() {
        return write;
    }

    /** The id of this schema under the topic's subject, registering it there the first time. */
    int idFor(String topic, Schema schema) {
        // Looked up for every record: the key is the topic and the schema object, nothing rendered per record.
        return idsByTopicAndSchema.computeIfAbsent(new TopicSchema(topic, schema), key -> retried(() -> {
            ArtifactMetaData registered = client.createArtifact(null, topic + "-value", null, "AVRO", IfExists.RETURN_OR_UPDATE, true,
                    new ByteArrayInputStream(schema.toString().getBytes(StandardCharsets.UTF_8)));
            return Math.toIntExact(registered.getContentId());
        }));
    }

    private record TopicSchema(String topic, Schema schema) {
    }

    /** The writer schema with this id. */
    Schema schema(int id) {
        return schemasById.computeIfAbsent(id, key -> retried(() -> {
            try (InputStream content = client.getContentById(key)) {
                return new Schema.Parser().parse(new String(content.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /**
     * A registry answers some requests with a transient failure (several services registering their schemas at the
     * same moment at start, a restart): ask again a few times, 0.1 to 0.4 s apart, before the record fails. It is
     * once per schema, so a record never waits on the registry after that.
     */
    private static <T> T retried(Supplier<T> request) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return request.get();
            } catch (RuntimeException e) {
                last = e;
                if (attempt == ATTEMPTS - 1) {
                    break;
                }
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    /** A registry serializer's framing: the magic byte 0 (Avro's single-object encoding starts with C3 01). */
    static boolean isFramed(byte[] data) {
        return data.length >= HEADER_LENGTH && data[0] == MAGIC;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
