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

/**
 * Full-text search over every stored segment, newest first, keyset-paginated: a scan of the newest lines for
 * frequent terms, the GIN index on the stored tsvector for rare ones.
 * The query is parsed with websearch_to_tsquery, so any user input is valid ("refund -partial", "\"wrong address\"",
 * "card or invoice"); highlights come from ts_headline for the returned rows only.
 */
@ApplicationScoped
public class SearchQueries {
    /** Marks a highlighted word; control characters, so they cannot collide with text and survive HTML escaping. */
    public static final char MARK_START = '\u0001';
    public static final char MARK_END = '\u0002';
    // The whole line: transcript lines are short, and ts_headline's fragments drop punctuation and anything that looks
    // like markup; only which words matched is taken from it (see Highlights).
    /** How many of the newest lines are searched first (see {@link #search}). */
    static final int PROBE_WINDOW = 10_000;
    private static final String HEADLINE_OPTIONS = "StartSel=" + MARK_START + ", StopSel=" + MARK_END + ", HighlightAll=true";

    /**
     * @param room     only lines of this room
     * @param role     only lines of this role
     * @param sessions only lines of the sessions this matches (its tenant included: null for every tenant's); the
     *                 transcript conditions (hasText, text) are not used here
     */
    public record Query(String text, String config, String room, String role, SessionFilter sessions) {
    }

    public record After(Instant createdAt, UUID segmentId) {
    }

    public record Hit(SegmentRow segment, SessionRow session, String headline) {
    }

    public record Page(List<Hit> hits, After next) {
    }

    private final AgroalDataSource dataSource;

    SearchQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Page search(Query query, After after, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // For one word the planner knows from the statistics how frequent it is and picks the GIN index (rare) or
            // the newest-first scan (frequent) well. For several it assumes they occur independently ("credit card"
            // is estimated as rare as credit times card) and may fetch every match through the index; so the newest
            // lines are searched first, where a frequent phrase fills a page at once.
            List<Hit> hits = words(query.text()) > 1 ? run(connection, query, after, limit, PROBE_WINDOW) : List.of();
            if (hits.size() <= limit) {
                // Fewer than a page among them: the matches are rare enough for the GIN index to fetch them all.
                hits = run(connection, query, after, limit, 0);
            }
            if (hits.size() <= limit) {
                return new Page(hits, null);
            }
            List<Hit> page = List.copyOf(hits.subList(0, limit));
            SegmentRow last = page.getLast().segment();
            return new Page(page, new After(last.createdAt(), last.segmentId()));
        }
    }

    static int words(String text) {
        int words = 0;
        for (String word : text.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && !word.equalsIgnoreCase("or")) {
                words++;
            }
        }
        return words;
    }

    /**
     * @param window 0 for every line, else only the newest {@code window} lines (after the cursor) are searched.
     *               The page of matching lines is chosen first and joined with its sessions afterwards, so the join
     *               cannot make the planner consume every candidate before it sorts.
     */
    private static List<Hit> run(Connection connection, Query query, After after, int limit, int window) throws SQLException {
        String config = SearchConfigs.literal(query.config());
        List<Object> parameters = new ArrayList<>();
        // The tsquery is written out where it is used, not in a CTE, so the planner sees a constant it can estimate.
        String tsquery = "websearch_to_tsquery(" + config + ", ?)";
        StringBuilder sql = new StringBuilder("WITH page AS (SELECT n.* FROM ");
        if (window > 0) {
            sql.append("(SELECT * FROM segments w");
            if (after != null) {
                sql.append(" WHERE (w.created_at, w.segment_id) < (?, ?)");
                parameters.add(Jdbc.timestamp(after.createdAt()));
                parameters.add(after.segmentId());
            }
            sql.append(" ORDER BY w.created_at DESC, w.segment_id DESC LIMIT ?) n");
            parameters.add(window);
        } else {
            sql.append("segments n");
        }
        sql.append(" WHERE n.tsv @@ ").append(tsquery);
        parameters.add(query.text());
        if (query.room() != null) {
            sql.append(" AND n.room = ?");
            parameters.add(query.room());
        }
        if (query.role() != null) {
            sql.append(" AND n.role = ?");
            parameters.add(query.role());
        }
        if (SessionPredicates.any(query.sessions())) {
            sql.append(" AND EXISTS (SELECT 1 FROM sessions f WHERE f.session_id = n.session_id");
            SessionPredicates.append(sql, parameters, "f", query.sessions());
            sql.append(')');
        }
        if (after != null) {
            sql.append(" AND (n.created_at, n.segment_id) < (?, ?)");
            parameters.add(Jdbc.timestamp(after.createdAt()));
            parameters.add(after.segmentId());
        }
        sql.append(" ORDER BY n.created_at DESC, n.segment_id DESC LIMIT ?)");
        parameters.add(limit + 1);
        sql.append(" SELECT ").append(Rows.SEGMENT_COLUMNS).append(", ").append(Rows.SESSION_COLUMNS)
                .append(", ts_headline(").append(config).append(", g.text, ").append(tsquery).append(", ?) AS headline")
                .append(" FROM page g JOIN sessions s ON s.session_id = g.session_id");
        parameters.add(query.text());
        parameters.add(HEADLINE_OPTIONS);
        sql.append(" ORDER BY g.created_at DESC, g.segment_id DESC");
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            Jdbc.planForTheseValues(statement);
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<Hit> hits = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    hits.add(new Hit(Rows.segment(rs), Rows.session(rs), rs.getString("headline")));
                }
            }
            return hits;
        }
    }
}
