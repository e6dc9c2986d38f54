package dev.switchboard.kit.kafka;

import dev.switchboard.schemas.topics.DeadLetterHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What of a poison record its dead letter can carry. A record just under the broker's limit (about 1 MB) fits its own
 * topic but not the dead-letter topic once the dead-letter headers are added beside it: the producer would refuse it,
 * the record would be neither handled nor dead-lettered, and the consumer would stop. So a copy that would not fit keeps
 * the first bytes of the value and says how long the original was; the original stays in its topic at the offset the
 * headers name, for as long as that topic keeps it. The original headers are copied when they are small; large ones
 * (only a hostile or broken producer sends them) are left out, and the dead letter says how many there were.
 */
final class DeadLetterCopy {
    /** The value and the original headers together: under Kafka's default 1 MiB request and message limits, with room to spare. */
    static final int LARGEST_COPY = 900 * 1024;
    /** The original headers, when they are copied at all. */
    static final int LARGEST_HEADERS = 64 * 1024;

    private final byte[] value;
    private final RecordHeaders headers;

    private DeadLetterCopy(byte[] value, RecordHeaders headers) {
        this.value = value;
        this.headers = headers;
    }

    /** The copy of a record's value and headers (without the deserializer's own failure headers). */
    static DeadLetterCopy of(byte[] value, Iterable<Header> original) {
        RecordHeaders headers = new RecordHeaders();
        int headerBytes = 0;
        int count = 0;
        for (Header header : original) {
            if (!header.key().startsWith("deserialization-failure-")) {
                headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
                count++;
                headers.add(header);
            }
        }
        if (headerBytes > LARGEST_HEADERS) {
            headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.HEADERS_DROPPED, (count + " headers of " + headerBytes + " bytes").getBytes(StandardCharsets.UTF_8));
            headerBytes = 0;
        }
        int room = LARGEST_COPY - headerBytes;
        if (value != null && value.length > room) {
            headers.add(DeadLetterHeaders.VALUE_TRUNCATED, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
            return new DeadLetterCopy(Arrays.copyOf(value, room), headers);
        }
        return new DeadLetterCopy(value, headers);
    }

    byte[] value() {
        return value;
    }

    /** The copied headers; the dead-letter headers are added to them. */
    RecordHeaders headers() {
        return headers;
    }
}
