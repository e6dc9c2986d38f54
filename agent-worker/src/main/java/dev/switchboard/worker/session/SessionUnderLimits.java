package dev.switchboard.worker.session;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;

/** What the call limits ({@link CallLimits}) may do to a session: look at it, prompt the caller, hang up. */
final class SessionUnderLimits implements CallLimits.Call {
    private final AgentSession session;

    SessionUnderLimits(AgentSession session) {
        this.session = session;
    }

    @Override
    public String room() {
        return session.room();
    }

    @Override
    public String workerId() {
        return session.identity().workerId();
    }

    @Override
    public boolean agentBusy() {
        return session.activity().isBusy();
    }

    @Override
    public boolean callerSpeaking() {
        return session.transport().callerSpeaking();
    }

    @Override
    public void say(String line) {
        AgentActivity activity = session.activity();
        activity.enqueue("silence prompt", true, () -> activity.say(line, true, true))
                .exceptionally(error -> null); // interrupted by the caller, or the call ended: nothing to do
    }

    @Override
    public boolean hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) {
        if (!session.beginEnding()) {
            return false;
        }
        try {
            session.hangUp(goodbye, reason, detail, issuer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
