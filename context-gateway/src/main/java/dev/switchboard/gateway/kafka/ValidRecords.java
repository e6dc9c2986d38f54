package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.kit.kafka.InvalidRecordException;
import dev.switchboard.kit.kafka.StorableInstant;

/**
 * What the gateway checks of a record before it shows it: the times it would show are in four-digit years (the range
 * the transcript service stores and every API accepts). A session event dated in the year 300,000,000 would otherwise
 * be a live call started then, in the API and the console; such a record is dead-lettered as invalid instead, as the
 * transcript service dead-letters it.
 */
final class ValidRecords {
    private ValidRecords() {
    }

    /** The event, or an {@link InvalidRecordException} naming what is wrong with it. */
    static SessionEvent sessionEvent(SessionEvent event) {
        StorableInstant.of("occurredAt", event.getOccurredAt());
        return event;
    }

    /** The result, or an {@link InvalidRecordException} naming what is wrong with it. */
    static CommandResult commandResult(CommandResult result) {
        StorableInstant.of("decidedAt", result.getDecidedAt());
        return result;
    }
}
