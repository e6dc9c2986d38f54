package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.kit.kafka.RecordTraces;
import dev.switchboard.transcripts.live.LiveHub;
import dev.switchboard.transcripts.mapping.SegmentMapper;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SegmentWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Ingests transcript segments batch by batch (one poll of the shared group {@code transcript-service} at a time):
 * decode, validate and redact each record, keep the winning version of each segmentId, write them in one
 * transaction, then acknowledge, so the committed offsets never run ahead of the committed rows. A record that
 * cannot be stored goes to the dead-letter topic with the reason and the rest of the batch is stored.
 *
 * <p>Two stages, so the database never waits for Java: the consumer's worker prepares batch n+1 (validation,
 * redaction) while a single writer thread writes batch n. The writer takes batches in order and at most
 * {@value #BATCHES_IN_FLIGHT} wait for it; beyond that the consumer blocks, which pauses the Kafka fetches.
 */
@ApplicationScoped
public class TranscriptIngestor {
    private static final Logger LOG = Logger.getLogger(TranscriptIngestor.class);
    private static final int BATCHES_IN_FLIGHT = 2;

    private final SegmentMapper mapper;
    private final SegmentWriter writer;
    private final BatchWrites writes;
    private final DeadLetters deadLetters;
    private final LiveHub live;
    private final MeterRegistry metrics;
    private final RecordTraces traces;
    private final Timer writeTimer;
    private final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(ApplicationThreads.platformDaemon("transcript-writer"));

    TranscriptIngestor(SegmentMapper mapper, SegmentWriter writer, BatchWrites writes, DeadLetters deadLetters, LiveHub live,
                       MeterRegistry metrics, RecordTraces traces) {
        this.mapper = mapper;
        this.writer = writer;
        this.writes = writes;
        this.deadLetters = deadLetters;
        this.live = live;
        this.metrics = metrics;
        this.traces = traces;
        this.writeTimer = Timer.builder("switchboard.transcripts.ingest.batch.write").tag("topic", "transcripts")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    private record Candidate(SegmentRow row, KafkaRecord<String, TranscriptSegment> record) {
    }

    /** A winning candidate with its COPY line, made on the consumer's thread while the writer writes the previous batch. */
    private record Prepared(Candidate candidate, SegmentWriter.Line line) implements BatchWrites.Item {
        SegmentRow row() {
            return candidate.row();
        }

        @Override
        public KafkaRecord<String, TranscriptSegment> record() {
            return candidate.record();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        writerThread.shutdown();
        try {
            if (!writerThread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the transcript writer did not finish in time; unacknowledged records are consumed again after the restart");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Incoming("transcripts")
    @Blocking
    public CompletionStage<Void> ingest(KafkaRecordBatch<String, TranscriptSegment> batch) {
        List<KafkaRecord<String, TranscriptSegment>> records = batch.getRecords();
        List<Uni<Void>> deadLettered = new ArrayList<>();
        Map<UUID, Candidate> winners = new LinkedHashMap<>();
        for (KafkaRecord<String, TranscriptSegment> record : records) {
            Optional<Poison> unusable = deadLetters.unusable(record);
            if (unusable.isPresent()) {
                deadLettered.add(deadLetters.send(record, unusable.get()));
                continue;
            }
            TranscriptSegment segment = record.getPayload();
            try {
                SegmentRow row = mapper.toRow(segment);
                // Within a batch, only the winning version of a segment goes to the database (a single upsert
                // cannot touch a row twice); the losers are superseded, which is what storing them would do anyway.
                winners.merge(row.segmentId(), new Candidate(row, record),
                        (kept, next) -> next.row().supersedes(kept.row()) ? next : kept);
            } catch (RuntimeException e) {
                deadLettered.add(deadLetters.send(record, Poison.invalid(e)));
            }
        }
        List<Prepared> prepared = winners.values().stream().map(c -> new Prepared(c, SegmentWriter.Line.of(c.row()))).toList();
        inFlight.acquireUninterruptibly();
        try {
            writerThread.execute(() -> {
                try {
                    store(batch, prepared, deadLettered);
                } finally {
                    inFlight.release();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.release();
            LOG.infof("stopping: %d transcript record(s) left unacknowledged, they are consumed again after the restart", records.size());
        }
        // Acknowledged by the writer once stored; returning now lets the next batch be prepared meanwhile.
        return CompletableFuture.completedFuture(null);
    }

    /** On the writer thread: write, wait for the dead letters, acknowledge. */
    private void store(KafkaRecordBatch<String, TranscriptSegment> batch, List<Prepared> candidates, List<Uni<Void>> deadLettered) {
        int records = batch.getRecords().size();
        try {
            Instant writing = Instant.now();
            List<SegmentRow> stored = write(candidates, deadLettered);
            traceStored(candidates, stored, writing);
            awaitDeadLetters(deadLettered);
            live.stored(stored);
            metrics.counter("switchboard.transcripts.ingest.records", "topic", "transcripts").increment(records);
            batch.ack();
        } catch (IngestRetry.Stopping e) {
            LOG.infof("stopping: %d transcript record(s) left unacknowledged, they are consumed again after the restart", records);
        } catch (RuntimeException e) {
            // Not a write (a batch whose write fails is written again record by record): a dead letter Kafka did not
            // take, or a bug after the commit. The channel stops (failure-strategy=fail) and the service turns
            // unhealthy; the batch is read again after the restart rather than lost.
            LOG.errorf(e, "a batch of %d transcript record(s) could not be processed", records);
            batch.nack(e);
        }
    }

    /**
     * With tracing on, each stored line gets a span in the trace of the worker that published it, covering the
     * write of its batch, so a trace runs from the spoken (or injected) line to its row in PostgreSQL.
     */
    private void traceStored(List<Prepared> candidates, List<SegmentRow> stored, Instant writing) {
        if (!traces.enabled()) {
            return;
        }
        Instant written = Instant.now();
        Set<SegmentRow> storedRows = new HashSet<>(stored);
        for (Prepared prepared : candidates) {
            Candidate candidate = prepared.candidate();
            if (storedRows.contains(candidate.row())) {
                traces.span("store transcript segment", traces.contextOf(candidate.record()))
                        .setStartTimestamp(writing)
                        .setAttribute("switchboard.room", candidate.row().room())
                        .setAttribute("switchboard.segment_id", candidate.row().segmentId().toString())
                        .setAttribute("switchboard.batch_size", stored.size())
                        .startSpan().end(written);
            }
        }
    }

    /** Writes the batch; when that fails for anything but an outage, record by record, to dead-letter only the culprits. */
    private List<SegmentRow> write(List<Prepared> candidates, List<Uni<Void>> deadLettered) throws IngestRetry.Stopping {
        return rows(writes.write("segment(s)", candidates,
                part -> count(timed(part.stream().map(Prepared::line).toList()), rows(part)), deadLettered));
    }

    private static List<SegmentRow> rows(List<Prepared> candidates) {
        return candidates.stream().map(Prepared::row).toList();
    }

    private SegmentWriter.Result timed(List<SegmentWriter.Line> lines) throws SQLException {
        Timer.Sample sample = Timer.start();
        try {
            return writer.writeLines(lines);
        } finally {
            sample.stop(writeTimer);
        }
    }

    private void count(SegmentWriter.Result result, List<SegmentRow> rows) {
        for (SegmentRow row : rows) {
            for (String detector : row.redactions()) {
                metrics.counter("switchboard.transcripts.redactions", "detector", detector).increment();
            }
        }
        metrics.counter("switchboard.transcripts.ingest.segments", "outcome", "changed").increment(result.changed());
        metrics.counter("switchboard.transcripts.ingest.segments", "outcome", "unchanged").increment(result.unchanged());
        metrics.counter("switchboard.transcripts.ingest.segments", "outcome", "deleted-session").increment(result.deletedSessions());
    }

    /**
     * The batch is acknowledged only once its poison records are safely in the dead-letter topic. When Kafka does not
     * take them this throws: the batch is not acknowledged and its channel stops (failure-strategy=fail), so the
     * records are read again after the restart instead of being lost.
     */
    static void awaitDeadLetters(List<Uni<Void>> deadLettered) {
        if (!deadLettered.isEmpty()) {
            Uni.join().all(deadLettered).andFailFast().await().atMost(Duration.ofSeconds(60));
        }
    }
}
