package dev.switchboard.controller.tenancy;

/** A session an agent worker reports running in its latest heartbeat, with the tenant it belongs to. */
public record ReportedSession(String workerId, String room, String sessionId, String tenant) {
}
