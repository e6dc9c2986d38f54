package dev.switchboard.kit.kafka;

import dev.switchboard.kit.concurrent.AsyncFailures;
import dev.switchboard.kit.logging.LogText;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.topics.DeadLetterHeaders;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one place every service sends poison records: to the topic's dead-letter twin ({@code <topic>.dlq}; a worker's
 * own command topic's go to {@code switchboard.session-commands.dlq}, see {@link WorkerCommandTopics}), with the
 * original key and value bytes and headers that explain the record without anything else:
 * {@value DeadLetterHeaders#SERVICE}, {@value DeadLetterHeaders#CONSUMER_GROUP}, {@value DeadLetterHeaders#TOPIC},
 * {@value DeadLetterHeaders#PARTITION}, {@value DeadLetterHeaders#OFFSET}, {@value DeadLetterHeaders#KIND} and
 * {@value DeadLetterHeaders#REASON} (plus the cause and exception class when there are). Fan-out topics are read by
 * several services, so each names itself and its group: copies of one poison record are told apart.
 *
 * <p>A record with a null value is never skipped silently: undecodable or without a value (a tombstone), it is
 * dead-lettered and counted ({@code switchboard_kafka_dead_letters_total{topic,kind}}). Consumers that replay their
 * topic from the beginning at every start count what they read again instead
 * ({@code switchboard_kafka_poison_replayed_total}), so the dead-letter topic does not get a copy per restart.
 *
 * <p>Explicit rather than SmallRye's nack-based dead-letter strategy: batch consumers cannot nack one record of a
 * batch, and the headers here are the same for every consumer style.
 */
@ApplicationScoped
public class DeadLetters {
    public static final String CHANNEL = "switchboard-dead-letters";
    public static final String SUFFIX = ".dlq";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int LONGEST_HEADER = 4_000;

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry metrics;
    private final Config config;
    private final String service;
    private final Duration timeout;
    private final AvroSerializer<SpecificRecord> encoder = new AvroSerializer<>();

    DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, MeterRegistry metrics, Config config,
                @ConfigProperty(name = "quarkus.application.name") String service, KafkaSenders senders) {
        this.emitter = emitter;
        this.metrics = metrics;
        this.config = config;
        this.service = service;
        this.timeout = senders.timeout();
    }

    /** What is wrong with a record whose payload is null: undecodable, or no value at all; empty when it is usable. */
    public Optional<Poison> unusable(Message<?> message) {
        if (message.getPayload() != null) {
            return Optional.empty();
        }
        Optional<String> failure = IncomingRecords.deserializationFailure(message);
        if (failure.isPresent()) {
            String cause = IncomingRecords.header(message, DeserializationFailureHandler.DESERIALIZATION_FAILURE_CAUSE)
                    .map(value -> new String(value, StandardCharsets.UTF_8)).orElse(null);
            return Optional.of(Poison.undecodable(failure.get(), cause));
        }
        return Optional.of(Poison.noValue(IncomingRecords.metadata(message).map(IncomingKafkaRecordMetadata::getTopic).orElse("the topic")));
    }

    /**
     * The usual way to consume a record: a usable one goes to the handler and is acknowledged; one that is unusable,
     * that the handler finds invalid ({@link InvalidRecordException}), or that the handler throws on otherwise (logged
     * at ERROR: a bug, or a record nobody foresaw), is dead-lettered.
     */
    public <T> CompletionStage<Void> consume(Message<T> message, Consumer<T> handler) {
        return consume(message, false, handler);
    }

    /**
     * The same, for a consumer that reads its topic again at every start: when {@code readBefore} (the record was in
     * the topic when this consumer started), an unusable or invalid record was dead-lettered when it arrived, so it is counted
     * and acknowledged instead of being dead-lettered once more per restart.
     */
    public <T> CompletionStage<Void> consume(Message<T> message, boolean readBefore, Consumer<T> handler) {
        Optional<CompletionStage<Void>> unusable = readBefore ? skipIfUnusable(message) : rejectIfUnusable(message);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        try {
            handler.accept(message.getPayload());
        } catch (InvalidRecordException e) {
            return readBefore ? skip(message, Poison.invalid(e)) : reject(message, Poison.invalid(e));
        } catch (RuntimeException e) {
            return handlerFailed(message, e);
        }
        return message.ack();
    }

    /**
     * As {@link #consume(Message, Consumer)}, for a handler that finishes later: the record is acknowledged when the
     * handler's stage completes, and dead-lettered when the handler throws or its stage fails.
     */
    public <T> CompletionStage<Void> consumeAsync(Message<T> message, Function<T, CompletionStage<Void>> handler) {
        Optional<CompletionStage<Void>> unusable = rejectIfUnusable(message);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        CompletionStage<Void> handled;
        try {
            handled = handler.apply(message.getPayload());
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        return handled.handle((ignored, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                return message.ack();
            }
            return handlerFailed(message, AsyncFailures.cause(failure));
        });
    }

    /**
     * A handler that threw: a record it found invalid is dead-lettered as such (the dead-letter warning says why);
     * anything else is a bug, or a record nobody foresaw: logged at ERROR and dead-lettered.
     */
    private CompletionStage<Void> handlerFailed(Message<?> message, Throwable error) {
        if (error instanceof InvalidRecordException invalid) {
            return reject(message, Poison.invalid(invalid));
        }
        LOG.errorf(error, "cannot handle the record at %s offset %d", IncomingRecords.partition(message).orElse(null),
                IncomingRecords.offset(message));
        return reject(message, Poison.failed(error));
    }

    /** Dead-letters and acknowledges a record whose payload is null; empty when the payload is usable. */
    public Optional<CompletionStage<Void>> rejectIfUnusable(Message<?> message) {
        return unusable(message).map(poison -> reject(message, poison));
    }

    /**
     * For a consumer that replays its topic from the beginning at every start, a record that was already in the
     * topic when it started: an unusable one is counted and acknowledged, not dead-lettered once more per restart.
     * Empty when the payload is usable.
     */
    public Optional<CompletionStage<Void>> skipIfUnusable(Message<?> message) {
        return unusable(message).map(poison -> skip(message, poison));
    }

    /** Counts and acknowledges a replayed poison record (dead-lettered when it arrived). */
    private CompletionStage<Void> skip(Message<?> message, Poison poison) {
        var metadata = IncomingRecords.metadata(message);
        String topic = metadata.map(IncomingKafkaRecordMetadata::getTopic).orElse("unknown");
        metrics.counter("switchboard.kafka.poison.replayed", "topic", topic, "kind", poison.kind().label()).increment();
        LOG.debugf("replayed %s record %s-%d@%d skipped (dead-lettered when it arrived): %s", poison.kind().label(), topic,
                metadata.map(IncomingKafkaRecordMetadata::getPartition).orElse(-1), IncomingRecords.offset(message), poison.reason());
        return message.ack();
    }

    /** Dead-letters a record and acknowledges it; if the dead-letter topic cannot take it, the record is nacked. */
    public CompletionStage<Void> reject(Message<?> message, Poison poison) {
        return send(message, poison)
                .onItemOrFailure().transformToUni((sent, failure) -> Uni.createFrom().completionStage(
                        failure == null ? message.ack() : message.nack(failure)))
                .subscribeAsCompletionStage();
    }

    /** Sends one record to its topic's dead-letter twin, completing when the broker has it; the caller acknowledges. */
    public Uni<Void> send(Message<?> record, Poison poison) {
        IncomingKafkaRecordMetadata<?, ?> incoming = IncomingRecords.metadata(record)
                .orElseThrow(() -> new IllegalArgumentException("not a record read from Kafka"));
        String topic = incoming.getTopic();
        return letter(new Origin(topic, incoming.getPartition(), incoming.getOffset(), incoming.getKey(), incoming.getHeaders(),
                groupOf(incoming.getChannel())), value(record, poison, topic), poison);
    }

    /**
     * Sends a record read by a plain Kafka consumer (no channel, no group) to its topic's dead-letter twin, with its
     * original bytes; {@code reader} stands in the consumer-group header, saying which part of the service read it.
     */
    public Uni<Void> send(ConsumerRecord<?, byte[]> record, String reader, Poison poison) {
        return letter(new Origin(record.topic(), record.partition(), record.offset(), record.key(), record.headers(), reader),
                record.value(), poison);
    }

    /** Where a poison record was read. */
    private record Origin(String topic, int partition, long offset, Object key, Iterable<Header> headers, String group) {
    }

    private Uni<Void> letter(Origin origin, byte[] value, Poison poison) {
        String topic = origin.topic();
        DeadLetterCopy copy = DeadLetterCopy.of(value, origin.headers());
        RecordHeaders headers = copy.headers();
        add(headers, DeadLetterHeaders.SERVICE, service);
        add(headers, DeadLetterHeaders.CONSUMER_GROUP, origin.group());
        add(headers, DeadLetterHeaders.TOPIC, topic);
        add(headers, DeadLetterHeaders.PARTITION, Integer.toString(origin.partition()));
        add(headers, DeadLetterHeaders.OFFSET, Long.toString(origin.offset()));
        add(headers, DeadLetterHeaders.KIND, poison.kind().label());
        add(headers, DeadLetterHeaders.REASON, poison.reason());
        add(headers, DeadLetterHeaders.CAUSE, poison.cause());
        add(headers, DeadLetterHeaders.EXCEPTION_CLASS, poison.exceptionClass());
        Object key = origin.key();
        // The key and the reason come from whoever wrote the record: shown escaped, never as raw lines of the log.
        LOG.warnf("dead-lettering %s record %s-%d@%d (key %s): %s", poison.kind().label(), topic, origin.partition(),
                origin.offset(), LogText.of(key), LogText.of(poison.reason()));
        metrics.counter("switchboard.kafka.dead-letters", "topic", topic, "kind", poison.kind().label()).increment();
        Message<byte[]> letter = Message.of(copy.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(WorkerCommandTopics.deadLetterTopicOf(topic))
                .withKey(key == null ? null : key.toString())
                .withHeaders(headers)
                .build());
        return emitter.sendMessage(letter)
                .ifNoItem().after(timeout)
                .failWith(() -> new TimeoutException("Kafka did not take the dead letter for " + topic + " within " + timeout.toMillis() + " ms"));
    }

    /** The original bytes: kept by the deserializer when they could not be decoded, else the decoded record again. */
    private byte[] value(Message<?> record, Poison poison, String topic) {
        Optional<byte[]> original = IncomingRecords.header(record, DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA);
        if (original.isPresent()) {
            return original.get();
        }
        if (record.getPayload() instanceof SpecificRecord decoded) {
            return encoder.serialize(topic, decoded);
        }
        return null;
    }

    private String groupOf(String channel) {
        if (channel == null) {
            return "unknown";
        }
        return config.getOptionalValue("mp.messaging.incoming." + channel + ".group.id", String.class)
                .or(() -> config.getOptionalValue("kafka.group.id", String.class))
                .orElse("unknown");
    }

    private static void add(RecordHeaders headers, String name, String value) {
        if (value != null) {
            // A reason quotes what it could not read, which a hostile record can make as long as it likes.
            String bounded = value.length() > LONGEST_HEADER ? value.substring(0, LONGEST_HEADER) + "…" : value;
            headers.add(name, bounded.getBytes(StandardCharsets.UTF_8));
        }
    }
}
