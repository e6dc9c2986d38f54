package dev.switchboard.controller.events;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.kit.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Builds the session events this service publishes. Event ids are derived from what caused the event (the hang-up's,
 * dial's or transfer's command id, LiveKit's webhook id), so a consumer sees the same id if the controller ever
 * publishes one twice, e.g. after a rebalance or when a webhook retry reaches another instance. A dial's outcome names
 * the dial's tenant, the number it calls from and the agent it asks for; a transfer's names its target.
 */
@ApplicationScoped
public class SessionEvents {
    private final Clock clock;
    private final String source;

    SessionEvents(Clock clock, @ConfigProperty(name = "quarkus.application.name") String source) {
        this.clock = clock;
        this.source = source;
    }

    /** CallEnded for a hang-up this controller carried out (or found already done). */
    public SessionEvent callEnded(CallControlRequest request, HangupRequested hangup, HangupMethod method) {
        CallEnded ended = CallEnded.newBuilder()
                .setReason(hangup.getReason())
                .setEndedBy(request.getIssuer())
                .setDetail(hangup.getDetail())
                .setHangupCommandId(request.getCommandId())
                .setMethod(method)
                .build();
        return event(derivedId("hangup", request.getCommandId()), request.getRoom(), hangup.getSessionId(), now(), ended);
    }

    /**
     * Who a dial calls from and the agent it asks for, the controller's defaults applied (null: the trunk's own number,
     * no explicit dispatch).
     */
    public record DialParties(String fromNumber, String agentName) {
    }

    /** CallAnswered: the dialled phone answered; its participant is in the room. */
    public SessionEvent callAnswered(CallControlRequest request, String participantIdentity, String phoneNumber, String sipCallId,
                                     DialParties parties) {
        CallAnswered answered = CallAnswered.newBuilder()
                .setParticipantIdentity(participantIdentity)
                .setPhoneNumber(phoneNumber)
                .setSipCallId(sipCallId)
                .setDialCommandId(request.getCommandId())
                // The controller only knows that the line picked up; the agent classifies who answered
                // (AnswerClassified). Set explicitly: resolving an enum default makes Avro load the class by
                // name through its own loader, which is not the application's in every runtime.
                .setAnsweredBy(AnsweredBy.UNKNOWN)
                .setTenant(tenantOf(request))
                .setFromNumber(parties.fromNumber())
                .setAgentName(parties.agentName())
                .build();
        return event(derivedId("dial", request.getCommandId()), request.getRoom(), null, now(), answered);
    }

    /** CallFailed: the dial did not connect; {@code sipStatusCode} and {@code sipStatus} are null when LiveKit reported none. */
    public SessionEvent callFailed(CallControlRequest request, String participantIdentity, String phoneNumber, DialParties parties,
                                   CallFailureReason reason, Integer sipStatusCode, String sipStatus, String detail) {
        CallFailed failed = CallFailed.newBuilder()
                .setParticipantIdentity(participantIdentity)
                .setPhoneNumber(phoneNumber)
                .setReason(reason)
                .setSipStatusCode(sipStatusCode)
                .setSipStatus(sipStatus)
                .setDetail(detail)
                .setDialCommandId(request.getCommandId())
                .setTenant(tenantOf(request))
                .setFromNumber(parties.fromNumber())
                .setAgentName(parties.agentName())
                .build();
        return event(derivedId("dial", request.getCommandId()), request.getRoom(), null, now(), failed);
    }

    /**
     * CallEnded for a call handed over by a transfer: the caller left for the transfer target, so the agent's
     * session ends as after a hang-up (reason TRANSFERRED, the transfer's command id in place of the hang-up's).
     */
    public SessionEvent callTransferred(CallControlRequest request, TransferRequested transfer, String participantIdentity) {
        CallEnded ended = CallEnded.newBuilder()
                .setReason(EndReason.TRANSFERRED)
                .setEndedBy(request.getIssuer())
                .setDetail("transferred " + participantIdentity + " to " + transfer.getTransferTo())
                .setHangupCommandId(request.getCommandId())
                .setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT)
                .setTransferTo(transfer.getTransferTo())
                .build();
        return event(derivedId("transfer", request.getCommandId()), request.getRoom(), null, now(), ended);
    }

    /**
     * TransferFailed: the transfer target or the phone network refused ({@code sipStatusCode} and {@code sipStatus}, null
     * when LiveKit reported none), or LiveKit could not carry it out; the caller is still in the call.
     */
    public SessionEvent transferFailed(CallControlRequest request, TransferRequested transfer, String participantIdentity,
                                       CallFailureReason reason, Integer sipStatusCode, String sipStatus, String detail) {
        TransferFailed failed = TransferFailed.newBuilder()
                .setParticipantIdentity(participantIdentity)
                .setTransferTo(transfer.getTransferTo())
                .setReason(reason)
                .setSipStatusCode(sipStatusCode)
                .setSipStatus(sipStatus)
                .setDetail(detail)
                .setTransferCommandId(request.getCommandId())
                .setRequestedBy(request.getIssuer())
                .build();
        return event(derivedId("transfer-failed", request.getCommandId()), request.getRoom(), null, now(), failed);
    }

    /** CallEnded for a room LiveKit closed while a transfer, which then failed, was being tried (its webhook was held back). */
    public SessionEvent callClosedDuringTransfer(CallControlRequest request) {
        CallEnded ended = CallEnded.newBuilder()
                .setReason(EndReason.ROOM_CLOSED)
                .setDetail("LiveKit closed the room while a transfer was being tried")
                .setMethod(HangupMethod.OBSERVED)
                .build();
        return event(derivedId("transfer-closed", request.getCommandId()), request.getRoom(), null, now(), ended);
    }

    /**
     * CallEnded for an answered dial whose agent never joined: the controller hung it up (reason ERROR, the detail says
     * what to check). {@code method} is how the room went, null when it could not be deleted.
     */
    public SessionEvent agentNeverJoined(CallControlRequest dial, String detail, HangupMethod method) {
        CallEnded ended = CallEnded.newBuilder()
                .setReason(EndReason.ERROR)
                .setDetail(detail)
                .setMethod(method == null ? HangupMethod.UNKNOWN : method)
                .build();
        return event(derivedId("agent-join-timeout", dial.getCommandId()), dial.getRoom(), null, now(), ended);
    }

    /** CallEnded for a room LiveKit reported finished without this controller's doing. */
    public SessionEvent callObservedEnded(String webhookId, String room, Instant occurredAt, EndReason reason, Issuer endedBy, String detail) {
        CallEnded ended = CallEnded.newBuilder()
                .setReason(reason)
                .setEndedBy(endedBy)
                .setDetail(detail)
                .setMethod(HangupMethod.OBSERVED)
                .build();
        return event(webhookEventId(webhookId), room, null, occurredAt, ended);
    }

    /** An event seen through a LiveKit webhook; the session is not known to LiveKit, so sessionId stays empty. */
    public SessionEvent fromWebhook(String webhookId, String room, Instant occurredAt, Object payload) {
        return event(webhookEventId(webhookId), room, null, occurredAt, payload);
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private SessionEvent event(String eventId, String room, String sessionId, Instant occurredAt, Object payload) {
        return SessionEvent.newBuilder()
                .setEventId(eventId)
                .setRoom(room)
                .setSessionId(sessionId)
                .setOccurredAt(occurredAt.truncatedTo(ChronoUnit.MILLIS))
                .setSource(source)
                .setPayload(payload)
                .build();
    }

    /** Whose the dialled call is: the request's tenant, 'default' when it named none (as its audit record says). */
    private static String tenantOf(CallControlRequest request) {
        return Caller.tenantOrDefault(request.getTenant());
    }

    private static String webhookEventId(String webhookId) {
        return webhookId == null || webhookId.isBlank() ? UUID.randomUUID().toString() : derivedId("livekit-webhook", webhookId);
    }

    private static String derivedId(String namespace, String id) {
        return UUID.nameUUIDFromBytes((namespace + ":" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
