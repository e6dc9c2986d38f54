package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.live.LiveFeed;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.WorkerLost;
import dev.switchboard.kit.kafka.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Builds the live-session registry from {@code switchboard.session-events} (per-instance group, from the beginning)
 * and the outbound calls (a dial's outcome), feeds the live stream, tells waiting immediate hang-ups that their call ended,
 * and tells the watchdog of a session whose worker was lost ({@link WorkerLost}). The topic is replayed at every start: poison from
 * before the start was dead-lettered when it came, and is only counted again.
 */
@ApplicationScoped
public class SessionEventsListener {
    private static final Logger LOG = Logger.getLogger(SessionEventsListener.class);

    private final LiveSessionRegistry registry;
    private final OutboundCalls calls;
    private final CommandStore commands;
    private final SessionEventsProgress progress;
    private final DeadLetters deadLetters;
    private final LiveFeed feed;
    private final Event<WorkerLost> workerLost;

    SessionEventsListener(LiveSessionRegistry registry, OutboundCalls calls, CommandStore commands, SessionEventsProgress progress,
                          DeadLetters deadLetters, LiveFeed feed, Event<WorkerLost> workerLost) {
        this.workerLost = workerLost;
        this.feed = feed;
        this.registry = registry;
        this.calls = calls;
        this.commands = commands;
        this.progress = progress;
        this.deadLetters = deadLetters;
    }

    @Incoming("session-events")
    public CompletionStage<Void> onEvent(Message<SessionEvent> message) {
        return progress.consume(message, deadLetters, record -> {
            SessionEvent event = ValidRecords.sessionEvent(record);
            registry.apply(event);
            calls.apply(event);
            feed.sessionEvent(event); // the console's live list and call pages
            if (event.getPayload() instanceof CallEnded ended) {
                var decided = commands.callEnded(event.getRoom(), event.getSessionId(), CallEnd.of(event, ended));
                decided.forEach(c -> LOG.infof("room %s: hang-up %s confirmed by CallEnded", c.room(), c.commandId()));
            }
            if (event.getPayload() instanceof SessionEnded ended && ended.getReason() == EndReason.WORKER_LOST) {
                workerLost.fire(new WorkerLost(event.getRoom(), event.getSessionId()));
            }
        });
    }
}
