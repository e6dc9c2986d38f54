package dev.switchboard.worker.session;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.Issuer;
import dev.switchboard.schemas.client.Commands;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A session's own hang-ups: the goodbye said in full, then a HangupRequested for the call controller, remembered so
 * that the end of the call reports this hang-up's reason however the end is seen (the controller's CallEnded, the
 * caller removed or the room deleted in the room), and an end after a while if nothing confirms it.
 */
final class HangupRequests {
    private static final Logger LOG = Logger.getLogger(HangupRequests.class);

    /** Ends the session (once) with a reason, who ended it and a detail. */
    @FunctionalInterface
    interface SessionEnd {
        void end(EndReason reason, Issuer endedBy, String detail);
    }

    /** Why the session asked to be hung up, and who asked: what its end reports once the hang-up is done. */
    record Requested(EndReason reason, Issuer issuer, String detail) {
    }

    private final AgentSession.Identity identity;
    private final CallTransport transport;
    private final AgentActivity activity;
    private final SessionPublisher publisher;
    private final AgentSettings settings;
    private final ScheduledExecutorService timers;
    private final SessionEnd sessionEnd;
    /** The hang-up this session asked the call controller for; null until it asks. */
    private volatile Requested requested;

    HangupRequests(AgentSession.Identity identity, CallTransport transport, AgentActivity activity, SessionPublisher publisher,
                   AgentSettings settings, ScheduledExecutorService timers, SessionEnd sessionEnd) {
        this.identity = identity;
        this.transport = transport;
        this.activity = activity;
        this.publisher = publisher;
        this.settings = settings;
        this.timers = timers;
        this.sessionEnd = sessionEnd;
    }

    /**
     * Says the goodbye (when there is one) in full, then asks the call controller to hang up; if nothing confirms the
     * end within the confirmation timeout (the controller is down, LiveKit unreachable), the session ends anyway.
     */
    void request(String goodbye, EndReason reason, String detail, Issuer issuer) throws InterruptedException {
        if (goodbye != null && !goodbye.isBlank()) {
            activity.say(goodbye, false, true);
        }
        // Known before the request goes out: the controller may remove the caller before the broker's acknowledgement.
        requested = new Requested(reason, issuer, detail);
        CallControlRequest request = new Commands(issuer).callControl(Commands.newCommandId(), identity.room(), HangupRequested.newBuilder()
                .setReason(reason)
                .setDetail(detail)
                .setScope(HangupScope.POLICY_DEFAULT)
                .setTransport(transport.kind())
                .setSessionId(identity.sessionId())
                .build(), settings.hangupConfirmationTimeout().plusSeconds(30), identity.tenant());
        // Set before the wait, so the session ends even when the broker never acknowledges (the wait then fails the turn).
        timers.schedule(() -> sessionEnd.end(reason, issuer, "hang-up not confirmed by the call controller"),
                settings.hangupConfirmationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            Acknowledgements.awaitInterruptibly(publisher.callControl(request), settings.flushTimeout(), "the hang-up request");
            LOG.infof("room %s: hang-up requested (%s, command %s)", identity.room(), reason, request.getCommandId());
        } catch (InterruptedException e) {
            // The turn was interrupted while waiting for the broker: the session ended meanwhile (the caller hung up) or
            // the caller talked over the end of the goodbye. Neither takes the hang-up back, and neither is a failure:
            // the goodbye was said, the request is with the producer, and the end set above still comes if nothing else
            // ends the session first. The turn returns as after any hang-up; its runner clears the interrupt.
            Thread.currentThread().interrupt();
            LOG.infof("room %s: hang-up requested (%s, command %s); its acknowledgement was not awaited, the turn was interrupted",
                    identity.room(), reason, request.getCommandId());
        }
    }

    /**
     * The hang-up this session asked for, when the call ended the way the controller carries hang-ups out (the caller
     * removed, the room deleted): seen in the room before the controller's CallEnded arrived, the end is reported as
     * that CallEnded would have reported it. Empty for any other end.
     */
    Optional<Requested> confirmedBy(EndReason reason) {
        Requested asked = requested;
        boolean controllersWay = reason == EndReason.PARTICIPANT_REMOVED || reason == EndReason.ROOM_DELETED;
        return asked != null && controllersWay ? Optional.of(asked) : Optional.empty();
    }
}
