package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.DialRequested;
import dev.switchboard.gateway.calls.CallDialer;
import dev.switchboard.gateway.calls.CallTenants;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandOutcome;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.kafka.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * Reads the dials on {@code switchboard.call-control} (per-instance group, no commits; at start-up from the sessions'
 * retention back, see {@link DialsStart}), so that every gateway instance knows a call while it rings, whichever instance
 * or system placed it: a status URL asked of another instance than the one that answered the POST (two replicas behind
 * one Service) answers DIALING instead of 404, and FAILED once the call controller refuses the dial, which only a
 * CommandResult says; and so that a restarted instance knows what each dial asked for, which a retry with its
 * Idempotency-Key is compared with. Hang-ups and transfers on the topic are the controller's business and are passed
 * over. A dial read after its expiry (the controller does not carry it out either; or one read again at start-up, whose
 * outcome events tell what became of it) is not shown as ringing; what it asked for is still kept.
 */
@ApplicationScoped
public class DialsListener {
    private static final Logger LOG = Logger.getLogger(DialsListener.class);

    private final OutboundCalls calls;
    private final CommandStore commands;
    private final CallTenants tenants;
    private final DialsProgress progress;
    private final DeadLetters deadLetters;
    private final Clock clock;

    DialsListener(OutboundCalls calls, CommandStore commands, CallTenants tenants, DialsProgress progress, DeadLetters deadLetters,
                  Clock clock) {
        this.calls = calls;
        this.commands = commands;
        this.tenants = tenants;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Incoming("dials-in")
    public CompletionStage<Void> onRequest(Message<CallControlRequest> message) {
        return progress.consume(message, deadLetters, this::observe);
    }

    void observe(CallControlRequest request) {
        if (!(request.getPayload() instanceof DialRequested dial)) {
            return;
        }
        // A dial read after its expiry is not carried out by the controller either (read again at start-up, what became of
        // it is told by its outcome, read apart).
        boolean mayStillRing = request.getExpiresAt() == null || request.getExpiresAt().isAfter(clock.instant());
        OutboundCall dialing = OutboundCall.dialing(request.getRoom(), request.getCommandId(), dial.getPhoneNumber(),
                dial.getFromNumber(), dial.getSipTrunkId(), request.getIssuedAt(), Caller.tenantOrDefault(request.getTenant()),
                CallDialer.fingerprint(dial));
        if (!calls.observed(dialing, tenants::of, mayStillRing)) {
            return;
        }
        LOG.debugf("room %s: dial %s placed elsewhere is ringing", request.getRoom(), request.getCommandId());
        // The two topics are read apart: the controller's refusal of the dial may have been read first.
        commands.find(request.getCommandId()).flatMap(TrackedCommand::decision)
                .filter(decision -> decision.outcome() != CommandOutcome.UNRECOGNIZED) // OutboundCalls tells which end a dial
                .ifPresent(decision -> calls.notCarriedOut(request.getCommandId(), CommandStatus.valueOf(decision.outcome().name()),
                        decision.reason(), decision.decidedAt()));
    }
}
