package dev.switchboard.kit.kafka;

import java.time.Instant;

/**
 * The instants a record may carry: four-digit years, the range the APIs accept in queries. Outside it, PostgreSQL
 * either refuses the value or, for the smallest one Avro can hold, quietly stores {@code -infinity}, which every API
 * would then show as a time nobody sent and which no page cursor can name; the live views would show a call started
 * in the year 300,000,000. Such a record is invalid, in every service that reads it.
 */
public final class StorableInstant {
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private StorableInstant() {
    }

    /** The instant, or an {@link InvalidRecordException} naming the field when it is missing or out of range. */
    public static Instant of(String field, Instant value) {
        if (value == null) {
            throw new InvalidRecordException(field + " is missing");
        }
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new InvalidRecordException(field + " is out of range: " + value + " is not in the years 0001 to 9999");
        }
        return value;
    }
}
