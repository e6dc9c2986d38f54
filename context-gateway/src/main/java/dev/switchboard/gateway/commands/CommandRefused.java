package dev.switchboard.gateway.commands;

import java.util.Objects;

/** A command the gateway would not (or could not) publish; the HTTP layer turns the refusal into a status code. */
public final class CommandRefused extends RuntimeException {

    public enum Refusal {
        /** The room has no known session. */
        NO_SESSION,
        /** The request named a session that is not the room's current one. */
        NOT_CURRENT_SESSION,
        /** The session has ended. */
        SESSION_ENDED,
        /**
         * No session is known for the room, but this instance has not read every session event yet (it started moments
         * ago): the room may well be live, so this is no 404.
         */
        CATCHING_UP,
        /** The call has ended and the session is closing; it takes no more commands. */
        SESSION_ENDING,
        /** The Idempotency-Key was used before for another room or another kind of command. */
        KEY_REUSED,
        /**
         * Kafka did not acknowledge the command in time: it may still arrive (a broker that is slow, not down), so the
         * refusal names the command's id.
         */
        PUBLISH_FAILED,
        /**
         * A dial nothing could place: no trunk in the request or the configuration, or no running call controller can
         * dial (it lacks LiveKit's server API).
         */
        DIALING_NOT_CONFIGURED,
        /** A transfer no running call controller could carry out (it lacks LiveKit's server API). */
        TRANSFERS_NOT_CONFIGURED,
        /** A dial into a room that already has a call or a running session. */
        ROOM_BUSY,
        /** The room's outbound call has no agent session yet (it rings, or was answered and the agent is joining). */
        CALL_NOT_ANSWERED
    }

    private final Refusal refusal;
    private final String room;
    private final String commandId;

    public CommandRefused(Refusal refusal, String room, String detail) {
        this(refusal, room, detail, null);
    }

    public CommandRefused(Refusal refusal, String room, String detail, Throwable cause) {
        this(refusal, room, null, detail, cause);
    }

    /** A refusal of one command whose id the client may need (to follow a command whose fate is unknown). */
    public CommandRefused(Refusal refusal, String room, String commandId, String detail, Throwable cause) {
        super(detail, cause);
        this.refusal = Objects.requireNonNull(refusal);
        this.room = room;
        this.commandId = commandId;
    }

    public Refusal refusal() {
        return refusal;
    }

    public String room() {
        return room;
    }

    /** The refused command's id, when the client may need it; null otherwise. */
    public String commandId() {
        return commandId;
    }
}
