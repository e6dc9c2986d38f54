package dev.switchboard.transcripts.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** The ids of deleted sessions, which the ingestion must not store again. */
final class Tombstones {
    private Tombstones() {
    }

    static Set<UUID> deletedAmong(Connection connection, Collection<UUID> sessionIds) throws SQLException {
        Set<UUID> deleted = new HashSet<>();
        if (sessionIds.isEmpty()) {
            return deleted;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT session_id FROM deleted_sessions WHERE session_id = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("uuid", sessionIds.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return deleted;
    }

    static void record(Connection connection, Collection<UUID> sessionIds, String room, String reason) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO deleted_sessions (session_id, room, reason)
                SELECT id, ?, ? FROM unnest(?::uuid[]) AS t(id)
                ON CONFLICT (session_id) DO NOTHING""")) {
            statement.setString(1, room);
            statement.setString(2, reason);
            statement.setArray(3, connection.createArrayOf("uuid", sessionIds.toArray()));
            statement.executeUpdate();
        }
    }
}
