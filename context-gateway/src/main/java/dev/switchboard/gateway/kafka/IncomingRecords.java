package dev.switchboard.gateway.kafka;

import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Where an incoming record came from, and why it could not be decoded. */
final class IncomingRecords {
    private IncomingRecords() {
    }

    static Optional<IncomingKafkaRecordMetadata<?, ?>> metadata(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> (IncomingKafkaRecordMetadata<?, ?>) m);
    }

    static Optional<TopicPartition> partition(Message<?> message) {
        return metadata(message).map(m -> new TopicPartition(m.getTopic(), m.getPartition()));
    }

    static long offset(Message<?> message) {
        return metadata(message).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    /**
     * Why the value could not be decoded; empty for a record that has no value at all (a tombstone). With
     * {@code fail-on-deserialization-failure=false} the connector delivers such records with a null payload and the
     * reason in a header, so the consumer decides: dead-letter it or skip it.
     */
    static Optional<String> deserializationFailure(Message<?> message) {
        return metadata(message)
                .map(m -> m.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON))
                .map(Header::value)
                .map(value -> new String(value, StandardCharsets.UTF_8));
    }
}
