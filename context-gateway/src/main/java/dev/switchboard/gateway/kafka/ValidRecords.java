package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.kafka.InvalidRecordException;
import dev.switchboard.kit.kafka.StorableInstant;

/**
 * What the gateway checks of a record before it shows it: the times it would show are in four-digit years (the range
 * the transcript service stores and every API accepts), and a session has a room and a tenant any URL, log line and
 * filter can carry. A session event dated in the year 300,000,000, or for the room "" or a tenant "../x", would
 * otherwise be a live call nobody can reach, in the API and the console, back after every restart; such a record is
 * dead-lettered as invalid instead, as the transcript service dead-letters it.
 */
final class ValidRecords {
    private ValidRecords() {
    }

    /** The event, or an {@link InvalidRecordException} naming what is wrong with it. */
    static SessionEvent sessionEvent(SessionEvent event) {
        StorableInstant.of("occurredAt", event.getOccurredAt());
        requireName("room", event.getRoom());
        // A call's events before its session (a dial ringing or failing) have none.
        if (event.getSessionId() != null) {
            requireName("sessionId", event.getSessionId());
        }
        if (event.getPayload() instanceof SessionStarted started && !started.getTenant().isBlank()
                && !Caller.isTenantName(started.getTenant())) {
            throw new InvalidRecordException("tenant must be " + Caller.TENANT_NAME_RULE + ", not '" + shown(started.getTenant()) + "'");
        }
        return event;
    }

    /** A name the APIs take in a path: some text, without control characters (a NUL cannot even be stored). */
    private static void requireName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException(field + " is missing");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRecordException(field + " must not contain control characters: '" + shown(value) + "'");
        }
    }

    private static String shown(String value) {
        String visible = value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return visible.length() <= 60 ? visible : visible.substring(0, 60) + "...";
    }

    /** The result, or an {@link InvalidRecordException} naming what is wrong with it. */
    static CommandResult commandResult(CommandResult result) {
        StorableInstant.of("decidedAt", result.getDecidedAt());
        return result;
    }
}
