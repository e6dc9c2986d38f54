package dev.switchboard.transcripts.mapping;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.ParticipantJoined;
import dev.switchboard.events.ParticipantKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Usage;
import dev.switchboard.transcripts.store.SessionChange;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Reads what a session event means for the stored session; events that change nothing stored give empty. */
public final class SessionEventMapper {
    private SessionEventMapper() {
    }

    public static Optional<SessionChange> toChange(SessionEvent event) {
        String room = Ids.room(event.getRoom());
        UUID sessionId = event.getSessionId() == null ? null : Ids.uuid("sessionId", event.getSessionId());
        var at = event.getOccurredAt();
        Object payload = event.getPayload();
        return Optional.ofNullable(switch (payload) {
            case SessionStarted s -> new SessionChange.Started(sessionId, room, at, name(s.getTransport()), name(s.getDirection()),
                    s.getAgentName(), s.getWorkerId(), blankToNull(s.getCallerNumber()), blankToNull(s.getCalleeNumber()),
                    s.getSipCallId(), s.getSipTrunkId(), new TreeMap<>(s.getMetadata() == null ? Map.of() : s.getMetadata()),
                    Ids.tenant(s.getTenant()), blankToNull(s.getDialCommandId()));
            case SessionEnded e -> {
                Issuer by = e.getEndedBy();
                yield new SessionChange.Ended(sessionId, room, at, Math.max(0, e.getDurationMs()), name(e.getReason()),
                        by == null ? null : name(by.getKind()), by == null ? null : by.getId(), by == null ? null : by.getDisplayName(),
                        e.getDetail(), usage(e.getUsage()));
            }
            case CallEnded c -> new SessionChange.HungUp(sessionId, room, at, name(c.getReason()), name(c.getMethod()), c.getHangupCommandId());
            case ParticipantJoined p when p.getKind() == ParticipantKind.SIP && blankToNull(p.getPhoneNumber()) != null ->
                    new SessionChange.NumberSeen(sessionId, room, at, p.getPhoneNumber());
            case CallAnswered a -> new SessionChange.DialOutcome(sessionId, room, at, event.getEventId(), blankToNull(a.getDialCommandId()),
                    blankToNull(a.getPhoneNumber()), blankToNull(a.getSipCallId()), SessionChange.DialOutcome.ANSWERED,
                    name(a.getAnsweredBy()), null, null, null, declaredTenant(a, event));
            case CallFailed f -> new SessionChange.DialOutcome(sessionId, room, at, event.getEventId(), blankToNull(f.getDialCommandId()),
                    blankToNull(f.getPhoneNumber()), null, name(f.getReason()), null, f.getSipStatusCode(), blankToNull(f.getSipStatus()),
                    blankToNull(f.getDetail()), declaredTenant(f, event));
            case AnswerClassified c -> new SessionChange.AnswerClassified(sessionId, room, at, name(c.getAnsweredBy()));
            case null, default -> null; // ParticipantLeft, DTMF (a line of the transcript already), branches added later
        });
    }

    /**
     * The tenant a record names, when its schema has a {@code tenant} field (the payload's first, then the envelope's):
     * the call controller's CallAnswered and CallFailed name none today, and read this way they need nothing more here
     * once they do. Null when none is named: the writer then learns the tenant from the dial's audit record.
     */
    static String declaredTenant(IndexedRecord... records) {
        for (IndexedRecord record : records) {
            Schema.Field field = record == null ? null : record.getSchema().getField("tenant");
            Object value = field == null ? null : record.get(field.pos());
            if (value != null && !value.toString().isBlank()) {
                return value.toString();
            }
        }
        return null;
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
