package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.DialRequested;
import dev.switchboard.gateway.calls.CallDialer;
import dev.switchboard.gateway.calls.CallTenants;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CallControlWatch;
import dev.switchboard.gateway.commands.CommandOutcome;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.IncomingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Reads the dials on {@code switchboard.call-control} (per-instance group, no commits; at start-up from the sessions'
 * retention back, see {@link DialsStart}), so that every gateway instance knows a call while it rings, whichever instance
 * or system placed it: a status URL asked of another instance than the one that answered the POST (two replicas behind
 * one Service) answers DIALING instead of 404, and FAILED once the call controller refuses the dial, which only a
 * CommandResult says; and so that a restarted instance knows what each dial asked for, which a retry with its
 * Idempotency-Key is compared with. Hang-ups and transfers on the topic are the controller's business and are passed
 * over. A dial read after its expiry is not shown as ringing (the controller does not carry it out either), nor is one
 * read at start-up past the watchdog's deadline (its outcome events tell what became of it); what it asked for is still
 * kept. One read at start-up before that deadline rings here and is watched, as by the instance that placed it.
 */
@ApplicationScoped
public class DialsListener {
    private static final Logger LOG = Logger.getLogger(DialsListener.class);

    private final OutboundCalls calls;
    private final CommandStore commands;
    private final CallTenants tenants;
    private final DialsProgress progress;
    private final DeadLetters deadLetters;
    private final CallControlWatch watch;
    private final GatewayConfig.Watchdog deadlines;
    private final Clock clock;

    DialsListener(OutboundCalls calls, CommandStore commands, CallTenants tenants, DialsProgress progress, DeadLetters deadLetters,
                  CallControlWatch watch, GatewayConfig config, Clock clock) {
        this.calls = calls;
        this.commands = commands;
        this.tenants = tenants;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.watch = watch;
        this.deadlines = config.watchdog();
        this.clock = clock;
    }

    @Incoming("dials-in")
    public CompletionStage<Void> onRequest(Message<CallControlRequest> message) {
        boolean readAtStart = IncomingRecords.partition(message)
                .map(partition -> progress.isHistory(partition, IncomingRecords.offset(message))).orElse(false);
        return progress.consume(message, deadLetters, request -> observe(request, readAtStart));
    }

    /**
     * @param readAtStart whether the dial was on the topic when this instance started: placed before a restart (perhaps
     *                    by this gateway, whose watch did not survive it) or by another replica
     */
    void observe(CallControlRequest request, boolean readAtStart) {
        if (!(request.getPayload() instanceof DialRequested dial)) {
            return;
        }
        Instant now = clock.instant();
        // Read as it comes, a dial past its expiry is not carried out by the controller either. Read at start-up, one the
        // controller took in time may still ring until the watchdog's deadline, and is watched from here: the instance
        // that placed it may be this one before a restart.
        boolean mayStillRing = request.getExpiresAt() == null || (readAtStart
                ? now.isBefore(CallControlWatch.answerDeadline(request, deadlines))
                : request.getExpiresAt().isAfter(now));
        // A dial that names no trunk (the controller's default) says so with an empty id: shown as none, not as "".
        String trunk = dial.getSipTrunkId() == null || dial.getSipTrunkId().isBlank() ? null : dial.getSipTrunkId();
        OutboundCall dialing = OutboundCall.dialing(request.getRoom(), request.getCommandId(), dial.getPhoneNumber(),
                dial.getFromNumber(), trunk, request.getIssuedAt(), Caller.tenantOrDefault(request.getTenant()),
                CallDialer.fingerprint(dial));
        if (!calls.observed(dialing, tenants::of, mayStillRing)) {
            return;
        }
        if (readAtStart && request.getExpiresAt() != null) {
            watch.watch(request, null, dialing.tenant()); // no controller may answer it
        }
        LOG.debugf("room %s: dial %s placed elsewhere is ringing", request.getRoom(), request.getCommandId());
        // The two topics are read apart: the controller's refusal of the dial may have been read first.
        commands.find(request.getCommandId()).flatMap(TrackedCommand::decision)
                .filter(decision -> decision.outcome() != CommandOutcome.UNRECOGNIZED) // OutboundCalls tells which end a dial
                .ifPresent(decision -> calls.notCarriedOut(request.getCommandId(), CommandStatus.valueOf(decision.outcome().name()),
                        decision.reason(), decision.decidedAt()));
    }
}
