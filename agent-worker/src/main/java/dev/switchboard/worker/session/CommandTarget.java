package dev.switchboard.worker.session;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.SessionCommand;

/**
 * What a command sent from outside may act on in a session: the conversation (chat context, transcript, what the agent
 * says), the call's line (keypad tones, transfers) and the two steps of hanging up. Not the session's lifecycle: a
 * command never ends a session itself, it asks for the hang-up the way the model's tools do ({@link SessionTools}).
 */
final class CommandTarget {
    private final AgentSession session;
    private final SessionClock time;

    CommandTarget(AgentSession session, SessionClock time) {
        this.session = session;
        this.time = time;
    }

    /**
     * Whether the command's expiry has passed: work queued behind what the agent is saying checks it when its turn
     * comes, since its sender was told by then that it expired, and expired means not applied.
     */
    boolean expired(SessionCommand command) {
        return time.now().isAfter(command.getExpiresAt());
    }

    AgentSession.Identity identity() {
        return session.identity();
    }

    String room() {
        return session.room();
    }

    AgentSession.State state() {
        return session.state();
    }

    /** The longest text a command may carry (injected context, a Say, an announcement). */
    int maxTextLength() {
        return session.settings().maxTextLength();
    }

    ChatContext chat() {
        return session.chat();
    }

    TranscriptRecorder transcript() {
        return session.transcript();
    }

    AgentActivity activity() {
        return session.activity();
    }

    boolean hasKeypad() {
        return session.transport().hasKeypad();
    }

    /** Sends keypad tones to the caller's phone line on the calling thread (the activity's, after what it is saying). */
    void sendTones(String digits, Issuer by, String commandId) throws InterruptedException {
        session.sendTones(digits, by, commandId);
    }

    Transfers transfers() {
        return session.transfers();
    }

    /** The session stops taking turns and commands; false when it was not active any more. */
    boolean beginEnding() {
        return session.beginEnding();
    }

    /** Says the goodbye in full, then asks the call controller to hang up (after {@link #beginEnding}). */
    void hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) throws InterruptedException {
        session.hangUp(goodbye, reason, detail, issuer);
    }
}
