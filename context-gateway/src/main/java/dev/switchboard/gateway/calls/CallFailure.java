package dev.switchboard.gateway.calls;

import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;

/**
 * Why a dial failed, as the call controller reported it: its CallFailed, or the CommandResult of a dial it did not carry
 * out (reason REJECTED, EXPIRED or UNKNOWN_SESSION, the result's status, with the result's reason as the detail), or
 * CANCELLED for a dial hung up while it rang.
 */
public record CallFailure(String reason, Integer sipStatusCode, String sipStatus, String detail) {
    /**
     * The gateway's reason for a dial a hang-up of its room ended before it was answered; also what a call controller
     * of SessionEvent v4 on reports for it (older ones report NO_ANSWER).
     */
    public static final String CANCELLED = "CANCELLED";
    private static final String HUNG_UP_WHILE_RINGING = "hung up while ringing (";

    static CallFailure of(CallFailed failed) {
        return new CallFailure(failed.getReason().name(), failed.getSipStatusCode(), failed.getSipStatus(), failed.getDetail());
    }

    /**
     * A dial hung up while it rang: reason CANCELLED, whatever the call controller reported (CANCELLED; an older one
     * NO_ANSWER, as LiveKit answers a cancelled INVITE at its ringing timeout), which is kept in the detail.
     */
    static CallFailure cancelled(EndReason hungUp, CallFailure reported) {
        String controller = reported.reason() + (reported.detail() == null ? "" : ", " + reported.detail());
        return new CallFailure(CANCELLED, reported.sipStatusCode(), reported.sipStatus(),
                HUNG_UP_WHILE_RINGING + hungUp + "); the call controller reported " + controller);
    }

    /** Whether this is already the gateway's account of a dial hung up while it rang ({@link #cancelled}). */
    boolean toldCancelled() {
        return CANCELLED.equals(reason) && detail != null && detail.startsWith(HUNG_UP_WHILE_RINGING);
    }

    /** Whether the call controller refused the dial (a result of REJECTED, EXPIRED or UNKNOWN_SESSION): nothing was placed. */
    boolean neverPlaced() {
        return sipStatusCode == null && (CommandStatus.REJECTED.name().equals(reason) || CommandStatus.EXPIRED.name().equals(reason)
                || CommandStatus.UNKNOWN_SESSION.name().equals(reason));
    }

    static CallFailure notCarriedOut(CommandStatus status, String reason) {
        return new CallFailure(status.name(), null, null, reason);
    }
}
