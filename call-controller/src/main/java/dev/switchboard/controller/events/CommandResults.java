package dev.switchboard.controller.events;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.TransferRequested;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Builds the command results this service publishes on switchboard.command-results for call-control requests whose
 * requester waits for a verdict while the call goes on (a transfer): APPLIED, REJECTED with the reason, EXPIRED; and
 * REJECTED for any request refused because its room's session belongs to another tenant.
 */
@ApplicationScoped
public class CommandResults {
    private final Clock clock;

    CommandResults(Clock clock) {
        this.clock = clock;
    }

    public CommandResult applied(CallControlRequest request) {
        return result(request, CommandStatus.APPLIED, null);
    }

    public CommandResult rejected(CallControlRequest request, String reason) {
        return result(request, CommandStatus.REJECTED, reason);
    }

    /** REJECTED for the session in the room (its id and tenant on the result, as the worker sets them on its own results). */
    public CommandResult rejected(CallControlRequest request, String reason, String sessionId, String tenant) {
        // Built afresh, not copied from rejected(): Avro's copy resolves the status enum by name through the thread's class
        // loader, which is not the application's on every thread.
        return builder(request, CommandStatus.REJECTED, reason).setSessionId(sessionId).setTenant(tenant).build();
    }

    public CommandResult expired(CallControlRequest request) {
        return result(request, CommandStatus.EXPIRED, "expired at " + request.getExpiresAt() + ", not carried out");
    }

    private CommandResult result(CallControlRequest request, CommandStatus status, String reason) {
        return builder(request, status, reason).build();
    }

    /**
     * The session and tenant the request names, as the worker sets them on its own results: a transfer the worker hands
     * over names its session (the TransferCall's result is this one), and the request carries the session's tenant.
     */
    private CommandResult.Builder builder(CallControlRequest request, CommandStatus status, String reason) {
        return CommandResult.newBuilder()
                .setCommandId(request.getCommandId())
                .setRoom(request.getRoom())
                .setCommandType(request.getPayload().getClass().getSimpleName())
                .setStatus(status)
                .setReason(reason)
                .setDecidedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setSessionId(sessionOf(request))
                .setTenant(request.getTenant());
    }

    private static String sessionOf(CallControlRequest request) {
        return switch (request.getPayload()) {
            case TransferRequested transfer -> transfer.getSessionId();
            case HangupRequested hangup -> hangup.getSessionId();
            default -> null;
        };
    }
}
