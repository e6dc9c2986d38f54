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

    /** @param dialCommandId for an outbound call: the DialRequested that placed it (null when the worker does not say) */
    record Started(UUID sessionId, String room, Instant occurredAt, String transport, String direction, String agentName,
                   String workerId, String callerNumber, String calleeNumber, String sipCallId, String sipTrunkId,
                   Map<String, String> metadata, String tenant, String dialCommandId) implements SessionChange {
    }

    record Ended(UUID sessionId, String room, Instant occurredAt, long durationMs, String reason, String endedByKind,
                 String endedById, String endedByName, String detail, Map<String, Object> usage) implements SessionChange {
    }

    /**
     * CallEnded: how the call was hung up. Who ended it and the detail end an answered dial's row of its own (a dial whose
     * agent session never started: no SessionEnded will come); an agent's session is ended by its SessionEnded alone.
     */
    record HungUp(UUID sessionId, String room, Instant occurredAt, String reason, String method, String commandId,
                  String endedByKind, String endedById, String endedByName, String detail) implements SessionChange {
    }

    /** A phone number learnt from a SIP participant: the caller of an inbound call, the callee of an outbound one. */
    record NumberSeen(UUID sessionId, String room, Instant occurredAt, String phoneNumber) implements SessionChange {
    }

    /**
     * CallAnswered or CallFailed: how the dial of an outbound call went. The call controller names no session, only the
     * room and the dial's command id, and a failed dial may never have one: {@code SessionWriter} finds the session of the
     * dial, or keeps the outcome in a row of its own (see V5__dial_outcomes.sql).
     *
     * @param eventId       the event's id: what tells a redelivery apart when the dial's command id is missing
     * @param outcome       {@link #ANSWERED} or the CallFailed reason (BUSY, NO_ANSWER, ...)
     * @param answeredBy    CallAnswered's answeredBy (HUMAN, MACHINE, UNKNOWN); null for a failure
     * @param tenant        the tenant the event names (from SessionEvent v3 on); null: not said
     * @param fromNumber    the number the dial calls from (the session's caller number); null: not said (older writers) or none
     * @param agentName     the agent the dial asked for; null: not said (older writers) or none
     */
    record DialOutcome(UUID sessionId, String room, Instant occurredAt, String eventId, String dialCommandId, String phoneNumber,
                       String sipCallId, String outcome, String answeredBy, Integer sipStatusCode, String sipStatus, String detail,
                       String tenant, String fromNumber, String agentName) implements SessionChange {
        public static final String ANSWERED = "ANSWERED";

        public boolean failed() {
            return !ANSWERED.equals(outcome);
        }
    }

    /**
     * A transfer of the caller that was tried: one that went through (CallEnded with reason TRANSFERRED) or one the target
     * or the network refused (TransferFailed). A session keeps every attempt, each once (by {@code eventId}).
     *
     * @param outcome    {@link #TRANSFERRED}, or the refusal's reason (BUSY, NO_ANSWER, DECLINED, ..., FAILED)
     * @param to         the destination (tel: or sip: URI); null when an older writer did not say
     * @param commandId  the TransferRequested's command id
     */
    record Transfer(UUID sessionId, String room, Instant occurredAt, String eventId, String to, String outcome,
                    Integer sipStatusCode, String sipStatus, String detail, String commandId, String requestedByKind,
                    String requestedById, String requestedByName) implements SessionChange {
        public static final String TRANSFERRED = "TRANSFERRED";
    }

    /** AnswerClassified: who answered an outbound call, as the agent's answering-machine detection decided. */
    record AnswerClassified(UUID sessionId, String room, Instant occurredAt, String answeredBy) implements SessionChange {
    }
}
