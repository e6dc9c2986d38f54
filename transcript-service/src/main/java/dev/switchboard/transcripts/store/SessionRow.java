package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One session as stored. Fields from events not seen yet are null; the tenant is 'default' when none was named. */
public record SessionRow(
        UUID sessionId,
        String room,
        Instant startedAt,
        boolean startKnown,
        String transport,
        String direction,
        String agentName,
        String workerId,
        String callerNumber,
        String calleeNumber,
        String sipCallId,
        String sipTrunkId,
        Map<String, String> metadata,
        Instant endedAt,
        Long durationMs,
        String endReason,
        String endedByKind,
        String endedById,
        String endedByName,
        String endDetail,
        Map<String, Object> usage,
        Instant hangupAt,
        String hangupReason,
        String hangupMethod,
        String hangupCommandId,
        String tenant) {

    public boolean ended() {
        return endedAt != null;
    }
}
