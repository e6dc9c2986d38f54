package dev.switchboard.gateway.commands;

import dev.switchboard.events.CommandResult;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.sessions.CallEnd;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The commands this instance issued and the results it saw, for {@code GET /v1/commands/{id}}, for idempotent retries
 * and for the requests that wait for a result. Bounded by size and age, oldest first; results of commands issued
 * elsewhere are kept too, so any gateway instance can answer for any command.
 *
 * <p>A command must be tracked here before it is published: its waiter then cannot miss the result.
 */
@Singleton
public class CommandStore {
    private final LinkedHashMap<String, TrackedCommand> commands = new LinkedHashMap<>();
    private final List<Consumer<TrackedCommand>> trackedListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final int maxSize;
    private final Duration maxAge;

    @Inject
    CommandStore(Clock clock, GatewayConfig config) {
        this(clock, config.commandStore().maxSize(), config.commandStore().maxAge());
    }

    public CommandStore(Clock clock, int maxSize, Duration maxAge) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("the command store needs room for at least one command");
        }
        this.clock = clock;
        this.maxSize = maxSize;
        this.maxAge = maxAge;
    }

    /** Tracks the command unless one with its id is tracked already; returns the one that is tracked. */
    public TrackedCommand trackIfAbsent(TrackedCommand command) {
        TrackedCommand tracked = track(command);
        if (tracked == command) {
            // Outside the lock: a listener (the live stream) queues events on connections.
            trackedListeners.forEach(listener -> listener.accept(command));
        }
        return tracked;
    }

    private synchronized TrackedCommand track(TrackedCommand command) {
        TrackedCommand existing = commands.putIfAbsent(command.commandId(), command);
        if (existing != null) {
            return existing;
        }
        while (commands.size() > maxSize) {
            Iterator<TrackedCommand> eldest = commands.values().iterator();
            eldest.next();
            eldest.remove();
        }
        return command;
    }

    /** Calls the listener with every command tracked from now on (once each, when it is first tracked). */
    public void onTracked(Consumer<TrackedCommand> listener) {
        trackedListeners.add(listener);
    }

    /** The commands of a room that are still remembered, oldest first. */
    public synchronized List<TrackedCommand> forRoom(String room) {
        return commands.values().stream().filter(c -> c.room().equals(room)).toList();
    }

    public synchronized Optional<TrackedCommand> find(String commandId) {
        return Optional.ofNullable(commands.get(commandId));
    }

    /** Drops a command that could not be published, so that a retry with the same id publishes it. */
    public synchronized void forget(TrackedCommand command) {
        commands.remove(command.commandId(), command);
    }

    /** Records a result from the results topic; the first result of a command wins. Returns the tracked command. */
    public TrackedCommand decide(CommandResult result) {
        TrackedCommand tracked = trackIfAbsent(TrackedCommand.observed(result, clock.instant()));
        tracked.decide(Decision.of(result)); // outside the lock: waiters resume in this thread
        return tracked;
    }

    /** Decides every pending immediate hang-up of the room (of that session, or the one the event names). */
    public List<TrackedCommand> callEnded(String room, String sessionId, CallEnd end) {
        List<TrackedCommand> ended = new ArrayList<>();
        synchronized (this) {
            for (TrackedCommand command : commands.values()) {
                boolean named = command.commandId().equals(end.hangupCommandId());
                boolean sameCall = command.room().equals(room)
                        && (sessionId == null || command.sessionId() == null || Objects.equals(sessionId, command.sessionId()));
                if (command.isHangup() && !command.isDecided() && (named || sameCall)) {
                    ended.add(command);
                }
            }
        }
        String reason = "call ended: " + end.reason() + " (" + end.method() + ")";
        ended.forEach(command -> command.decide(Decision.callEnded(command.sessionId(), end, reason)));
        return ended;
    }

    /** Forgets commands older than the maximum age; returns how many. */
    public synchronized int evictOld() {
        Instant cutoff = clock.instant().minus(maxAge);
        int evicted = 0;
        Iterator<TrackedCommand> oldestFirst = commands.values().iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().trackedAt().isBefore(cutoff)) {
            oldestFirst.remove();
            evicted++;
        }
        return evicted;
    }

    public synchronized int size() {
        return commands.size();
    }

    public synchronized long pending() {
        return commands.values().stream().filter(c -> !c.isDecided()).count();
    }
}
