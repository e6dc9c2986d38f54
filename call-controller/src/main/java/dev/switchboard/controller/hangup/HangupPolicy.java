package dev.switchboard.controller.hangup;

/** How the controller ends a call when the request leaves it to the policy (scope POLICY_DEFAULT). */
public enum HangupPolicy {
    /** RoomService/DeleteRoom: everyone is disconnected, every phone leg hung up. */
    DELETE_ROOM,
    /** RoomService/RemoveParticipant on the SIP participant(s): the phone leg ends, the room stays. */
    REMOVE_SIP_PARTICIPANT
}
