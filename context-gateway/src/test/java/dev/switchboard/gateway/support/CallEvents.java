package dev.switchboard.gateway.support;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.TestProducer;

import java.util.UUID;

/** Plays the call controller's (and the outbound agent's) side of a dial on the real broker: the outcome events. */
public final class CallEvents {
    private CallEvents() {
    }

    public static void answered(String room, String dialCommandId, String number) {
        send(room, null, "call-controller", CallAnswered.newBuilder().setParticipantIdentity("sip_" + number).setPhoneNumber(number)
                .setSipCallId("SCL_test").setDialCommandId(dialCommandId)
                .setAnsweredBy(AnsweredBy.UNKNOWN) // set, not defaulted: Avro would resolve the default through its own class loader
                .build());
    }

    public static void failed(String room, String dialCommandId, String number, CallFailureReason reason, Integer sipStatusCode,
                              String sipStatus) {
        failed(room, dialCommandId, number, reason, sipStatusCode, sipStatus, null);
    }

    /** CallFailed naming the dial's tenant, as the call controller does from SessionEvent v3 on. */
    public static void failed(String room, String dialCommandId, String number, CallFailureReason reason, Integer sipStatusCode,
                              String sipStatus, String tenant) {
        failed(room, dialCommandId, number, reason, sipStatusCode, sipStatus, tenant, null, null);
    }

    /** CallFailed naming the dial's tenant, the number it was placed from and its agent, as the call controller does now. */
    public static void failed(String room, String dialCommandId, String number, CallFailureReason reason, Integer sipStatusCode,
                              String sipStatus, String tenant, String fromNumber, String agentName) {
        send(room, null, "call-controller", CallFailed.newBuilder().setPhoneNumber(number).setReason(reason)
                .setSipStatusCode(sipStatusCode).setSipStatus(sipStatus).setDetail("test: " + reason)
                .setDialCommandId(dialCommandId).setTenant(tenant).setFromNumber(fromNumber).setAgentName(agentName).build());
    }

    /** The outbound agent's session starts (the callee has joined); returns the session id. */
    public static String sessionStarted(String room, String dialCommandId, String callee, String caller) {
        String sessionId = UUID.randomUUID().toString();
        send(room, sessionId, "agent-worker", SessionStarted.newBuilder().setTransport(Transport.LIVEKIT)
                .setDirection(CallDirection.OUTBOUND).setAgentName("test-agent").setWorkerId("fake-worker")
                .setCalleeNumber(callee).setCallerNumber(caller).setDialCommandId(dialCommandId).build());
        return sessionId;
    }

    public static void classified(String room, String sessionId, AnsweredBy by) {
        send(room, sessionId, "agent-worker", AnswerClassified.newBuilder().setAnsweredBy(by).setDetail("a greeting").build());
    }

    /**
     * What the call controller publishes when it carried out a hang-up of a room whose dial rings: the room's CallEnded
     * (no session), naming the hang-up; {@link #failedAfterHangup} follows once LiveKit gave up the INVITE.
     */
    public static void hungUp(String room, String hangupCommandId, EndReason reason) {
        send(room, null, "call-controller", CallEnded.newBuilder().setReason(reason).setMethod(HangupMethod.DELETE_ROOM)
                .setHangupCommandId(hangupCommandId).build());
    }

    /** The dial's CallFailed after a hang-up of its ringing room, in the words of a call controller before SessionEvent v4. */
    public static void failedAfterHangup(String room, String dialCommandId, String number, String hangupCommandId, String tenant) {
        send(room, null, "call-controller", CallFailed.newBuilder().setPhoneNumber(number).setReason(CallFailureReason.NO_ANSWER)
                .setDetail("sip request timed out; the call was hung up meanwhile (command " + hangupCommandId + "); room deleted")
                .setDialCommandId(dialCommandId).setTenant(tenant).build());
    }

    /** The dial's CallFailed after a hang-up of its ringing room, in the call controller's words from SessionEvent v4 on. */
    public static void cancelledByHangup(String room, String dialCommandId, String number, String hangupCommandId, String tenant) {
        send(room, null, "call-controller", CallFailed.newBuilder().setPhoneNumber(number).setReason(CallFailureReason.CANCELLED)
                .setDetail("hung up while the phone rang (LiveKit: sip request timed out); the call was hung up meanwhile (command "
                        + hangupCommandId + "); room deleted")
                .setDialCommandId(dialCommandId).setTenant(tenant).build());
    }

    /** As the call controller reports a cold transfer the target refused (busy). */
    public static void transferRefused(String room, String sessionId, String transferTo) {
        send(room, sessionId, "call-controller", TransferFailed.newBuilder().setTransferTo(transferTo).setReason(CallFailureReason.BUSY)
                .setSipStatusCode(486).setSipStatus("Busy Here").build());
    }

    public static void callEnded(String room, String sessionId, EndReason reason) {
        send(room, sessionId, "call-controller", CallEnded.newBuilder().setReason(reason).setMethod(HangupMethod.DELETE_ROOM).build());
    }

    private static void send(String room, String sessionId, String source, Object payload) {
        TestProducer.send(Topic.SESSION_EVENTS, room, SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room)
                .setSessionId(sessionId).setOccurredAt(FakeWorker.now()).setSource(source).setPayload(payload).build());
    }
}
