package dev.switchboard.gateway.live;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.gateway.calls.CallTenants;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans the gateway's changes out to the live streams ({@code GET /v1/stream}): sessions as the registry changes them,
 * timeline events, commands as they are tracked and decided, and outbound calls as they are dialled, answered, fail
 * and end (a dial has no session until it is answered, and a failed one never has). Watchers filter what they may see themselves.
 * Publishing never blocks: a watcher only queues an event on its connection.
 */
@Startup // commands tracked (and calls dialled) before the first watcher must still get their listener
@Singleton
public class LiveFeed {
    private static final Logger LOG = Logger.getLogger(LiveFeed.class);

    private final List<Consumer<FeedItem>> watchers = new CopyOnWriteArrayList<>();
    private final LiveSessionRegistry registry;
    private final SessionTimeline timeline;
    private final OutboundCalls calls;
    private final CallTenants tenants;

    LiveFeed(LiveSessionRegistry registry, SessionTimeline timeline, CommandStore commands, OutboundCalls calls, CallTenants tenants) {
        this.registry = registry;
        this.timeline = timeline;
        this.calls = calls;
        this.tenants = tenants;
        commands.onTracked(this::commandTracked);
        calls.onChanged(call -> publish(new FeedItem.CallChanged(call, tenants.of(call))));
    }

    /**
     * After the registry applied the event: the session it is about as it is now (the room's current one, or another
     * tenant's contested or ended one the registry keeps), and the event's entry in that session's timeline.
     */
    public void sessionEvent(SessionEvent event) {
        LiveSession session = registry.session(event.getRoom(), event.getSessionId()).orElse(null);
        OutboundCall dial = withoutSession(event, session).orElse(null);
        if (dial != null) {
            // The room's outbound call has no session (yet, or ever): its events are the dial's.
            timeline.applyToDial(event, dial.commandId())
                    .ifPresent(entry -> publish(new FeedItem.EventRecorded(entry, tenants.of(dial))));
            return;
        }
        if (session == null || !session.isSession(event.getSessionId())) {
            return; // a late event of a room's earlier session, or one the registry forgot at once (long ended)
        }
        if (event.getPayload() instanceof SessionStarted) {
            // The room's earlier session the new one replaced is forgotten with its events, not at the next sweep.
            timeline.retain(event.getRoom(), id -> registry.knows(event.getRoom(), id));
        }
        timeline.apply(event, session.sessionId()).ifPresent(entry -> {
            publish(new FeedItem.SessionChanged(session));
            publish(new FeedItem.EventRecorded(entry, session.tenant()));
        });
    }

    /**
     * The room's outbound call the event is about when that call has no session: an event naming no session, of the
     * room's latest dial (its CallAnswered or CallFailed names it; a CallEnded, AnswerClassified or TransferFailed is the room's call's),
     * a dial placed after the room's known session started, if there is one.
     */
    private Optional<OutboundCall> withoutSession(SessionEvent event, LiveSession session) {
        if (event.getSessionId() != null) {
            return Optional.empty();
        }
        return calls.find(event.getRoom())
                .filter(call -> call.sessionId() == null && call.commandId() != null)
                .filter(call -> switch (event.getPayload()) {
                    case CallAnswered answered -> call.commandId().equals(answered.getDialCommandId());
                    case CallFailed failed -> call.commandId().equals(failed.getDialCommandId());
                    case CallEnded ended -> true;
                    case AnswerClassified classified -> true;
                    case TransferFailed refused -> true; // a transfer of the answered callee the target refused
                    default -> false;
                })
                .filter(call -> session == null || session.startedAt() == null || call.requestedAt() == null
                        || call.requestedAt().isAfter(session.startedAt()));
    }

    public void watch(Consumer<FeedItem> watcher) {
        watchers.add(watcher);
    }

    public void unwatch(Consumer<FeedItem> watcher) {
        watchers.remove(watcher);
    }

    private void commandTracked(TrackedCommand command) {
        publish(new FeedItem.CommandChanged(command));
        command.whenDecided().thenRun(() -> publish(new FeedItem.CommandChanged(command)));
    }

    private void publish(FeedItem item) {
        for (Consumer<FeedItem> watcher : watchers) {
            try {
                watcher.accept(item);
            } catch (RuntimeException e) {
                LOG.debugf(e, "a live-stream watcher failed on %s; it is dropped", item);
                watchers.remove(watcher);
            }
        }
    }
}
