package dev.switchboard.controller.livekit;

import java.util.List;

/**
 * The slice of LiveKit's RoomService the controller uses. One call each, no retries: retrying is the caller's
 * policy. Implementations never throw for a failed call; they answer with a {@link LiveKitResult}.
 */
public interface LiveKitRooms {

    /** RoomService/DeleteRoom: disconnects everyone, which hangs up every phone leg. Needs the roomCreate grant. */
    LiveKitResult<Void> deleteRoom(String room);

    /** RoomService/RemoveParticipant: for a SIP participant, the bridge hangs up that phone leg. */
    LiveKitResult<Void> removeParticipant(String room, String identity);

    /** RoomService/ListParticipants. */
    LiveKitResult<List<RoomParticipant>> listParticipants(String room);
}
