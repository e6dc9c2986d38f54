package dev.switchboard.gateway.commands;

import dev.switchboard.events.CommandResult;
import dev.switchboard.gateway.sessions.CallEnd;

import java.time.Instant;

/**
 * The decided fate of a command: from its CommandResult, or for an immediate hang-up from the CallEnded event.
 *
 * @param callEnd for hang-ups, how the call ended; null otherwise
 * @param tenant  the tenant the result named (null when it named none, or for a hang-up decided by its CallEnded)
 */
public record Decision(CommandOutcome outcome, String reason, Instant decidedAt, String sessionId, String workerId,
                       CallEnd callEnd, String tenant) {

    public static Decision of(CommandResult result) {
        return new Decision(CommandOutcome.of(result.getStatus()), result.getReason(), result.getDecidedAt(),
                result.getSessionId(), result.getWorkerId(), null, result.getTenant());
    }

    /** The CommandResult this decision came from, as it was (the inverse of {@link #of}), to publish it again. */
    public CommandResult asResult(String commandId, String room, String commandType) {
        return CommandResult.newBuilder()
                .setCommandId(commandId)
                .setRoom(room)
                .setCommandType(commandType)
                .setStatus(outcome.status())
                .setReason(reason)
                .setDecidedAt(decidedAt)
                .setSessionId(sessionId)
                .setWorkerId(workerId)
                .setTenant(tenant)
                .build();
    }

    public static Decision callEnded(String sessionId, CallEnd end, String reason) {
        return new Decision(CommandOutcome.APPLIED, reason, end.at(), sessionId, null, end, null);
    }
}
