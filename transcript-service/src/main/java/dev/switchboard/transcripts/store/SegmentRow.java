package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One transcript segment as stored and served: already redacted. Interim versions of an utterance share the
 * segmentId; {@link #supersedes} decides which version is kept. The tenant is the record's (it makes the placeholder
 * session of a segment that arrives before its SessionStarted); null for segments read back from the database, whose
 * tenant is their session's.
 */
public record SegmentRow(
        UUID segmentId,
        UUID sessionId,
        String room,
        long sequence,
        int revision,
        String role,
        String participantIdentity,
        String text,
        long startMs,
        long endMs,
        boolean isFinal,
        boolean interrupted,
        String generatedText,
        String language,
        Float confidence,
        String injectedByKind,
        String injectedById,
        String injectedByName,
        String commandId,
        String label,
        Instant createdAt,
        List<String> redactions,
        String searchConfig,
        String tenant) {

    public SegmentRow {
        redactions = List.copyOf(redactions);
    }

    /**
     * Whether this version replaces {@code stored} (same segmentId): a final is never replaced, a final replaces
     * any interim, and among interims the higher revision wins. Equal versions do not supersede each other, which
     * is what makes a redelivery change nothing.
     */
    public boolean supersedes(SegmentRow stored) {
        if (stored.isFinal) {
            return false;
        }
        return isFinal || revision > stored.revision;
    }

    /** The session's start as far as this segment tells: when it was created minus its offset. */
    public Instant impliedSessionStart() {
        return createdAt.minusMillis(Math.max(0, startMs));
    }
}
