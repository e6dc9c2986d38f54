package dev.switchboard.controller.livekit;

/** The SIP participant LiveKit created for an answered outbound call (CreateSIPParticipant's SIPParticipantInfo). */
public record SipParticipant(String participantId, String identity, String room, String sipCallId) {
}
