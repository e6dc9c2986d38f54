package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Removes sessions and their segments for good, in one transaction per call, and remembers the deleted ids (no
 * content) so that the ingestion never stores them again when their records are redelivered or replayed.
 */
@ApplicationScoped
public class SessionDeleter {
    static final Duration DELETION_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** What was removed: ids and counts only, never content; {@code byTenant} says whose sessions they were. */
    public record Deleted(List<UUID> sessionIds, long segments, Map<String, Share> byTenant) {
        static final Deleted NOTHING = new Deleted(List.of(), 0, Map.of());

        public Deleted {
            sessionIds = List.copyOf(sessionIds);
            byTenant = Map.copyOf(byTenant);
        }

        public int sessions() {
            return sessionIds.size();
        }
    }

    /** One tenant's part of a deletion: its sessions and how many segments they had. */
    public record Share(List<UUID> sessionIds, long segments) {
        public Share {
            sessionIds = List.copyOf(sessionIds);
        }

        public int sessions() {
            return sessionIds.size();
        }

        /** Two parts of one tenant taken together (a purge deletes in batches). */
        public Share plus(Share other) {
            List<UUID> ids = new ArrayList<>(sessionIds);
            ids.addAll(other.sessionIds);
            return new Share(ids, segments + other.segments);
        }
    }

    public record Victim(UUID sessionId, String room) {
    }

    private final AgroalDataSource dataSource;
    private final Event<SessionsDeleted> deletions;

    SessionDeleter(AgroalDataSource dataSource, Event<SessionsDeleted> deletions) {
        this.dataSource = dataSource;
        this.deletions = deletions;
    }

    /** Every session stored under the room, so that repeating the request can never remove a later call of the same room. */
    public Deleted deleteRoom(String room, String reason) throws SQLException {
        return deleteRoom(room, reason, null);
    }

    /** Every session of one tenant (null: of every tenant) stored under the room. */
    public Deleted deleteRoom(String room, String reason, String tenant) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT session_id FROM sessions WHERE room = ?"
                    + (tenant == null ? "" : " AND tenant = ?"))) {
                statement.setString(1, room);
                if (tenant != null) {
                    statement.setString(2, tenant);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return delete(connection, ids.stream().map(id -> new Victim(id, room)).toList(), reason);
        }
    }

    /** One session; its id is remembered even when nothing of it is stored yet, so records still in flight are dropped. */
    public Deleted deleteSession(String room, UUID sessionId, String reason) throws SQLException {
        return deleteSession(room, sessionId, reason, null);
    }

    /**
     * As {@link #deleteSession(String, UUID, String)}; a session stored under another room, or another tenant's (null:
     * any tenant's), is left alone, as if absent: the id alone must not delete a call the room does not name, nor
     * record its deletion (and end its live streams) under a room it never had.
     */
    public Deleted deleteSession(String room, UUID sessionId, String reason, String tenant) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (storedElsewhere(connection, sessionId, room, tenant)) {
                return Deleted.NOTHING;
            }
            return delete(connection, List.of(new Victim(sessionId, room)), reason);
        }
    }

    private static boolean storedElsewhere(Connection connection, UUID sessionId, String room, String tenant) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT room, tenant FROM sessions WHERE session_id = ?")) {
            statement.setObject(1, sessionId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && (!room.equals(rs.getString(1)) || tenant != null && !tenant.equals(rs.getString(2)));
            }
        }
    }

    /** Deletes the given sessions (ids with their rooms) in one transaction. */
    public Deleted delete(List<Victim> victims, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return delete(connection, victims, reason);
        }
    }

    private Deleted delete(Connection connection, List<Victim> victims, String reason) throws SQLException {
        if (victims.isEmpty()) {
            return Deleted.NOTHING;
        }
        List<UUID> ids = victims.stream().map(Victim::sessionId).distinct().toList();
        // One statement deletes every line of the sessions (a retention batch: up to 500 calls, hundreds of thousands of
        // lines) and may first wait for an ingestion batch writing one of them: longer than the 10 s of silence every
        // other statement is allowed (socketTimeout, application.properties), still bounded for a database that
        // stopped answering. The pool does not put the connection's own timeout back when it is returned, so this does.
        int ownTimeout = connection.getNetworkTimeout();
        connection.setNetworkTimeout(Runnable::run, (int) DELETION_SOCKET_TIMEOUT.toMillis());
        connection.setAutoCommit(false);
        try {
            // Exclusive: waits for any ingestion batch that is writing one of these sessions, and keeps new ones out
            // until the tombstones are committed.
            SessionLocks.exclusive(connection, ids);
            for (var byRoom : victims.stream().collect(java.util.stream.Collectors.groupingBy(Victim::room)).entrySet()) {
                Tombstones.record(connection, byRoom.getValue().stream().map(Victim::sessionId).toList(), byRoom.getKey(), reason);
            }
            var idArray = connection.createArrayOf("uuid", ids.toArray());
            // Counted per session (one row each, however many segments), so each tenant's audit record has its own count.
            Map<UUID, Long> segmentsOf = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    WITH gone AS (DELETE FROM segments WHERE session_id = ANY(?) RETURNING session_id)
                    SELECT session_id, count(*) FROM gone GROUP BY session_id""")) {
                statement.setArray(1, idArray);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        segmentsOf.put(rs.getObject(1, UUID.class), rs.getLong(2));
                    }
                }
            }
            List<UUID> sessions = new ArrayList<>();
            Map<String, Share> byTenant = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM sessions WHERE session_id = ANY(?) RETURNING session_id, tenant")) {
                statement.setArray(1, idArray);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        sessions.add(id);
                        byTenant.merge(rs.getString(2), new Share(List.of(id), segmentsOf.getOrDefault(id, 0L)), Share::plus);
                    }
                }
            }
            connection.commit();
            // Every id asked for, not only those with a row: a rendering may outlive its row only in memory.
            deletions.fire(new SessionsDeleted(ids, victims.stream().map(Victim::room).collect(java.util.stream.Collectors.toSet())));
            long segments = segmentsOf.values().stream().mapToLong(Long::longValue).sum();
            return new Deleted(sessions, segments, byTenant);
        } catch (SQLException | RuntimeException e) {
            Jdbc.rollbackQuietly(connection, e);
            throw e;
        } finally {
            Jdbc.restoreAutoCommit(connection);
            Jdbc.restoreNetworkTimeout(connection, ownTimeout);
        }
    }
}
