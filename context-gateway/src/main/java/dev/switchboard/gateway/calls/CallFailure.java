package dev.switchboard.gateway.calls;

import dev.switchboard.events.CallFailed;

/** Why a dial failed, as the call controller reported it (CallFailed). */
public record CallFailure(String reason, Integer sipStatusCode, String sipStatus, String detail) {

    static CallFailure of(CallFailed failed) {
        return new CallFailure(failed.getReason().name(), failed.getSipStatusCode(), failed.getSipStatus(), failed.getDetail());
    }
}
