package dev.switchboard.transcripts.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Sends a record that cannot be stored to its topic's dead-letter twin, with the original key and value bytes and
 * the reason in the same headers SmallRye's dead-letter strategy uses (dead-letter-reason, -topic, -partition,
 * -offset, ...), so one tool can inspect and replay both.
 *
 * <p>Why not nack the record and let the channel's dead-letter-queue strategy do it: the channels consume in
 * batches, and SmallRye applies the failure strategy to a whole batch; one poison record would take every good
 * record of its batch with it.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> transcripts;
    private final MutinyEmitter<byte[]> sessionEvents;
    private final MeterRegistry metrics;

    DeadLetters(@Channel("transcripts-dlq") MutinyEmitter<byte[]> transcripts,
                @Channel("session-events-dlq") MutinyEmitter<byte[]> sessionEvents, MeterRegistry metrics) {
        this.transcripts = transcripts;
        this.sessionEvents = sessionEvents;
        this.metrics = metrics;
    }

    /** The topics this service consumes, each with its own dead-letter twin. */
    public enum Source {
        TRANSCRIPTS,
        SESSION_EVENTS
    }

    /** A record whose value could not be decoded; the deserializer kept its bytes and the reason in the headers. */
    public Uni<Void> undecodable(Source source, KafkaRecord<String, ?> record) {
        String reason = header(record, DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON);
        byte[] value = record.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA) == null
                ? null : record.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA).value();
        String cause = header(record, DeserializationFailureHandler.DESERIALIZATION_FAILURE_CAUSE);
        return send(source, record, () -> value, reason == null ? "the value could not be decoded" : reason, cause, "org.apache.kafka.common.errors.SerializationException");
    }

    /** A record that decoded but cannot be stored; the value is re-encoded (same content, current schema). */
    public Uni<Void> invalid(Source source, KafkaRecord<String, ?> record, Supplier<byte[]> value, Throwable error) {
        return send(source, record, value, error.getMessage(), error.getCause() == null ? null : error.getCause().toString(), error.getClass().getName());
    }

    private Uni<Void> send(Source source, KafkaRecord<String, ?> record, Supplier<byte[]> value, String reason, String cause, String exceptionClass) {
        String topic = record.getTopic();
        int partition = record.getPartition();
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.getHeaders()) {
            if (!header.key().startsWith("deserialization-failure-")) {
                headers.add(header);
            }
        }
        headers.add("dead-letter-reason", utf8(reason));
        if (cause != null) {
            headers.add("dead-letter-cause", utf8(cause));
        }
        headers.add("dead-letter-exception-class-name", utf8(exceptionClass));
        headers.add("dead-letter-topic", utf8(topic));
        headers.add("dead-letter-partition", utf8(Integer.toString(partition)));
        headers.add("dead-letter-offset", utf8(Long.toString(offset)));
        LOG.warnf("dead-lettering %s-%d@%d (room %s): %s", topic, partition, offset, record.getKey(), reason);
        metrics.counter("switchboard.transcripts.ingest.dead-lettered", "topic", topic).increment();
        MutinyEmitter<byte[]> emitter = source == Source.SESSION_EVENTS ? sessionEvents : transcripts;
        byte[] bytes = value.get();
        Message<byte[]> message = Message.of(bytes == null ? new byte[0] : bytes).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.getKey()).withHeaders(headers).build());
        return emitter.sendMessage(message);
    }

    private static String header(KafkaRecord<String, ?> record, String name) {
        Header header = record.getHeaders().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
    }
}
