package dev.switchboard.worker.session;

/**
 * A session joined or left this worker's registry (a CDI event, fired synchronously): the heartbeat goes out at once
 * rather than at the next interval, so the call controller knows within milliseconds which tenant a new call's room
 * belongs to (its tenant fence reads the heartbeats).
 */
public record SessionsChanged(String room) {
}
