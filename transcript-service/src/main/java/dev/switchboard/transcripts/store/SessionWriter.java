package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies session changes in one transaction. Each statement is guarded ("only if not set yet"), so a change that
 * was already applied matches no row: replays and redeliveries leave the row exactly as it was, and a SessionEnded
 * that arrives before its SessionStarted (or a segment before either) still ends up in the same row.
 */
@ApplicationScoped
public class SessionWriter {
    private static final String STARTED = """
            INSERT INTO sessions AS s (session_id, room, started_at, start_known, transport, direction, agent_name, worker_id,
                                       caller_number, callee_number, sip_call_id, sip_trunk_id, metadata, tenant)
            VALUES (?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (session_id) DO UPDATE SET
                room = EXCLUDED.room, started_at = EXCLUDED.started_at, start_known = true, transport = EXCLUDED.transport,
                direction = EXCLUDED.direction, agent_name = EXCLUDED.agent_name, worker_id = EXCLUDED.worker_id,
                caller_number = COALESCE(EXCLUDED.caller_number, s.caller_number),
                callee_number = COALESCE(EXCLUDED.callee_number, s.callee_number),
                sip_call_id = EXCLUDED.sip_call_id, sip_trunk_id = EXCLUDED.sip_trunk_id, metadata = EXCLUDED.metadata,
                tenant = EXCLUDED.tenant
            WHERE NOT s.start_known""";

    private static final String ENDED = """
            INSERT INTO sessions AS s (session_id, room, started_at, ended_at, duration_ms, end_reason, ended_by_kind, ended_by_id,
                                       ended_by_name, end_detail, usage)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (session_id) DO UPDATE SET
                ended_at = EXCLUDED.ended_at, duration_ms = EXCLUDED.duration_ms, end_reason = EXCLUDED.end_reason,
                ended_by_kind = EXCLUDED.ended_by_kind, ended_by_id = EXCLUDED.ended_by_id, ended_by_name = EXCLUDED.ended_by_name,
                end_detail = EXCLUDED.end_detail, usage = EXCLUDED.usage,
                started_at = CASE WHEN s.start_known THEN s.started_at ELSE LEAST(s.started_at, EXCLUDED.started_at) END
            WHERE s.ended_at IS NULL""";

    private static final String HUNG_UP = """
            INSERT INTO sessions AS s (session_id, room, started_at, hangup_at, hangup_reason, hangup_method, hangup_command_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET
                hangup_at = EXCLUDED.hangup_at, hangup_reason = EXCLUDED.hangup_reason, hangup_method = EXCLUDED.hangup_method,
                hangup_command_id = EXCLUDED.hangup_command_id
            WHERE s.hangup_at IS NULL""";

    // Numbers only complete a session that exists: which leg a SIP participant is depends on the direction.
    private static final String REMOTE_PARTY_NUMBER = """
            UPDATE sessions SET
                caller_number = CASE WHEN direction = 'OUTBOUND' THEN caller_number ELSE ? END,
                callee_number = CASE WHEN direction = 'OUTBOUND' THEN ? ELSE callee_number END
            WHERE session_id = ? AND (CASE WHEN direction = 'OUTBOUND' THEN callee_number ELSE caller_number END) IS NULL""";

    private static final String CALLEE_NUMBER = "UPDATE sessions SET callee_number = ? WHERE session_id = ? AND callee_number IS NULL";

    private static final String LATEST_OF_ROOM = "SELECT session_id FROM sessions WHERE room = ? ORDER BY started_at DESC LIMIT 1";

    /** What a batch did. */
    public record Result(int changed, int unchanged, int skipped) {
    }

    private final AgroalDataSource dataSource;

    SessionWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Result apply(List<SessionChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return new Result(0, 0, 0);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Resolved> resolved = new ArrayList<>();
                int skipped = 0;
                for (SessionChange change : changes) {
                    Optional<UUID> id = change.sessionId() != null ? Optional.of(change.sessionId()) : latestOfRoom(connection, change.room());
                    if (id.isPresent()) {
                        resolved.add(new Resolved(id.get(), change));
                    } else {
                        skipped++; // an event without sessionId for a room with no session: nothing to attach it to
                    }
                }
                Set<UUID> ids = new TreeSet<>();
                resolved.forEach(r -> ids.add(r.sessionId()));
                SessionLocks.shared(connection, ids);
                Set<UUID> deleted = Tombstones.deletedAmong(connection, ids);
                // Rows are locked in session order (a stable sort keeps each session's events in arrival order).
                resolved.sort(Comparator.comparing(Resolved::sessionId));
                int changed = 0;
                for (Resolved r : resolved) {
                    if (deleted.contains(r.sessionId())) {
                        skipped++;
                        continue;
                    }
                    changed += apply(connection, r.sessionId(), r.change());
                }
                connection.commit();
                return new Result(changed, changes.size() - changed - skipped, skipped);
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(connection, e);
                throw e;
            } finally {
                Jdbc.restoreAutoCommit(connection);
            }
        }
    }

    private record Resolved(UUID sessionId, SessionChange change) {
    }

    private static Optional<UUID> latestOfRoom(Connection connection, String room) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LATEST_OF_ROOM)) {
            statement.setString(1, room);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static int apply(Connection connection, UUID id, SessionChange change) throws SQLException {
        return switch (change) {
            case SessionChange.Started s -> update(connection, STARTED, id, s.room(), Jdbc.timestamp(s.occurredAt()), s.transport(),
                    s.direction(), s.agentName(), s.workerId(), s.callerNumber(), s.calleeNumber(), s.sipCallId(), s.sipTrunkId(),
                    Jdbc.json(s.metadata()), s.tenant());
            case SessionChange.Ended e -> update(connection, ENDED, id, e.room(),
                    Jdbc.timestamp(e.occurredAt().minusMillis(e.durationMs())), Jdbc.timestamp(e.occurredAt()), e.durationMs(),
                    e.reason(), e.endedByKind(), e.endedById(), e.endedByName(), e.detail(), Jdbc.json(e.usage()));
            case SessionChange.HungUp h -> update(connection, HUNG_UP, id, h.room(), Jdbc.timestamp(h.occurredAt()),
                    Jdbc.timestamp(h.occurredAt()), h.reason(), h.method(), h.commandId());
            case SessionChange.NumberSeen n -> n.leg() == SessionChange.NumberSeen.Leg.CALLEE
                    ? update(connection, CALLEE_NUMBER, n.phoneNumber(), id)
                    : update(connection, REMOTE_PARTY_NUMBER, n.phoneNumber(), n.phoneNumber(), id);
        };
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
