package dev.switchboard.gateway.calls;

/** Where an outbound call is, as the gateway knows from the dial it published and the session events. */
public enum CallState {
    /** DialRequested published (or a session of the dial seen); no CallAnswered or CallFailed yet. */
    DIALING,
    /** CallAnswered: the callee picked up. */
    ANSWERED,
    /** CallFailed: busy, no answer, invalid number, the trunk refused, ... Terminal. */
    FAILED,
    /** The answered call is over (CallEnded or SessionEnded). Terminal. */
    ENDED;

    public boolean isDialing() {
        return this == DIALING;
    }
}
