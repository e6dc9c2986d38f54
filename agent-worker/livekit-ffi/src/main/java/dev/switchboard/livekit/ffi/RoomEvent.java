package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason;
import dev.switchboard.livekit.ffi.proto.RoomProto;
import dev.switchboard.livekit.ffi.proto.RoomProto.ConnectionState;
import java.util.List;
import java.util.Map;

/** What happened in a room, in the engine's order. Handles inside are owned by the room. */
public sealed interface RoomEvent {

    record ParticipantConnected(Participant participant) implements RoomEvent {}

    /** The participant left; its handles are already closed. {@code reason} says why (SIP: hung up, busy, no answer...). */
    record ParticipantDisconnected(Participant participant, DisconnectReason reason) implements RoomEvent {}

    record ParticipantAttributesChanged(Participant participant, Map<String, String> changed) implements RoomEvent {}

    record ParticipantMetadataChanged(Participant participant, String metadata) implements RoomEvent {}

    record TrackPublished(Participant participant, TrackPublication publication) implements RoomEvent {}

    record TrackUnpublished(Participant participant, String trackSid) implements RoomEvent {}

    record TrackSubscribed(Participant participant, RemoteTrack track) implements RoomEvent {}

    record TrackUnsubscribed(Participant participant, String trackSid) implements RoomEvent {}

    record TrackSubscriptionFailed(String participantIdentity, String trackSid, String error) implements RoomEvent {}

    record TrackMuted(String participantIdentity, String trackSid, boolean muted) implements RoomEvent {}

    record LocalTrackPublished(String trackSid) implements RoomEvent {}

    record ActiveSpeakersChanged(List<String> participantIdentities) implements RoomEvent {}

    record ConnectionStateChanged(ConnectionState state) implements RoomEvent {}

    record Reconnecting() implements RoomEvent {}

    record Reconnected() implements RoomEvent {}

    /** This client was disconnected (by the server, or after {@link Room#disconnect}). */
    record Disconnected(DisconnectReason reason) implements RoomEvent {}

    record RoomSidChanged(String sid) implements RoomEvent {}

    record DataReceived(String participantIdentity, String topic, byte[] data) implements RoomEvent {}

    record SipDtmfReceived(String participantIdentity, int code, String digit) implements RoomEvent {}

    /** An incoming text or byte stream: readers are not supported yet, the binding dropped it. */
    record IncomingStreamIgnored(String participantIdentity, String topic, boolean text) implements RoomEvent {}

    /** The engine's stream of room events ended. */
    record Ended() implements RoomEvent {}

    /** The engine reported a Panic: the room is gone with it. */
    record EngineFailed(String message) implements RoomEvent {}

    /** Any other event, as the engine sent it (it carries no handle). */
    record Other(RoomProto.RoomEvent raw) implements RoomEvent {}
}
