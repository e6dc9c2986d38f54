package dev.switchboard.kit.kafka;

import dev.switchboard.schemas.topics.DeadLetterHeaders;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A dead letter always fits Kafka's limits: a value too large keeps its first bytes, headers too large are left out. */
class DeadLetterCopyTest {

    @Test
    void aSmallRecordIsCopiedWhole() {
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        original.add("deserialization-failure-data", new byte[10]);
        DeadLetterCopy copy = DeadLetterCopy.of("poison".getBytes(StandardCharsets.UTF_8), original);
        assertThat(copy.value()).asString(StandardCharsets.UTF_8).isEqualTo("poison");
        assertThat(copy.headers().toArray()).extracting(h -> h.key()).containsExactly("traceparent");
    }

    @Test
    void aValueThatWouldNotFitKeepsItsFirstBytesAndSaysHowLongItWas() {
        byte[] value = new byte[1_040_000];
        value[0] = 'G';
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", new byte[55]);
        DeadLetterCopy copy = DeadLetterCopy.of(value, original);
        assertThat(copy.value()).hasSize(DeadLetterCopy.LARGEST_COPY - "traceparent".length() - 55).startsWith((byte) 'G');
        assertThat(new String(copy.headers().lastHeader(DeadLetterHeaders.VALUE_TRUNCATED).value(), StandardCharsets.UTF_8)).isEqualTo("1040000");
        assertThat(copy.headers().lastHeader("traceparent")).isNotNull();
    }

    @Test
    void headersTooLargeToCopyAreLeftOutAndCounted() {
        RecordHeaders original = new RecordHeaders();
        for (int i = 0; i < 3; i++) {
            original.add("h" + i, new byte[30_000]);
        }
        DeadLetterCopy copy = DeadLetterCopy.of(new byte[10], original);
        assertThat(copy.value()).hasSize(10);
        assertThat(copy.headers().toArray()).extracting(h -> h.key()).containsExactly(DeadLetterHeaders.HEADERS_DROPPED);
        assertThat(new String(copy.headers().lastHeader(DeadLetterHeaders.HEADERS_DROPPED).value(), StandardCharsets.UTF_8))
                .isEqualTo("3 headers of 90006 bytes");
    }

    @Test
    void aTombstoneStaysOne() {
        assertThat(DeadLetterCopy.of(null, new RecordHeaders()).value()).isNull();
    }
}
