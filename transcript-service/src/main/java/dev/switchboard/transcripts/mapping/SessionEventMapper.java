package dev.switchboard.transcripts.mapping;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.ParticipantJoined;
import dev.switchboard.events.ParticipantKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.events.Usage;
import dev.switchboard.kit.kafka.StorableInstant;
import dev.switchboard.transcripts.store.SessionChange;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Reads what a session event means for the stored session; events that change nothing stored give none. */
public final class SessionEventMapper {
    private SessionEventMapper() {
    }

    /** The changes an event makes, in order: none, one, or for a transferred call's CallEnded the hang-up and the transfer. */
    public static List<SessionChange> toChanges(SessionEvent event) {
        String room = Ids.room(event.getRoom());
        UUID sessionId = event.getSessionId() == null ? null : Ids.uuid("sessionId", event.getSessionId());
        Instant at = StorableInstant.of("occurredAt", event.getOccurredAt());
        Object payload = event.getPayload();
        return switch (payload) {
            case SessionStarted s -> List.of(new SessionChange.Started(sessionId, room, at, name(s.getTransport()), name(s.getDirection()),
                    s.getAgentName(), s.getWorkerId(), blankToNull(s.getCallerNumber()), blankToNull(s.getCalleeNumber()),
                    s.getSipCallId(), s.getSipTrunkId(), new TreeMap<>(s.getMetadata() == null ? Map.of() : s.getMetadata()),
                    Ids.tenant(s.getTenant()), blankToNull(s.getDialCommandId())));
            case SessionEnded e -> {
                Issuer by = e.getEndedBy();
                yield List.of(new SessionChange.Ended(sessionId, room, at, Math.max(0, e.getDurationMs()), name(e.getReason()),
                        by == null ? null : name(by.getKind()), by == null ? null : by.getId(), by == null ? null : by.getDisplayName(),
                        e.getDetail(), usage(e.getUsage())));
            }
            case CallEnded c -> callEnded(event, sessionId, room, at, c);
            case ParticipantJoined p when p.getKind() == ParticipantKind.SIP && blankToNull(p.getPhoneNumber()) != null ->
                    List.of(new SessionChange.NumberSeen(sessionId, room, at, p.getPhoneNumber()));
            // The dial's tenant, from SessionEvent v3 on; without it the writer learns it from the dial's audit record.
            case CallAnswered a -> List.of(new SessionChange.DialOutcome(sessionId, room, at, event.getEventId(),
                    blankToNull(a.getDialCommandId()), blankToNull(a.getPhoneNumber()), blankToNull(a.getSipCallId()),
                    SessionChange.DialOutcome.ANSWERED, name(a.getAnsweredBy()), null, null, null, blankToNull(a.getTenant()),
                    blankToNull(a.getFromNumber()), blankToNull(a.getAgentName())));
            case CallFailed f -> List.of(new SessionChange.DialOutcome(sessionId, room, at, event.getEventId(),
                    blankToNull(f.getDialCommandId()), blankToNull(f.getPhoneNumber()), null, name(f.getReason()), null,
                    f.getSipStatusCode(), blankToNull(f.getSipStatus()), blankToNull(f.getDetail()), blankToNull(f.getTenant()),
                    blankToNull(f.getFromNumber()), blankToNull(f.getAgentName())));
            case AnswerClassified c -> List.of(new SessionChange.AnswerClassified(sessionId, room, at, name(c.getAnsweredBy())));
            case TransferFailed t -> List.of(transfer(event, sessionId, room, at, blankToNull(t.getTransferTo()), name(t.getReason()),
                    t.getSipStatusCode(), blankToNull(t.getSipStatus()), blankToNull(t.getDetail()), blankToNull(t.getTransferCommandId()),
                    t.getRequestedBy()));
            case null, default -> List.of(); // ParticipantLeft, DTMF (a line of the transcript already), branches added later
        };
    }

    /** How the call was hung up; for a transfer that went through, also the transfer (its target from SessionEvent v3 on). */
    private static List<SessionChange> callEnded(SessionEvent event, UUID sessionId, String room, Instant at, CallEnded c) {
        Issuer by = c.getEndedBy();
        var hungUp = new SessionChange.HungUp(sessionId, room, at, name(c.getReason()), name(c.getMethod()),
                c.getHangupCommandId(), by == null ? null : name(by.getKind()), by == null ? null : by.getId(),
                by == null ? null : by.getDisplayName(), blankToNull(c.getDetail()));
        if (c.getReason() != EndReason.TRANSFERRED) {
            return List.of(hungUp);
        }
        return List.of(hungUp, transfer(event, sessionId, room, at, blankToNull(c.getTransferTo()), SessionChange.Transfer.TRANSFERRED,
                null, null, null, blankToNull(c.getHangupCommandId()), c.getEndedBy()));
    }

    private static SessionChange.Transfer transfer(SessionEvent event, UUID sessionId, String room, Instant at, String to, String outcome,
                                                   Integer sipStatusCode, String sipStatus, String detail, String commandId, Issuer by) {
        return new SessionChange.Transfer(sessionId, room, at, event.getEventId(), to, outcome, sipStatusCode,
                sipStatus, detail, commandId, by == null ? null : name(by.getKind()), by == null ? null : by.getId(),
                by == null ? null : by.getDisplayName());
    }

    private static Map<String, Object> usage(Usage usage) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (usage == null) {
            return out;
        }
        out.put("llmRequests", usage.getLlmRequests());
        out.put("llmPromptTokens", usage.getLlmPromptTokens());
        out.put("llmCompletionTokens", usage.getLlmCompletionTokens());
        out.put("sttAudioSeconds", usage.getSttAudioSeconds());
        out.put("ttsCharacters", usage.getTtsCharacters());
        out.put("ttsAudioSeconds", usage.getTtsAudioSeconds());
        out.put("userTurns", usage.getUserTurns());
        out.put("agentTurns", usage.getAgentTurns());
        return out;
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
