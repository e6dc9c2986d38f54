package dev.switchboard.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for one Switchboard record type. Reads records written with the current schema or any
 * released one; anything else fails with a {@link org.apache.kafka.common.errors.SerializationException}
 * that names the cause, which the consumers route to the topic's dead-letter twin.
 */
public abstract class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final AvroCodec<T> codec;

    protected AvroDeserializer(Class<T> type) {
        this.codec = AvroCodec.of(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }
}
