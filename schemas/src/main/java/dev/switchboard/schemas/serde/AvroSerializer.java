package dev.switchboard.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Kafka serializer for every Switchboard record: Avro single-object encoding, no schema registry needed. */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final ConcurrentMap<Class<?>, AvroCodec<?>> codecs = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        AvroCodec<T> codec = (AvroCodec<T>) codecs.computeIfAbsent(record.getClass(), type -> AvroCodec.of((Class<T>) type));
        return codec.encode(record);
    }
}
