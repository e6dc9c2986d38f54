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
    /** The database did not answer or refused for now: a problem of its own, so clients can tell it from other 503s. */
    public static final ProblemType DATABASE_UNAVAILABLE = ProblemType.named("database-unavailable", "Transcript database unavailable", 503);
    /**
     * When to ask again: a restarted PostgreSQL takes connections again within about 2 s (the local stack measured the
     * service ready again 2.4 s after a crash) and the pool checks a connection idle for 2 s before handing it out, so 2 s
     * is the earliest a retry can succeed; a database that stays away costs a client one quick 503 per 2 s, no more.
     */
    public static final String RETRY_AFTER_SECONDS = "2";
    /** The 503 of every operation in the OpenAPI document: this one, and the kit's while token keys cannot be fetched. */
    static final String UNAVAILABLE_DESCRIPTION = "The transcript database is unavailable or did not answer in time (type "
            + "urn:switchboard:problem:database-unavailable, within about 10 s), or the keys that verify tokens cannot be "
            + "fetched (token-keys-unavailable); try again after Retry-After";

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        if (!(failure instanceof SQLException e)) {
            return Optional.empty();
        }
        if (SqlErrors.isTransient(e)) {
            return Optional.of(new ProblemException(DATABASE_UNAVAILABLE, "the transcript database is unavailable; try again shortly")
                    .header("Retry-After", RETRY_AFTER_SECONDS).logNote(SqlErrors.describe(e)));
        }
        if (SqlErrors.isBadValue(e)) {
            return Optional.of(ProblemException.invalid("the database cannot take a value of this request: " + SqlErrors.primaryMessage(e))
                    .logNote(SqlErrors.describe(e)));
        }
        return Optional.empty();
    }
}
