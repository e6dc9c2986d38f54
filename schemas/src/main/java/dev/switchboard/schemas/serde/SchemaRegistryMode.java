package dev.switchboard.schemas.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The optional schema-registry mode of the serializers, read from the Kafka client's configuration. With a registry
 * URL set, records are written in Confluent's wire format: the magic byte 0, the schema's 4-byte id (big-endian), the
 * Avro body. The schema is registered under the subject {@code <topic>-value}, or found there if it already is, and
 * readers fetch writer schemas by id; readers read both encodings. {@value #WRITE}{@code =false} keeps writing Avro's
 * single-object encoding while reading both: how a fleet moves over without a flag day (every reader first, then the
 * writers).
 *
 * <p>The registry is reached in one of two dialects ({@link RegistryApi}): Confluent's REST API, which most registries
 * serve (Confluent's own, Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda), or Apicurio Registry's v2 API.
 * {@value #URL} names the registry, {@value #API} the dialect: {@code confluent}, {@code apicurio}, or unset to tell by
 * the URL (Apicurio's v2 API lives under {@code /apis/registry/v2}). Confluent's own setting {@value #CONFLUENT_URL} and
 * Apicurio's {@value #APICURIO_URL} work as well, each for its dialect.
 *
 * <p>Why not Confluent's or Apicurio's Kafka serde: Confluent's is not on Maven Central, and Quarkus refuses to build an
 * application that carries Apicurio's deserializer class without its own Apicurio extension, which speaks only
 * Apicurio 3's API. So the framing, five bytes, is written here. Ids and schemas are cached: the registry is asked
 * once per schema, not per record.
 */
final class SchemaRegistryMode implements AutoCloseable {
    /** The registry's URL, in the dialect {@value #API} says. */
    static final String URL = "switchboard.schema-registry.url";
    /** {@code confluent} or {@code apicurio}; unset: Apicurio's when the URL ends with {@code /apis/registry/v2}, else Confluent's. */
    static final String API = "switchboard.schema-registry.api";
    /** Confluent's serializers' setting: a registry spoken to with Confluent's API. */
    static final String CONFLUENT_URL = "schema.registry.url";
    /** Apicurio's serializers' setting: a registry spoken to with Apicurio's v2 API, e.g. {@code http://registry:8080/apis/registry/v2}. */
    static final String APICURIO_URL = "apicurio.registry.url";
    /** Whether writers use the registry's framing (the default once a URL is set) or keep the single-object encoding. */
    static final String WRITE = "switchboard.schema-registry.write";
    static final byte MAGIC = 0;
    static final int HEADER_LENGTH = 5;
    private static final String APICURIO_V2_PATH = "/apis/registry/v2";
    private static final int ATTEMPTS = 4;

    private final RegistryApi registry;
    private final boolean write;
    private final ConcurrentMap<TopicSchema, Integer> idsByTopicAndSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private SchemaRegistryMode(RegistryApi registry, boolean write) {
        this.registry = registry;
        this.write = write;
    }

    static Optional<SchemaRegistryMode> from(Map<String, ?> configs) {
        Optional<RegistryApi> registry = text(configs, URL).map(url -> api(url, text(configs, API).orElse(""), configs))
                .or(() -> text(configs, CONFLUENT_URL).map(url -> new ConfluentRegistryApi(url, configs)))
                .or(() -> text(configs, APICURIO_URL).map(url -> apicurio(url, configs)));
        boolean write = text(configs, WRITE).map(value -> !"false".equalsIgnoreCase(value)).orElse(true);
        return registry.map(api -> new SchemaRegistryMode(api, write));
    }

    /** The registry's URL the settings name (the first of {@value #URL}, {@value #CONFLUENT_URL}, {@value #APICURIO_URL}); empty when none. */
    static String url(Map<String, ?> configs) {
        return text(configs, URL).or(() -> text(configs, CONFLUENT_URL)).or(() -> text(configs, APICURIO_URL)).orElse("");
    }

    private static RegistryApi api(String url, String dialect, Map<String, ?> configs) {
        return switch (dialect.toLowerCase(Locale.ROOT)) {
            case "confluent" -> new ConfluentRegistryApi(url, configs);
            case "apicurio" -> apicurio(url, configs);
            case "" -> url.replaceAll("/+$", "").endsWith(APICURIO_V2_PATH) ? apicurio(url, configs) : new ConfluentRegistryApi(url, configs);
            default -> throw new ConfigException(API, dialect, "the schema registry's API is confluent or apicurio "
                    + "(SWITCHBOARD_SCHEMA_REGISTRY_API; unset, it is told by the URL)");
        };
    }

    private static RegistryApi apicurio(String url, Map<String, ?> configs) {
        Map<String, Object> clientConfig = new HashMap<>();
        configs.forEach((key, value) -> {
            if (key.startsWith("apicurio.")) {
                clientConfig.put(key, value);
            }
        });
        return new ApicurioRegistryApi(url, clientConfig);
    }

    private static Optional<String> text(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().trim());
    }


    boolean write() {
        return write;
    }

    /** The id of this schema under the topic's subject, registering it there the first time. */
    int idFor(String topic, Schema schema) {
        // Looked up for every record: the key is the topic and the schema object, nothing rendered per record.
        return idsByTopicAndSchema.computeIfAbsent(new TopicSchema(topic, schema), key -> retried(() -> registry.register(topic + "-value", schema)));
    }

    private record TopicSchema(String topic, Schema schema) {
    }

    /** The writer schema with this id. */
    Schema schema(int id) {
        return schemasById.computeIfAbsent(id, key -> retried(() -> registry.schema(key)));
    }

    /**
     * A registry answers some requests with a transient failure (several services registering their schemas at the
     * same moment at start, a restart): ask again a few times, 0.1 to 0.4 s apart, before the record fails. It is
     * once per schema, so a record never waits on the registry after that. A refusal (4xx) is final at once.
     */
    private static <T> T retried(Supplier<T> request) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return request.get();
            } catch (RegistryApi.Refused e) {
                throw e;
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
        registry.close();
    }
}
