package dev.switchboard.worker.session;

/** The session is ending or has ended, so it takes no more turns or commands. */
public final class SessionNotActiveException extends RuntimeException {
    private final boolean ending;

    /** The session has ended. */
    public SessionNotActiveException(String message) {
        this(message, false);
    }

    SessionNotActiveException(String message, boolean ending) {
        super(message);
        this.ending = ending;
    }

    /** True while the session is still hanging up (its goodbye playing), false once it has ended. */
    public boolean ending() {
        return ending;
    }
}
