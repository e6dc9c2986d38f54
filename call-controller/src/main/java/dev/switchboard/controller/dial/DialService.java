package dev.switchboard.controller.dial;

import dev.switchboard.controller.events.SessionEventPublisher;
import dev.switchboard.controller.events.SessionEvents;
import dev.switchboard.controller.hangup.Backoff;
import dev.switchboard.controller.hangup.CallLedger;
import dev.switchboard.controller.hangup.HangupSettings;
import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.LiveKitClients;
import dev.switchboard.controller.livekit.LiveKitResult;
import dev.switchboard.controller.livekit.LiveKitRooms;
import dev.switchboard.controller.outcome.ControlOutcome;
import dev.switchboard.controller.support.ExpiringMap;
import dev.switchboard.controller.tenancy.HeartbeatSessionsReader;
import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.SessionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Carries out DialRequested: every dial ends in one CallAnswered or one CallFailed on switchboard.session-events
 * (with the dial's command id), nothing silent. (A dial the tenant fence refused never gets here: it is answered by a
 * CommandResult REJECTED, since its room is another tenant's call.) A command id rings at most once: this controller remembers the ones
 * it took on, and LiveKit is asked first whether an earlier delivery (on a controller since gone) began it. A failed
 * dial's room is deleted, taking the dispatched agent with it.
 *
 * <p>The room's new call begins when the dial arrives, in the room's turn ({@link #arrive}): a hang-up of the room that
 * follows it on the topic is one of this call, however soon it is carried out. Such a hang-up stops the dial: before
 * anything is dialled, while the phone rings (the room is deleted, also when the hang-up found none to delete), and when
 * the phone was answered all the same (the call is ended, and reported failed).
 */
@ApplicationScoped
public class DialService {
    private static final Logger LOG = Logger.getLogger(DialService.class);
    /** How often a ringing dial looks for a hang-up of its room that found nothing to delete. */
    private static final Duration HANGUP_WATCH = Duration.ofMillis(250);
    private static final String NOT_CONFIGURED =
            "LiveKit is not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to place calls";

    private final DialPlanner planner;
    private final Optional<EarlierAttempts> earlierAttempts;
    private final Optional<Dialer> dialer;
    private final Optional<FailedDialCleanup> cleanup;
    private final Optional<LiveKitRooms> rooms;
    private final Optional<AgentJoinWatch> agentJoins;
    private final CallLedger ledger;
    /** Outcomes Kafka did not take: a later delivery of the same dial publishes them instead of dialling. */
    private final ExpiringMap<String, SessionEvent> unpublished;
    /** What each dial taken on asked for (room, tenant, payload), by command id: tells a repeat from a reused id. */
    private final ExpiringMap<String, String> requested;
    private final SessionEvents events;
    private final SessionEventPublisher publisher;
    private final MeterRegistry metrics;
    private final Clock clock;

    DialService(LiveKitClients livekit, DialPlanner planner, HangupSettings hangup, DialSettings settings, HeartbeatSessionsReader heartbeats,
                CallLedger ledger, SessionEvents events, SessionEventPublisher publisher, MeterRegistry metrics, Clock clock) {
        RetryingCaller retrying = new RetryingCaller(Backoff.of(hangup.retry()), metrics);
        boolean configured = livekit.rooms().isPresent() && livekit.sip().isPresent() && livekit.dispatch().isPresent();
        this.earlierAttempts = configured
                ? Optional.of(new EarlierAttempts(livekit.rooms().get(), livekit.dispatch().get(), retrying)) : Optional.empty();
        this.dialer = configured
                ? Optional.of(new Dialer(livekit.sip().get(), new AgentDispatcher(livekit.dispatch().get(), retrying), retrying)) : Optional.empty();
        this.cleanup = configured ? Optional.of(new FailedDialCleanup(livekit.rooms().get(), retrying, ledger)) : Optional.empty();
        this.rooms = configured ? livekit.rooms() : Optional.empty();
        this.agentJoins = cleanup.map(c -> new AgentJoinWatch(settings.agentJoinTimeout(), heartbeats, ledger, c, events, publisher, metrics));
        this.planner = planner;
        this.ledger = ledger;
        this.unpublished = new ExpiringMap<>(hangup.rememberFor(), clock);
        this.requested = new ExpiringMap<>(hangup.rememberFor(), clock);
        this.events = events;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Refuses to start with an agent-join timeout that would hang up every call at once, or never in practice: before
     * any other start-up work, with a {@link ConfigurationException}, which Quarkus prints as one line naming the setting.
     */
    static void checkSettings(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, DialSettings settings) {
        checkAgentJoinTimeout(settings.agentJoinTimeout());
    }

    static void checkAgentJoinTimeout(Duration timeout) {
        if (timeout.compareTo(DialSettings.MIN_AGENT_JOIN_TIMEOUT) < 0 || timeout.compareTo(DialSettings.MAX_AGENT_JOIN_TIMEOUT) > 0) {
            throw new ConfigurationException("switchboard.dial.agent-join-timeout (SWITCHBOARD_DIAL_AGENT_JOIN_TIMEOUT) must be from "
                    + DialSettings.MIN_AGENT_JOIN_TIMEOUT.toSeconds() + "s to " + DialSettings.MAX_AGENT_JOIN_TIMEOUT.toMinutes() + "m, not " + timeout);
        }
    }

    /**
     * What {@link #arrive} made of a delivery: the dial to carry out, a repeat of one taken on already, or another
     * request under a command id this controller already took on (for another dial, a hang-up or a transfer).
     */
    public enum Arrival { FIRST, REPEAT, REUSED }

    /**
     * The dial arrives, in its room's turn (the router takes it between the room's hang-ups, in topic order, once the
     * tenant fence let it in): its command is claimed, and the room's new call begins, so that what is remembered of an
     * earlier call there is forgotten now and not when dialling starts, which would forget a hang-up of this call
     * carried out in between. A repeat of a dial already taken on changes nothing, nor does a dial that will not be
     * dialled for sure (expired, LiveKit not configured).
     */
    public Arrival arrive(CallControlRequest request) {
        String commandId = request.getCommandId();
        String asked = fingerprint(request);
        if (ledger.commandHandled(commandId)) {
            return requested.get(commandId).filter(asked::equals).isPresent() ? Arrival.REPEAT : Arrival.REUSED;
        }
        // Claimed before anything can ring: from here on this command is never dialled again by this controller.
        ledger.rememberCommand(commandId);
        requested.put(commandId, asked);
        if (!clock.instant().isAfter(request.getExpiresAt()) && dialer.isPresent()) {
            ledger.newCall(request.getRoom());
        }
        return Arrival.FIRST;
    }

    /** After {@link #arrive}; deliveries of one command id must reach it one at a time (the router sees to that). */
    public ControlOutcome handle(CallControlRequest request, DialRequested dial, Arrival arrival) {
        String commandId = request.getCommandId();
        if (arrival == Arrival.REUSED) {
            // Not answered under the id: its first request's outcome (or result) already stands for it, and the gateway
            // would take a CommandResult REJECTED or a CallFailed for it as that request's. The sender learns of the
            // mistake from the dead letter, the audit record (REFUSED), this WARN and the counter, as the worker does.
            String reason = "commandId " + commandId + " was already used for another request; use a new commandId for a new dial";
            LOG.warnf("room %s: dial %s refused: %s", request.getRoom(), commandId, reason);
            count("id-reused");
            return new ControlOutcome.Refused(reason);
        }
        if (arrival == Arrival.REPEAT) {
            Optional<SessionEvent> outcome = unpublished.get(commandId);
            if (outcome.isPresent()) {
                LOG.infof("room %s: dial %s delivered again, publishing its outcome", request.getRoom(), commandId);
                return publish(request, outcome.get()) ? publishedLate(outcome.get())
                        : ControlOutcome.Refused.unfinished("the dial's outcome still could not be published");
            }
            LOG.infof("room %s: dial %s was already handled, ignored", request.getRoom(), commandId);
            count("duplicate");
            return new ControlOutcome.Skipped("command " + commandId + " already handled");
        }
        if (clock.instant().isAfter(request.getExpiresAt())) {
            return failed(request, dial, null, CallFailure.failed("expired at " + request.getExpiresAt() + ", not dialled"));
        }
        if (dialer.isEmpty()) {
            return failed(request, dial, null, CallFailure.failed(NOT_CONFIGURED));
        }
        DialPlan plan;
        switch (planner.plan(request, dial)) {
            case DialPlanner.Result.Ready ready -> plan = ready.plan();
            case DialPlanner.Result.Unplaceable unplaceable -> {
                return failed(request, dial, null, CallFailure.failed(unplaceable.reason()));
            }
        }
        String identity = plan.call().identity();
        Optional<CallLedger.RoomRecord> hungUp = hungUpSince(plan);
        if (hungUp.isPresent()) {
            String why = meanwhile(hungUp.get()) + "; not dialled";
            return failed(request, dial, null, hungUp.get().commandId() != null ? CallFailure.cancelled(why) : CallFailure.failed(why));
        }
        boolean roomExisted;
        switch (earlierAttempts.get().check(plan)) {
            case EarlierAttempts.Finding.None none -> roomExisted = none.roomExisted();
            case EarlierAttempts.Finding.Answered answered -> {
                LOG.infof("room %s: dial %s was answered in an earlier attempt, reported without dialling again", request.getRoom(), commandId);
                return answered(request, dial, plan, answered.participant().identity(), answered.participant().sipCallId());
            }
            case EarlierAttempts.Finding.Interrupted interrupted -> {
                CallFailure failure = CallFailure.failed("an earlier delivery of this dial was interrupted before its outcome was known ("
                        + interrupted.evidence() + "); not dialled again");
                return failed(request, dial, identity, failure.withDetail(cleanup.get().cleanUp(plan, false)));
            }
            case EarlierAttempts.Finding.Unknown unknown -> {
                return failed(request, dial, identity, CallFailure.failed("could not check LiveKit for an earlier attempt, not dialled: "
                        + unknown.why()));
            }
        }
        Dialer.Result result;
        Thread watch = stopRingingOnHangup(plan);
        try {
            result = dialer.get().dial(plan, () -> hungUpSince(plan).isPresent());
        } finally {
            watch.interrupt();
        }
        return switch (result) {
            case Dialer.Result.Answered answered when hungUpSince(plan).isPresent() -> {
                // The hang-up found no room yet, and the phone was answered before the watch deleted the one the dial made.
                CallFailure cancelled = CallFailure.cancelled("answered, but the room was hung up before");
                yield failed(request, dial, identity, cancelled.withDetail(cleanup.get().cleanUp(plan, roomExisted)));
            }
            case Dialer.Result.Answered answered -> answered(request, dial, plan, answered.participant().identity(), answered.participant().sipCallId());
            case Dialer.Result.Failed failed -> {
                // LiveKit ends the ringing of a room deleted by a hang-up as if nobody answered: the hang-up stopped it.
                boolean hungUpWhileRinging = failed.failure().mayBeACancel()
                        && hungUpSince(plan).filter(record -> record.commandId() != null).isPresent();
                CallFailure failure = hungUpWhileRinging ? failed.failure().cancelledWhileRinging() : failed.failure();
                yield failed(request, dial, identity, failure.withDetail(cleanup.get().cleanUp(plan, roomExisted)));
            }
        };
    }

    /**
     * What ended the room since the dial arrived: a hang-up (of this call: the dial's new call began at its arrival) or
     * LiveKit's report of the room finished. The dial's own clean-up does not count.
     */
    private Optional<CallLedger.RoomRecord> hungUpSince(DialPlan plan) {
        return ledger.current(plan.room()).filter(record -> !plan.commandId().equals(record.commandId()));
    }

    private static String meanwhile(CallLedger.RoomRecord record) {
        return record.commandId() != null ? "the call was hung up meanwhile (command " + record.commandId() + ")"
                : "the room was reported finished meanwhile";
    }

    /**
     * While the dial runs, a hang-up of its room that came too early to delete the room the dial then made (it found
     * none, or one the phone's call made anew) would leave the phone ringing: this deletes that room, until LiveKit
     * says it did, which stops the ringing. A hang-up still under way is left to delete the room itself; LiveKit's report
     * of a room finished (maybe a late one of the room's earlier call) is no reason to end this one. Interrupt the
     * returned thread once the dial is over.
     */
    private Thread stopRingingOnHangup(DialPlan plan) {
        LiveKitRooms livekitRooms = rooms.orElseThrow();
        Thread watch = ApplicationThreads.virtual("dial-watch-" + plan.commandId()).newThread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(HANGUP_WATCH);
                    Optional<CallLedger.RoomRecord> hungUp = hungUpSince(plan)
                            .filter(r -> r.status() == CallLedger.Status.ENDED && r.commandId() != null);
                    if (hungUp.isPresent() && livekitRooms.deleteRoom(plan.room()) instanceof LiveKitResult.Done<Void>) {
                        LOG.infof("room %s: deleted while dial %s rang, as %s", plan.room(), plan.commandId(), meanwhile(hungUp.get()));
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // The dial is over.
            } catch (RuntimeException e) {
                LOG.warnf("room %s: the watch of dial %s for a hang-up failed: %s", plan.room(), plan.commandId(), e.getMessage());
            }
        });
        watch.start();
        return watch;
    }

    /** What a dial asks for, apart from when and by whom it was sent: a retry of it carries the same. */
    private static String fingerprint(CallControlRequest request) {
        String asked = request.getRoom() + "\n" + request.getTenant() + "\n" + request.getPayload();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(asked.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ControlOutcome publishedLate(SessionEvent outcome) {
        return outcome.getPayload() instanceof CallFailed failed
                ? new ControlOutcome.Failed("outcome published late: " + failed.getReason() + ", " + failed.getDetail())
                : new ControlOutcome.Done("outcome published late");
    }

    private ControlOutcome answered(CallControlRequest request, DialRequested dial, DialPlan plan, String identity, String sipCallId) {
        SessionEvent event = events.callAnswered(request, identity, dial.getPhoneNumber(), sipCallId, parties(dial));
        if (!publish(request, event)) {
            count("unpublished");
            return ControlOutcome.Refused.unfinished("the call was answered but CallAnswered could not be published");
        }
        count("answered");
        // The callee is on the line: an agent must join now, or the call is hung up rather than left silent.
        agentJoins.orElseThrow().watch(request, plan);
        LOG.infof("room %s: dial %s answered", request.getRoom(), request.getCommandId());
        return new ControlOutcome.Done("answered");
    }

    private ControlOutcome failed(CallControlRequest request, DialRequested dial, String identity, CallFailure failure) {
        SessionEvent event = events.callFailed(request, identity, dial.getPhoneNumber(), parties(dial), failure.reason(),
                failure.sipStatusCode(), failure.sipStatus(), failure.detail());
        if (!publish(request, event)) {
            count("unpublished");
            return ControlOutcome.Refused.unfinished("the dial failed (" + failure.sipSummary() + ": " + failure.detail()
                    + ") but CallFailed could not be published");
        }
        count(failure.reason().name().toLowerCase());
        // The detail names no phone number: it is safe to log.
        if (failure.reason() == CallFailureReason.FAILED) {
            LOG.warnf("room %s: dial %s failed: %s", request.getRoom(), request.getCommandId(), failure.detail());
        } else {
            LOG.infof("room %s: dial %s not connected, %s (%s)", request.getRoom(), request.getCommandId(), failure.reason(), failure.sipSummary());
        }
        return new ControlOutcome.Failed(failure.sipSummary() + ": " + failure.detail());
    }

    /** Who the dial calls from and the agent it asks for, the configured defaults applied: also for a dial never placed. */
    private SessionEvents.DialParties parties(DialRequested dial) {
        return new SessionEvents.DialParties(planner.fromNumber(dial).orElse(null), planner.agentName(dial).orElse(null));
    }

    private boolean publish(CallControlRequest request, SessionEvent event) {
        try {
            publisher.publish(event);
            unpublished.remove(request.getCommandId());
            return true;
        } catch (RuntimeException e) {
            unpublished.put(request.getCommandId(), event);
            LOG.errorf("room %s: the outcome of dial %s could not be published: %s", request.getRoom(), request.getCommandId(), e.getMessage());
            return false;
        }
    }

    private void count(String outcome) {
        metrics.counter("switchboard.controller.dials", "outcome", outcome).increment();
    }
}
