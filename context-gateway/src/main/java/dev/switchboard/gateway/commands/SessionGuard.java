package dev.switchboard.gateway.commands;

import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.SessionState;
import jakarta.inject.Singleton;

import static dev.switchboard.gateway.commands.CommandRefused.Refusal.NOT_CURRENT_SESSION;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.NO_SESSION;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.SESSION_ENDED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.SESSION_ENDING;

/** Decides from the registry whether a room's session takes commands, before anything is published. */
@Singleton
public class SessionGuard {
    private final LiveSessionRegistry registry;

    SessionGuard(LiveSessionRegistry registry) {
        this.registry = registry;
    }

    /**
     * The session a command goes to.
     *
     * @param sessionId   the session the caller means, or null for the room's latest
     * @param forHangup   hang-ups are accepted while the session is ENDING (the call is over, the session closing)
     * @param caller      who asks: another tenant's session is answered as if it did not exist
     */
    public LiveSession require(String room, String sessionId, boolean forHangup, Caller caller) {
        // The session GET /v1/sessions/{room} shows the caller: its own tenant's ended one is 409, not unknown.
        LiveSession session = registry.find(room, caller::mayAccess)
                .orElseThrow(() -> new CommandRefused(NO_SESSION, room, "no session is known for room \"" + room + "\""));
        if (sessionId != null && !sessionId.equals(session.sessionId())) {
            throw new CommandRefused(NOT_CURRENT_SESSION, room, "session \"" + sessionId + "\" is not the current session of room \""
                    + room + "\" (the current one is " + session.sessionId() + ", " + session.state() + ")");
        }
        if (session.state() == SessionState.ENDED) {
            var end = session.sessionEnd();
            throw new CommandRefused(SESSION_ENDED, room, "session " + session.sessionId() + " of room \"" + room
                    + "\" has ended (" + end.reason() + " at " + end.at() + ")");
        }
        if (session.state() == SessionState.ENDING && !forHangup) {
            throw new CommandRefused(SESSION_ENDING, room, "the call in room \"" + room + "\" has ended ("
                    + session.callEnd().reason() + "); session " + session.sessionId() + " is closing and takes no more commands");
        }
        return session;
    }
}
