package dev.switchboard.gateway.commands;

import dev.switchboard.events.CommandResult;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.gateway.sessions.LiveSession;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>When full, the tenant with the most commands remembered gives up its oldest: one tenant sending many commands
 * cannot push another's out (a retry with its Idempotency-Key would then be published again, and its status lost).
 */
@Singleton
public class CommandStore {
    private static final int MAX_UNCONFIRMED_HANGUPS = 500;

    private final LinkedHashMap<String, TrackedCommand> commands = new LinkedHashMap<>();
    /** Immediate hang-ups whose publication was not acknowledged, by id, the latest few hundred. */
    private final Map<String, TrackedCommand> unconfirmedHangups = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TrackedCommand> eldest) {
            return size() > MAX_UNCONFIRMED_HANGUPS;
        }
    };
    /** How many of {@link #commands} each tenant has; guarded by this. */
    private final Map<String, Integer> perTenant = new HashMap<>();
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
        counted(command, 1);
        while (commands.size() > maxSize) {
            evictOldestOf(busiestTenant());
        }
        return command;
    }

    private void counted(TrackedCommand command, int change) {
        perTenant.merge(command.tenant(), change, (before, delta) -> before + delta == 0 ? null : before + delta);
    }

    private String busiestTenant() {
        return perTenant.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private void evictOldestOf(String tenant) {
        Iterator<TrackedCommand> oldestFirst = commands.values().iterator();
        while (oldestFirst.hasNext()) {
            TrackedCommand command = oldestFirst.next();
            if (command.tenant().equals(tenant)) {
                oldestFirst.remove();
                counted(command, -1);
                return;
            }
        }
    }

    /**
     * Tracks a command read from the command topics (sent by another system or instance), or completes the one known
     * only from its result: the result topic's consumer may read the result first. Either way the command ends up with
     * what the command says (issuer, issue and expiry time, what it asked for) and with the decision, if there is one.
     *
     * @param trackIfUnknown false for a command read after its expiry: it only completes a result already read, and is
     *                       not tracked as pending when there is none (its result, if any comes, tells its fate)
     * @return the command it tracked or completed; empty when it changed nothing (one issued here or read before, or
     *         an expired one it did not know)
     */
    public Optional<TrackedCommand> learn(TrackedCommand seen, boolean trackIfUnknown) {
        TrackedCommand changed;
        synchronized (this) {
            TrackedCommand known = commands.get(seen.commandId());
            if (known == null && !trackIfUnknown) {
                return Optional.empty();
            }
            if (known != null && !known.isFromResultOnly()) {
                return Optional.empty(); // issued here, or read before: what it says is known already
            }
            if (known == null) {
                changed = track(seen);
            } else {
                changed = known.withFactsOf(seen);
                commands.replace(seen.commandId(), changed); // in place: the map keeps its insertion order
                counted(known, -1);
                counted(changed, 1);
            }
        }
        // Outside the lock, as in trackIfAbsent; the live stream replaces a command it has already by its id.
        trackedListeners.forEach(listener -> listener.accept(changed));
        return Optional.of(changed);
    }

    /**
     * Calls the listener with every command tracked from now on: when it is first tracked, and again when a command
     * known only from its result learns what the command said ({@link #learn}).
     */
    public void onTracked(Consumer<TrackedCommand> listener) {
        trackedListeners.add(listener);
    }

    /** The commands of a room that are still remembered, oldest first. */
    public synchronized List<TrackedCommand> forRoom(String room) {
        return commands.values().stream().filter(c -> c.room().equals(room)).toList();
    }

    /**
     * The commands of one session of the room that are still remembered, oldest first: those for that session (the one
     * its result names, the worker's word, else the one the room had when the command was sent), and those that name no
     * session and were sent while it ran, from {@code startedAt} until {@code endedAt}. A room used again keeps its earlier
     * sessions' commands apart from the new session's.
     *
     * @param sessionId the session (null when its id is not known: then only the commands that name none, by time)
     * @param startedAt when it started (null when not known: no lower bound)
     * @param endedAt   when it ended (null while it runs: no upper bound)
     */
    public synchronized List<TrackedCommand> forSession(String room, String sessionId, Instant startedAt, Instant endedAt) {
        return commands.values().stream()
                .filter(c -> c.room().equals(room))
                .filter(c -> c.belongsTo(sessionId)
                        || c.knownSessionId() == null && c.sentBetween(startedAt, endedAt))
                .toList();
    }

    /** The commands of the session ({@link #forSession(String, String, Instant, Instant)}), from its start until it ended. */
    public List<TrackedCommand> forSession(LiveSession session) {
        return forSession(session.room(), session.sessionId(), session.startedAt(),
                session.sessionEnd() == null ? null : session.sessionEnd().at());
    }

    public synchronized Optional<TrackedCommand> find(String commandId) {
        return Optional.ofNullable(commands.get(commandId));
    }

    /** Drops a command that could not be published, so that a retry with the same id publishes it. */
    public synchronized void forget(TrackedCommand command) {
        if (commands.remove(command.commandId(), command)) {
            counted(command, -1);
        }
    }

    /**
     * Forgets an immediate hang-up Kafka did not acknowledge (a retry with its Idempotency-Key publishes it again), but
     * keeps it aside: if it reached the call controller all the same, the CallEnded that names it tracks it again,
     * decided, so GET /v1/commands/{id} shows what became of it, as the 503 said it would. Session commands need no such
     * memory: this gateway reads them back from the command topics.
     */
    public synchronized void forgetUnconfirmedHangup(TrackedCommand command) {
        forget(command);
        unconfirmedHangups.put(command.commandId(), command);
    }

    /** Records a result from the results topic; the first result of a command wins. Returns the tracked command. */
    public TrackedCommand decide(CommandResult result) {
        Decision decision = Decision.of(result);
        TrackedCommand observed = TrackedCommand.observed(result, clock.instant());
        observed.decide(decision); // before it is tracked: one known only from its result is never seen pending
        TrackedCommand tracked = trackIfAbsent(observed);
        tracked.decide(decision); // outside the lock: waiters resume in this thread
        return tracked;
    }

    /** Decides every pending immediate hang-up of the room (of that session, or the one the event names). */
    public List<TrackedCommand> callEnded(String room, String sessionId, CallEnd end) {
        TrackedCommand unconfirmed;
        synchronized (this) {
            unconfirmed = end.hangupCommandId() == null ? null : unconfirmedHangups.remove(end.hangupCommandId());
        }
        if (unconfirmed != null) {
            trackIfAbsent(unconfirmed); // outside the lock, as every tracking: its listeners are told
        }
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
        while (oldestFirst.hasNext()) {
            TrackedCommand command = oldestFirst.next();
            if (!command.trackedAt().isBefore(cutoff)) {
                break;
            }
            oldestFirst.remove();
            counted(command, -1);
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
