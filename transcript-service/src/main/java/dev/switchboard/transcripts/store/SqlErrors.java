package dev.switchboard.transcripts.store;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/**
 * Describes a database error for logs and dead-letter reasons without the data it was about. PostgreSQL's detail
 * ("Failing row contains (...)", "Key (...)=(...)") can quote transcript text, so only the SQLState and the
 * primary message are kept.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * Transient by SQLState class: 08 connection, 40 transaction rollback (deadlock, serialization), 53 insufficient
     * resources, 55 object not in prerequisite state (lock not available), 57 operator intervention (shutdown,
     * restart), 58 system error; no state at all means the pool could not hand out a connection. Worth retrying, and
     * what "the database is unavailable" means.
     */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.length() < 2) {
            return true;
        }
        return switch (state.substring(0, 2)) {
            case "08", "40", "53", "55", "57", "58" -> true;
            default -> false;
        };
    }

    /**
     * The database refuses a value it was given: class 22 data exception (a NUL byte, a timestamp out of range, a
     * number that does not fit) or 54 program limit exceeded (a search too complex). Retrying cannot help; over HTTP
     * it is the request's mistake.
     */
    public static boolean isBadValue(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }

    /** The server's primary message alone, e.g. "timestamp out of range", without the data it was about. */
    public static String primaryMessage(SQLException e) {
        // A batch's exception says "Batch entry 0 INSERT ... was aborted" with the whole statement and its values, over
        // several lines; the server's own message is on the exception chained to it.
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (cause instanceof PSQLException psql) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                if (server != null && server.getMessage() != null) {
                    return server.getMessage();
                }
            }
        }
        return e.getMessage();
    }

    public static String describe(SQLException e) {
        return "SQLState " + e.getSQLState() + ": " + primaryMessage(e);
    }
}
