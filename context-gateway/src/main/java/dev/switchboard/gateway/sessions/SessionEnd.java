package dev.switchboard.gateway.sessions;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;

import java.time.Instant;

/** What a SessionEnded event said. */
public record SessionEnd(Instant at, EndReason reason, Issuer endedBy, String detail, long durationMs) {
}
