package dev.switchboard.gateway.commands;

import dev.switchboard.events.EndReason;
import dev.switchboard.kit.auth.Caller;

import java.util.Optional;

/**
 * The outbound call of a room that has no agent session yet (still ringing, or answered before the agent's session
 * started), for a hang-up of that room: there is no session to send it to, but the call controller can still end the
 * call. An interface here, implemented with the outbound calls, because that package depends on this one and not the
 * other way (as {@link CallControlWatch}).
 */
public interface UnansweredDials {

    /**
     * The room's dial without a session, if the caller may see it: another tenant's is not found, as its session would
     * not be.
     */
    Optional<Dial> find(String room, Caller caller);

    /**
     * @param tenant       whose call it is ('default' when none is known): the hang-up acts for it
     * @param hungUpReason set when a CallEnded was already seen for the dial (a hang-up of the room while it rang)
     * @param answered     whether the callee answered (the agent is joining) rather than the phone still ringing
     */
    record Dial(String room, String dialCommandId, String tenant, EndReason hungUpReason, boolean answered) {
        public boolean hungUp() {
            return hungUpReason != null;
        }
    }
}
