package dev.switchboard.gateway.calls;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.kit.auth.Caller;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The latest outbound call of every room: the dials this instance published or read on {@code switchboard.call-control}
 * (another instance's, another system's), and what {@code switchboard.session-events}
 * says about any dial (CallAnswered, CallFailed, CallEnded, the agent's session, AnswerClassified), so a dial sent
 * over Kafka by another system shows up too once its outcome is known; and the CommandResult of a dial the call controller
 * did not carry out (REJECTED, EXPIRED), which ends it FAILED. Requests waiting for a dial's outcome wait
 * here. Over calls stay for the sessions' retention, then are evicted. Listeners ({@link #onChanged}) hear of every
 * change a client should see: a dial once it is published (or read from the topic), and each change of it after that.
 */
@Singleton
public class OutboundCalls {

    private static final Logger LOG = Logger.getLogger(OutboundCalls.class);

    /** What registering a new dial found. */
    public sealed interface Registration {
        /** Registered: publish it. */
        record Registered(OutboundCall call) implements Registration {
        }

        /** The dial's commandId is known already (a retry): nothing to publish. */
        record Known(OutboundCall call) implements Registration {
        }

        /** The room already has a call that is not over, or a call of another tenant (even one that is over). */
        record RoomBusy(OutboundCall call) implements Registration {
        }
    }

    /** The statuses of a CommandResult that say a dial was not carried out: no call was placed. */
    private static final Set<CommandStatus> NOT_CARRIED_OUT =
            EnumSet.of(CommandStatus.REJECTED, CommandStatus.EXPIRED, CommandStatus.UNKNOWN_SESSION);

    private final Map<String, OutboundCall> byRoom = new HashMap<>();
    private final Map<String, String> roomByCommand = new HashMap<>();
    /** Dials known only as requests, by commandId ({@link #requested}); evicted after the retention. */
    private final Map<String, OutboundCall> requests = new HashMap<>();
    /**
     * Dials the call controller refused whose room another tenant has dialled into since, by commandId: no longer the
     * room's call, still their own tenant's record (a retry with the dial's Idempotency-Key gets its outcome); evicted
     * after the retention.
     */
    private final Map<String, OutboundCall> displaced = new HashMap<>();
    private final Map<String, CompletableFuture<OutboundCall>> waiters = new HashMap<>();
    private final List<Consumer<OutboundCall>> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Duration retention;

    @Inject
    OutboundCalls(Clock clock, GatewayConfig config) {
        this(clock, config.sessions().endedRetention());
    }

    public OutboundCalls(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Registers a dial unless its commandId is known already or its room is taken. A room is taken while its call is not
     * over, and for as long as the call of another tenant is remembered (over or not): a dial must not replace that
     * tenant's record of its call, which stays visible to it for the retention. A dial the call controller refused
     * never had the room, so another tenant may dial into it: otherwise anyone who can write to Kafka could keep a tenant
     * out of its own room for the retention with a request that was never carried out. The refused dial is kept by its
     * commandId only ({@link #findByCommand}).
     *
     * @param tenantOf whose a remembered call is (its own tenant, else its session's; "default" when neither is known)
     */
    public synchronized Registration register(OutboundCall dialing, Function<OutboundCall, String> tenantOf) {
        Optional<OutboundCall> known = findByCommand(dialing.commandId());
        if (known.isPresent()) {
            return new Registration.Known(known.get());
        }
        OutboundCall current = byRoom.get(dialing.room());
        boolean anotherTenants = current != null
                && !Caller.tenantOrDefault(dialing.tenant()).equals(Caller.tenantOrDefault(tenantOf.apply(current)));
        if (current != null && (!current.isOver() || anotherTenants && !current.wasNeverPlaced())) {
            return new Registration.RoomBusy(current);
        }
        if (anotherTenants && current.commandId() != null) {
            displaced.put(current.commandId(), current);
        }
        put(dialing);
        return new Registration.Registered(dialing);
    }

    /**
     * A dial read from {@code switchboard.call-control}: one another gateway instance placed (behind a load balancer,
     * its status URL may be asked here), or another system sent over Kafka, or, read again at start-up, one placed
     * before this instance started. It is remembered as DIALING, so this instance answers for it before its outcome is
     * known and ends it FAILED should the call controller not carry it out (no session event follows such a refusal).
     * It never replaces what is known: a dial whose commandId is known (placed here, or known from its outcome) only gets
     * what its request says filled in (its fingerprint, trunk and caller id); a call that is not over or is another
     * tenant's stays. A dial read after its expiry ({@code mayStillRing} false) is not shown as ringing: it is kept as the
     * request it was, for the outcome read later and for a retry with its Idempotency-Key, which must not place it again.
     *
     * @return whether it was remembered as a call that rings
     */
    public boolean observed(OutboundCall dialing, Function<OutboundCall, String> tenantOf, boolean mayStillRing) {
        OutboundCall changed = null;
        synchronized (this) {
            Optional<OutboundCall> known = findByCommand(dialing.commandId());
            if (known.isPresent()) {
                OutboundCall filled = known.get().withRequest(dialing);
                if (!filled.equals(known.get())) {
                    put(filled);
                    changed = filled;
                }
            } else if (mayStillRing && register(dialing, tenantOf) instanceof Registration.Registered) {
                changed = dialing;
            } else if (dialing.commandId() != null) {
                requests.put(dialing.commandId(), dialing);
            }
        }
        if (changed != null) {
            tell(changed);
        }
        return changed == dialing;
    }

    /**
     * The request of a dial known only as a request: read on {@code switchboard.call-control} but never shown as a call
     * (read after its expiry, or its room was taken) and no outcome named it since.
     */
    public synchronized Optional<OutboundCall> requested(String commandId) {
        return Optional.ofNullable(commandId == null ? null : requests.get(commandId));
    }

    /**
     * A dial this instance registered is on the call-control topic: from now on it is a call to tell of (one that could
     * not be published is forgotten, and was never told).
     */
    public void published(OutboundCall call) {
        tell(call);
    }

    /**
     * Hears of every change of a call, after it was made and outside this registry's lock. Changes of one room made on
     * two threads may be heard in either order: a listener that needs the latest reads {@link #find} again.
     */
    public void onChanged(Consumer<OutboundCall> listener) {
        listeners.add(listener);
    }

    /** Drops a dial that could not be published, so that a retry with the same Idempotency-Key publishes it. */
    public synchronized void forget(OutboundCall call) {
        if (byRoom.remove(call.room(), call)) {
            roomByCommand.remove(call.commandId());
        }
    }

    /** Every call remembered (dialled through this gateway or seen on the call-control topic), the latest first. */
    public synchronized List<OutboundCall> all() {
        return byRoom.values().stream().sorted(Comparator.comparing(OutboundCall::requestedAt,
                Comparator.nullsLast(Comparator.reverseOrder()))).toList();
    }

    public synchronized Optional<OutboundCall> find(String room) {
        return Optional.ofNullable(byRoom.get(room));
    }

    public synchronized Optional<OutboundCall> findByCommand(String commandId) {
        String room = commandId == null ? null : roomByCommand.get(commandId);
        return Optional.ofNullable(room == null ? null : byRoom.get(room)).filter(c -> commandId.equals(c.commandId()))
                .or(() -> Optional.ofNullable(commandId == null ? null : displaced.get(commandId)));
    }

    /** Completes once the dial is answered or has failed (at once when it has). */
    public synchronized CompletionStage<OutboundCall> whenDialed(String commandId) {
        Optional<OutboundCall> call = findByCommand(commandId);
        if (call.isPresent() && call.get().isDialed()) {
            return CompletableFuture.completedFuture(call.get());
        }
        // A fresh stage per caller, so a caller that stops waiting cancels nothing shared.
        return waiters.computeIfAbsent(commandId, id -> new CompletableFuture<>()).thenApply(c -> c);
    }

    /** Applies one session event in topic order; events about other things are ignored. */
    public void apply(SessionEvent event) {
        List<OutboundCall> dialed = new ArrayList<>();
        List<CompletableFuture<OutboundCall>> toComplete = new ArrayList<>();
        OutboundCall changed = null;
        synchronized (this) {
            Instant at = event.getOccurredAt();
            OutboundCall next = switch (event.getPayload()) {
                // An outcome names the dial's tenant (SessionEvent v3 on): a dial another system sent is then its tenant's
                // even when this gateway never read the DialRequested. It names the number the call was placed from too,
                // the call controller's default when the dial named none.
                case CallAnswered answered -> ofDial(event.getRoom(), answered.getDialCommandId(), answered.getPhoneNumber(), at)
                        .answered(answered.getPhoneNumber(), at, answered.getAnsweredBy()).toldTenant(answered.getTenant())
                        .toldFrom(answered.getFromNumber());
                case CallFailed failed -> failedOnce(ofDial(event.getRoom(), failed.getDialCommandId(), failed.getPhoneNumber(), at),
                        failed, at);
                case CallEnded ended -> current(event.getRoom()).map(call -> switch (call.state()) {
                    case ANSWERED -> call.ended(ended.getReason(), at);
                    case DIALING -> call.endedWhileDialing(ended.getReason());
                    case FAILED -> cancelledLate(call, ended);
                    case ENDED -> call;
                }).orElse(null);
                case SessionEnded ended -> current(event.getRoom())
                        .filter(call -> call.state() == CallState.ANSWERED && sameSession(call, event.getSessionId()))
                        .map(call -> call.ended(ended.getReason(), at)).orElse(null);
                case SessionStarted started -> sessionStarted(event, started);
                case AnswerClassified classified -> current(event.getRoom()).map(call -> call.classified(classified.getAnsweredBy()))
                        .orElse(null);
                default -> null;
            };
            if (next != null && isExpired(next)) {
                remove(next); // replaying old history must not fill memory with it
            } else if (next != null) {
                if (next != byRoom.get(next.room())) {
                    changed = next;
                }
                put(next);
                if (next.isDialed() && next.commandId() != null) {
                    CompletableFuture<OutboundCall> waiter = waiters.remove(next.commandId());
                    if (waiter != null) {
                        toComplete.add(waiter);
                        dialed.add(next);
                    }
                }
            }
        }
        for (int i = 0; i < toComplete.size(); i++) {
            toComplete.get(i).complete(dialed.get(i)); // outside the lock: waiters resume in this thread
        }
        if (changed != null) {
            tell(changed);
        }
    }

    /**
     * Applies a CommandResult: one for a dial that is still DIALING and says it was not carried out (REJECTED, e.g. by the
     * call controller's tenant fence; EXPIRED; UNKNOWN_SESSION) ends the dial FAILED with the result's reason, and answers
     * the requests waiting for it. No CallAnswered or CallFailed follows such a result. Other results, and results of
     * dials this gateway does not know, change nothing.
     */
    public void commandResult(CommandResult result) {
        notCarriedOut(result.getCommandId(), result.getStatus(), result.getReason(), result.getDecidedAt());
    }

    /**
     * The same for a dial's decision known before the dial itself (a dial another instance placed, whose result was read
     * before the dial): {@code status} REJECTED, EXPIRED or UNKNOWN_SESSION ends it FAILED; any other changes nothing.
     */
    public void notCarriedOut(String commandId, CommandStatus status, String reason, Instant decidedAt) {
        if (!NOT_CARRIED_OUT.contains(status) || commandId == null) {
            return;
        }
        OutboundCall failed;
        CompletableFuture<OutboundCall> waiter;
        synchronized (this) {
            Instant at = decidedAt != null ? decidedAt : clock.instant();
            // A dial known only as its request (read at start-up) whose room has no call since: the refusal is its outcome.
            Optional<OutboundCall> dialing = findByCommand(commandId).filter(call -> call.state().isDialing() || failedLater(call, at))
                    .or(() -> requested(commandId).filter(request -> !byRoom.containsKey(request.room())));
            if (dialing.isEmpty()) {
                return;
            }
            failed = dialing.get().failed(null, CallFailure.notCarriedOut(status, reason), at);
            put(failed);
            waiter = waiters.remove(failed.commandId());
        }
        if (waiter != null) {
            waiter.complete(failed); // outside the lock: waiters resume in this thread
        }
        tell(failed);
    }

    /** Forgets calls that have been over longer than the retention; returns how many. */
    public synchronized int evictOver() {
        List<OutboundCall> old = byRoom.values().stream().filter(this::isExpired).toList();
        old.forEach(this::remove);
        Instant oldest = clock.instant().minus(retention);
        requests.values().removeIf(request -> request.requestedAt() == null || request.requestedAt().isBefore(oldest));
        displaced.values().removeIf(this::isExpired);
        return old.size();
    }

    private boolean isExpired(OutboundCall call) {
        return call.isOver() && call.endedAt() != null && call.endedAt().isBefore(clock.instant().minus(retention));
    }

    private void remove(OutboundCall call) {
        OutboundCall current = byRoom.get(call.room());
        if (current != null && Objects.equals(current.commandId(), call.commandId())) {
            byRoom.remove(call.room());
        }
        if (call.commandId() != null) {
            roomByCommand.remove(call.commandId());
        }
    }

    public synchronized int size() {
        return byRoom.size();
    }

    /**
     * The call an outcome event is about: the room's call when it is the same dial (or either side does not say),
     * else a new entry (a dial another system sent, or a later dial in a reused room).
     */
    private OutboundCall ofDial(String room, String dialCommandId, String number, Instant at) {
        OutboundCall current = byRoom.get(room);
        boolean same = current != null && (dialCommandId == null ? !current.isOver()
                : current.commandId() == null || dialCommandId.equals(current.commandId()));
        if (same) {
            return current;
        }
        // A dial known so far only as its request (read after its expiry, at start-up) starts from what it asked for.
        OutboundCall request = dialCommandId == null ? null : requests.get(dialCommandId);
        return request != null ? request
                : new OutboundCall(room, dialCommandId, CallState.DIALING, number, null, null, null, null, null, null, at, null, null, null, null);
    }

    /**
     * The first failure of a dial stands, first by when it happened, not by when it was read: a CallFailed that follows an
     * EXPIRED answer (the controller, back, reporting the dial it found expired) does not change the reason a client was
     * already told, and a gateway that reads both again at start-up (the two topics are read apart, in either order)
     * ends with the same reason.
     */
    private static OutboundCall failedOnce(OutboundCall dial, CallFailed failed, Instant at) {
        OutboundCall told = dial.toldTenant(failed.getTenant()).toldFrom(failed.getFromNumber());
        if (dial.state() == CallState.FAILED && !failedLater(dial, at)) {
            return told;
        }
        // A CallEnded read while it rang: the room was hung up, and whatever LiveKit then said (NO_ANSWER, as at its
        // ringing timeout) is the cancel's echo, not the callee's answer.
        CallFailure why = dial.state().isDialing() && dial.endReason() != null
                ? CallFailure.cancelled(dial.endReason(), CallFailure.of(failed)) : CallFailure.of(failed);
        return told.failed(failed.getPhoneNumber(), why, at);
    }

    /**
     * A CallEnded read after the dial's CallFailed, of the hang-up that failure names (the call controller publishes
     * the two from two threads, so they may reach the topic in either order): the dial was cancelled all the same.
     */
    private static OutboundCall cancelledLate(OutboundCall call, CallEnded ended) {
        String hangup = ended.getHangupCommandId();
        CallFailure failure = call.failure();
        boolean named = hangup != null && failure != null && !failure.toldCancelled()
                && failure.detail() != null && failure.detail().contains("hung up meanwhile (command " + hangup + ")");
        return named ? call.failed(call.to(), CallFailure.cancelled(ended.getReason(), failure), call.endedAt()) : call;
    }

    /** Whether the dial failed, and later than {@code at} (a failure at {@code at}, read after, happened first). */
    private static boolean failedLater(OutboundCall dial, Instant at) {
        return dial.state() == CallState.FAILED && dial.endedAt() != null && at != null && at.isBefore(dial.endedAt());
    }

    private OutboundCall sessionStarted(SessionEvent event, SessionStarted started) {
        boolean outbound = started.getDirection() == CallDirection.OUTBOUND || started.getDialCommandId() != null;
        if (!outbound) {
            return null;
        }
        OutboundCall current = byRoom.get(event.getRoom());
        String dial = started.getDialCommandId();
        boolean same = current != null && (dial == null ? !current.isOver() : current.commandId() == null || dial.equals(current.commandId()));
        if (same) {
            return current.inSession(event.getSessionId(), started.getCalleeNumber(), started.getCallerNumber(), dial, started.getTenant());
        }
        // The agent's session of a dial this gateway has not seen as a call: its callee has joined, so it was answered.
        OutboundCall answered = new OutboundCall(event.getRoom(), dial, CallState.ANSWERED, started.getCalleeNumber(),
                started.getCallerNumber(), started.getSipTrunkId(), event.getSessionId(), null, null, null, event.getOccurredAt(),
                event.getOccurredAt(), null, started.getTenant(), null);
        OutboundCall request = dial == null ? null : requests.get(dial);
        return request == null ? answered : answered.withRequest(request);
    }

    private Optional<OutboundCall> current(String room) {
        return Optional.ofNullable(byRoom.get(room));
    }

    private static boolean sameSession(OutboundCall call, String sessionId) {
        return sessionId == null || call.sessionId() == null || Objects.equals(sessionId, call.sessionId());
    }

    private void tell(OutboundCall call) {
        for (Consumer<OutboundCall> listener : listeners) {
            try {
                listener.accept(call);
            } catch (RuntimeException e) {
                LOG.warnf(e, "a listener of the outbound calls failed on room %s", call.room());
            }
        }
    }

    private void put(OutboundCall call) {
        OutboundCall replaced = byRoom.put(call.room(), call);
        if (replaced != null && replaced.commandId() != null && !replaced.commandId().equals(call.commandId())) {
            roomByCommand.remove(replaced.commandId());
        }
        if (call.commandId() != null) {
            roomByCommand.put(call.commandId(), call.room());
            requests.remove(call.commandId()); // a call now
        }
    }
}
