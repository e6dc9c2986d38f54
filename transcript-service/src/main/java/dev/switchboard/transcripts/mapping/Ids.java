package dev.switchboard.transcripts.mapping;

import dev.switchboard.kit.kafka.InvalidRecordException;
import java.util.UUID;

/** Parses the ids of incoming records; a malformed one makes the record invalid, never crashes the batch. */
final class Ids {
    private Ids() {
    }

    static UUID uuid(String field, String value) {
        if (value == null) {
            throw new InvalidRecordException(field + " is missing");
        }
        try {
            UUID uuid = UUID.fromString(value);
            // UUID.fromString accepts short forms like "1-2-3-4-5"; only the canonical form is an id of ours.
            if (!uuid.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException();
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(field + " is not a UUID: '" + abbreviate(value) + "'");
        }
    }

    static String room(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException("room is missing");
        }
        return value;
    }

    /** A record's tenant; none (or blank) is the tenant 'default'. */
    static String tenant(String value) {
        return value == null || value.isBlank() ? "default" : value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
