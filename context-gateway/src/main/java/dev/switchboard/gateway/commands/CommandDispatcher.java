package dev.switchboard.gateway.commands;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.events.Transport;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.controllers.ControllerStatuses;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.SessionState;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.schemas.client.Commands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.switchboard.gateway.commands.CommandRefused.Refusal.CALL_NOT_ANSWERED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.KEY_REUSED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.NO_SESSION;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.PUBLISH_FAILED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.SESSION_ENDED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.TRANSFERS_NOT_CONFIGURED;

/**
 * Turns a validated request into a command on Kafka and waits (bounded) for its outcome. The order is what makes
 * it race-free: check the session, track the command (which registers its waiter), publish, then wait.
 */
@ApplicationScoped
public class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    private final SessionGuard guard;
    private final LiveSessionRegistry registry;
    private final CommandStore store;
    private final CommandIdsInUse idsInUse;
    private final CommandPublisher publisher;
    private final CallControlWatch watch;
    private final CommandMetrics metrics;
    private final RefusalRecorder refusals;
    private final ControllerStatuses controllers;
    private final UnansweredDials dials;
    private final Clock clock;
    private final Duration lifetime;

    CommandDispatcher(SessionGuard guard, LiveSessionRegistry registry, CommandStore store, CommandIdsInUse idsInUse,
                      CommandPublisher publisher, CallControlWatch watch, CommandMetrics metrics, RefusalRecorder refusals,
                      ControllerStatuses controllers, UnansweredDials dials, Clock clock, GatewayConfig config) {
        this.guard = guard;
        this.registry = registry;
        this.store = store;
        this.idsInUse = idsInUse;
        this.publisher = publisher;
        this.watch = watch;
        this.metrics = metrics;
        this.refusals = refusals;
        this.controllers = controllers;
        this.dials = dials;
        this.clock = clock;
        this.lifetime = config.commands().lifetime();
    }

    /** Publishes a session command to the worker that runs the room and waits for its CommandResult. */
    public Uni<CommandReply> submit(CommandOrder order) {
        return measured(order.type(), order.issuer(), order.caller(), () -> {
            String fingerprint = RequestFingerprint.of(order.payload());
            Optional<TrackedCommand> earlier = earlier(order.idempotencyKey(), order.room(), order.type(), fingerprint, order.caller());
            if (earlier.isPresent()) {
                return awaitDecision(earlier.get(), order.waitUpTo());
            }
            boolean endsSession = order.payload() instanceof EndSession;
            LiveSession session = requireSession(order, endsSession);
            if (order.payload() instanceof TransferCall) {
                // The controllers said they cannot transfer: the agent would announce a transfer that then fails.
                controllers.whyNoneCanTransfer().ifPresent(why -> {
                    throw new CommandRefused(TRANSFERS_NOT_CONFIGURED, order.room(), why);
                });
            }
            // For the session's tenant: the token's, unless an operator (tenants:all) steers another tenant's call.
            SessionCommand command = commands(order.issuer())
                    .session(commandId(order.caller(), order.idempotencyKey()), order.room(), order.payload(), lifetime, session.tenant());
            TrackedCommand candidate = TrackedCommand.issued(command, session.sessionId(), clock.instant(), fingerprint);
            if (endsSession && session.state() == SessionState.ENDING) {
                return alreadyEnded(candidate, session, order.idempotencyKey());
            }
            TrackedCommand tracked = store.trackIfAbsent(candidate);
            if (tracked != candidate) {
                // A concurrent request with the same key published it.
                return awaitDecision(sameRequest(tracked, order.idempotencyKey(), order.room(), order.type(), fingerprint), order.waitUpTo());
            }
            LOG.debugf("room %s: publishing %s %s", order.room(), order.type(), command.getCommandId());
            return publisher.publish(command, session.commandTopic())
                    .onFailure().transform(error -> publishFailed(tracked, error))
                    .chain(() -> awaitDecision(tracked, order.waitUpTo()));
        });
    }

    /**
     * Asks the call controller to hang up now (HangupRequested, reason OPERATOR_HANGUP) and waits for the room's
     * CallEnded event, which decides the request.
     */
    public Uni<CommandReply> hangUpNow(HangupOrder order) {
        return measured(TrackedCommand.HANGUP_TYPE, order.issuer(), order.caller(), () -> {
            // What an immediate hang-up asks for is its reason (the rest comes from the session).
            String fingerprint = RequestFingerprint.of(order.reason());
            Optional<TrackedCommand> earlier = earlier(order.idempotencyKey(), order.room(), TrackedCommand.HANGUP_TYPE, fingerprint,
                    order.caller());
            if (earlier.isPresent()) {
                return awaitDecision(earlier.get(), order.waitUpTo());
            }
            LiveSession session;
            try {
                session = guard.require(order.room(), order.sessionId(), true, order.caller());
            } catch (CommandRefused refused) {
                UnansweredDials.Dial dial = unansweredDial(order.room(), order.sessionId(), order.caller(), refused).orElseThrow(() -> refused);
                return cancel(order, fingerprint, dial);
            }
            HangupRequested hangup = HangupRequested.newBuilder()
                    .setReason(EndReason.OPERATOR_HANGUP)
                    .setDetail(order.reason())
                    .setScope(HangupScope.POLICY_DEFAULT)
                    .setTransport(session.transport())
                    .setSessionId(session.sessionId())
                    .build();
            // For the call's tenant: the token's, unless an operator (tenants:all) hangs up another tenant's call.
            CallControlRequest request = commands(order.issuer())
                    .callControl(commandId(order.caller(), order.idempotencyKey()), order.room(), hangup, lifetime, session.tenant());
            TrackedCommand candidate = TrackedCommand.issued(request, session.sessionId(), clock.instant(), fingerprint);
            if (session.state() == SessionState.ENDING) {
                return alreadyEnded(candidate, session, order.idempotencyKey());
            }
            TrackedCommand tracked = store.trackIfAbsent(candidate);
            if (tracked != candidate) {
                return awaitDecision(sameRequest(tracked, order.idempotencyKey(), order.room(), TrackedCommand.HANGUP_TYPE, fingerprint),
                        order.waitUpTo());
            }
            // The CallEnded event may have been applied between the check above and the tracking: look again now
            // that the waiter is registered, so the request cannot wait for an event that has passed.
            registry.find(order.room())
                    .filter(s -> s.isSession(session.sessionId()) && s.callEnd() != null)
                    .ifPresent(s -> store.callEnded(s.room(), s.sessionId(), s.callEnd()));
            if (tracked.isDecided()) {
                return awaitDecision(tracked, order.waitUpTo());
            }
            LOG.infof("room %s: asking the call controller to hang up (%s)", order.room(), request.getCommandId());
            return publisher.publish(request)
                    .onFailure().transform(error -> publishFailed(tracked, error))
                    .invoke(() -> watch.watch(request, session.sessionId(), session.tenant())) // no controller may answer
                    .chain(() -> awaitDecision(tracked, order.waitUpTo()));
        });
    }

    /**
     * The session a command goes to. A room whose outbound call has no agent session yet (it rings, or was answered and
     * the agent is joining) is not unknown: the caller is told the call is not answered yet, and that a hang-up cancels it.
     */
    private LiveSession requireSession(CommandOrder order, boolean endsSession) {
        try {
            return guard.require(order.room(), order.sessionId(), endsSession, order.caller());
        } catch (CommandRefused refused) {
            Optional<UnansweredDials.Dial> dial = unansweredDial(order.room(), order.sessionId(), order.caller(), refused);
            if (dial.isEmpty() || dial.get().hungUp()) {
                throw refused;
            }
            throw new CommandRefused(CALL_NOT_ANSWERED, order.room(), dial.get().answered()
                    ? "the outbound call in room \"" + order.room() + "\" was answered and its agent is joining: commands are taken once"
                    + " the agent's session starts (moments from now); a hang-up of the room ends the call"
                    : "the outbound call in room \"" + order.room() + "\" is still ringing: commands are taken once it is answered and"
                    + " the agent's session starts; a hang-up of the room cancels the call", refused);
        }
    }

    /**
     * Whether a hang-up of the room would reach an outbound call that has no agent session yet (ringing, or answered
     * before the session started) instead of a session: such a call has no agent to say a goodbye, so even a hang-up
     * that asked for one cancels it at once ({@link #hangUpNow}).
     */
    public boolean reachesUnansweredDial(String room, String sessionId, Caller caller) {
        try {
            guard.require(room, sessionId, true, caller);
            return false;
        } catch (CommandRefused refused) {
            return unansweredDial(room, sessionId, caller, refused).isPresent();
        }
    }

    /**
     * Whether the Idempotency-Key names an immediate hang-up this tenant already sent for the room: a retry of a request
     * that went the immediate way (a cancelled dial, say) is that command again, whatever the room's state is now. Without
     * this a retry of a ringing call's hang-up, asked without {@code immediate}, found the dial over and was taken for
     * a new EndSession, refused as a reuse of the key.
     */
    public boolean hungUpNowBefore(String idempotencyKey, String room, Caller caller) {
        if (idempotencyKey == null) {
            return false;
        }
        return store.find(IdempotencyKeys.commandId(caller.tenant(), idempotencyKey))
                .filter(earlier -> caller.mayAccess(earlier.tenant()))
                .filter(earlier -> earlier.room().equals(room) && earlier.type().equals(TrackedCommand.HANGUP_TYPE))
                .isPresent();
    }

    /**
     * The room's dial without a session, when the session guard found no session to hang up (none, or only an ended one
     * from before the dial) and the request named none. Another tenant's dial is not found: its room stays unknown.
     */
    private Optional<UnansweredDials.Dial> unansweredDial(String room, String sessionId, Caller caller, CommandRefused refused) {
        boolean noLiveSession = refused.refusal() == NO_SESSION || refused.refusal() == SESSION_ENDED;
        return sessionId == null && noLiveSession ? dials.find(room, caller) : Optional.empty();
    }

    /**
     * Hangs up a dial that has no session yet: the same HangupRequested the call controller acts on for a session, for the
     * dial's tenant and without a session id. The controller deletes the room, which makes LiveKit cancel the INVITE of a
     * phone still ringing, and publishes the room's CallEnded, which decides this request as it decides an immediate
     * hang-up of a session; its CallFailed then ends the dial FAILED (the gateway reports it as CANCELLED).
     */
    private Uni<CommandReply> cancel(HangupOrder order, String fingerprint, UnansweredDials.Dial dial) {
        HangupRequested hangup = HangupRequested.newBuilder()
                .setReason(EndReason.OPERATOR_HANGUP)
                .setDetail(order.reason())
                // Not the configured policy: with no session there is nothing in the room worth keeping, and deleting it
                // also takes away the agent dispatched to wait for the callee.
                .setScope(HangupScope.DELETE_ROOM)
                .setTransport(Transport.LIVEKIT) // a dial is always a LiveKit SIP call
                .build();
        CallControlRequest request = commands(order.issuer())
                .callControl(commandId(order.caller(), order.idempotencyKey()), order.room(), hangup, lifetime, dial.tenant());
        TrackedCommand candidate = TrackedCommand.issued(request, null, clock.instant(), fingerprint);
        if (dial.hungUp()) {
            return alreadyHungUp(candidate, dial, order.idempotencyKey());
        }
        TrackedCommand tracked = store.trackIfAbsent(candidate);
        if (tracked != candidate) {
            return awaitDecision(sameRequest(tracked, order.idempotencyKey(), order.room(), TrackedCommand.HANGUP_TYPE, fingerprint),
                    order.waitUpTo());
        }
        // The room's CallEnded may have been read between the look-up and the tracking: look again now that the waiter
        // is registered, so the request cannot wait for an event that has passed.
        Optional<UnansweredDials.Dial> now = dials.find(order.room(), order.caller());
        if (now.isPresent() && now.get().hungUp()) {
            return alreadyHungUp(tracked, now.get(), order.idempotencyKey()); // finds it tracked, and decides it
        }
        LOG.infof("room %s: no session yet, asking the call controller to hang up dial %s (%s)", order.room(), dial.dialCommandId(),
                request.getCommandId());
        return publisher.publish(request)
                .onFailure().transform(error -> publishFailed(tracked, error))
                .invoke(() -> watch.watch(request, null, dial.tenant())) // no controller may answer
                .chain(() -> awaitDecision(tracked, order.waitUpTo()));
    }

    /** A dial a hang-up already reached (its CallEnded was read): nothing to send, the answer is that it was hung up. */
    private Uni<CommandReply> alreadyHungUp(TrackedCommand candidate, UnansweredDials.Dial dial, String idempotencyKey) {
        TrackedCommand tracked = store.trackIfAbsent(candidate);
        if (tracked != candidate) {
            sameRequest(tracked, idempotencyKey, candidate.room(), candidate.type(), candidate.fingerprint());
        }
        CallEnd end = new CallEnd(clock.instant(), dial.hungUpReason(), null, "the dial had already been hung up",
                null, HangupMethod.ALREADY_GONE);
        tracked.decide(Decision.callEnded(null, end, "the dial had already been hung up (" + dial.hungUpReason()
                + "); nothing was sent"));
        return awaitDecision(tracked, Duration.ZERO);
    }

    /** The request's work, counted and timed; a refusal is also recorded in the audit trail under the caller. */
    private Uni<CommandReply> measured(String type, Issuer issuer, Caller caller, Supplier<Uni<? extends CommandReply>> work) {
        long started = System.nanoTime();
        return Uni.createFrom().<CommandReply>deferred(work).onItemOrFailure().invoke((reply, failure) -> {
            if (failure instanceof CommandRefused refused) {
                refusals.refused(issuer, caller.tenant(), type, refused);
            }
            String outcome;
            if (reply instanceof CommandReply.Decided decided) {
                outcome = decided.decision().outcome().name();
            } else if (reply instanceof CommandReply.Pending) {
                outcome = CommandMetrics.PENDING;
            } else {
                outcome = failure instanceof CommandRefused refused ? refused.refusal().name() : "ERROR";
            }
            metrics.requestEnded(type, outcome, Duration.ofNanos(System.nanoTime() - started));
        });
    }

    /**
     * The earlier command with this Idempotency-Key from the caller's tenant, if it is known and was the same request (same
     * room, kind of command and payload); a key the tenant dialled with is refused. Another tenant's use of the same key is
     * not looked at: its command has another id.
     */
    private Optional<TrackedCommand> earlier(String idempotencyKey, String room, String type, String fingerprint, Caller caller) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        String commandId = IdempotencyKeys.commandId(caller.tenant(), idempotencyKey);
        idsInUse.find(commandId).ifPresent(use -> {
            throw new CommandRefused(KEY_REUSED, room, "Idempotency-Key \"" + idempotencyKey + "\" was already used"
                    + (caller.mayAccess(Caller.tenantOrDefault(use.tenant())) ? " for " + use.what() : "")
                    + "; use a new key for a new command");
        });
        return store.find(commandId).map(earlier -> {
            if (!caller.mayAccess(earlier.tenant())) {
                // A command of another tenant's session under this tenant's key (an operator's, or another system's
                // with that id): say it is taken, never what for.
                throw new CommandRefused(KEY_REUSED, room, "Idempotency-Key \"" + idempotencyKey
                        + "\" is already in use; use a new key for a new command");
            }
            return sameRequest(earlier, idempotencyKey, room, type, fingerprint);
        });
    }

    /** The command a retry with this key gets: the earlier one, if it asked for the same (room, kind, payload). */
    private static TrackedCommand sameRequest(TrackedCommand earlier, String idempotencyKey, String room, String type, String fingerprint) {
        if (!earlier.room().equals(room) || !earlier.type().equals(type)) {
            throw new CommandRefused(KEY_REUSED, room, "Idempotency-Key \"" + idempotencyKey + "\" was already used for the "
                    + earlier.type() + " command on room \"" + earlier.room() + "\"; use a new key for a new command");
        }
        if (idempotencyKey != null && RequestFingerprint.differs(earlier.fingerprint(), fingerprint)) {
            throw new CommandRefused(KEY_REUSED, room, "Idempotency-Key \"" + idempotencyKey + "\" was already used for a different "
                    + "request (the " + earlier.type() + " command on room \"" + room + "\" with another body); a retry must send the same "
                    + "request, use a new key for a new command");
        }
        return earlier;
    }

    /** A hang-up of a call that has already ended: nothing to send, the answer is how it ended. */
    private Uni<CommandReply> alreadyEnded(TrackedCommand candidate, LiveSession session, String idempotencyKey) {
        TrackedCommand tracked = store.trackIfAbsent(candidate);
        if (tracked != candidate) {
            sameRequest(tracked, idempotencyKey, candidate.room(), candidate.type(), candidate.fingerprint());
        }
        var end = session.callEnd();
        tracked.decide(Decision.callEnded(session.sessionId(), end,
                "the call had already ended (" + end.reason() + ", " + end.method() + "); nothing was sent"));
        return awaitDecision(tracked, Duration.ZERO);
    }

    private Uni<CommandReply> awaitDecision(TrackedCommand command, Duration wait) {
        Optional<Decision> decided = command.decision();
        if (decided.isPresent()) {
            return Uni.createFrom().item(new CommandReply.Decided(command, decided.get()));
        }
        if (wait.isZero()) {
            return Uni.createFrom().item(new CommandReply.Pending(command));
        }
        return Uni.createFrom().completionStage(command.whenDecided())
                .map(decision -> (CommandReply) new CommandReply.Decided(command, decision))
                .ifNoItem().after(wait).recoverWithItem(() -> new CommandReply.Pending(command));
    }

    private CommandRefused publishFailed(TrackedCommand command, Throwable error) {
        // A retry with the same Idempotency-Key must publish again; a hang-up that arrives all the same is known again by
        // its CallEnded (session commands are read back from the command topics).
        if (command.isHangup()) {
            store.forgetUnconfirmedHangup(command);
        } else {
            store.forget(command);
        }
        // The broker is away, not this service broken: the 503 answer is logged (a WARN line now and then, not per request).
        LOG.debugf("room %s: could not publish %s %s: %s", command.room(), command.type(), command.commandId(), error.getMessage());
        return new CommandRefused(PUBLISH_FAILED, command.room(), command.commandId(), "Kafka did not acknowledge the command ("
                + error.getMessage() + "); it may still reach the call: GET /v1/commands/" + command.commandId() + " shows it if it"
                + " does, and a retry is applied once only when it carries the same Idempotency-Key", error);
    }

    private Commands commands(Issuer issuer) {
        return new Commands(issuer, lifetime, clock);
    }

    /** The key's id in the caller's tenant, or a new id without a key. */
    private static String commandId(Caller caller, String idempotencyKey) {
        return idempotencyKey != null ? IdempotencyKeys.commandId(caller.tenant(), idempotencyKey) : Commands.newCommandId();
    }
}
