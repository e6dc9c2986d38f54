package dev.switchboard.worker.kafka;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.InvalidRecordException;
import dev.switchboard.kit.kafka.RecordTraces;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.CommandIdReusedException;
import dev.switchboard.worker.session.SessionPublisher;
import dev.switchboard.worker.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the session commands for this worker's calls: from its own topic (directed delivery, see
 * {@link CommandTopic}), where only commands for its rooms arrive, or, configured so, from the broadcast topic, where it
 * keeps those of its rooms and skips the rest ({@code switchboard_worker_commands_read_total} against
 * {@code switchboard_worker_commands_skipped_total} tells which it pays for). The result is published when the
 * session has decided, which for Say is when the words were spoken; the record is acknowledged at once so a long
 * Say never holds up an Interrupt behind it. A command whose id the session already saw on another command is
 * dead-lettered, not answered: see {@link CommandIdReusedException}.
 *
 * <p>With tracing on, applying a command is a span in the trace of whoever sent it, and the result, the audit record
 * and the transcript lines the command causes are published in that span, so one trace runs from the HTTP request
 * that sent the command to the result that answered it.
 */
@ApplicationScoped
public class SessionCommandListener {
    private static final Logger LOG = Logger.getLogger(SessionCommandListener.class);
    private static final String SERVICE = "agent-worker";

    private final SessionRegistry sessions;
    private final SessionPublisher publisher;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final RecordTraces traces;
    private final Counter read;

    SessionCommandListener(SessionRegistry sessions, SessionPublisher publisher, DeadLetters deadLetters, MeterRegistry metrics,
                           RecordTraces traces) {
        this.sessions = sessions;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.traces = traces;
        this.read = metrics.counter("switchboard.worker.commands.read");
    }

    @Incoming("session-commands")
    @Blocking(ordered = true)
    public CompletionStage<Void> onCommand(Message<SessionCommand> message) {
        read.increment();
        return deadLetters.consume(message, command -> apply(command, message));
    }

    private void apply(SessionCommand command, Message<SessionCommand> message) {
        Optional<AgentSession> session = sessions.find(command.getRoom());
        if (session.isEmpty()) {
            metrics.counter("switchboard.worker.commands.skipped").increment();
            return;
        }
        String type = command.getPayload().getClass().getSimpleName();
        if (command.getCommandId().isBlank()) {
            // An empty id cannot tell a retry from a new command: the first would be applied and every later one refused.
            throw new InvalidRecordException("commandId is empty; every command needs its own id (a new UUID), under which its "
                    + "result is published and a retry is recognised");
        }
        Context sent = traces.contextOf(message);
        Span span = traces.span("apply " + type, sent)
                .setAttribute("switchboard.room", command.getRoom())
                .setAttribute("switchboard.command_id", command.getCommandId())
                .startSpan();
        Context traced = sent.with(span);
        CompletableFuture<CommandResult> decided;
        try {
            decided = traces.within(traced, () -> session.get().apply(command));
        } catch (CommandIdReusedException reused) {
            // No second result under the id: the first result already answers it, and a reader keeps the first it
            // sees. The sender learns of the mistake from the dead letter (and its warning), and this counter.
            metrics.counter("switchboard.worker.commands.id-reused", "type", type).increment();
            span.setStatus(StatusCode.ERROR, reused.getMessage());
            span.end();
            throw new InvalidRecordException(reused.getMessage());
        }
        decided.whenComplete((result, error) -> {
                    if (result != null) {
                        span.setAttribute("switchboard.command_status", result.getStatus().name());
                    } else {
                        span.setStatus(StatusCode.ERROR, String.valueOf(error));
                    }
                    span.end();
                })
                .thenCompose(traces.carrying(traced, result -> {
                    if (session.get().isAnsweredElsewhere(command.getCommandId())) {
                        // A transfer: the call controller publishes the result (and the audit record) once it knows it.
                        LOG.infof("room %s: %s %s handed to the call controller", command.getRoom(), type, command.getCommandId());
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    metrics.counter("switchboard.worker.commands", "type", type, "status", result.getStatus().name()).increment();
                    // Applied commands are routine (the audit trail and the metrics count them): one INFO line each cost
                    // ~5 % of the worker's CPU under load. A command that was not applied is worth a line.
                    Logger.Level level = result.getStatus() == CommandStatus.APPLIED ? Logger.Level.DEBUG : Logger.Level.INFO;
                    LOG.logf(level, "room %s: %s %s -> %s%s", command.getRoom(), type, command.getCommandId(), result.getStatus(),
                            result.getReason() == null ? "" : " (" + result.getReason() + ")");
                    // The audit record names the command's issuer, which the APIs take from the caller's token.
                    return publisher.commandResult(result)
                            .thenCompose(traces.carrying(traced, published -> publisher.audit(AuditRecords.ofCommand(command, result, SERVICE))));
                }))
                .exceptionally(error -> {
                    LOG.errorf("room %s: no result or audit record published for command %s: %s", command.getRoom(), command.getCommandId(), error.getMessage());
                    return null;
                });
    }
}
