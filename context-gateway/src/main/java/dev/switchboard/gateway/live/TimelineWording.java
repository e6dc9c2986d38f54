package dev.switchboard.gateway.live;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.DtmfSent;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.ParticipantJoined;
import dev.switchboard.events.ParticipantLeft;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.TransferFailed;

import java.util.Optional;

/** Words for a session event: what an operator reading the call's event list needs, never the call's own words. */
final class TimelineWording {
    private TimelineWording() {
    }

    /** The entry for an event, or empty for a payload this gateway does not know (a newer schema's). */
    static Optional<TimelineEntry> of(SessionEvent event) {
        Object payload = event.getPayload();
        String detail;
        String reason = null;
        String transferTo = null;
        Integer sipStatusCode = null;
        String sipStatus = null;
        switch (payload) {
            case SessionStarted s -> detail = s.getDirection() + " " + s.getTransport() + " call"
                    + part(" from ", s.getCallerNumber()) + part(" to ", s.getCalleeNumber()) + part(", agent ", s.getAgentName())
                    + part(", worker ", s.getWorkerId());
            case ParticipantJoined j -> detail = j.getIdentity() + " joined (" + j.getKind() + part(", ", j.getPhoneNumber()) + ")";
            case ParticipantLeft l -> detail = l.getIdentity() + " left (" + l.getDisconnectReason() + ")";
            case CallAnswered a -> detail = "answered" + part(" by ", a.getPhoneNumber()) + part(", SIP call ", a.getSipCallId());
            case CallFailed f -> {
                reason = f.getReason().name();
                detail = reason + sip(f.getSipStatusCode(), f.getSipStatus()) + part(": ", f.getDetail());
            }
            case TransferFailed t -> {
                reason = t.getReason().name();
                transferTo = t.getTransferTo();
                sipStatusCode = t.getSipStatusCode();
                sipStatus = t.getSipStatus();
                detail = "transfer to " + t.getTransferTo() + " not connected: " + reason + sip(t.getSipStatusCode(), t.getSipStatus())
                        + by(t.getRequestedBy()) + part(": ", t.getDetail());
            }
            case AnswerClassified c -> detail = "answered by a " + c.getAnsweredBy().name().toLowerCase(java.util.Locale.ROOT)
                    + part(": ", c.getDetail());
            case DtmfReceived d -> detail = "caller pressed " + d.getDigits();
            case DtmfSent d -> detail = "agent sent the tones " + d.getDigits();
            case CallEnded e -> {
                reason = e.getReason().name();
                transferTo = e.getTransferTo();
                detail = reason + part(" (", e.getMethod() == null ? null : e.getMethod().name() + ")") + by(e.getEndedBy())
                        + part(": ", e.getDetail());
            }
            case SessionEnded e -> {
                reason = e.getReason().name();
                detail = reason + " after " + Math.round(e.getDurationMs() / 1000.0) + " s" + by(e.getEndedBy()) + part(": ", e.getDetail());
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new TimelineEntry(event.getEventId(), event.getRoom(), event.getSessionId(), event.getOccurredAt(),
                payload.getClass().getSimpleName(), detail, reason, transferTo, sipStatusCode, sipStatus));
    }

    private static String sip(Integer code, String phrase) {
        return code == null ? "" : " (SIP " + code + part(" ", phrase) + ")";
    }

    private static String by(Issuer issuer) {
        return issuer == null ? "" : ", by " + issuer.getKind() + part(" ", issuer.getId());
    }

    private static String part(String prefix, String value) {
        return value == null || value.isBlank() ? "" : prefix + value;
    }
}
