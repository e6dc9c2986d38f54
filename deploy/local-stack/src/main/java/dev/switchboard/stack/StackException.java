package dev.switchboard.stack;

/** A problem the user can fix, reported as one clear sentence without a stack trace. */
public final class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
