package dev.switchboard.controller.dial;

import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.TwirpError;
import dev.switchboard.events.CallFailureReason;

/**
 * Reads LiveKit's answer to a SIP call. The SIP status LiveKit puts in the Twirp error's meta decides the reason;
 * the HTTP status alone would mislead (LiveKit maps 486 Busy Here to 429 resource_exhausted, which a naive retry
 * policy would repeat, ringing the phone again). Only what certainly did not reach the phone network may be tried
 * again: a request that never left, and LiveKit's refusals without a SIP status that mean "not now" (503
 * unavailable: no SIP bridge took it; 429: rate limited).
 */
public final class SipOutcomes {

    private SipOutcomes() {
    }

    /** The reason a final SIP status stands for. */
    public static CallFailureReason reasonFor(int sipStatus) {
        return switch (sipStatus) {
            case 486, 600 -> CallFailureReason.BUSY;
            case 603 -> CallFailureReason.DECLINED;
            case 480, 408, 487 -> CallFailureReason.NO_ANSWER;
            case 404, 484, 410 -> CallFailureReason.INVALID_NUMBER;
            case 401, 403, 407 -> CallFailureReason.TRUNK_REJECTED;
            default -> sipStatus >= 500 && sipStatus < 600 ? CallFailureReason.TRUNK_UNAVAILABLE : CallFailureReason.FAILED;
        };
    }

    public static SipAttempt classify(ApiAnswer<?> answer) {
        return switch (answer) {
            case ApiAnswer.Ok<?> ok -> new SipAttempt.Connected();
            case ApiAnswer.NotSent<?> notSent -> new SipAttempt.NotPlaced(notSent.message());
            case ApiAnswer.NoAnswer<?> noAnswer -> new SipAttempt.Failed(CallFailure.failed(noAnswer.message()
                    + "; the outcome is unknown (the phone may have rung)"));
            case ApiAnswer.SdkFailure<?> failure -> new SipAttempt.Failed(CallFailure.failed(failure.message()));
            case ApiAnswer.Refused<?> refused -> classify(refused.error());
        };
    }

    static SipAttempt classify(TwirpError error) {
        Integer sipStatus = error.sipStatusCode();
        if (sipStatus != null) {
            return new SipAttempt.Failed(new CallFailure(reasonFor(sipStatus), sipStatus, error.sipStatus(), error.describe()));
        }
        if (isRingingTimeout(error)) {
            return new SipAttempt.Failed(new CallFailure(CallFailureReason.NO_ANSWER, null, null,
                    "nobody answered before the ringing timeout (" + error.describe() + ")"));
        }
        if (error.httpStatus() == 503 || error.httpStatus() == 429) {
            return new SipAttempt.NotPlaced(error.describe());
        }
        return new SipAttempt.Failed(CallFailure.failed("LiveKit refused: " + error.describe()));
    }

    /**
     * LiveKit's SIP bridge reports its own ringing timeout (and a room closed while the phone rang) as Twirp
     * canceled "sip request timed out", without a SIP status. Right at that deadline it sometimes surfaces as
     * "context deadline exceeded" instead (livekit/sip#857), which means the same.
     */
    static boolean isRingingTimeout(TwirpError error) {
        String msg = error.msg() == null ? "" : error.msg();
        return msg.contains("sip request timed out") || msg.contains("context deadline exceeded");
    }
}
