package dev.switchboard.gateway.calls;

import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CommandStatus;

/**
 * Why a dial failed, as the call controller reported it: its CallFailed, or the CommandResult of a dial it did not carry
 * out (reason REJECTED, EXPIRED or UNKNOWN_SESSION, the result's status, with the result's reason as the detail).
 */
public record CallFailure(String reason, Integer sipStatusCode, String sipStatus, String detail) {

    static CallFailure of(CallFailed failed) {
        return new CallFailure(failed.getReason().name(), failed.getSipStatusCode(), failed.getSipStatus(), failed.getDetail());
    }

    static CallFailure notCarriedOut(CommandStatus status, String reason) {
        return new CallFailure(status.name(), null, null, reason);
    }
}
