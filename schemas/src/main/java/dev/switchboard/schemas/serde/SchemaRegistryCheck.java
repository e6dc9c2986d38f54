package dev.switchboard.schemas.serde;

import org.apache.avro.specific.SpecificRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a service can ask of its schema registry before the first record needs it: register (or find) the schema of
 * every topic it writes, as its serializers would on their first record. A registry that is unreachable, refuses the
 * credentials or refuses a schema (an incompatible one under the subject) is then known at start, with the registry's
 * own answer, instead of surfacing as the first command's failure.
 */
public final class SchemaRegistryCheck implements AutoCloseable {
    private final SchemaRegistryMode registry;
    private final String url;

    private SchemaRegistryCheck(SchemaRegistryMode registry, String url) {
        this.registry = registry;
        this.url = url;
    }

    /** A check of the registry these Kafka client settings name; empty when they name none (the registry mode is off). */
    public static Optional<SchemaRegistryCheck> from(Map<String, ?> kafkaConfig) {
        return SchemaRegistryMode.from(kafkaConfig).map(mode -> new SchemaRegistryCheck(mode, SchemaRegistryMode.url(kafkaConfig)));
    }

    /** The registry's URL, as configured. */
    public String url() {
        return url;
    }

    /**
     * Whether the services write Confluent's framing (and so register schemas); with
     * {@code switchboard.schema-registry.write=false} they only read it, fetching writer schemas by id when they meet them.
     */
    public boolean writes() {
        return registry.write();
    }

    /**
     * Registers the schema each topic is written with under the topic's subject ({@code <topic>-value}), or finds it
     * there; nothing when the services do not write the framing.
     *
     * @param valueTypes the record written to each topic, by topic name
     * @return the schema id by subject
     * @throws RuntimeException the registry's answer when it is unreachable or refuses a schema
     */
    public Map<String, Integer> registerWriterSchemas(Map<String, Class<? extends SpecificRecord>> valueTypes) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        if (!registry.write()) {
            return ids;
        }
        valueTypes.forEach((topic, type) -> ids.put(topic + "-value", registry.idFor(topic, AvroCodec.of(type).schema())));
        return ids;
    }

    @Override
    public void close() {
        registry.close();
    }
}
