package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.InvalidRecordException;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.kit.kafka.StorableInstant;
import dev.switchboard.transcripts.mapping.StorableText;
import dev.switchboard.transcripts.store.AuditStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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
    private final BatchWrites writes;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;

    AuditIngestor(AuditStore store, BatchWrites writes, DeadLetters deadLetters, MeterRegistry metrics) {
        this.store = store;
        this.writes = writes;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    private record Candidate(AuditRecord audit, KafkaRecord<String, AuditRecord> record) implements BatchWrites.Item {
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
            writes.write("audit record(s)", candidates, part -> store.insert(part.stream().map(Candidate::audit).toList()), deadLettered);
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
}
