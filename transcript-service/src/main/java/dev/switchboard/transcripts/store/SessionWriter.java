package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies session changes in one transaction. Each statement is guarded ("only if not set yet"), so a change that
 * was already applied matches no row: replays and redeliveries leave the row exactly as it was, and a SessionEnded
 * that arrives before its SessionStarted (or a segment before either) still ends up in the same row.
 *
 * <p>A dial's outcome (CallAnswered, CallFailed) names the room and the dial's command id, not the session. It completes
 * the session that already holds that dial, else the room's latest session if that can be the dial's (no other dial's,
 * no outcome yet, not a call that came in, not another tenant's, not over well before the outcome), else a row of its own ({@code dial_only}, an id derived from the
 * room and the dial): a failed dial whose agent session never started is stored and found all the same. When the agent's
 * SessionStarted of an answered dial comes after such a row, the row is folded into the session. A row of its own takes
 * the tenant the event names, else the tenant of the dial's audit record (DialRequested, carried out), else
 * {@link SessionRow#TENANT_UNKNOWN} until that record arrives ({@link AuditStore}).
 *
 * <p>Other events that name no session (the controller's CallEnded and TransferFailed) go to the room's session started
 * last before them in the batch (or an answered dial's row of its own made earlier in the batch), else to its latest
 * stored session. CallEnded also ends an answered dial's row of its own, which no SessionEnded will end. A transfer is added to the session's list of
 * transfers once per event ({@link TransferEntry}).
 */
@ApplicationScoped
public class SessionWriter {
    /**
     * How far apart in time an agent session and a dial outcome may be for the room alone to tie them together (the
     * worker starts the session once the phone leg is in the room; a failed dial's room is deleted just before its
     * CallFailed). A dial outcome that names the dial's command id the session also carries needs no window.
     */
    static final Duration DIAL_WINDOW = Duration.ofMinutes(2);

    /**
     * The SET list that gives session {@code s} a dial's outcome from the row {@code source}: the outcome and SIP status as
     * they are, what the session lacks (direction, callee, the number called from, agent, call id, command id) filled in, a
     * decided answeredBy kept. What the agent's SessionStarted said of the numbers and the agent stands.
     */
    private static String dialOutcomeFrom(String source) {
        return """
                direction = CASE WHEN s.direction IS NULL OR s.direction = 'UNKNOWN' THEN 'OUTBOUND' ELSE s.direction END,
                    callee_number = COALESCE(s.callee_number, %1$s.callee_number),
                    caller_number = COALESCE(s.caller_number, %1$s.caller_number),
                    agent_name = COALESCE(s.agent_name, %1$s.agent_name),
                    sip_call_id = COALESCE(s.sip_call_id, %1$s.sip_call_id),
                    dial_command_id = COALESCE(s.dial_command_id, %1$s.dial_command_id),
                    dial_outcome = %1$s.dial_outcome, dial_outcome_at = %1$s.dial_outcome_at,
                    answered_by = CASE WHEN s.answered_by IS NULL OR s.answered_by = 'UNKNOWN' THEN COALESCE(%1$s.answered_by, s.answered_by)
                                       ELSE s.answered_by END,
                    sip_status_code = %1$s.sip_status_code, sip_status = %1$s.sip_status, dial_detail = %1$s.dial_detail""".formatted(source);
    }

    private static final String STARTED = """
            INSERT INTO sessions AS s (session_id, room, started_at, start_known, transport, direction, agent_name, worker_id,
                                       caller_number, callee_number, sip_call_id, sip_trunk_id, metadata, tenant, dial_command_id)
            VALUES (?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET
                room = EXCLUDED.room, started_at = EXCLUDED.started_at, start_known = true, transport = EXCLUDED.transport,
                direction = CASE WHEN EXCLUDED.direction = 'UNKNOWN' THEN COALESCE(s.direction, EXCLUDED.direction) ELSE EXCLUDED.direction END,
                agent_name = EXCLUDED.agent_name, worker_id = EXCLUDED.worker_id,
                caller_number = COALESCE(EXCLUDED.caller_number, s.caller_number),
                callee_number = COALESCE(EXCLUDED.callee_number, s.callee_number),
                sip_call_id = COALESCE(EXCLUDED.sip_call_id, s.sip_call_id), sip_trunk_id = EXCLUDED.sip_trunk_id, metadata = EXCLUDED.metadata,
                tenant = EXCLUDED.tenant, dial_command_id = COALESCE(EXCLUDED.dial_command_id, s.dial_command_id)
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
            WHERE s.hangup_at IS NULL
              -- a dial's row of its own is not hung up by a call of the room that ended before the dial was answered
              AND NOT (s.dial_only AND s.dial_outcome_at IS NOT NULL AND EXCLUDED.hangup_at < s.dial_outcome_at)""";

    /**
     * An answered dial's row of its own has no agent session, so no SessionEnded will end it: the CallEnded that hung it up
     * (the one whose hang-up the row holds, so a redelivery or another call's CallEnded ends nothing) ends it, with that
     * reason, from the answer to the hang-up. An agent's session, even one a dial's row was folded into, is not touched.
     */
    private static final String DIAL_ONLY_ENDED = """
            UPDATE sessions SET
                ended_at = hangup_at, end_reason = hangup_reason, ended_by_kind = ?, ended_by_id = ?, ended_by_name = ?,
                end_detail = ?, duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM (hangup_at - started_at)) * 1000)::bigint)
            WHERE session_id = ? AND dial_only AND NOT start_known AND dial_outcome = 'ANSWERED' AND ended_at IS NULL
              AND hangup_at = ? AND hangup_reason = ? AND hangup_command_id IS NOT DISTINCT FROM ?::text""";

    // Numbers only complete a session that exists: which leg a SIP participant is depends on the direction.
    private static final String REMOTE_PARTY_NUMBER = """
            UPDATE sessions SET
                caller_number = CASE WHEN direction = 'OUTBOUND' THEN caller_number ELSE ? END,
                callee_number = CASE WHEN direction = 'OUTBOUND' THEN ? ELSE callee_number END
            WHERE session_id = ? AND (CASE WHEN direction = 'OUTBOUND' THEN callee_number ELSE caller_number END) IS NULL""";

    // The outcome is set once. A row of its own (dial_only) is a failed dial's only record, so it is over when it failed.
    // An outbound call's own number is its caller number, as the agent's SessionStarted has it.
    private static final String DIAL_OUTCOME = """
            INSERT INTO sessions AS s (session_id, room, started_at, direction, callee_number, caller_number, agent_name, sip_call_id,
                                       dial_command_id, dial_outcome, dial_outcome_at, answered_by, sip_status_code, sip_status,
                                       dial_detail, dial_only, ended_at, duration_ms, tenant)
            SELECT id, room, at, 'OUTBOUND', callee, caller, agent, sip_call_id, dial, outcome, at, answered_by, code, status, detail, dial_only,
                   CASE WHEN dial_only AND outcome <> 'ANSWERED' THEN at END,
                   CASE WHEN dial_only AND outcome <> 'ANSWERED' THEN 0 END,
                   COALESCE(tenant, (SELECT CASE WHEN count(DISTINCT a.tenant) = 1 THEN min(a.tenant) END FROM audit_records a
                                     WHERE a.room = v.room AND a.command_id = v.dial AND a.action = 'DialRequested'
                                       AND a.outcome IN ('DONE', 'FAILED')), '%s')
            FROM (VALUES (?::uuid, ?::text, ?::timestamptz, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::integer,
                          ?::text, ?::text, ?::boolean, ?::text))
                AS v(id, room, at, callee, caller, agent, sip_call_id, dial, outcome, answered_by, code, status, detail, dial_only, tenant)
            ON CONFLICT (session_id) DO UPDATE SET
                %s
            WHERE s.dial_outcome IS NULL""".formatted(SessionRow.TENANT_UNKNOWN, dialOutcomeFrom("EXCLUDED"));

    // A decision (HUMAN, MACHINE) is kept once made; UNKNOWN only fills a gap.
    private static final String ANSWER_CLASSIFIED = """
            UPDATE sessions SET answered_by = ?
            WHERE session_id = ? AND (answered_by IS NULL OR (answered_by = 'UNKNOWN' AND ?::text <> 'UNKNOWN'))""";

    // Every attempt is kept once (by its event id), in time order: the same array whatever order the events came in.
    private static final String TRANSFER = """
            INSERT INTO sessions AS s (session_id, room, started_at, transfers)
            VALUES (?, ?, ?, jsonb_build_array(?::jsonb))
            ON CONFLICT (session_id) DO UPDATE SET
                transfers = (SELECT jsonb_agg(t ORDER BY (t->>'at')::timestamptz, t->>'eventId')
                             FROM jsonb_array_elements(COALESCE(s.transfers, '[]'::jsonb) || EXCLUDED.transfers) AS t)
            WHERE s.transfers IS NULL
               OR NOT s.transfers @> jsonb_build_array(jsonb_build_object('eventId', EXCLUDED.transfers->0->'eventId'))""";

    /** The session that already holds a dial: the one with its command id (the agent's before a row of its own). */
    private static final String SESSION_OF_DIAL = """
            SELECT session_id FROM sessions WHERE room = ? AND dial_command_id = ? ORDER BY dial_only, started_at DESC LIMIT 1""";

    /** Without a command id: the session that holds this very outcome (a redelivery). */
    private static final String SESSION_OF_OUTCOME = """
            SELECT session_id FROM sessions WHERE room = ? AND dial_command_id IS NULL AND dial_outcome = ? AND dial_outcome_at = ?
            ORDER BY dial_only, started_at DESC LIMIT 1""";

    private static final String LATEST_OF_ROOM_FOR_DIAL = """
            SELECT session_id, started_at, ended_at, dial_command_id, dial_outcome, dial_only, direction, tenant FROM sessions
            WHERE room = ? ORDER BY started_at DESC LIMIT 1""";

    /** A row of its own of the same dial (by command id), or of an answered dial near the session's start (no command id). */
    private static final String DIAL_ONLY_TO_FOLD = """
            SELECT session_id FROM sessions
            WHERE room = ? AND dial_only AND session_id <> ?
              AND CASE WHEN ?::text IS NULL THEN dial_outcome = 'ANSWERED' AND dial_outcome_at BETWEEN ? AND ? ELSE dial_command_id = ? END
              AND (tenant = ? OR tenant = '%s')
            ORDER BY dial_outcome_at DESC LIMIT 1""".formatted(SessionRow.TENANT_UNKNOWN);

    // The row's hang-up too (a call hung up before its agent's SessionStarted arrived), not its end: the session ends by
    // its own SessionEnded.
    private static final String FOLD = """
            UPDATE sessions s SET
                %s,
                hangup_at = COALESCE(s.hangup_at, f.hangup_at), hangup_reason = COALESCE(s.hangup_reason, f.hangup_reason),
                hangup_method = COALESCE(s.hangup_method, f.hangup_method),
                hangup_command_id = COALESCE(s.hangup_command_id, f.hangup_command_id)
            FROM sessions f
            WHERE s.session_id = ? AND f.session_id = ? AND f.dial_only AND s.dial_outcome IS NULL""".formatted(dialOutcomeFrom("f"));

    private static final String FOLDED = """
            DELETE FROM sessions f USING sessions s
            WHERE f.session_id = ? AND f.dial_only AND s.session_id = ? AND s.dial_outcome = f.dial_outcome
              AND s.dial_outcome_at = f.dial_outcome_at""";

    private static final String LATEST_OF_ROOM = "SELECT session_id FROM sessions WHERE room = ? ORDER BY started_at DESC LIMIT 1";

    /** What a batch did. */
    /** @param dialsEnded the answered dials' rows of their own that a CallEnded ended (no SessionEnded will): their streams end too */
    public record Result(int changed, int unchanged, int skipped, List<EndedDial> dialsEnded) {
    }

    /** An answered dial's row of its own, ended by the CallEnded that hung its call up. */
    public record EndedDial(UUID sessionId, String room, String reason, Instant endedAt) {
    }

    private final AgroalDataSource dataSource;

    SessionWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Result apply(List<SessionChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return new Result(0, 0, 0, List.of());
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Targets targets = new Targets(changes);
                List<Resolved> resolved = new ArrayList<>();
                // A room's session started earlier in this batch is its latest, though not stored yet (a replay, a fast call).
                Map<String, UUID> startedEarlier = new HashMap<>();
                int skipped = 0;
                for (SessionChange change : changes) {
                    Optional<Resolved> target = change instanceof SessionChange.DialOutcome dial && dial.sessionId() == null
                            ? Optional.of(targets.dial(connection, dial))
                            : (change.sessionId() != null ? Optional.of(change.sessionId()) : latestOfRoom(connection, change.room(), startedEarlier))
                                    .map(id -> new Resolved(id, change, false, null));
                    if (change instanceof SessionChange.Started started && started.sessionId() != null) {
                        startedEarlier.put(started.room(), started.sessionId());
                    }
                    // An answered dial's row of its own made in this batch is its room's call, as it will be once stored:
                    // the CallEnded that follows it in the batch ends that row, not an older session of the room.
                    if (change instanceof SessionChange.DialOutcome dial && !dial.failed() && target.isPresent() && target.get().dialOnly()) {
                        startedEarlier.put(dial.room(), target.get().sessionId());
                    }
                    if (target.isPresent()) {
                        resolved.add(target.get());
                    } else {
                        skipped++; // an event without sessionId for a room with no session: nothing to attach it to
                    }
                }
                resolved = folded(connection, resolved);
                Set<UUID> ids = new TreeSet<>();
                for (Resolved r : resolved) {
                    ids.add(r.sessionId());
                    if (r.foldFrom() != null) {
                        ids.add(r.foldFrom());
                    }
                }
                SessionLocks.shared(connection, ids);
                Set<UUID> deleted = Tombstones.deletedAmong(connection, ids);
                // Rows are locked in session order (a stable sort keeps each session's events in arrival order).
                resolved.sort(Comparator.comparing(Resolved::sessionId));
                int changed = 0;
                List<EndedDial> dialsEnded = new ArrayList<>();
                for (Resolved r : resolved) {
                    if (deleted.contains(r.sessionId())) {
                        skipped++;
                        continue;
                    }
                    changed += apply(connection, r, dialsEnded);
                }
                connection.commit();
                return new Result(changed, changes.size() - changed - skipped, skipped, List.copyOf(dialsEnded));
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(connection, e);
                throw e;
            } finally {
                Jdbc.restoreAutoCommit(connection);
            }
        }
    }

    /**
     * Where a change goes.
     *
     * @param dialOnly a dial outcome stored in a row of its own
     * @param foldFrom for a SessionStarted: the row of its dial's own, to fold into it
     */
    private record Resolved(UUID sessionId, SessionChange change, boolean dialOnly, UUID foldFrom) {
    }

    /** The id of a dial outcome's row of its own: the same for every delivery of the outcome. */
    static UUID dialOnlyId(SessionChange.DialOutcome dial) {
        return UUID.nameUUIDFromBytes(("dial\u0000" + dial.room() + "\u0000" + dialKey(dial)).getBytes(StandardCharsets.UTF_8));
    }

    private static String dialKey(SessionChange.DialOutcome dial) {
        return dial.dialCommandId() != null ? "command:" + dial.dialCommandId() : "event:" + dial.eventId();
    }

    /** Finds the session of each dial outcome of a batch, knowing the batch's own SessionStarted too. */
    private static final class Targets {
        private final Map<String, List<SessionChange.Started>> startsByRoom = new HashMap<>();
        /** Dial key -> the session it completes in this batch, and the other way round. */
        private final Map<String, UUID> byDial = new HashMap<>();
        private final Map<UUID, String> claimed = new HashMap<>();

        Targets(List<SessionChange> changes) {
            for (SessionChange change : changes) {
                if (change instanceof SessionChange.Started started && started.sessionId() != null) {
                    startsByRoom.computeIfAbsent(started.room(), room -> new ArrayList<>()).add(started);
                }
            }
        }

        Resolved dial(Connection connection, SessionChange.DialOutcome dial) throws SQLException {
            String key = dialKey(dial);
            UUID earlier = byDial.get(key);
            if (earlier != null) {
                return new Resolved(earlier, dial, earlier.equals(dialOnlyId(dial)), null);
            }
            Optional<UUID> target = holding(connection, dial);
            if (target.isEmpty()) {
                target = latestThatCanBeTheDials(connection, dial).filter(id -> !claimed.containsKey(id));
            }
            UUID id = target.orElseGet(() -> dialOnlyId(dial));
            byDial.put(key, id);
            claimed.put(id, key);
            // Its row of its own whether made now or stored before (a replay): the batch then treats it the same either way.
            return new Resolved(id, dial, id.equals(dialOnlyId(dial)), null);
        }

        private static Optional<UUID> holding(Connection connection, SessionChange.DialOutcome dial) throws SQLException {
            return dial.dialCommandId() != null
                    ? firstId(connection, SESSION_OF_DIAL, dial.room(), dial.dialCommandId())
                    : firstId(connection, SESSION_OF_OUTCOME, dial.room(), dial.outcome(), Jdbc.timestamp(dial.occurredAt()));
        }

        /** The room's latest session (stored, or started in this batch), if nothing says it is another call's. */
        private Optional<UUID> latestThatCanBeTheDials(Connection connection, SessionChange.DialOutcome dial) throws SQLException {
            Instant at = dial.occurredAt();
            Optional<SessionChange.Started> batchStart = startsByRoom.getOrDefault(dial.room(), List.of()).stream()
                    .max(Comparator.comparing(SessionChange.Started::occurredAt));
            try (PreparedStatement statement = connection.prepareStatement(LATEST_OF_ROOM_FOR_DIAL)) {
                statement.setString(1, dial.room());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        UUID stored = rs.getObject("session_id", UUID.class);
                        Instant startedAt = Jdbc.instant(rs, "started_at");
                        boolean batchIsNewer = batchStart.isPresent() && !batchStart.get().sessionId().equals(stored)
                                && !batchStart.get().occurredAt().isBefore(startedAt);
                        if (!batchIsNewer) {
                            Instant endedAt = Jdbc.instant(rs, "ended_at");
                            String command = rs.getString("dial_command_id");
                            boolean canBe = !rs.getBoolean("dial_only") && rs.getString("dial_outcome") == null
                                    && (command == null || command.equals(dial.dialCommandId()))
                                    && canBeDialled(rs.getString("direction")) && sameTenant(rs.getString("tenant"), dial)
                                    && !startedAt.isAfter(at.plus(DIAL_WINDOW))
                                    && (endedAt == null || !endedAt.isBefore(at.minus(DIAL_WINDOW)))
                                    // its SessionStarted in this batch may name another dial
                                    && (batchStart.isEmpty() || !batchStart.get().sessionId().equals(stored) || batchCanBe(batchStart.get(), dial));
                            return canBe ? Optional.of(stored) : Optional.empty();
                        }
                    }
                }
            }
            return batchStart.filter(started -> batchCanBe(started, dial)).map(SessionChange.Started::sessionId);
        }

        private static boolean batchCanBe(SessionChange.Started started, SessionChange.DialOutcome dial) {
            return (started.dialCommandId() == null || started.dialCommandId().equals(dial.dialCommandId()))
                    && canBeDialled(started.direction()) && sameTenant(started.tenant(), dial)
                    && !started.occurredAt().isAfter(dial.occurredAt().plus(DIAL_WINDOW));
        }

        /**
         * A session the worker saw come in (INBOUND, WEB) is not the call a dial placed: the agent of a dialled room knows
         * it as OUTBOUND from the dial's details the call controller gives the phone leg. Only a session whose direction
         * is not known (yet, or from an older writer) is tied to a dial by the room alone. Without this, another session
         * in a room where a dial rings (another tenant's, say) would take the dial's outcome and its callee's number.
         */
        private static boolean canBeDialled(String direction) {
            return direction == null || !(direction.equals("INBOUND") || direction.equals("WEB"));
        }

        /** The dial's tenant (SessionEvent v3 on) against the session's, when both are known. */
        private static boolean sameTenant(String sessionTenant, SessionChange.DialOutcome dial) {
            return dial.tenant() == null || sessionTenant == null || SessionRow.TENANT_UNKNOWN.equals(sessionTenant)
                    || sessionTenant.equals(dial.tenant());
        }
    }

    /**
     * Each SessionStarted with the room's row of its dial's own to fold into it (found before the batch is written), and
     * the batch's other changes of that row sent to the session instead, so that it is not made again.
     */
    private static List<Resolved> folded(Connection connection, List<Resolved> resolved) throws SQLException {
        Map<UUID, UUID> into = new HashMap<>();
        List<Resolved> out = new ArrayList<>(resolved.size());
        for (Resolved r : resolved) {
            if (r.change() instanceof SessionChange.Started started && Targets.canBeDialled(started.direction())) {
                Instant at = started.occurredAt();
                Optional<UUID> own = firstId(connection, DIAL_ONLY_TO_FOLD, started.room(), r.sessionId(), started.dialCommandId(),
                        Jdbc.timestamp(at.minus(DIAL_WINDOW)), Jdbc.timestamp(at.plus(DIAL_WINDOW)), started.dialCommandId(),
                        started.tenant());
                if (own.isPresent() && !into.containsKey(own.get())) {
                    into.put(own.get(), r.sessionId());
                    out.add(new Resolved(r.sessionId(), started, false, own.get()));
                    continue;
                }
            }
            out.add(r);
        }
        if (into.isEmpty()) {
            return out;
        }
        List<Resolved> redirected = new ArrayList<>(out.size());
        for (Resolved r : out) {
            UUID session = into.get(r.sessionId());
            redirected.add(session == null ? r : new Resolved(session, r.change(), false, null));
        }
        return redirected;
    }

    private static Optional<UUID> latestOfRoom(Connection connection, String room, Map<String, UUID> startedEarlier) throws SQLException {
        UUID inBatch = startedEarlier.get(room);
        return inBatch != null ? Optional.of(inBatch) : firstId(connection, LATEST_OF_ROOM, room);
    }

    private static Optional<UUID> firstId(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static int apply(Connection connection, Resolved r, List<EndedDial> dialsEnded) throws SQLException {
        UUID id = r.sessionId();
        return switch (r.change()) {
            case SessionChange.Started s -> {
                int changed = update(connection, STARTED, id, s.room(), Jdbc.timestamp(s.occurredAt()), s.transport(),
                        s.direction(), s.agentName(), s.workerId(), s.callerNumber(), s.calleeNumber(), s.sipCallId(), s.sipTrunkId(),
                        Jdbc.json(s.metadata()), s.tenant(), s.dialCommandId());
                yield r.foldFrom() != null && fold(connection, id, r.foldFrom(), s.room()) ? 1 : changed;
            }
            case SessionChange.Ended e -> update(connection, ENDED, id, e.room(),
                    Jdbc.timestamp(e.occurredAt().minusMillis(e.durationMs())), Jdbc.timestamp(e.occurredAt()), e.durationMs(),
                    e.reason(), e.endedByKind(), e.endedById(), e.endedByName(), e.detail(), Jdbc.json(e.usage()));
            case SessionChange.HungUp h -> {
                int changed = update(connection, HUNG_UP, id, h.room(), Jdbc.timestamp(h.occurredAt()),
                        Jdbc.timestamp(h.occurredAt()), h.reason(), h.method(), h.commandId());
                int ended = update(connection, DIAL_ONLY_ENDED, h.endedByKind(), h.endedById(), h.endedByName(), h.detail(), id,
                        Jdbc.timestamp(h.occurredAt()), h.reason(), h.commandId());
                if (ended > 0) {
                    dialsEnded.add(new EndedDial(id, h.room(), h.reason(), h.occurredAt()));
                }
                yield Math.max(changed, ended);
            }
            case SessionChange.NumberSeen n -> update(connection, REMOTE_PARTY_NUMBER, n.phoneNumber(), n.phoneNumber(), id);
            case SessionChange.DialOutcome d -> update(connection, DIAL_OUTCOME, id, d.room(), Jdbc.timestamp(d.occurredAt()),
                    d.phoneNumber(), d.fromNumber(), d.agentName(), d.sipCallId(), d.dialCommandId(), d.outcome(), d.answeredBy(), d.sipStatusCode(), d.sipStatus(),
                    d.detail(), r.dialOnly(), d.tenant());
            case SessionChange.AnswerClassified c -> update(connection, ANSWER_CLASSIFIED, c.answeredBy(), id, c.answeredBy());
            case SessionChange.Transfer t -> update(connection, TRANSFER, id, t.room(), Jdbc.timestamp(t.occurredAt()),
                    Jdbc.json(TransferEntry.of(t)));
        };
    }

    /**
     * The dial's own row goes into the session (when the session holds no outcome yet), and once the session holds the
     * same outcome the row is deleted and its id remembered as deleted, so that a redelivery cannot make it again.
     */
    private static boolean fold(Connection connection, UUID session, UUID dialOnly, String room) throws SQLException {
        int copied = update(connection, FOLD, session, dialOnly);
        if (update(connection, FOLDED, dialOnly, session) == 0) {
            return copied > 0;
        }
        Tombstones.record(connection, List.of(dialOnly), room, "folded into " + session);
        return true;
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
