package dev.switchboard.worker.session;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;

import java.util.concurrent.CompletionStage;

/** Where a session's records go (Kafka in the service). Each stage completes when the broker acknowledged the record. */
public interface SessionPublisher {
    CompletionStage<Void> transcript(TranscriptSegment segment);

    CompletionStage<Void> sessionEvent(SessionEvent event);

    CompletionStage<Void> commandResult(CommandResult result);

    CompletionStage<Void> callControl(CallControlRequest request);

    /** Who did what to the call and what became of it ({@code switchboard.audit}). */
    CompletionStage<Void> audit(AuditRecord record);
}
