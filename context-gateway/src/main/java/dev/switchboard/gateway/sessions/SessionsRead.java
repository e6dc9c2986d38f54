package dev.switchboard.gateway.sessions;

/**
 * Whether this instance has read every session event that existed when it started. Until then a room it does not
 * know may still be live, so "no such session" would be a guess: the API answers 503 catching-up instead of 404.
 */
public interface SessionsRead {
    boolean allSessionsRead();
}
