package dev.switchboard.transcripts.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Direct reads of the service's database, for what the API does not show (tombstones, exact row contents). */
public final class Database {
    private Database() {
    }

    /** Every row of the table as text, every column, in a stable order: equal snapshots mean nothing changed. */
    public static List<String> snapshot(DataSource dataSource, String table, String orderBy) {
        return query(dataSource, "SELECT * FROM " + table + " ORDER BY " + orderBy);
    }

    public static List<String> query(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(meta.getColumnName(i)).append('=').append(Objects.toString(rs.getString(i))).append(i < meta.getColumnCount() ? "|" : "");
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of the room's sessions, every column, oldest session first: equal lists mean nothing changed. */
    public static List<String> sessionRowsOfRoom(DataSource dataSource, String room) {
        return query(dataSource, "SELECT * FROM sessions WHERE room = '" + room + "' ORDER BY session_id");
    }

    public static long count(DataSource dataSource, String sql) {
        return Long.parseLong(query(dataSource, sql).getFirst().split("=", 2)[1]);
    }
}
