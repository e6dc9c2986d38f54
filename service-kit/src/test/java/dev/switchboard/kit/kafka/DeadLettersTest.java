package dev.switchboard.kit.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a record is judged, and that a replayed unusable one is counted and acknowledged, never skipped silently. */
class DeadLettersTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final DeadLetters deadLetters = new DeadLetters(null, metrics, null, "test-service", new KafkaSenders(Duration.ofSeconds(1)));

    @Test
    void anUndecodableRecordIsToldFromOneWithoutAValue() {
        ConsumerRecord<String, String> undecodable = new ConsumerRecord<>("switchboard.transcripts", 2, 41, "room-1", null);
        undecodable.headers().add(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON,
                "cannot decode TranscriptSegment".getBytes(StandardCharsets.UTF_8));
        assertThat(deadLetters.unusable(message(undecodable, new AtomicBoolean()))).hasValueSatisfying(poison -> {
            assertThat(poison.kind()).isEqualTo(Poison.Kind.UNDECODABLE);
            assertThat(poison.reason()).isEqualTo("cannot decode TranscriptSegment");
        });
        ConsumerRecord<String, String> tombstone = new ConsumerRecord<>("switchboard.transcripts", 2, 42, "room-1", null);
        assertThat(deadLetters.unusable(message(tombstone, new AtomicBoolean()))).hasValueSatisfying(poison -> {
            assertThat(poison.kind()).isEqualTo(Poison.Kind.NO_VALUE);
            assertThat(poison.reason()).contains("no value", "switchboard.transcripts");
        });
    }

    @Test
    void aReplayedUnusableRecordIsCountedAndAcknowledged() {
        AtomicBoolean acked = new AtomicBoolean();
        ConsumerRecord<String, String> tombstone = new ConsumerRecord<>("switchboard.session-events", 0, 7, "room-2", null);
        assertThat(deadLetters.skipIfUnusable(message(tombstone, acked))).isPresent();
        assertThat(acked).isTrue();
        assertThat(metrics.counter("switchboard.kafka.poison.replayed", "topic", "switchboard.session-events", "kind", "no-value").count())
                .isEqualTo(1.0);
    }

    @Test
    void aReplayedRecordTheHandlerFindsInvalidIsCountedAndAcknowledgedNotHandledAgain() {
        AtomicBoolean acked = new AtomicBoolean();
        ConsumerRecord<String, String> record = new ConsumerRecord<>("switchboard.session-events", 0, 9, "room-4", "an event");
        deadLetters.consume(message(record, acked), true, event -> {
            throw new InvalidRecordException("occurredAt is out of range");
        });
        assertThat(acked).isTrue();
        assertThat(metrics.counter("switchboard.kafka.poison.replayed", "topic", "switchboard.session-events", "kind", "invalid").count())
                .isEqualTo(1.0);
    }

    @Test
    void anInstantOutsideFourDigitYearsIsInvalid() {
        assertThat(StorableInstant.of("occurredAt", Instant.parse("2026-12-06T10:00:00Z"))).isNotNull();
        assertThatThrownBy(() -> StorableInstant.of("occurredAt", Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("occurredAt is out of range");
        assertThatThrownBy(() -> StorableInstant.of("decidedAt", null))
                .isInstanceOf(InvalidRecordException.class).hasMessage("decidedAt is missing");
    }

    @Test
    void aUsableRecordIsLeftToTheConsumer() {
        ConsumerRecord<String, String> fine = new ConsumerRecord<>("switchboard.session-events", 0, 8, "room-3", "an event");
        assertThat(deadLetters.unusable(message(fine, new AtomicBoolean()))).isEmpty();
        assertThat(deadLetters.skipIfUnusable(message(fine, new AtomicBoolean()))).isEmpty();
    }

    private static Message<String> message(ConsumerRecord<String, String> record, AtomicBoolean acked) {
        return Message.of(record.value())
                .addMetadata(new IncomingKafkaRecordMetadata<>(record, "test-channel"))
                .withAck(() -> {
                    acked.set(true);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                });
    }
}
