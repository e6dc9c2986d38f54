package dev.switchboard.testing.livekit;

import livekit.LivekitModels.DisconnectReason;

import java.util.Map;

/**
 * Connects the fake server API to a media fake (e.g. the fake SFU), so that what the API does shows up in the rooms
 * an agent is in: an answered phone joins, a dispatched agent is sent, a transferred or removed participant leaves.
 * Called after the fake's own state changed and before it answers the API call; a hook that throws makes the call
 * fail with Twirp {@code internal}. Every method does nothing by default.
 */
public interface RoomMedia {

    /** CreateSIPParticipant: the callee answered and its SIP participant is now active in the room. */
    default void sipParticipantJoined(String room, String identity, String phoneNumber, Map<String, String> attributes) {
    }

    /** CreateDispatch: LiveKit sends the named agent to the room with this job metadata. */
    default void agentDispatched(String room, String agentName, String metadata) {
    }

    /** A participant left: transferred away (TransferSIPParticipant) or removed (RemoveParticipant). */
    default void participantLeft(String room, String identity, DisconnectReason reason) {
    }

    /** DeleteRoom: everyone is disconnected. */
    default void roomDeleted(String room) {
    }
}
