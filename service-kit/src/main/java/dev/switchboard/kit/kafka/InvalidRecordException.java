package dev.switchboard.kit.kafka;

/**
 * A record that decoded but that no handler can act on (an id that is not a UUID, no room, a time outside four-digit
 * years): thrown by a handler, {@link DeadLetters} dead-letters it as {@link Poison.Kind#INVALID}, logged without a
 * stack trace, since the record, not the service, is at fault.
 */
public final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }
}
