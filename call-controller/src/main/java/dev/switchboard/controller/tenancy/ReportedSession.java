package dev.switchboard.controller.tenancy;

import dev.switchboard.events.Transport;

/** A session an agent worker reports running in its latest heartbeat, with the tenant it belongs to and how the caller is connected. */
public record ReportedSession(String workerId, String room, String sessionId, String tenant, Transport transport) {
}
