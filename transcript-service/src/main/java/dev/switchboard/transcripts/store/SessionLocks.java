package dev.switchboard.transcripts.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Transaction-scoped advisory locks per session, so that a deletion and a write of the same session never
 * interleave: writers (ingestion) share the lock, a deletion takes it exclusively. Without it a batch that started
 * before a deletion could commit after it and bring the session back. Keys are always taken in ascending order,
 * so two transactions cannot deadlock on them.
 */
final class SessionLocks {
    private SessionLocks() {
    }

    static long key(java.util.UUID sessionId) {
        return sessionId.getMostSignificantBits() ^ sessionId.getLeastSignificantBits();
    }

    static void shared(Connection connection, Collection<java.util.UUID> sessionIds) throws SQLException {
        lock(connection, sessionIds, "pg_advisory_xact_lock_shared");
    }

    static void exclusive(Connection connection, Collection<java.util.UUID> sessionIds) throws SQLException {
        lock(connection, sessionIds, "pg_advisory_xact_lock");
    }

    private static void lock(Connection connection, Collection<java.util.UUID> sessionIds, String function) throws SQLException {
        if (sessionIds.isEmpty()) {
            return;
        }
        Long[] keys = sessionIds.stream().map(SessionLocks::key).distinct().sorted().toArray(Long[]::new);
        // unnest yields the array's elements in order, so the locks are taken in ascending key order.
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(k) FROM unnest(?::bigint[]) AS t(k)")) {
            statement.setArray(1, connection.createArrayOf("bigint", keys));
            statement.executeQuery().close();
        }
    }
}
