package dev.switchboard.transcripts.ingest;

import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.InvalidRecordException;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.transcripts.store.SqlErrors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what a batch's records come to in one transaction and, when that fails for anything but an outage, once per
 * record: the records that store are stored, and only those that fail on their own are dead-lettered, through
 * {@link DeadLetters} like every other poison record. A record the database rejects (a value it cannot take) is
 * {@code invalid}; one whose write fails otherwise (a bug, or a record nobody foresaw) is {@code failed}, with the
 * exception's message and class. An outage is retried ({@link IngestRetry}) and dead-letters nothing.
 *
 * <p>Writing a record of the failed batch again is harmless: the batch's transaction was rolled back, and the writes
 * are upserts by id anyway.
 */
@ApplicationScoped
public class BatchWrites {
    private static final Logger LOG = Logger.getLogger(BatchWrites.class);

    /** What one record of a batch comes to, with the record, to dead-letter it if it cannot be written. */
    public interface Item {
        Message<?> record();
    }

    /** Writes some of the batch's items in one transaction. */
    @FunctionalInterface
    public interface Write<T> {
        void write(List<T> items) throws SQLException;
    }

    private final IngestRetry retry;
    private final DeadLetters deadLetters;

    BatchWrites(IngestRetry retry, DeadLetters deadLetters) {
        this.retry = retry;
        this.deadLetters = deadLetters;
    }

    /**
     * Writes the items, adding the dead letters of those that could not be written to {@code deadLettered} (the batch
     * is acknowledged once Kafka has them); returns the items written.
     *
     * @param noun what the items are, for the log: {@code "segment(s)"}
     */
    public <T extends Item> List<T> write(String noun, List<T> items, Write<T> write, List<Uni<Void>> deadLettered)
            throws IngestRetry.Stopping {
        try {
            run("writing " + items.size() + " " + noun, write, items);
            return items;
        } catch (SQLException e) {
            LOG.warnf("a batch of %d %s was rejected, writing them one by one: %s", items.size(), noun, SqlErrors.describe(e));
        } catch (RuntimeException e) {
            // Not an outage (retried above) nor a value the database refuses: a bug, or a record nobody foresaw.
            // Which record, if any, is at fault shows one by one; the batch's failure alone needs no stack trace.
            LOG.warnf("a batch of %d %s failed unexpectedly, writing them one by one: %s", items.size(), noun, e);
        }
        List<T> written = new ArrayList<>();
        for (T item : items) {
            try {
                run("writing one of " + items.size() + " " + noun, write, List.of(item));
                written.add(item);
            } catch (SQLException e) {
                deadLettered.add(deadLetters.send(item.record(),
                        Poison.invalid(new InvalidRecordException("the database rejected it: " + SqlErrors.describe(e)))));
            } catch (RuntimeException e) {
                // One record's failure: the dead letter says why (its WARN line, kind, reason, exception class), so
                // the stack trace is only for whoever turns DEBUG on.
                LOG.debugf(e, "writing one of %d %s failed unexpectedly", items.size(), noun);
                deadLettered.add(deadLetters.send(item.record(), Poison.failed(e)));
            }
        }
        return written;
    }

    private <T> void run(String what, Write<T> write, List<T> items) throws SQLException, IngestRetry.Stopping {
        retry.run(what, () -> {
            write.write(items);
            return null;
        });
    }
}
