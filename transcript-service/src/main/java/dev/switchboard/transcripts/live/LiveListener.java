package dev.switchboard.transcripts.live;

import dev.switchboard.transcripts.store.SegmentRow;

import java.util.UUID;

/**
 * Follows one session. Called from the live tail, the ingestion and the hub's timer threads, possibly with the
 * same segment version more than once (every path that can deliver it does): implementations de-duplicate.
 */
public interface LiveListener {
    void onSegment(SegmentRow segment);

    void onEnded(EndNotice notice);

    /** The session was deleted (on this instance or another): nothing more of it may be sent. */
    void onDeleted(UUID sessionId);

    /** Periodic: a chance to keep the connection alive and to notice a client that left. */
    void onHeartbeat();
}
