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

    /** A dial a hang-up of its room stopped: the phone was not dialled, or its ringing was cancelled. */
    public static CallFailure cancelled(String detail) {
        return new CallFailure(CallFailureReason.NO_ANSWER, null, null, detail);
    }

    public CallFailure withDetail(String more) {
        return new CallFailure(reason, sipStatusCode, sipStatus, detail + "; " + more);
    }

    /** "SIP 486 Busy Here", or the reason when there was no SIP status. */
    public String sipSummary() {
        return sipStatusCode == null ? reason.name() : "SIP " + sipStatusCode + (sipStatus == null ? "" : " " + sipStatus);
    }
}
