package dev.switchboard.transcripts.store;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Fired (CDI, synchronously) once a deletion, on request or by retention, is committed: whatever this instance keeps
 * of these sessions in memory goes too. {@code rooms} are the rooms they were deleted under (where the live tail keeps
 * their recent lines).
 */
public record SessionsDeleted(List<UUID> sessionIds, Set<String> rooms) {
    public SessionsDeleted {
        sessionIds = List.copyOf(sessionIds);
        rooms = Set.copyOf(rooms);
    }
}
