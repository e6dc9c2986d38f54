package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.DialRequested;
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
 * Reads the dials on {@code switchboard.call-control} (per-instance group, from the end, no commits), so that every
 * gateway instance knows a call while it rings, whichever instance or system placed it: a status URL asked of another
 * instance than the one that answered the POST (two replicas behind one Service) answers DIALING instead of 404, and
 * FAILED once the call controller refuses the dial, which only a CommandResult says. Hang-ups and transfers on the topic
 * are the controller's business and are passed over; a dial read after its expiry is too (the controller does not
 * carry it out either).
 */
@ApplicationScoped
public class DialsListener {
    private static final Logger LOG = Logger.getLogger(DialsListener.class);

    private final OutboundCalls calls;
    private final CommandStore commands;
    private final CallTenants tenants;
    private final DeadLetters deadLetters;
    private final Clock clock;

    DialsListener(OutboundCalls calls, CommandStore commands, CallTenants tenants, DeadLetters deadLetters, Clock clock) {
        this.calls = calls;
        this.commands = commands;
        this.tenants = tenants;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Incoming("dials-in")
    public CompletionStage<Void> onRequest(Message<CallControlRequest> message) {
        return deadLetters.consume(message, this::observe);
    }

    void observe(CallControlRequest request) {
        if (!(request.getPayload() instanceof DialRequested dial)
                || request.getExpiresAt() != null && request.getExpiresAt().isBefore(clock.instant())) {
            return;
        }
        OutboundCall dialing = OutboundCall.dialing(request.getRoom(), request.getCommandId(), dial.getPhoneNumber(),
                dial.getFromNumber(), dial.getSipTrunkId(), request.getIssuedAt(), Caller.tenantOrDefault(request.getTenant()), null);
        if (!calls.observed(dialing, tenants::of)) {
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
