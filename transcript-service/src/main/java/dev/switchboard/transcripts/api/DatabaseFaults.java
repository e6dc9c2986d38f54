package dev.switchboard.transcripts.api;

import dev.switchboard.kit.problem.FaultTranslator;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import dev.switchboard.transcripts.store.SqlErrors;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.util.Optional;

/**
 * What a database error means for the client. Only an outage (connection, pool, shutdown, locks) is 503 and worth
 * retrying; a value the database refuses is the request's mistake, 400 (parameters are checked before they reach
 * the database, so this is the safety net); anything else is this service's own fault, an unexpected 500.
 */
@Singleton
public class DatabaseFaults implements FaultTranslator {

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        if (!(failure instanceof SQLException e)) {
            return Optional.empty();
        }
        if (SqlErrors.isTransient(e)) {
            return Optional.of(new ProblemException(ProblemType.of(503), "the transcript database is unavailable; try again shortly")
                    .logNote(SqlErrors.describe(e)));
        }
        if (SqlErrors.isBadValue(e)) {
            return Optional.of(ProblemException.invalid("the database cannot take a value of this request: " + SqlErrors.primaryMessage(e))
                    .logNote(SqlErrors.describe(e)));
        }
        return Optional.empty();
    }
}
