package dev.switchboard.worker.simulated;

import dev.switchboard.events.CallDirection;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The simulated calls this worker runs: each pairs a session with its {@link SimulatedTransport}. Ended calls
 * stay visible for a while so a client can read how its call ended. They are kept by tenant and room: a room runs
 * one call at a time, but once it ended another tenant may call there, and that must not hide the first tenant's
 * ended call from it; a tenant calling in the same room again replaces its own earlier call.
 */
@ApplicationScoped
public class SimulatedCalls {
    private static final Duration KEEP_ENDED = Duration.ofMinutes(15);

    /** A simulated call: its session and its transport (when it ended is kept apart, by session id: see {@link SimulatedCalls#endedAt}). */
    public record Call(AgentSession session, SimulatedTransport transport, Instant startedAt) {
    }

    /** Whose call, in which room: what a kept call is found by. */
    private record Key(String tenant, String room) {
    }

    /** More simulated calls than the worker allows at once; answered 429. */
    public static final ProblemType TOO_MANY_CALLS = ProblemType.named("too-many-calls", "Too many simulated calls", 429);
    /** When a client refused for the limit may try again. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final SessionRegistry sessions;
    private final int maxCalls;
    private final Map<Key, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, Instant> endedAt = new ConcurrentHashMap<>();
    /** Calls asked for and not yet running or refused, counted against the limit with the running ones. */
    private final AtomicInteger starting = new AtomicInteger();

    SimulatedCalls(SessionRegistry sessions, SimulatedCallSettings settings) {
        this.sessions = sessions;
        this.maxCalls = settings.maxCalls();
    }

    public CompletableFuture<Call> start(String room, String instructions, String callerNumber, Map<String, String> metadata) {
        return start(room, instructions, callerNumber, metadata, null);
    }

    /** Starts a call of the tenant (null: the default tenant). */
    public CompletableFuture<Call> start(String room, String instructions, String callerNumber, Map<String, String> metadata, String tenant) {
        String chosenRoom = room == null || room.isBlank() ? "sim-" + UUID.randomUUID().toString().substring(0, 8) : room;
        forgetOldCalls();
        reserve();
        // A caller number makes it a phone call: the caller has a keypad, and the agent may send tones.
        var transport = new SimulatedTransport(callerNumber != null ? "sip_" + callerNumber : "caller", callerNumber != null);
        try {
            return sessions.start(new SessionRegistry.StartRequest(chosenRoom, instructions, transport, CallDirection.INBOUND,
                            callerNumber, null, metadata == null ? Map.of() : metadata, tenant))
                    .thenApply(session -> {
                        Call call = new Call(session, transport, session.identity().startedAt());
                        calls.put(new Key(session.tenant(), chosenRoom), call);
                        session.ended().thenRun(() -> endedAt.put(session.sessionId(), Instant.now()));
                        return call;
                    })
                    .whenComplete((call, failure) -> starting.decrementAndGet());
        } catch (RuntimeException e) {
            starting.decrementAndGet();
            throw e;
        }
    }

    /** Counts a call about to start against the limit, or refuses it. */
    private synchronized void reserve() {
        long running = calls.values().stream().filter(call -> endedAt(call).isEmpty()).count();
        if (running + starting.get() >= maxCalls) {
            // The limit is the worker's, shared by every tenant: the answer says neither how many calls run nor the
            // limit, which together would tell a tenant how many calls the others run. Calls end all the time, so a
            // retry a few seconds later may well get through.
            throw new ProblemException(TOO_MANY_CALLS, "this worker runs as many simulated calls as it allows at once "
                    + "(SWITCHBOARD_SIMULATED_MAX_CALLS, shared by all tenants); try again after Retry-After seconds, or end "
                    + "one of your calls (DELETE /v1/simulated-calls/{room}) first")
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        }
        starting.incrementAndGet();
    }

    /**
     * The call in the room among those of the tenants {@code visible} accepts: the one running there if it is
     * theirs, else the one started last (one tenant's has at most one kept; an operator who sees every tenant's may
     * find several).
     */
    public Optional<Call> find(String room, Predicate<String> visible) {
        return calls.entrySet().stream()
                .filter(kept -> kept.getKey().room().equals(room) && visible.test(kept.getKey().tenant()))
                .map(Map.Entry::getValue)
                .max(Comparator.comparing((Call call) -> endedAt(call).isEmpty()).thenComparing(Call::startedAt));
    }

    public Collection<Call> all() {
        return List.copyOf(calls.values());
    }

    public Optional<Instant> endedAt(Call call) {
        return Optional.ofNullable(endedAt.get(call.session().sessionId()));
    }

    private void forgetOldCalls() {
        Instant cutoff = Instant.now().minus(KEEP_ENDED);
        calls.values().removeIf(call -> endedAt(call).map(t -> t.isBefore(cutoff)).orElse(false));
        endedAt.values().removeIf(t -> t.isBefore(cutoff));
    }
}
