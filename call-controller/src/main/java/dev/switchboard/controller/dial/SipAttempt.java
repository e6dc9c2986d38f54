package dev.switchboard.controller.dial;

/** What one CreateSIPParticipant or TransferSIPParticipant call means for the phone. */
public sealed interface SipAttempt {

    /** The callee answered, or the transfer target took the call. */
    record Connected() implements SipAttempt {
    }

    /** Nothing reached the phone network (LiveKit was unreachable or had no SIP bridge free): safe to try again. */
    record NotPlaced(String why) implements SipAttempt {
    }

    /** Settled: the phone may have rung, or LiveKit refused for good. Never tried again. */
    record Failed(CallFailure failure) implements SipAttempt {
    }
}
