package dev.switchboard.worker.kafka;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.SessionPublisher;
import dev.switchboard.worker.session.SessionRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Every worker reads every session command (its own consumer group) and keeps those for rooms it runs: Kafka
 * assigns partitions to consumers, not to the worker that holds the call. The result is published when the
 * session has decided, which for Say is when the words were spoken; the record is acknowledged at once so a long
 * Say never holds up an Interrupt behind it.
 */
@ApplicationScoped
public class SessionCommandListener {
    private static final Logger LOG = Logger.getLogger(SessionCommandListener.class);
    private static final String SERVICE = "agent-worker";

    private final SessionRegistry sessions;
    private final SessionPublisher publisher;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;

    SessionCommandListener(SessionRegistry sessions, SessionPublisher publisher, DeadLetters deadLetters, MeterRegistry metrics) {
        this.sessions = sessions;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Incoming("session-commands")
    @Blocking(ordered = true)
    public CompletionStage<Void> onCommand(Message<SessionCommand> message) {
        return deadLetters.consume(message, this::apply);
    }

    private void apply(SessionCommand command) {
        Optional<AgentSession> session = sessions.find(command.getRoom());
        if (session.isEmpty()) {
            metrics.counter("switchboard.worker.commands.skipped").increment();
            return;
        }
        String type = command.getPayload().getClass().getSimpleName();
        session.get().apply(command)
                .thenCompose(result -> {
                    if (session.get().isAnsweredElsewhere(command.getCommandId())) {
                        // A transfer: the call controller publishes the result (and the audit record) once it knows it.
                        LOG.infof("room %s: %s %s handed to the call controller", command.getRoom(), type, command.getCommandId());
                        return java.util.concurrent.CompletableFuture.<Void>completedFuture(null);
                    }
                    metrics.counter("switchboard.worker.commands", "type", type, "status", result.getStatus().name()).increment();
                    LOG.infof("room %s: %s %s -> %s%s", command.getRoom(), type, command.getCommandId(), result.getStatus(),
                            result.getReason() == null ? "" : " (" + result.getReason() + ")");
                    // The audit record names the command's issuer, which the APIs take from the caller's token.
                    return publisher.commandResult(result)
                            .thenCompose(published -> publisher.audit(AuditRecords.ofCommand(command, result, SERVICE)));
                })
                .exceptionally(error -> {
                    LOG.errorf("room %s: no result or audit record published for command %s: %s", command.getRoom(), command.getCommandId(), error.getMessage());
                    return null;
                });
    }
}
