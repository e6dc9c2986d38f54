package dev.switchboard.controller.livekit;

import java.time.Duration;

/** The slice of LiveKit's SIP service the controller uses. One attempt each, no retries, never throwing. */
public interface LiveKitSip {

    /**
     * SIP/CreateSIPParticipant with {@code wait_until_answered}: answers once the callee answered, or with the
     * failure (a SIP status in the error's meta, or LiveKit's ringing timeout). Waits at most {@code wait}.
     * Needs the sip.call grant.
     */
    ApiAnswer<SipParticipant> createSipParticipant(OutboundCall call, Duration wait);

    /** SIP/TransferSIPParticipant (a SIP REFER); waits at most {@code wait}. Needs sip.call and roomAdmin for the room. */
    ApiAnswer<Void> transferSipParticipant(String room, String identity, String transferTo, boolean playDialtone, Duration wait);
}
