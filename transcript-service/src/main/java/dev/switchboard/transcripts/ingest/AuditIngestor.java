package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.InvalidRecordException;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.kit.kafka.StorableInstant;
import dev.switchboard.transcripts.mapping.StorableText;
import dev.switchboard.transcripts.store.AuditStore;
import dev.switchboard.transcripts.store.SqlErrors;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Stores the audit topic batch by batch, with the guarantees of the transcript ingestion: one transaction per batch,
 * acknowledged after commit, a record stored once however often it is delivered, poison records dead-lettered.
 */
@ApplicationScoped
public class AuditIngestor {
    private static final Logger LOG = Logger.getLogger(AuditIngestor.class);

    private final AuditStore store;
    private final IngestRetry retry;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;

    AuditIngestor(AuditStore store, IngestRetry retry, DeadLetters deadLetters, MeterRegistry metrics) {
        this.store = store;
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    private record Candidate(AuditRecord audit, KafkaRecord<String, AuditRecord> record) {
    }

    @Incoming("audit-in")
    @Blocking
    public CompletionStage<Void> ingest(KafkaRecordBatch<String, AuditRecord> batch) {
        List<Uni<Void>> deadLettered = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (KafkaRecord<String, AuditRecord> record : batch.getRecords()) {
            deadLetters.unusable(record).or(() -> outOfRange(record.getPayload())).ifPresentOrElse(
                    poison -> deadLettered.add(deadLetters.send(record, poison)),
                    () -> candidates.add(new Candidate(StorableText.cleaned(record.getPayload()), record)));
        }
        try {
            write(candidates, deadLettered);
        } catch (IngestRetry.Stopping e) {
            LOG.infof("stopping: %d audit record(s) left unacknowledged, they are consumed again after the restart", batch.getRecords().size());
            return CompletableFuture.completedFuture(null);
        }
        TranscriptIngestor.awaitDeadLetters(deadLettered);
        metrics.counter("switchboard.transcripts.ingest.records", "topic", "audit").increment(batch.getRecords().size());
        return batch.ack();
    }

    private static Optional<Poison> outOfRange(AuditRecord audit) {
        try {
            StorableInstant.of("occurredAt", audit.getOccurredAt());
            return Optional.empty();
        } catch (InvalidRecordException e) {
            return Optional.of(Poison.invalid(e));
        }
    }

    private void write(List<Candidate> candidates, List<Uni<Void>> deadLettered) throws IngestRetry.Stopping {
        List<AuditRecord> records = candidates.stream().map(Candidate::audit).toList();
        try {
            retry.run("storing " + records.size() + " audit record(s)", () -> store.insert(records));
            return;
        } catch (SQLException e) {
            LOG.warnf("a batch of %d audit record(s) was rejected, storing them one by one: %s", records.size(), SqlErrors.describe(e));
        }
        for (Candidate candidate : candidates) {
            try {
                retry.run("storing an audit record", () -> store.insert(List.of(candidate.audit())));
            } catch (SQLException e) {
                deadLettered.add(deadLetters.send(candidate.record(),
                        Poison.invalid(new InvalidRecordException("the database rejected it: " + SqlErrors.describe(e)))));
            }
        }
    }
}
