package dev.switchboard.gateway.commands;

import dev.switchboard.events.CommandResult;
import dev.switchboard.gateway.sessions.CallEnd;

import java.time.Instant;

/**
 * The decided fate of a command: from its CommandResult, or for an immediate hang-up from the CallEnded event.
 *
 * @param callEnd for hang-ups, how the call ended; null otherwise
 */
public record Decision(CommandOutcome outcome, String reason, Instant decidedAt, String sessionId, String workerId,
                       CallEnd callEnd) {

    public static Decision of(CommandResult result) {
        return new Decision(CommandOutcome.of(result.getStatus()), result.getReason(), result.getDecidedAt(),
                result.getSessionId(), result.getWorkerId(), null);
    }

    public static Decision callEnded(String sessionId, CallEnd end, String reason) {
        return new Decision(CommandOutcome.APPLIED, reason, end.at(), sessionId, null, end);
    }
}
