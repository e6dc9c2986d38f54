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

    public static String describe(SQLException e) {
        String message = e.getMessage();
        if (e instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                message = server.getMessage();
            }
        }
        return "SQLState " + e.getSQLState() + ": " + message;
    }
}
