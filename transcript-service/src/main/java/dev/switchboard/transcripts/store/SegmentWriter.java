package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * Writes a batch of segments in one transaction. Segments not stored yet (nearly all of them) are COPied straight
 * into the table; new versions of stored segments (found by looking up the segmentIds of revisions above 0, the only
 * ones that can be stored already unless a record is redelivered) go through a per-connection temporary staging table and one
 * INSERT ... ON CONFLICT that applies the supersede rule in the database, so a redelivered version matches no row
 * (nothing changes) and a final replaces its interims.
 *
 * <p>The caller passes at most one version per segmentId (the one that wins within the batch): a single INSERT
 * cannot update the same row twice.
 */
@ApplicationScoped
public class SegmentWriter {
    public static final String COLUMNS = "segment_id, session_id, room, sequence, revision, role, participant_identity, text, start_ms, end_ms,"
            + " is_final, interrupted, generated_text, language, confidence, injected_by_kind, injected_by_id, injected_by_name,"
            + " command_id, label, created_at, redactions, search_config";

    private static final String CREATE_STAGING = """
            CREATE TEMPORARY TABLE IF NOT EXISTS segment_staging (
                segment_id uuid, session_id uuid, room text, sequence bigint, revision integer, role text,
                participant_identity text, text text, start_ms bigint, end_ms bigint, is_final boolean, interrupted boolean,
                generated_text text, language text, confidence real, injected_by_kind text, injected_by_id text,
                injected_by_name text, command_id text, label text, created_at timestamptz, redactions text[],
                search_config regconfig
            ) ON COMMIT DELETE ROWS""";

    private static final String UPSERT = "INSERT INTO segments AS g (" + COLUMNS + ") SELECT " + COLUMNS + " FROM segment_staging"
            + """
             ON CONFLICT (segment_id) DO UPDATE SET
                sequence = EXCLUDED.sequence, revision = EXCLUDED.revision, role = EXCLUDED.role,
                participant_identity = EXCLUDED.participant_identity, text = EXCLUDED.text, start_ms = EXCLUDED.start_ms,
                end_ms = EXCLUDED.end_ms, is_final = EXCLUDED.is_final, interrupted = EXCLUDED.interrupted,
                generated_text = EXCLUDED.generated_text, language = EXCLUDED.language, confidence = EXCLUDED.confidence,
                injected_by_kind = EXCLUDED.injected_by_kind, injected_by_id = EXCLUDED.injected_by_id,
                injected_by_name = EXCLUDED.injected_by_name, command_id = EXCLUDED.command_id, label = EXCLUDED.label,
                created_at = EXCLUDED.created_at, redactions = EXCLUDED.redactions, search_config = EXCLUDED.search_config
            WHERE NOT g.is_final AND (EXCLUDED.is_final OR EXCLUDED.revision > g.revision)
            RETURNING g.session_id""";

    // A segment can arrive before its session's SessionStarted: a placeholder row keeps it listable. Until the start
    // is known, the earliest implied start wins; the guard makes a repeat a no-op.
    private static final String PLACEHOLDER_SESSIONS = """
            INSERT INTO sessions AS s (session_id, room, started_at, tenant)
            SELECT id, room, timestamptz 'epoch' + ms * interval '1 millisecond', tenant
            FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::text[]) AS t(id, room, ms, tenant)
            ORDER BY id
            ON CONFLICT (session_id) DO UPDATE SET started_at = EXCLUDED.started_at
            WHERE NOT s.start_known AND EXCLUDED.started_at < s.started_at""";

    // Every transaction that changes a session's lines also updates its session row, in the same transaction, which gives
    // the row a new version (xmin) while every column keeps its value (what is stored stays as it was; ReplayTest). A
    // transcript rendered after reading version X is kept under X (RenderedTranscripts); a line committed later comes
    // with a later version of the row, so that rendering is never served again. (The placeholder upsert above already
    // locked these rows: this takes no new lock.)
    private static final String LINES_CHANGED = "UPDATE sessions SET start_known = start_known WHERE session_id = ANY(?)";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final int COPY_CHUNK = 64 * 1024;

    /** What a batch did. */
    public record Result(int changed, int unchanged, int deletedSessions) {
    }

    /**
     * A row with its line in COPY text format (UTF-8). The ingestion makes the lines while the previous batch is being
     * written, so the writer, whose transaction the database waits on, only sends bytes.
     */
    public record Line(SegmentRow row, byte[] copyText) {
        public static Line of(SegmentRow row) {
            return new Line(row, SegmentWriter.copyText(List.of(row)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final AgroalDataSource dataSource;
    /** Physical connections that already have the staging table (it lives as long as the connection). */
    private final Set<Object> staged = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    SegmentWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the rows (one per segmentId) in one transaction; rows of deleted sessions are dropped. */
    public Result write(List<SegmentRow> rows) throws SQLException {
        return writeLines(rows.stream().map(Line::of).toList());
    }

    /** As {@link #write}, with the COPY lines made already. */
    public Result writeLines(List<Line> lines) throws SQLException {
        if (lines.isEmpty()) {
            return new Result(0, 0, 0);
        }
        try {
            return write(lines, true);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            // One of the "new" segments is stored already: a redelivered record (after a restart or a replay of the
            // topic), or another instance stored it between the check and the COPY while two briefly shared a
            // partition during a rebalance. The upsert path resolves it row by row.
            return write(lines, false);
        }
    }

    /**
     * @param copyNewRows whether segments not stored yet are copied straight into the table. That is the common case
     *                    (a segment is usually seen once) and COPY's multi-row insert is several times faster than
     *                    INSERT ... ON CONFLICT; versions of segments already stored always take the upsert.
     */
    private Result write(List<Line> rows, boolean copyNewRows) throws SQLException {
        Map<UUID, SessionHint> sessions = new TreeMap<>();
        for (Line line : rows) {
            SegmentRow row = line.row();
            sessions.merge(row.sessionId(), new SessionHint(row.room(), row.impliedSessionStart(), row.tenant()), SessionHint::earliest);
        }
        try (Connection connection = dataSource.getConnection()) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            ensureStagingTable(connection, pg);
            connection.setAutoCommit(false);
            try {
                SessionLocks.shared(connection, sessions.keySet());
                Set<UUID> deleted = Tombstones.deletedAmong(connection, sessions.keySet());
                List<Line> keep = deleted.isEmpty() ? rows : rows.stream().filter(l -> !deleted.contains(l.row().sessionId())).toList();
                deleted.forEach(sessions::remove);
                int changed = 0;
                Set<UUID> changedSessions = new HashSet<>();
                if (!keep.isEmpty()) {
                    placeholders(connection, sessions);
                    List<Line> upsert = keep;
                    if (copyNewRows) {
                        // Only a later version (revision > 0) of a segment can be stored already, unless a record is
                        // redelivered: its first version is a new row, so looking it up would only cost time. A
                        // redelivered first version makes the COPY fail on the primary key, and the batch is written
                        // again through the upsert (see writeLines).
                        List<Line> revisions = keep.stream().filter(l -> l.row().revision() > 0).toList();
                        Set<UUID> stored = revisions.isEmpty() ? Set.of() : storedAmong(connection, revisions);
                        List<Line> fresh = keep.stream().filter(l -> !stored.contains(l.row().segmentId())).toList();
                        upsert = keep.stream().filter(l -> stored.contains(l.row().segmentId())).toList();
                        if (!fresh.isEmpty()) {
                            copy(pg, "segments", fresh);
                            changed += fresh.size();
                            fresh.forEach(l -> changedSessions.add(l.row().sessionId()));
                        }
                    }
                    if (!upsert.isEmpty()) {
                        copy(pg, "segment_staging", upsert);
                        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(UPSERT)) {
                            while (rs.next()) {
                                changed++;
                                changedSessions.add(rs.getObject(1, UUID.class));
                            }
                        }
                    }
                    linesChanged(connection, changedSessions);
                }
                connection.commit();
                return new Result(changed, keep.size() - changed, rows.size() - keep.size());
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(connection, e);
                throw e;
            } finally {
                Jdbc.restoreAutoCommit(connection);
            }
        }
    }

    private static void linesChanged(Connection connection, Set<UUID> sessionIds) throws SQLException {
        if (sessionIds.isEmpty()) {
            return; // a redelivery or a replay changed nothing: the session rows stay as they are
        }
        try (PreparedStatement statement = connection.prepareStatement(LINES_CHANGED)) {
            statement.setArray(1, connection.createArrayOf("uuid", sessionIds.toArray()));
            statement.executeUpdate();
        }
    }

    private static Set<UUID> storedAmong(Connection connection, List<Line> rows) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT segment_id FROM segments WHERE segment_id = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("uuid", rows.stream().map(l -> l.row().segmentId()).toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return stored;
    }

    /** Created outside the batch's transaction, so a rolled-back batch cannot take the table with it. */
    private void ensureStagingTable(Connection connection, PGConnection pg) throws SQLException {
        if (staged.contains(pg)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
        }
        staged.add(pg);
    }

    private record SessionHint(String room, Instant start, String tenant) {
        static SessionHint earliest(SessionHint a, SessionHint b) {
            return b.start.isBefore(a.start) ? b : a;
        }
    }

    private static void placeholders(Connection connection, Map<UUID, SessionHint> sessions) throws SQLException {
        UUID[] ids = sessions.keySet().toArray(UUID[]::new);
        String[] rooms = sessions.values().stream().map(SessionHint::room).toArray(String[]::new);
        Long[] starts = sessions.values().stream().map(h -> h.start().toEpochMilli()).toArray(Long[]::new);
        String[] tenants = sessions.values().stream().map(h -> h.tenant() == null ? "default" : h.tenant()).toArray(String[]::new);
        try (PreparedStatement statement = connection.prepareStatement(PLACEHOLDER_SESSIONS)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("text", rooms));
            statement.setArray(3, connection.createArrayOf("bigint", starts));
            statement.setArray(4, connection.createArrayOf("text", tenants));
            statement.executeUpdate();
        }
    }

    private static void copy(PGConnection pg, String table, List<Line> lines) throws SQLException {
        CopyIn copy = pg.getCopyAPI().copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN");
        try {
            // Lines go out in chunks of up to COPY_CHUNK bytes: one CopyData message per line costs the server a
            // message per row (rows may span messages, COPY reads a byte stream).
            byte[] chunk = new byte[COPY_CHUNK];
            int used = 0;
            for (Line line : lines) {
                byte[] text = line.copyText();
                if (used + text.length > chunk.length && used > 0) {
                    copy.writeToCopy(chunk, 0, used);
                    used = 0;
                }
                if (text.length >= chunk.length) {
                    copy.writeToCopy(text, 0, text.length);
                } else {
                    System.arraycopy(text, 0, chunk, used, text.length);
                    used += text.length;
                }
            }
            if (used > 0) {
                copy.writeToCopy(chunk, 0, used);
            }
            copy.endCopy();
        } catch (SQLException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** The rows in COPY text format, columns in the order of {@link #COLUMNS}. */
    public static String copyText(List<SegmentRow> rows) {
        CopyText copy = new CopyText(rows.size());
        for (SegmentRow r : rows) {
            copy.uuid(r.segmentId()).uuid(r.sessionId()).text(r.room()).number(r.sequence()).number(r.revision()).text(r.role())
                    .text(r.participantIdentity()).text(r.text()).number(r.startMs()).number(r.endMs()).bool(r.isFinal())
                    .bool(r.interrupted()).text(r.generatedText()).text(r.language()).real(r.confidence())
                    .text(r.injectedByKind()).text(r.injectedById()).text(r.injectedByName()).text(r.commandId()).text(r.label())
                    .instant(r.createdAt()).words(r.redactions()).text(r.searchConfig()).endRow();
        }
        return copy.toString();
    }
}
