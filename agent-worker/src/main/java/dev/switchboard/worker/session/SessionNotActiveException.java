package dev.switchboard.worker.session;

/** The session is ending or has ended, so it takes no more turns or commands. */
public final class SessionNotActiveException extends RuntimeException {
    public SessionNotActiveException(String message) {
        super(message);
    }
}
