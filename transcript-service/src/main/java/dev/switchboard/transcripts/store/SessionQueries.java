package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Lists sessions with filters, a sort and keyset pagination (stable under concurrent inserts, unlike OFFSET). */
@ApplicationScoped
public class SessionQueries {
    /** A position in a sorted list: the sort key of the last row seen and its id. */
    public record After(String key, UUID sessionId) {
    }

    /** A page and, when more rows follow, the position after its last row. */
    public record Page(List<SessionRow> sessions, After next) {
    }

    private final AgroalDataSource dataSource;

    SessionQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Page list(SessionFilter filter, SessionSort sort, After after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.SESSION_COLUMNS).append(" FROM sessions s WHERE true");
        List<Object> parameters = new ArrayList<>();
        SessionPredicates.append(sql, parameters, "s", filter);
        if (filter.hasText() != null) {
            sql.append(filter.hasText() ? " AND" : " AND NOT").append(" EXISTS (SELECT 1 FROM segments g WHERE g.session_id = s.session_id)");
        }
        if (filter.text() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM segments g WHERE g.session_id = s.session_id"
                    + " AND g.tsv @@ websearch_to_tsquery(").append(SearchConfigs.literal(filter.textConfig())).append(", ?))");
            parameters.add(filter.text());
        }
        String direction = sort.descending() ? "DESC" : "ASC";
        if (after != null) {
            sql.append(" AND (").append(sort.expression()).append(", s.session_id) ").append(sort.descending() ? "<" : ">").append(" (?, ?)");
            parameters.add(sort.byTime() ? Jdbc.timestamp(Instant.parse(after.key())) : Long.parseLong(after.key()));
            parameters.add(after.sessionId());
        }
        sql.append(" ORDER BY ").append(sort.expression()).append(' ').append(direction).append(", s.session_id ").append(direction);
        sql.append(" LIMIT ?");
        parameters.add(limit + 1);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            if (filter.text() != null) {
                Jdbc.planForTheseValues(statement);
            }
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<SessionRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(Rows.session(rs));
                }
            }
            if (rows.size() <= limit) {
                return new Page(rows, null);
            }
            List<SessionRow> page = rows.subList(0, limit);
            SessionRow last = page.getLast();
            return new Page(List.copyOf(page), new After(sort.keyOf(last), last.sessionId()));
        }
    }
}
