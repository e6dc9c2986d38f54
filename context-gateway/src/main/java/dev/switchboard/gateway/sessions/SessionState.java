package dev.switchboard.gateway.sessions;

/** Where a session is in its life, as far as the session events tell. */
public enum SessionState {
    /** SessionStarted seen: a worker runs the room and takes commands. */
    LIVE,
    /** CallEnded seen: the call is over, the worker has not yet published SessionEnded. */
    ENDING,
    /** SessionEnded seen. */
    ENDED;

    /** LIVE and ENDING sessions still have a worker that answers commands. */
    public boolean hasWorker() {
        return this != ENDED;
    }
}
