package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.IncomingRecords;
import dev.switchboard.kit.kafka.Poison;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Builds the live-session registry from {@code switchboard.session-events} (per-instance group, from the beginning)
 * and tells waiting immediate hang-ups that their call ended.
 */
@ApplicationScoped
public class SessionEventsListener {
    private static final Logger LOG = Logger.getLogger(SessionEventsListener.class);

    private final LiveSessionRegistry registry;
    private final CommandStore commands;
    private final SessionEventsProgress progress;
    private final DeadLetters deadLetters;

    SessionEventsListener(LiveSessionRegistry registry, CommandStore commands, SessionEventsProgress progress, DeadLetters deadLetters) {
        this.registry = registry;
        this.commands = commands;
        this.progress = progress;
        this.deadLetters = deadLetters;
    }

    @Incoming("session-events")
    public CompletionStage<Void> onEvent(Message<SessionEvent> message) {
        Optional<TopicPartition> partition = IncomingRecords.partition(message);
        long offset = IncomingRecords.offset(message);
        try {
            // Replayed at every start: dead-lettering history again each time would flood the DLQ with copies.
            boolean replayed = partition.isPresent() && progress.isHistory(partition.get(), offset);
            Optional<CompletionStage<Void>> unusable = replayed ? deadLetters.skipIfUnusable(message) : deadLetters.rejectIfUnusable(message);
            if (unusable.isPresent()) {
                return unusable.get();
            }
            SessionEvent event = message.getPayload();
            registry.apply(event);
            if (event.getPayload() instanceof CallEnded ended) {
                var decided = commands.callEnded(event.getRoom(), event.getSessionId(), CallEnd.of(event, ended));
                decided.forEach(c -> LOG.infof("room %s: hang-up %s confirmed by CallEnded", c.room(), c.commandId()));
            }
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot apply session event at %s offset %d", partition.orElse(null), offset);
            return deadLetters.reject(message, Poison.failed(e));
        } finally {
            partition.ifPresent(p -> progress.handled(p, offset));
        }
    }
}
