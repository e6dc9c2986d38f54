package dev.switchboard.worker.session;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a session publishes, in order, for assertions in tests without a broker. */
public final class RecordingPublisher implements SessionPublisher {
    public final List<TranscriptSegment> transcripts = new CopyOnWriteArrayList<>();
    public final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    public final List<CommandResult> results = new CopyOnWriteArrayList<>();
    public final List<CallControlRequest> callControl = new CopyOnWriteArrayList<>();
    public final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    /** Everything, in publication order, as "kind:detail" strings. */
    public final List<String> order = new CopyOnWriteArrayList<>();
    /** What the broker answers to transcript lines: acknowledged at once unless a test holds them back. */
    public volatile CompletableFuture<Void> transcriptAck = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<Void> transcript(TranscriptSegment segment) {
        transcripts.add(segment);
        order.add("transcript:" + segment.getRole());
        return transcriptAck;
    }

    /** What the broker answers to the SessionStarted of a session (acknowledged unless a test says otherwise). */
    public volatile CompletableFuture<Void> sessionStartedAck = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<Void> sessionEvent(SessionEvent event) {
        events.add(event);
        order.add("event:" + event.getPayload().getClass().getSimpleName());
        return event.getPayload() instanceof dev.switchboard.events.SessionStarted ? sessionStartedAck : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> commandResult(CommandResult result) {
        results.add(result);
        order.add("result:" + result.getStatus());
        return CompletableFuture.completedFuture(null);
    }

    /** When each call-control request was published (System.nanoTime). */
    public final List<Long> callControlNanos = new CopyOnWriteArrayList<>();
    /** What the broker answers to call-control requests: acknowledged at once unless a test holds them back. */
    public volatile CompletableFuture<Void> callControlAck = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<Void> callControl(CallControlRequest request) {
        callControlNanos.add(System.nanoTime());
        callControl.add(request);
        order.add("call-control:" + request.getPayload().getClass().getSimpleName());
        return callControlAck;
    }

    @Override
    public CompletionStage<Void> audit(AuditRecord record) {
        audit.add(record);
        order.add("audit:" + record.getAction());
        return CompletableFuture.completedFuture(null);
    }
}
