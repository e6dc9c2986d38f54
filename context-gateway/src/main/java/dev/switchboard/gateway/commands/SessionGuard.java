package dev.switchboard.gateway.commands;

import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.SessionState;
import dev.switchboard.gateway.sessions.SessionsRead;
import jakarta.inject.Singleton;

import static dev.switchboard.gateway.commands.CommandRefused.Refusal.CATCHING_UP;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.NOT_CURRENT_SESSION;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.NO_SESSION;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.SESSION_ENDED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.SESSION_ENDING;

/** Decides from the registry whether a room's session takes commands, before anything is published. */
@Singleton
public class SessionGuard {
    /** Why an unknown room is no 404 while this instance has not read every session event yet. */
    private static final String CATCHING_UP_DETAIL = "this gateway started moments ago and has not read every live session; try again shortly";
    private final LiveSessionRegistry registry;
    private final SessionsRead sessionsRead;

    SessionGuard(LiveSessionRegistry registry, SessionsRead sessionsRead) {
        this.registry = registry;
        this.sessionsRead = sessionsRead;
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
        LiveSession session = visible(room, caller);
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

    /**
     * The room's latest session the caller may see, also an ended one, as GET /v1/sessions/{room} shows it.
     *
     * @throws CommandRefused NO_SESSION, or CATCHING_UP while this gateway has not read every session event yet (the
     *                        room may have a session it does not know of)
     */
    public LiveSession visible(String room, Caller caller) {
        return registry.find(room, caller::mayAccess)
                .orElseThrow(() -> sessionsRead.allSessionsRead()
                        ? new CommandRefused(NO_SESSION, room, "no session is known for room \"" + room + "\"")
                        : new CommandRefused(CATCHING_UP, room, "no session is known for room \"" + room + "\" yet: " + CATCHING_UP_DETAIL));
    }
}
