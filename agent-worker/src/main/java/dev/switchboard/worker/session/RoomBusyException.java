package dev.switchboard.worker.session;

/** This worker already runs a session in the room. */
public final class RoomBusyException extends RuntimeException {
    public RoomBusyException(String room) {
        super("a session is already running in room " + room);
    }
}
