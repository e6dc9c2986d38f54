package dev.switchboard.transcripts.live;

import java.time.Instant;
import java.util.UUID;

/** A session the live tail saw start, possibly before the ingestion stored it. */
public record LiveStart(UUID sessionId, String room, Instant startedAt, String tenant) {
}
