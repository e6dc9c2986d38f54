package dev.switchboard.transcripts.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Small JDBC helpers shared by the stores. */
final class Jdbc {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jdbc() {
    }

    static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Back to autocommit before the connection returns to the pool; a broken connection is the pool's problem. */
    static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the pool validates and discards broken connections
        }
    }

    /** Gives a pooled connection back the network (socket) timeout it had before a statement that needed longer. */
    static void restoreNetworkTimeout(Connection connection, int milliseconds) {
        try {
            connection.setNetworkTimeout(Runnable::run, milliseconds);
        } catch (SQLException ignored) {
            // the pool validates and discards broken connections
        }
    }

    /**
     * Plans the statement for the values it is run with, every time, instead of letting the driver switch to a
     * server-side prepared statement whose generic plan ignores them. For full-text search that matters: the
     * best plan depends on how frequent the searched words are (GIN index for rare ones, newest-first index scan
     * for frequent ones), and a generic plan cannot know.
     */
    static void planForTheseValues(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Float nullableFloat(ResultSet rs, String column) throws SQLException {
        float value = rs.getFloat(column);
        return rs.wasNull() ? null : value;
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }

    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static List<Map<String, Object>> jsonList(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }

    static <T> Map<String, T> jsonMap(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, T>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }
}
