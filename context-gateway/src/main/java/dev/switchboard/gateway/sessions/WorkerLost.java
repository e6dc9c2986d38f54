package dev.switchboard.gateway.sessions;

/**
 * A session ended with reason WORKER_LOST (fired as a CDI event once the registry has applied it): the worker running
 * it stopped answering, so no command pending for the room will ever be answered by it.
 */
public record WorkerLost(String room, String sessionId) {
}
