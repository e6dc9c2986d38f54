package dev.switchboard.controller.livekit;

import dev.switchboard.events.ParticipantKind;

import java.util.Map;

/** A participant of a LiveKit room, in the project's own terms (the SDK's protobufs stay at the edge). */
public record RoomParticipant(String identity, String name, ParticipantKind kind, Map<String, String> attributes) {
    public RoomParticipant {
        attributes = Map.copyOf(attributes);
    }

    public boolean isSip() {
        return kind == ParticipantKind.SIP;
    }
}
