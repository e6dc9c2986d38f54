package dev.switchboard.transcripts.ingest;

import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.store.SqlErrors;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Retries a database write while the failure is transient (connection lost, database restarting, deadlock,
 * serialization failure, out of resources): the batch is not acknowledged meanwhile, so the consumer pauses
 * instead of dead-lettering good records. Gives up only when the service stops; the records are then consumed
 * again after the restart.
 */
@ApplicationScoped
public class IngestRetry {
    private static final Logger LOG = Logger.getLogger(IngestRetry.class);

    /** The service is stopping while a write was still failing; the batch stays unacknowledged. */
    public static final class Stopping extends Exception {
        Stopping(SQLException last) {
            super("stopped while retrying: " + SqlErrors.describe(last), last);
        }
    }

    @FunctionalInterface
    public interface Write<T> {
        T run() throws SQLException;
    }

    private final long maxBackoffMillis;
    private volatile boolean stopping;

    IngestRetry(TranscriptsConfig config) {
        this.maxBackoffMillis = Math.max(100, config.ingest().maxRetryBackoff().toMillis());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Runs the write; retries transient failures, rethrows the others at once. */
    public <T> T run(String what, Write<T> write) throws SQLException, Stopping {
        long backoff = 50;
        int attempt = 1;
        while (true) {
            try {
                return write.run();
            } catch (SQLException e) {
                if (!SqlErrors.isTransient(e)) {
                    throw e;
                }
                if (stopping) {
                    throw new Stopping(e);
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("%s failed (attempt %d), retrying: %s", what, attempt, SqlErrors.describe(e));
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, maxBackoffMillis);
                attempt++;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
