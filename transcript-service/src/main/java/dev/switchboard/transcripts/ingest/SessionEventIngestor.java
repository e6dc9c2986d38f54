package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.SessionEvent;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.transcripts.live.EndNotice;
import dev.switchboard.transcripts.live.LiveHub;
import dev.switchboard.transcripts.mapping.SessionEventMapper;
import dev.switchboard.transcripts.mapping.StorableText;
import dev.switchboard.transcripts.store.SessionChange;
import dev.switchboard.transcripts.store.SessionWriter;
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
 * Ingests session events batch by batch into the sessions table (start, numbers, hang-up, end, usage), with the
 * same guarantees as the segments: one transaction per batch, acknowledged after commit, poison records to the
 * dead-letter topic with the reason.
 */
@ApplicationScoped
public class SessionEventIngestor {
    private static final Logger LOG = Logger.getLogger(SessionEventIngestor.class);

    private final SessionWriter writer;
    private final BatchWrites writes;
    private final DeadLetters deadLetters;
    private final LiveHub live;
    private final MeterRegistry metrics;

    SessionEventIngestor(SessionWriter writer, BatchWrites writes, DeadLetters deadLetters, LiveHub live, MeterRegistry metrics) {
        this.writer = writer;
        this.writes = writes;
        this.deadLetters = deadLetters;
        this.live = live;
        this.metrics = metrics;
    }

    /** The changes of one record: written together, and dead-lettered together if they cannot be written. */
    private record Candidate(List<SessionChange> changes, KafkaRecord<String, SessionEvent> record) implements BatchWrites.Item {
    }

    @Incoming("session-events")
    @Blocking
    public CompletionStage<Void> ingest(KafkaRecordBatch<String, SessionEvent> batch) {
        List<KafkaRecord<String, SessionEvent>> records = batch.getRecords();
        List<Uni<Void>> deadLettered = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (KafkaRecord<String, SessionEvent> record : records) {
            Optional<Poison> unusable = deadLetters.unusable(record);
            if (unusable.isPresent()) {
                deadLettered.add(deadLetters.send(record, unusable.get()));
                continue;
            }
            SessionEvent event = record.getPayload();
            try {
                List<SessionChange> changes = SessionEventMapper.toChanges(StorableText.cleaned(event));
                if (!changes.isEmpty()) {
                    candidates.add(new Candidate(changes, record));
                }
            } catch (RuntimeException e) {
                deadLettered.add(deadLetters.send(record, Poison.invalid(e)));
            }
        }
        List<SessionChange> applied;
        List<SessionWriter.EndedDial> dialsEnded = new ArrayList<>();
        try {
            applied = changes(writes.write("session event(s)", candidates, part -> {
                SessionWriter.Result result = writer.apply(changes(part)); // returned once committed
                dialsEnded.addAll(result.dialsEnded());
                count(result);
            }, deadLettered));
        } catch (IngestRetry.Stopping e) {
            LOG.infof("stopping: %d session event(s) left unacknowledged, they are consumed again after the restart", records.size());
            return CompletableFuture.completedFuture(null);
        }
        TranscriptIngestor.awaitDeadLetters(deadLettered);
        for (SessionChange change : applied) {
            if (change instanceof SessionChange.Ended ended && ended.sessionId() != null) {
                live.endStored(ended.room(), new EndNotice(ended.sessionId(), ended.reason(), ended.occurredAt()));
            }
        }
        // An answered dial whose agent never joined has no SessionEnded: the CallEnded that ended its row ends its streams.
        for (SessionWriter.EndedDial dial : dialsEnded) {
            live.endStored(dial.room(), new EndNotice(dial.sessionId(), dial.reason(), dial.endedAt()));
        }
        metrics.counter("switchboard.transcripts.ingest.records", "topic", "session-events").increment(records.size());
        return batch.ack();
    }

    private static List<SessionChange> changes(List<Candidate> candidates) {
        return candidates.stream().flatMap(candidate -> candidate.changes().stream()).toList();
    }

    private void count(SessionWriter.Result result) {
        metrics.counter("switchboard.transcripts.ingest.session-events", "outcome", "changed").increment(result.changed());
        metrics.counter("switchboard.transcripts.ingest.session-events", "outcome", "unchanged").increment(result.unchanged());
        metrics.counter("switchboard.transcripts.ingest.session-events", "outcome", "skipped").increment(result.skipped());
    }
}
