package dev.switchboard.kit.kafka;

import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Where an incoming record came from, and why its value could not be decoded. */
public final class IncomingRecords {
    private IncomingRecords() {
    }

    public static Optional<IncomingKafkaRecordMetadata<?, ?>> metadata(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> (IncomingKafkaRecordMetadata<?, ?>) m);
    }

    public static Optional<TopicPartition> partition(Message<?> message) {
        return metadata(message).map(m -> new TopicPartition(m.getTopic(), m.getPartition()));
    }

    public static long offset(Message<?> message) {
        return metadata(message).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    /**
     * Why the value could not be decoded; empty for a record that was decoded or has no value at all (a tombstone).
     * With {@code fail-on-deserialization-failure=false} the connector delivers such records with a null payload and
     * the reason and original bytes in headers, so the consumer decides what to do with them.
     */
    public static Optional<String> deserializationFailure(Message<?> message) {
        return header(message, DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON)
                .map(value -> new String(value, StandardCharsets.UTF_8));
    }

    static Optional<byte[]> header(Message<?> message, String name) {
        return metadata(message)
                .map(m -> m.getHeaders().lastHeader(name))
                .map(Header::value);
    }
}
