package dev.switchboard.worker.tools;

/**
 * What a tool may do to the call it runs in. Tools see the call only through this, never the session: a new
 * ability (transfer the call, send DTMF) is a new method here, implemented by the session.
 */
public interface ToolContext {

    /** The call's room, for logs. */
    String room();

    /** Whether the caller is on a phone line (a SIP caller), which the phone tools need. */
    boolean onPhoneLine();

    /**
     * Hangs up: says the goodbye (when given), waits until it was delivered, asks the call controller to hang up,
     * and the agent takes no more turns. Returns false when the call was already ending (a repeated call does
     * nothing).
     */
    boolean endCall(String reason, String goodbye) throws InterruptedException;

    /**
     * Transfers the phone caller (a cold transfer): says the announcement (when given) in full, then asks the call
     * controller to transfer the caller to the target (tel: or sip:). Returns false when the call was already ending.
     */
    boolean transferCall(String target, String announcement) throws InterruptedException;

    /**
     * Sends keypad tones (DTMF: 0-9, *, #, A-D, w for a half-second pause) to the caller's phone line and returns once
     * they went out, with what to tell the model (sent, or why not: invalid digits, no phone line, the call ending).
     */
    String sendDtmf(String digits) throws InterruptedException;
}
