package dev.switchboard.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Kafka serializer for every Switchboard record: Avro single-object encoding, no schema registry needed; or, with a
 * registry configured ({@link SchemaRegistryMode}), Confluent's wire format with the schema registered there.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final ConcurrentMap<Class<?>, AvroCodec<?>> codecs = new ConcurrentHashMap<>();
    private SchemaRegistryMode registry;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry = SchemaRegistryMode.from(configs).orElse(null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        AvroCodec<T> codec = (AvroCodec<T>) codecs.computeIfAbsent(record.getClass(), type -> AvroCodec.of((Class<T>) type));
        if (registry != null && registry.write()) {
            return codec.encodeFramed(record, registry.idFor(topic, codec.schema()));
        }
        return codec.encode(record);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
