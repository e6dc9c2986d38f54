package dev.switchboard.controller.events;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Builds the command results this service publishes on switchboard.command-results for call-control requests whose
 * requester waits for a verdict while the call goes on (a transfer): APPLIED, REJECTED with the reason, EXPIRED.
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

    public CommandResult expired(CallControlRequest request) {
        return result(request, CommandStatus.EXPIRED, "expired at " + request.getExpiresAt() + ", not carried out");
    }

    private CommandResult result(CallControlRequest request, CommandStatus status, String reason) {
        return CommandResult.newBuilder()
                .setCommandId(request.getCommandId())
                .setRoom(request.getRoom())
                .setCommandType(request.getPayload().getClass().getSimpleName())
                .setStatus(status)
                .setReason(reason)
                .setDecidedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
