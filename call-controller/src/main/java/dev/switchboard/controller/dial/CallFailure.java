package dev.switchboard.controller.dial;

import dev.switchboard.events.CallFailureReason;

/**
 * Why a call could not be placed or a transfer was refused, as CallFailed reports it.
 *
 * @param sipStatusCode the SIP status LiveKit reported; null when there was none (its ringing timeout, a refusal of
 *                      the API call itself, no answer)
 * @param sipStatus     the SIP reason phrase; null with the code
 * @param detail        in words, for people (no phone numbers: they end up in logs)
 */
public record CallFailure(CallFailureReason reason, Integer sipStatusCode, String sipStatus, String detail) {

    public static CallFailure failed(String detail) {
        return new CallFailure(CallFailureReason.FAILED, null, null, detail);
    }

    /** A dial a hang-up of its room stopped: the phone was not dialled, or was hung up once answered. */
    public static CallFailure cancelled(String detail) {
        return new CallFailure(CallFailureReason.CANCELLED, null, null, detail);
    }

    /**
     * Whether this is how LiveKit ends a dial whose room was deleted while the phone rang (it cancels the INVITE and
     * answers as at its ringing timeout, or with the SIP status of the cancelled INVITE): NO_ANSWER.
     */
    public boolean mayBeACancel() {
        return reason == CallFailureReason.NO_ANSWER;
    }

    /** This failure, as the cancel of a ringing phone by a hang-up of its room: CANCELLED, the SIP status kept. */
    public CallFailure cancelledWhileRinging() {
        return new CallFailure(CallFailureReason.CANCELLED, sipStatusCode, sipStatus, "hung up while the phone rang (LiveKit: " + detail + ")");
    }

    public CallFailure withDetail(String more) {
        return new CallFailure(reason, sipStatusCode, sipStatus, detail + "; " + more);
    }

    /** "SIP 486 Busy Here", or the reason when there was no SIP status. */
    public String sipSummary() {
        return sipStatusCode == null ? reason.name() : "SIP " + sipStatusCode + (sipStatus == null ? "" : " " + sipStatus);
    }
}
