package dev.switchboard.transcripts.support;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.events.Transport;
import dev.switchboard.events.Usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds the records the agent worker publishes, for one test call. */
public final class Events {
    private Events() {
    }

    public static String room(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A call: its room, its session id, when it started. */
    public record Call(String room, String sessionId, Instant startedAt) {
        public static Call start(String prefix) {
            return new Call(Events.room(prefix), UUID.randomUUID().toString(), now().minusSeconds(60));
        }

        public static Call startedAt(String prefix, Instant at) {
            return new Call(Events.room(prefix), UUID.randomUUID().toString(), at);
        }

        public Call sameRoomLater(Instant at) {
            return new Call(room, UUID.randomUUID().toString(), at);
        }

        public SessionStarted.Builder startedPayload() {
            return SessionStarted.newBuilder().setTransport(Transport.SIMULATED).setDirection(CallDirection.INBOUND)
                    .setAgentName("support-agent").setWorkerId("worker-1");
        }

        public SessionEvent started() {
            return started(startedPayload().build());
        }

        public SessionEvent started(SessionStarted payload) {
            return event(startedAt, payload);
        }

        public SessionEvent ended(EndReason reason, long durationMs) {
            return event(startedAt.plusMillis(durationMs), SessionEnded.newBuilder().setReason(reason)
                    .setEndedBy(Issuer.newBuilder().setKind(IssuerKind.LLM).setId("worker-1").build())
                    .setDetail("task done").setDurationMs(durationMs)
                    .setUsage(Usage.newBuilder().setLlmRequests(3).setUserTurns(2).setAgentTurns(3).build()).build());
        }

        public SessionEvent callEnded(EndReason reason, long atMs) {
            return event(startedAt.plusMillis(atMs), CallEnded.newBuilder().setReason(reason).setMethod(HangupMethod.NOT_NEEDED)
                    .setHangupCommandId("cmd-hangup").build());
        }

        /** CallAnswered as a call controller before SessionEvent v3 published it: the room and the dial, no session, no tenant. */
        public SessionEvent callAnswered(String dialCommandId, String phoneNumber, long atMs) {
            return callAnswered(dialCommandId, phoneNumber, atMs, null);
        }

        /** CallAnswered as a call controller before the dial's from number and agent were added published it. */
        public SessionEvent callAnswered(String dialCommandId, String phoneNumber, long atMs, String tenant) {
            return callAnswered(dialCommandId, phoneNumber, atMs, tenant, null, null);
        }

        /** CallAnswered as the call controller publishes it: the room, the dial, its tenant, from number and agent, no session. */
        public SessionEvent callAnswered(String dialCommandId, String phoneNumber, long atMs, String tenant, String fromNumber,
                                         String agentName) {
            return controllerEvent(startedAt.plusMillis(atMs), CallAnswered.newBuilder().setParticipantIdentity("sip-callee")
                    .setPhoneNumber(phoneNumber).setSipCallId("SCL_" + dialCommandId).setDialCommandId(dialCommandId)
                    .setAnsweredBy(AnsweredBy.UNKNOWN).setTenant(tenant).setFromNumber(fromNumber).setAgentName(agentName).build());
        }

        /** CallFailed as a call controller before SessionEvent v3 published it: the room and the dial, no session, no tenant. */
        public SessionEvent callFailed(String dialCommandId, String phoneNumber, CallFailureReason reason, Integer sipStatusCode,
                                       String sipStatus, long atMs) {
            return callFailed(dialCommandId, phoneNumber, reason, sipStatusCode, sipStatus, atMs, null);
        }

        /** CallFailed as a call controller before the dial's from number and agent were added published it. */
        public SessionEvent callFailed(String dialCommandId, String phoneNumber, CallFailureReason reason, Integer sipStatusCode,
                                       String sipStatus, long atMs, String tenant) {
            return callFailed(dialCommandId, phoneNumber, reason, sipStatusCode, sipStatus, atMs, tenant, null, null);
        }

        /** CallFailed as the call controller publishes it: the room, the dial, its tenant, from number and agent, no session. */
        public SessionEvent callFailed(String dialCommandId, String phoneNumber, CallFailureReason reason, Integer sipStatusCode,
                                       String sipStatus, long atMs, String tenant, String fromNumber, String agentName) {
            return controllerEvent(startedAt.plusMillis(atMs), CallFailed.newBuilder().setParticipantIdentity("sip-callee")
                    .setPhoneNumber(phoneNumber).setReason(reason).setSipStatusCode(sipStatusCode).setSipStatus(sipStatus)
                    .setDetail("the callee's line said " + reason).setDialCommandId(dialCommandId).setTenant(tenant)
                    .setFromNumber(fromNumber).setAgentName(agentName).build());
        }

        /** CallEnded of a transfer that went through, as the call controller publishes it: the room, no session. */
        public SessionEvent transferred(String commandId, String to, long atMs) {
            return controllerEvent(startedAt.plusMillis(atMs), CallEnded.newBuilder().setReason(EndReason.TRANSFERRED)
                    .setEndedBy(Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("ops").build()).setHangupCommandId(commandId)
                    .setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT).setDetail("transferred sip-caller to " + to).setTransferTo(to).build());
        }

        /** TransferFailed as the call controller publishes it: the room, no session. */
        public SessionEvent transferFailed(String commandId, String to, CallFailureReason reason, Integer sipStatusCode, String sipStatus,
                                           long atMs) {
            return controllerEvent(startedAt.plusMillis(atMs), TransferFailed.newBuilder().setParticipantIdentity("sip-caller")
                    .setTransferTo(to).setReason(reason).setSipStatusCode(sipStatusCode).setSipStatus(sipStatus)
                    .setDetail("the target said " + reason).setTransferCommandId(commandId)
                    .setRequestedBy(Issuer.newBuilder().setKind(IssuerKind.LLM).setId("worker-1").build()).build());
        }

        /** AnswerClassified as the agent worker publishes it, for its session. */
        public SessionEvent answerClassified(AnsweredBy answeredBy, long atMs) {
            return event(startedAt.plusMillis(atMs), AnswerClassified.newBuilder().setAnsweredBy(answeredBy).setDetail("a greeting").build());
        }

        public SessionEvent controllerEvent(Instant at, Object payload) {
            return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(null)
                    .setOccurredAt(at).setSource("call-controller").setPayload(payload).build();
        }

        public SessionEvent event(Instant at, Object payload) {
            return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                    .setOccurredAt(at).setSource("agent-worker").setPayload(payload).build();
        }

        public TranscriptSegment.Builder line(long sequence, SpeakerRole role, String text, long startMs, long endMs) {
            return TranscriptSegment.newBuilder().setSegmentId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                    .setSequence(sequence).setRevision(0).setRole(role).setText(text).setStartMs(startMs).setEndMs(endMs)
                    .setIsFinal(true).setInterrupted(false).setCreatedAt(startedAt.plusMillis(endMs))
                    .setParticipantIdentity(role == SpeakerRole.USER ? "caller" : role == SpeakerRole.AGENT ? "agent-worker-1" : null);
        }

        public TranscriptSegment caller(long sequence, String text, long startMs, long endMs) {
            return line(sequence, SpeakerRole.USER, text, startMs, endMs).build();
        }

        public TranscriptSegment agent(long sequence, String text, long startMs, long endMs) {
            return line(sequence, SpeakerRole.AGENT, text, startMs, endMs).build();
        }

        public TranscriptSegment injected(long sequence, String issuerId, String text, long atMs) {
            return line(sequence, SpeakerRole.INJECTED, text, atMs, atMs)
                    .setInjectedBy(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId(issuerId).build())
                    .setCommandId("cmd-" + sequence).setLabel("order-status").build();
        }
    }
}
