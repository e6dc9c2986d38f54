package dev.switchboard.transcripts.store;

import java.util.List;

/**
 * The conditions of a {@link SessionFilter} on one stored session, the same for the session list and for the sessions
 * of search hits (the transcript conditions, hasText and text, are the list's own).
 */
final class SessionPredicates {
    private SessionPredicates() {
    }

    /** Whether the filter narrows the sessions at all. */
    static boolean any(SessionFilter filter) {
        return filter.from() != null || filter.to() != null || filter.phone() != null || filter.agent() != null
                || filter.endReason() != null || filter.direction() != null || filter.outcome() != null || filter.answeredBy() != null
                || filter.room() != null || filter.live() != null || filter.tenant() != null;
    }

    /** Appends " AND ..." for every condition of the filter on the sessions row {@code alias}, and their values. */
    static void append(StringBuilder sql, List<Object> parameters, String alias, SessionFilter filter) {
        if (filter.from() != null) {
            sql.append(" AND ").append(alias).append(".started_at >= ?");
            parameters.add(Jdbc.timestamp(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND ").append(alias).append(".started_at < ?");
            parameters.add(Jdbc.timestamp(filter.to()));
        }
        if (filter.phone() != null) {
            // Stored numbers are E.164 ("+14155550100"); a number given without its "+" matches too.
            String digits = filter.phone().startsWith("+") ? filter.phone().substring(1) : filter.phone();
            sql.append(" AND (").append(alias).append(".caller_number IN (?, ?) OR ").append(alias).append(".callee_number IN (?, ?))");
            parameters.addAll(List.of(digits, "+" + digits, digits, "+" + digits));
        }
        equal(sql, parameters, alias + ".agent_name", filter.agent());
        equal(sql, parameters, alias + ".end_reason", filter.endReason());
        equal(sql, parameters, alias + ".direction", filter.direction());
        equal(sql, parameters, alias + ".dial_outcome", filter.outcome());
        equal(sql, parameters, alias + ".answered_by", filter.answeredBy());
        equal(sql, parameters, alias + ".room", filter.room());
        equal(sql, parameters, alias + ".tenant", filter.tenant());
        if (filter.live() != null) {
            sql.append(" AND ").append(alias).append(filter.live() ? ".ended_at IS NULL" : ".ended_at IS NOT NULL");
        }
    }

    private static void equal(StringBuilder sql, List<Object> parameters, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
    }
}
