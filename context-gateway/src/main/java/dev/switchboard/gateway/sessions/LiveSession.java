package dev.switchboard.gateway.sessions;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.Transport;
import dev.switchboard.kit.auth.Caller;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest known session of a room. Immutable: the registry replaces it on every event, so readers never see
 * a half-applied change.
 *
 * @param callEnd    set once CallEnded was seen (state ENDING or ENDED)
 * @param sessionEnd set once SessionEnded was seen (state ENDED)
 * @param tenant       the tenant the session belongs to (SessionStarted.tenant; "default" when its start was not seen)
 * @param commandTopic where the worker that runs it reads its commands (SessionStarted.commandTopic); null when it reads
 *                     the broadcast topic, or its start was not seen
 */
public record LiveSession(String room, String sessionId, SessionState state, Transport transport, CallDirection direction,
                          String agentName, String workerId, String callerNumber, String calleeNumber, Instant startedAt,
                          CallEnd callEnd, SessionEnd sessionEnd, String tenant, String commandTopic) {

    public LiveSession {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(state, "state");
        transport = transport == null ? Transport.UNKNOWN : transport;
        direction = direction == null ? CallDirection.UNKNOWN : direction;
        tenant = Caller.tenantOrDefault(tenant);
    }

    public LiveSession withCallEnd(CallEnd end) {
        SessionState next = state == SessionState.ENDED ? SessionState.ENDED : SessionState.ENDING;
        return new LiveSession(room, sessionId, next, transport, direction, agentName, workerId, callerNumber,
                calleeNumber, startedAt, end, sessionEnd, tenant, commandTopic);
    }

    public LiveSession withSessionEnd(SessionEnd end) {
        return new LiveSession(room, sessionId, SessionState.ENDED, transport, direction, agentName, workerId,
                callerNumber, calleeNumber, startedAt, callEnd, end, tenant, commandTopic);
    }

    /** Whether an event about {@code otherSessionId} is about this session (events without a session id are about the room's latest). */
    public boolean isSession(String otherSessionId) {
        return otherSessionId == null || otherSessionId.equals(sessionId);
    }
}
