package dev.switchboard.gateway.live;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.events.Transport;
import dev.switchboard.events.Usage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A room's timeline: in order, each event once, a new session starting afresh, bounded, forgotten with its room. */
class SessionTimelineTest {
    private final SessionTimeline timeline = new SessionTimeline();

    private static SessionEvent event(String room, String sessionId, Object payload) {
        return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                .setOccurredAt(Instant.parse("2026-12-04T08:00:00Z")).setSource("test").setPayload(payload).build();
    }

    private static SessionStarted started() {
        return SessionStarted.newBuilder().setTransport(Transport.LIVEKIT).setDirection(CallDirection.INBOUND).setAgentName("agent-a")
                .setWorkerId("w1").setCallerNumber("+15550100").build();
    }

    @Test
    void eventsAreToldInWordsInOrderAndEachOnce() {
        SessionEvent start = event("r1", "s1", started());
        assertThat(timeline.apply(start)).isPresent();
        assertThat(timeline.apply(start)).as("a redelivered event").isEmpty();
        timeline.apply(event("r1", "s1", DtmfReceived.newBuilder().setParticipantIdentity("sip_1").setDigits("12#").build()));
        timeline.apply(event("r1", "s1", SessionEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDurationMs(61_400)
                .setUsage(Usage.newBuilder().build())
                .setEndedBy(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("caller").build()).build()));

        assertThat(timeline.entries("r1")).extracting(TimelineEntry::type, TimelineEntry::detail, TimelineEntry::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("SessionStarted", "INBOUND LIVEKIT call from +15550100, agent agent-a, worker w1", null),
                org.assertj.core.groups.Tuple.tuple("DtmfReceived", "caller pressed 12#", null),
                org.assertj.core.groups.Tuple.tuple("SessionEnded", "CALLER_HANGUP after 61 s, by SYSTEM caller", "CALLER_HANGUP"));
    }

    @Test
    void aRefusedTransferAndOneThatWentThroughAreTold() {
        timeline.apply(event("r3", "s1", started()));
        timeline.apply(event("r3", null, TransferFailed.newBuilder().setParticipantIdentity("sip_1").setTransferTo("tel:+15550199")
                .setReason(CallFailureReason.BUSY).setSipStatusCode(486).setSipStatus("Busy Here").setTransferCommandId("t-1")
                .setRequestedBy(Issuer.newBuilder().setKind(IssuerKind.LLM).setId("w1").build()).build()));
        timeline.apply(event("r3", null, CallEnded.newBuilder().setReason(EndReason.TRANSFERRED).setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT)
                .setDetail("transferred sip_1 to tel:+15550123").setTransferTo("tel:+15550123").setHangupCommandId("t-2").build()));

        assertThat(timeline.entries("r3")).extracting(TimelineEntry::type, TimelineEntry::detail, TimelineEntry::reason).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple("TransferFailed",
                        "transfer to tel:+15550199 not connected: BUSY (SIP 486 Busy Here), by LLM w1", "BUSY"),
                org.assertj.core.groups.Tuple.tuple("CallEnded", "TRANSFERRED (REMOVE_SIP_PARTICIPANT): transferred sip_1 to tel:+15550123",
                        "TRANSFERRED"));
        // The console words them from these fields, not from the detail.
        assertThat(timeline.entries("r3")).extracting(TimelineEntry::type, TimelineEntry::transferTo, TimelineEntry::sipStatusCode,
                TimelineEntry::sipStatus).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple("TransferFailed", "tel:+15550199", 486, "Busy Here"),
                org.assertj.core.groups.Tuple.tuple("CallEnded", "tel:+15550123", null, null));
        assertThat(timeline.entries("r3").getFirst().transferTo()).as("SessionStarted has no transfer").isNull();
    }

    @Test
    void aNewSessionOfTheRoomStartsAfreshAndTheListIsBounded() {
        timeline.apply(event("r2", "s1", started()));
        for (int i = 0; i < SessionTimeline.MAX_PER_ROOM + 10; i++) {
            timeline.apply(event("r2", "s1", DtmfReceived.newBuilder().setParticipantIdentity("sip_1").setDigits(Integer.toString(i)).build()));
        }
        assertThat(timeline.entries("r2")).hasSize(SessionTimeline.MAX_PER_ROOM);
        assertThat(timeline.entries("r2").getLast().detail()).isEqualTo("caller pressed " + (SessionTimeline.MAX_PER_ROOM + 9));

        timeline.apply(event("r2", "s2", started()));
        assertThat(timeline.entries("r2")).extracting(TimelineEntry::sessionId).containsExactly("s2");

        assertThat(timeline.retainRooms(room -> !room.equals("r2"))).isEqualTo(1);
        assertThat(timeline.entries("r2")).isEmpty();
    }
}
