package dev.switchboard.controller.hangup;

import dev.switchboard.controller.events.CommandResultPublisher;
import dev.switchboard.controller.events.CommandResults;
import dev.switchboard.controller.events.SessionEventPublisher;
import dev.switchboard.controller.events.SessionEvents;
import dev.switchboard.controller.livekit.LiveKitClients;
import dev.switchboard.controller.tenancy.HeartbeatSessionsReader;
import dev.switchboard.controller.tenancy.ReportedSession;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do with one hang-up and does it: idempotent per command id, terminal per room,
 * expired requests not carried out but answered EXPIRED (a CommandResult, as for an expired transfer), and CallEnded
 * published before the request counts as handled.
 * Requests of one room must reach it one at a time (the router sees to that).
 */
@ApplicationScoped
public class HangupService {
    private static final Logger LOG = Logger.getLogger(HangupService.class);
    /** How long a hang-up without a transport may wait to learn the room's sessions from the workers' heartbeats. */
    private static final Duration TRANSPORT_LOOKUP = Duration.ofSeconds(2);

    private final HangupExecutor executor;
    private final CallLedger ledger;
    private final SessionEvents events;
    private final SessionEventPublisher publisher;
    private final CommandResults results;
    private final CommandResultPublisher resultPublisher;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final boolean liveKitConfigured;
    private final HeartbeatSessionsReader reported;

    HangupService(LiveKitClients livekit, HangupSettings settings, CallLedger ledger, SessionEvents events,
                  SessionEventPublisher publisher, CommandResults results, CommandResultPublisher resultPublisher,
                  MeterRegistry metrics, Clock clock, HeartbeatSessionsReader reported) {
        this.executor = new HangupExecutor(livekit.rooms(), settings.policy(),
                new RetryingCaller(Backoff.of(settings.retry()), metrics));
        this.liveKitConfigured = livekit.rooms().isPresent();
        this.reported = reported;
        this.ledger = ledger;
        this.events = events;
        this.publisher = publisher;
        this.results = results;
        this.resultPublisher = resultPublisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    public HangupResult handle(CallControlRequest request, HangupRequested hangup) {
        String room = request.getRoom();
        String commandId = request.getCommandId();
        if (ledger.commandHandled(commandId)) {
            LOG.infof("room %s: hang-up %s was already handled, ignored", room, commandId);
            count("none", "duplicate");
            return new HangupResult.Skipped("command " + commandId + " already handled");
        }
        if (clock.instant().isAfter(request.getExpiresAt())) {
            // Carrying out a stale hang-up could end a later call that reuses the room name. Not poison: its requester
            // is told on Kafka (EXPIRED), so no hang-up not carried out goes unseen.
            return expired(request);
        }
        var ended = ledger.ended(room, hangup.getSessionId(), request.getIssuedAt());
        if (ended.isPresent()) {
            LOG.infof("room %s: already ended (%s, command %s), hang-up %s changes nothing", room, ended.get().method(),
                    ended.get().commandId(), commandId);
            ledger.rememberCommand(commandId);
            count("none", "already_ended");
            return new HangupResult.Skipped("room " + room + " already ended");
        }

        Optional<List<ReportedSession>> sessions = sessionsIfNeeded(room, hangup);
        if (sessions.isPresent() && sessions.get().isEmpty()) {
            return noCall(request);
        }
        ledger.hangupStarted(room, hangup.getSessionId(), commandId);
        HangupOutcome outcome;
        try {
            outcome = executor.hangUp(room, hangup, transportOf(hangup, sessions));
        } catch (RuntimeException e) {
            // Never leave the room marked "hanging up": that would hide a genuine room_finished.
            ledger.hangupFailed(room, commandId);
            throw e;
        }
        Instant carriedOut = clock.instant();
        if (outcome instanceof HangupOutcome.Failed failed) {
            if (!ledger.hangupFailed(room, commandId)) {
                LOG.errorf("room %s: hang-up %s failed, dead-lettered: %s", room, commandId, failed.reason());
                count("none", "failed");
                answerRejected(request, failed.reason());
                return new HangupResult.Refused(failed.reason());
            }
            outcome = new HangupOutcome.Ended(HangupMethod.ALREADY_GONE, "LiveKit reported the room finished meanwhile (" + failed.reason() + ")");
        }
        HangupOutcome.Ended done = (HangupOutcome.Ended) outcome;
        SessionEvent callEnded = events.callEnded(request, hangup, done.method());
        try {
            publisher.publish(callEnded);
        } catch (RuntimeException e) {
            // LiveKit did its part; without CallEnded the worker would wait for its confirmation timeout. Forget the
            // attempt so a replay from the dead-letter topic publishes it (LiveKit will then answer NOT_FOUND).
            ledger.hangupFailed(room, commandId);
            count(done.method().name(), "failed");
            LOG.errorf("room %s: hung up (%s) but CallEnded could not be published: %s", room, done.method(), e.getMessage());
            return new HangupResult.Refused("hung up (" + done.method() + ") but CallEnded could not be published: " + e.getMessage());
        }
        ledger.hangupSucceeded(room, hangup.getSessionId(), commandId, done.method(), carriedOut);
        count(done.method().name(), "ended");
        LOG.infof("room %s: call ended by %s (%s, reason %s, issuer %s/%s, command %s)", room, done.method(), done.note(),
                hangup.getReason(), request.getIssuer().getKind(), request.getIssuer().getId(), commandId);
        return new HangupResult.Ended(callEnded);
    }

    /**
     * Tells whoever waits on {@code command-results} that the hang-up was not carried out, as an expired one is: a system
     * that published it straight to Kafka would otherwise wait for an outcome that never comes. The request is still
     * dead-lettered, so it can be replayed once the cause is fixed (a later CallEnded still names it).
     */
    private void answerRejected(CallControlRequest request, String reason) {
        try {
            resultPublisher.publish(results.rejected(request, reason));
        } catch (RuntimeException e) {
            LOG.warnf("room %s: the REJECTED result of hang-up %s could not be published: %s", request.getRoom(),
                    request.getCommandId(), e.getMessage());
        }
    }

    private HangupResult expired(CallControlRequest request) {
        CommandResult result = results.expired(request);
        try {
            resultPublisher.publish(result);
        } catch (RuntimeException e) {
            LOG.errorf("room %s: hang-up %s expired at %s and its result could not be published, dead-lettered: %s",
                    request.getRoom(), request.getCommandId(), request.getExpiresAt(), e.getMessage());
            count("none", "failed");
            return new HangupResult.Refused(result.getReason() + " and its result could not be published: " + e.getMessage());
        }
        ledger.rememberCommand(request.getCommandId());
        LOG.warnf("room %s: hang-up %s %s, answered EXPIRED", request.getRoom(), request.getCommandId(), result.getReason());
        count("none", "expired");
        return new HangupResult.Expired(result.getReason());
    }

    /**
     * A hang-up that does not say how the caller is connected (UNKNOWN: the Java client's, or a system's that never read
     * SessionStarted) is a LiveKit call's, unless LiveKit is not configured: then the only calls there can be are the
     * workers' simulated ones, so the room's sessions as the workers report them decide (empty when they could not be
     * learnt in time). Without this the local stack, which runs without LiveKit, could not hang up its simulated calls
     * from Kafka the way a production system would.
     */
    private Optional<List<ReportedSession>> sessionsIfNeeded(String room, HangupRequested hangup) {
        if (liveKitConfigured || hangup.getTransport() != Transport.UNKNOWN) {
            return Optional.empty();
        }
        return reported.upToDate(room, TRANSPORT_LOOKUP);
    }

    private static Transport transportOf(HangupRequested hangup, Optional<List<ReportedSession>> sessions) {
        boolean simulated = sessions.isPresent() && !sessions.get().isEmpty()
                && sessions.get().stream().allMatch(s -> s.transport() == Transport.SIMULATED);
        return simulated ? Transport.SIMULATED : hangup.getTransport();
    }

    /**
     * Without LiveKit and with no worker reporting a session in the room there is no call to end: the requester's
     * mistake (a wrong room, a call that never started), answered REJECTED and not dead-lettered, as there is nothing to
     * replay once a cause is fixed.
     */
    private HangupResult noCall(CallControlRequest request) {
        String reason = "no call in room " + request.getRoom() + ": no agent worker reports a session there, and LiveKit "
                + "is not configured (LIVEKIT_URL), so there is no LiveKit call to end either";
        ledger.rememberCommand(request.getCommandId());
        answerRejected(request, reason);
        LOG.warnf("room %s: hang-up %s answered REJECTED: %s", request.getRoom(), request.getCommandId(), reason);
        count("none", "no_call");
        return new HangupResult.Rejected(reason);
    }

    private void count(String method, String outcome) {
        metrics.counter("switchboard.controller.hangups", "method", method, "outcome", outcome).increment();
    }
}
