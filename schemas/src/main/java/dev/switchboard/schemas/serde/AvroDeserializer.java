package dev.switchboard.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Kafka deserializer for one Switchboard record type. Reads records written with the current schema or any
 * released one; with a schema registry configured ({@link SchemaRegistryMode}) also records in Confluent's wire format,
 * their writer schema fetched from the registry by its id. Anything else fails with a {@link SerializationException}
 * that names the cause, which the consumers route to the topic's dead-letter twin.
 */
public abstract class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private final AvroCodec<T> codec;
    private SchemaRegistryMode registry;

    protected AvroDeserializer(Class<T> type) {
        this.type = type;
        this.codec = AvroCodec.of(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry = SchemaRegistryMode.from(configs).orElse(null);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (!SchemaRegistryMode.isFramed(data)) {
            return codec.decode(data);
        }
        if (registry == null) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": it is in a schema registry's framing"
                    + " (magic byte 0), and no registry is configured (SWITCHBOARD_SCHEMA_REGISTRY_URL)");
        }
        int schemaId = ByteBuffer.wrap(data, 1, 4).getInt();
        Schema writer;
        try {
            writer = registry.schema(schemaId);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": schema " + schemaId
                    + " could not be read from the registry: " + e.getMessage(), e);
        }
        if (!writer.getFullName().equals(codec.schema().getFullName())) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": the registry's schema " + schemaId
                    + " is " + writer.getFullName());
        }
        return codec.decodeFramed(data, writer);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
