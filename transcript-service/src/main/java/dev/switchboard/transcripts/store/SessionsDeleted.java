package dev.switchboard.transcripts.store;

import java.util.List;
import java.util.UUID;

/**
 * Fired (CDI, synchronously) once a deletion, on request or by retention, is committed: whatever this instance keeps
 * of these sessions in memory goes too.
 */
public record SessionsDeleted(List<UUID> sessionIds) {
    public SessionsDeleted {
        sessionIds = List.copyOf(sessionIds);
    }
}
