package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.gateway.sessions.SessionRegistry;
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

    private final SessionRegistry registry;
    private final CommandStore commands;
    private final SessionEventsProgress progress;

    SessionEventsListener(SessionRegistry registry, CommandStore commands, SessionEventsProgress progress) {
        this.registry = registry;
        this.commands = commands;
        this.progress = progress;
    }

    @Incoming("session-events")
    public CompletionStage<Void> onEvent(Message<SessionEvent> message) {
        Optional<TopicPartition> partition = IncomingRecords.partition(message);
        long offset = IncomingRecords.offset(message);
        try {
            SessionEvent event = message.getPayload();
            if (event == null) {
                return undecodable(message, partition, offset);
            }
            registry.apply(event);
            if (event.getPayload() instanceof CallEnded ended) {
                var decided = commands.callEnded(event.getRoom(), event.getSessionId(), CallEnd.of(event, ended));
                decided.forEach(c -> LOG.infof("room %s: hang-up %s confirmed by CallEnded", c.room(), c.commandId()));
            }
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot apply session event at %s offset %d", partition.orElse(null), offset);
            return message.nack(e);
        } finally {
            partition.ifPresent(p -> progress.handled(p, offset));
        }
    }

    private CompletionStage<Void> undecodable(Message<SessionEvent> message, Optional<TopicPartition> partition, long offset) {
        Optional<String> failure = IncomingRecords.deserializationFailure(message);
        if (failure.isEmpty()) {
            return message.ack(); // a record without value carries no event
        }
        if (partition.isPresent() && progress.isHistory(partition.get(), offset)) {
            // Replayed at every start: dead-lettering it again each time would flood the DLQ with copies.
            LOG.warnf("skipping an undecodable session event from before start-up at %s offset %d: %s",
                    partition.get(), offset, failure.get());
            return message.ack();
        }
        LOG.warnf("dead-lettering an undecodable session event at %s offset %d: %s", partition.orElse(null), offset, failure.get());
        return message.nack(new IllegalArgumentException("not a decodable SessionEvent: " + failure.get()));
    }
}
