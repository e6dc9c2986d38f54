package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads one session and its transcript. */
@ApplicationScoped
public class TranscriptQueries {
    private final AgroalDataSource dataSource;

    TranscriptQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The latest session of the room (a room name may be reused by later calls), or the given one if it is of that room. */
    public Optional<SessionRow> session(String room, UUID sessionId) throws SQLException {
        return session(room, sessionId, null);
    }

    /** As {@link #session(String, UUID)}, among one tenant's sessions (null: every tenant's). */
    public Optional<SessionRow> session(String room, UUID sessionId, String tenant) throws SQLException {
        return versionedSession(room, sessionId, tenant).map(VersionedSession::session);
    }

    /**
     * A session with the version of its row: PostgreSQL's {@code xmin}, the transaction that wrote this version of the
     * row. Every update of the row gives it a new one, and every change of the session's lines updates the row in the
     * same transaction (SegmentWriter), so as long as the version is the same, so are the session and its lines.
     */
    public record VersionedSession(SessionRow session, long version) {
    }

    /** As {@link #session(String, UUID, String)}, with the version of the row. */
    public Optional<VersionedSession> versionedSession(String room, UUID sessionId, String tenant) throws SQLException {
        String sql = "SELECT " + Rows.SESSION_COLUMNS + ", s.xmin::text::bigint AS row_version FROM sessions s WHERE s.room = ?"
                + (tenant == null ? "" : " AND s.tenant = ?")
                + (sessionId == null ? " ORDER BY s.started_at DESC LIMIT 1" : " AND s.session_id = ?");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 1;
            statement.setString(parameter++, room);
            if (tenant != null) {
                statement.setString(parameter++, tenant);
            }
            if (sessionId != null) {
                statement.setObject(parameter, sessionId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new VersionedSession(Rows.session(rs), rs.getLong("row_version"))) : Optional.empty();
            }
        }
    }

    /** The session's segments in spoken order: by start offset, then by sequence for lines that start together. */
    public List<SegmentRow> segments(UUID sessionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + Rows.SEGMENT_COLUMNS
                     + " FROM segments g WHERE g.session_id = ? ORDER BY g.start_ms, g.sequence")) {
            statement.setObject(1, sessionId);
            List<SegmentRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(Rows.segment(rs));
                }
            }
            return rows;
        }
    }

    public long segmentCount(UUID sessionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM segments WHERE session_id = ?")) {
            statement.setObject(1, sessionId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
