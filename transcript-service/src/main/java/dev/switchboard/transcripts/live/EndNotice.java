package dev.switchboard.transcripts.live;

import java.time.Instant;
import java.util.UUID;

/** A session is over: what a stream tells its client before it closes. */
public record EndNotice(UUID sessionId, String reason, Instant endedAt) {
}
