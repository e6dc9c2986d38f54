package dev.switchboard.transcripts.mapping;

/** A record that decoded but cannot be stored (an id that is not a UUID, no room): it goes to the dead-letter topic. */
public final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }
}
