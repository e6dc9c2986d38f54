package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a session event changes in the stored session. Every change is "set once": applying it again, or applying
 * changes in another order, gives the same row, which is what makes replays and cross-topic races harmless.
 */
public sealed interface SessionChange {
    /** The session the event names; null when the event carries no sessionId (then the room's latest session). */
    UUID sessionId();

    String room();

    Instant occurredAt();

    record Started(UUID sessionId, String room, Instant occurredAt, String transport, String direction, String agentName,
                   String workerId, String callerNumber, String calleeNumber, String sipCallId, String sipTrunkId,
                   Map<String, String> metadata, String tenant) implements SessionChange {
    }

    record Ended(UUID sessionId, String room, Instant occurredAt, long durationMs, String reason, String endedByKind,
                 String endedById, String endedByName, String detail, Map<String, Object> usage) implements SessionChange {
    }

    /** CallEnded: how the call was hung up. */
    record HungUp(UUID sessionId, String room, Instant occurredAt, String reason, String method, String commandId)
            implements SessionChange {
    }

    /** A phone number learnt from a SIP participant or an answered outbound call. */
    record NumberSeen(UUID sessionId, String room, Instant occurredAt, String phoneNumber, Leg leg) implements SessionChange {
        public enum Leg {
            /** The SIP participant of the call: the caller of an inbound call, the callee of an outbound one. */
            REMOTE_PARTY,
            CALLEE
        }
    }
}
