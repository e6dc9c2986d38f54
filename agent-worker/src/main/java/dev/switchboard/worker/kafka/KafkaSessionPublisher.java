package dev.switchboard.worker.kafka;

import io.quarkus.runtime.Startup;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.worker.session.SessionPublisher;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.util.concurrent.CompletionStage;

/**
 * Publishes a session's records to Kafka, keyed by room; each stage completes on the broker's acknowledgement and
 * fails when it did not come within the publish timeout.
 */
@ApplicationScoped
@Startup // created before the worker registers with LiveKit: a call must not be the first to need it
public class KafkaSessionPublisher implements SessionPublisher {
    private final KafkaSender<TranscriptSegment> transcripts;
    private final KafkaSender<SessionEvent> sessionEvents;
    private final KafkaSender<CommandResult> commandResults;
    private final KafkaSender<CallControlRequest> callControl;
    private final KafkaSender<AuditRecord> audit;
    private final TransferAnswers transferAnswers;

    KafkaSessionPublisher(@Channel("transcripts") MutinyEmitter<Record<String, TranscriptSegment>> transcripts,
                          @Channel("session-events") MutinyEmitter<Record<String, SessionEvent>> sessionEvents,
                          @Channel("command-results") MutinyEmitter<Record<String, CommandResult>> commandResults,
                          @Channel("call-control") MutinyEmitter<Record<String, CallControlRequest>> callControl,
                          @Channel("audit") MutinyEmitter<Record<String, AuditRecord>> audit,
                          KafkaSenders senders, TransferAnswers transferAnswers) {
        this.transcripts = senders.of(transcripts, "transcript segment");
        this.sessionEvents = senders.of(sessionEvents, "session event");
        this.commandResults = senders.of(commandResults, "command result");
        this.callControl = senders.of(callControl, "call-control request");
        this.audit = senders.of(audit, "audit record");
        this.transferAnswers = transferAnswers;
    }

    @Override
    public CompletionStage<Void> transcript(TranscriptSegment segment) {
        return transcripts.sendAsync(segment.getRoom(), segment);
    }

    @Override
    public CompletionStage<Void> sessionEvent(SessionEvent event) {
        return sessionEvents.sendAsync(event.getRoom(), event);
    }

    @Override
    public CompletionStage<Void> commandResult(CommandResult result) {
        return commandResults.sendAsync(result.getRoom(), result);
    }

    /** A transfer request is sent once its answer is being waited for ({@link TransferAnswers}), so it cannot be missed. */
    @Override
    public CompletionStage<Void> callControl(CallControlRequest request) {
        if (request.getPayload() instanceof TransferRequested) {
            return transferAnswers.expect(request).thenCompose(positioned -> callControl.sendAsync(request.getRoom(), request));
        }
        return callControl.sendAsync(request.getRoom(), request);
    }

    @Override
    public CompletionStage<Void> audit(AuditRecord record) {
        return audit.sendAsync(AuditRecords.key(record), record);
    }
}
