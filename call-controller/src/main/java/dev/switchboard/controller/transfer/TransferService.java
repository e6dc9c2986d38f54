package dev.switchboard.controller.transfer;

import dev.switchboard.kit.validation.DialRules;
import dev.switchboard.controller.dial.CallDestinations;
import dev.switchboard.controller.dial.CallFailure;
import dev.switchboard.controller.dial.SipSettings;
import dev.switchboard.controller.events.CommandResultPublisher;
import dev.switchboard.controller.events.CommandResults;
import dev.switchboard.controller.events.SessionEventPublisher;
import dev.switchboard.controller.events.SessionEvents;
import dev.switchboard.controller.hangup.Backoff;
import dev.switchboard.controller.hangup.CallLedger;
import dev.switchboard.controller.hangup.HangupSettings;
import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.LiveKitClients;
import dev.switchboard.controller.outcome.ControlOutcome;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.TransferRequested;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * Carries out TransferRequested (a cold transfer of the SIP caller). Every transfer gets a CommandResult on
 * switchboard.command-results: APPLIED once the target took the call, REJECTED with the reason (the SIP status of a
 * refusal) when the caller stays with the agent, EXPIRED. A transfer that happened also ends the call like a hang-up:
 * CallEnded with reason TRANSFERRED and the target, which ends the agent's session; one LiveKit was asked for and that
 * did not happen is a TransferFailed session event (reason and SIP status), so the session's record shows it too.
 * Idempotent per command id; requests of one room reach it one at a time (the router sees to that).
 */
@ApplicationScoped
public class TransferService {
    private static final Logger LOG = Logger.getLogger(TransferService.class);
    private static final String NOT_CONFIGURED =
            "LiveKit is not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to transfer calls";

    private final Optional<SipCallerLookup> callers;
    private final Optional<Transferer> transferer;
    private final CallLedger ledger;
    private final SessionEvents events;
    private final SessionEventPublisher publisher;
    private final CommandResults results;
    private final CommandResultPublisher resultPublisher;
    private final MeterRegistry metrics;
    private final Clock clock;

    TransferService(LiveKitClients livekit, SipSettings sip, HangupSettings hangup, CallLedger ledger, SessionEvents events,
                    SessionEventPublisher publisher, CommandResults results, CommandResultPublisher resultPublisher,
                    MeterRegistry metrics, Clock clock) {
        RetryingCaller retrying = new RetryingCaller(Backoff.of(hangup.retry()), metrics);
        boolean configured = livekit.rooms().isPresent() && livekit.sip().isPresent();
        this.callers = configured ? Optional.of(new SipCallerLookup(livekit.rooms().get(), retrying)) : Optional.empty();
        this.transferer = configured
                ? Optional.of(new Transferer(livekit.sip().get(), retrying, sip.transferTimeout().plus(sip.answerGrace()))) : Optional.empty();
        this.ledger = ledger;
        this.events = events;
        this.publisher = publisher;
        this.results = results;
        this.resultPublisher = resultPublisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    public ControlOutcome handle(CallControlRequest request, TransferRequested transfer) {
        String room = request.getRoom();
        String commandId = request.getCommandId();
        if (ledger.commandHandled(commandId)) {
            LOG.infof("room %s: transfer %s was already handled, ignored", room, commandId);
            count("duplicate");
            return new ControlOutcome.Skipped("command " + commandId + " already handled");
        }
        ledger.rememberCommand(commandId);
        if (clock.instant().isAfter(request.getExpiresAt())) {
            return answer(request, results.expired(request), "expired");
        }
        if (transferer.isEmpty()) {
            return answer(request, results.rejected(request, NOT_CONFIGURED), "failed");
        }
        Optional<String> unusable = CallDestinations.problem(transfer.getTransferTo());
        if (unusable.isPresent()) {
            return answer(request, results.rejected(request, "the transfer destination " + unusable.get()), "failed");
        }
        // Held to the gateway's and the worker's rule, whoever wrote the request to Kafka.
        if (!DialRules.isDestination(transfer.getTransferTo())) {
            return answer(request, results.rejected(request, "the transfer destination is neither tel: and an E.164 number "
                    + "(tel:+15551234567) nor a sip: URI"), "failed");
        }
        var ended = ledger.ended(room, null, request.getIssuedAt());
        if (ended.isPresent()) {
            return answer(request, results.rejected(request, "the call already ended (" + ended.get().method() + ")"), "failed");
        }
        String identity;
        switch (callers.get().find(room, transfer.getParticipantIdentity())) {
            case SipCallerLookup.Result.Found found -> identity = found.identity();
            case SipCallerLookup.Result.Missing missing -> {
                return answer(request, results.rejected(request, missing.reason()), "failed");
            }
        }

        // A room_finished arriving while the REFER is out is the transfer's effect, not a separate end.
        ledger.hangupStarted(room, null, commandId);
        return switch (transferer.get().transfer(room, identity, transfer)) {
            case Transferer.Result.Transferred transferred -> transferred(request, transfer, identity);
            case Transferer.Result.NotTransferred notTransferred -> notTransferred(request, transfer, identity, notTransferred.failure());
        };
    }

    private ControlOutcome transferred(CallControlRequest request, TransferRequested transfer, String identity) {
        ledger.hangupSucceeded(request.getRoom(), null, request.getCommandId(), HangupMethod.REMOVE_SIP_PARTICIPANT);
        try {
            publisher.publish(events.callTransferred(request, transfer, identity));
        } catch (RuntimeException e) {
            count("unpublished");
            LOG.errorf("room %s: transferred (%s) but CallEnded could not be published: %s", request.getRoom(), request.getCommandId(), e.getMessage());
            return new ControlOutcome.Refused("transferred but CallEnded could not be published: " + e.getMessage());
        }
        LOG.infof("room %s: caller transferred (command %s)", request.getRoom(), request.getCommandId());
        return answer(request, results.applied(request), "transferred");
    }

    private ControlOutcome notTransferred(CallControlRequest request, TransferRequested transfer, String identity, CallFailure failure) {
        boolean closedMeanwhile = ledger.hangupFailed(request.getRoom(), request.getCommandId());
        String reason = failure.sipStatusCode() != null
                ? "the transfer was refused: " + failure.sipSummary() + " (" + failure.detail() + "); the caller stays with the agent"
                : "the transfer failed: " + failure.detail();
        boolean recorded = recordFailure(request, transfer, identity, failure);
        ControlOutcome outcome = answer(request, results.rejected(request, reason), failure.sipStatusCode() != null ? "refused" : "failed");
        if (!recorded && outcome instanceof ControlOutcome.Failed failed) {
            outcome = new ControlOutcome.Failed(failed.reason() + " (TransferFailed could not be published)");
        }
        if (closedMeanwhile) {
            try {
                publisher.publish(events.callClosedDuringTransfer(request));
            } catch (RuntimeException e) {
                return new ControlOutcome.Refused("LiveKit closed the room during the transfer but CallEnded could not be published: "
                        + e.getMessage());
            }
        }
        return outcome;
    }

    /**
     * TransferFailed on switchboard.session-events, so the session's record (transcripts, the live timeline) shows the
     * attempt; the requester's answer is the CommandResult, so a failure to publish this is logged, not retried.
     */
    private boolean recordFailure(CallControlRequest request, TransferRequested transfer, String identity, CallFailure failure) {
        try {
            publisher.publish(events.transferFailed(request, transfer, identity, failure.reason(), failure.sipStatusCode(),
                    failure.sipStatus(), failure.detail()));
            return true;
        } catch (RuntimeException e) {
            count("unpublished");
            LOG.errorf("room %s: transfer %s not done (%s) and TransferFailed could not be published: %s", request.getRoom(),
                    request.getCommandId(), failure.sipSummary(), e.getMessage());
            return false;
        }
    }

    private ControlOutcome answer(CallControlRequest request, CommandResult result, String outcome) {
        try {
            resultPublisher.publish(result);
        } catch (RuntimeException e) {
            count("unpublished");
            LOG.errorf("room %s: transfer %s %s but its result could not be published: %s", request.getRoom(), request.getCommandId(),
                    result.getStatus(), e.getMessage());
            return new ControlOutcome.Refused("transfer " + result.getStatus() + " (" + result.getReason() + ") but its result could not be published");
        }
        count(outcome);
        if (result.getReason() != null) {
            LOG.infof("room %s: transfer %s %s: %s", request.getRoom(), request.getCommandId(), result.getStatus(), result.getReason());
        }
        // The requester was told either way; the audit trail tells a transfer carried out from one that was not.
        return result.getStatus() == CommandStatus.APPLIED ? new ControlOutcome.Done(outcome)
                : new ControlOutcome.Failed(result.getStatus() + (result.getReason() == null ? "" : ": " + result.getReason()));
    }

    private void count(String outcome) {
        metrics.counter("switchboard.controller.transfers", "outcome", outcome).increment();
    }
}
