package dev.switchboard.transcripts.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads stored rows from result sets (columns by name, so a query may select more). */
final class Rows {
    static final String SESSION_COLUMNS = "s.session_id, s.room, s.started_at, s.start_known, s.transport, s.direction, s.agent_name,"
            + " s.worker_id, s.caller_number, s.callee_number, s.sip_call_id, s.sip_trunk_id, s.metadata::text AS metadata,"
            + " s.ended_at, s.duration_ms, s.end_reason, s.ended_by_kind, s.ended_by_id, s.ended_by_name, s.end_detail,"
            + " s.usage::text AS usage, s.hangup_at, s.hangup_reason, s.hangup_method, s.hangup_command_id, s.tenant,"
            + " s.dial_command_id, s.dial_outcome, s.dial_outcome_at, s.answered_by, s.sip_status_code, s.sip_status, s.dial_detail,"
            + " s.dial_only, s.transfers::text AS transfers";

    static final String SEGMENT_COLUMNS = "g.segment_id, g.session_id, g.room, g.sequence, g.revision, g.role, g.participant_identity,"
            + " g.text, g.start_ms, g.end_ms, g.is_final, g.interrupted, g.generated_text, g.language, g.confidence,"
            + " g.injected_by_kind, g.injected_by_id, g.injected_by_name, g.command_id, g.label, g.created_at,"
            + " array_to_string(g.redactions, ',') AS redactions,"
            + " g.search_config::text AS search_config";

    private Rows() {
    }

    static SessionRow session(ResultSet rs) throws SQLException {
        Map<String, String> metadata = Jdbc.jsonMap(rs.getString("metadata"));
        Map<String, Object> usage = Jdbc.jsonMap(rs.getString("usage"));
        return new SessionRow(
                rs.getObject("session_id", UUID.class),
                rs.getString("room"),
                Jdbc.instant(rs, "started_at"),
                rs.getBoolean("start_known"),
                rs.getString("transport"),
                rs.getString("direction"),
                rs.getString("agent_name"),
                rs.getString("worker_id"),
                rs.getString("caller_number"),
                rs.getString("callee_number"),
                rs.getString("sip_call_id"),
                rs.getString("sip_trunk_id"),
                metadata == null ? Map.of() : metadata,
                Jdbc.instant(rs, "ended_at"),
                Jdbc.nullableLong(rs, "duration_ms"),
                rs.getString("end_reason"),
                rs.getString("ended_by_kind"),
                rs.getString("ended_by_id"),
                rs.getString("ended_by_name"),
                rs.getString("end_detail"),
                usage,
                Jdbc.instant(rs, "hangup_at"),
                rs.getString("hangup_reason"),
                rs.getString("hangup_method"),
                rs.getString("hangup_command_id"),
                rs.getString("tenant"),
                dial(rs),
                TransferEntry.read(rs.getString("transfers")));
    }

    private static SessionRow.Dial dial(ResultSet rs) throws SQLException {
        String commandId = rs.getString("dial_command_id");
        String outcome = rs.getString("dial_outcome");
        String answeredBy = rs.getString("answered_by");
        if (commandId == null && outcome == null && answeredBy == null) {
            return null;
        }
        return new SessionRow.Dial(commandId, outcome, Jdbc.instant(rs, "dial_outcome_at"), answeredBy,
                rs.getObject("sip_status_code", Integer.class),
                rs.getString("sip_status"), rs.getString("dial_detail"), rs.getBoolean("dial_only"));
    }

    static SegmentRow segment(ResultSet rs) throws SQLException {
        return new SegmentRow(
                rs.getObject("segment_id", UUID.class),
                rs.getObject("session_id", UUID.class),
                rs.getString("room"),
                rs.getLong("sequence"),
                rs.getInt("revision"),
                rs.getString("role"),
                rs.getString("participant_identity"),
                rs.getString("text"),
                rs.getLong("start_ms"),
                rs.getLong("end_ms"),
                rs.getBoolean("is_final"),
                rs.getBoolean("interrupted"),
                rs.getString("generated_text"),
                rs.getString("language"),
                Jdbc.nullableFloat(rs, "confidence"),
                rs.getString("injected_by_kind"),
                rs.getString("injected_by_id"),
                rs.getString("injected_by_name"),
                rs.getString("command_id"),
                rs.getString("label"),
                Jdbc.instant(rs, "created_at"),
                words(rs.getString("redactions")),
                rs.getString("search_config"),
                null /* the session's: segments have no tenant column, their session does */);
    }

    /** The detector labels, sent as one comma-separated string: cheaper to read than a SQL array, and they never contain commas. */
    private static List<String> words(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }
}
