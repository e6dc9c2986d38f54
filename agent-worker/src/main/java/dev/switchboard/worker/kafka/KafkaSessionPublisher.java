package dev.switchboard.worker.kafka;

import io.quarkus.runtime.Startup;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.worker.session.SessionPublisher;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.util.concurrent.CompletionStage;

/** Publishes a session's records to Kafka, keyed by room; each stage completes on the broker's acknowledgement. */
@ApplicationScoped
@Startup // created before the worker registers with LiveKit: a call must not be the first to need it
public class KafkaSessionPublisher implements SessionPublisher {
    private final MutinyEmitter<Record<String, TranscriptSegment>> transcripts;
    private final MutinyEmitter<Record<String, SessionEvent>> sessionEvents;
    private final MutinyEmitter<Record<String, CommandResult>> commandResults;
    private final MutinyEmitter<Record<String, CallControlRequest>> callControl;

    KafkaSessionPublisher(@Channel("transcripts") MutinyEmitter<Record<String, TranscriptSegment>> transcripts,
                          @Channel("session-events") MutinyEmitter<Record<String, SessionEvent>> sessionEvents,
                          @Channel("command-results") MutinyEmitter<Record<String, CommandResult>> commandResults,
                          @Channel("call-control") MutinyEmitter<Record<String, CallControlRequest>> callControl) {
        this.transcripts = transcripts;
        this.sessionEvents = sessionEvents;
        this.commandResults = commandResults;
        this.callControl = callControl;
    }

    @Override
    public CompletionStage<Void> transcript(TranscriptSegment segment) {
        return transcripts.send(Record.of(segment.getRoom(), segment)).subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> sessionEvent(SessionEvent event) {
        return sessionEvents.send(Record.of(event.getRoom(), event)).subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> commandResult(CommandResult result) {
        return commandResults.send(Record.of(result.getRoom(), result)).subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> callControl(CallControlRequest request) {
        return callControl.send(Record.of(request.getRoom(), request)).subscribeAsCompletionStage();
    }
}
