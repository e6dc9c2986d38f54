package dev.switchboard.controller.livekit;

/** An explicit agent dispatch of a room, as LiveKit lists it. */
public record AgentDispatchInfo(String id, String agentName, String metadata) {
}
