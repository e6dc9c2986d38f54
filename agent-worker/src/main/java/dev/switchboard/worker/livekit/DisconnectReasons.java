package dev.switchboard.worker.livekit;

import dev.switchboard.events.EndReason;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason;

/** What LiveKit's disconnect reasons mean for the end of a call. */
final class DisconnectReasons {
    private DisconnectReasons() {
    }

    /** Why the call ended, when the caller left for this reason. */
    static EndReason callerLeft(DisconnectReason reason) {
        return switch (reason) {
            case USER_UNAVAILABLE -> EndReason.NO_ANSWER;
            case USER_REJECTED -> EndReason.BUSY;
            case SIP_TRUNK_FAILURE -> EndReason.TRUNK_FAILURE;
            case PARTICIPANT_REMOVED -> EndReason.PARTICIPANT_REMOVED;
            case ROOM_DELETED -> EndReason.ROOM_DELETED;
            case ROOM_CLOSED -> EndReason.ROOM_CLOSED;
            default -> EndReason.CALLER_HANGUP; // CLIENT_INITIATED: the caller hung up; anything else: they are gone
        };
    }

    /** Why the call ended, when the agent itself was disconnected for this reason. */
    static EndReason agentDisconnected(DisconnectReason reason) {
        return switch (reason) {
            case ROOM_DELETED -> EndReason.ROOM_DELETED;
            case ROOM_CLOSED -> EndReason.ROOM_CLOSED;
            case PARTICIPANT_REMOVED -> EndReason.PARTICIPANT_REMOVED;
            case SERVER_SHUTDOWN -> EndReason.ERROR;
            default -> EndReason.UNKNOWN;
        };
    }

    /** The Avro mirror of LiveKit's enum (same names). */
    static dev.switchboard.events.DisconnectReason toEvent(DisconnectReason reason) {
        try {
            return dev.switchboard.events.DisconnectReason.valueOf(reason.name());
        } catch (IllegalArgumentException e) {
            return dev.switchboard.events.DisconnectReason.UNKNOWN_REASON;
        }
    }
}
