package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The deleted sessions' ids as every instance sees them: the tombstones in the shared database, written by whichever
 * instance deleted (on request or by retention). The live tail asks here, since a deletion on another instance fires no
 * event on this one.
 */
@ApplicationScoped
public class DeletedSessions {
    /** A deleted session, with the room it was deleted under. */
    public record Tombstone(UUID sessionId, String room) {
    }

    /** Tombstones written since a moment of the database's clock, and that clock's time when they were read. */
    public record Since(List<Tombstone> tombstones, Instant readAt) {
        public Since {
            tombstones = List.copyOf(tombstones);
        }
    }

    private final AgroalDataSource dataSource;

    DeletedSessions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Which of these sessions are deleted. */
    public Set<UUID> among(Collection<UUID> sessionIds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Tombstones.deletedAmong(connection, sessionIds);
        }
    }

    /**
     * The tombstones written after {@code after} minus {@code overlap} (null: the database's now minus the overlap). A
     * tombstone carries its transaction's start time, and a deletion may wait for an ingestion batch's lock before it
     * commits, so the overlap reads again what may have become visible late; the caller ignores ids it knows.
     */
    public Since since(Instant after, Duration overlap) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Instant now;
            try (PreparedStatement statement = connection.prepareStatement("SELECT now()");
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                now = rs.getTimestamp(1).toInstant();
            }
            Instant from = (after == null ? now : after).minus(overlap);
            List<Tombstone> tombstones = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT session_id, room FROM deleted_sessions WHERE deleted_at > ?")) {
                statement.setObject(1, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        tombstones.add(new Tombstone(rs.getObject(1, UUID.class), rs.getString(2)));
                    }
                }
            }
            return new Since(tombstones, now);
        }
    }
}
