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

/** A session's timeline: in order, each event once, apart from the room's other sessions, bounded, forgotten with its session. */
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
        assertThat(timeline.apply(start, "s1")).isPresent();
        assertThat(timeline.apply(start, "s1")).as("a redelivered event").isEmpty();
        timeline.apply(event("r1", "s1", DtmfReceived.newBuilder().setParticipantIdentity("sip_1").setDigits("12#").build()), "s1");
        timeline.apply(event("r1", "s1", SessionEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDurationMs(61_400)
                .setUsage(Usage.newBuilder().build())
                .setEndedBy(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("caller").build()).build()), "s1");

        assertThat(timeline.entries("r1", "s1")).extracting(TimelineEntry::type, TimelineEntry::detail, TimelineEntry::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("SessionStarted", "INBOUND LIVEKIT call from +15550100, agent agent-a, worker w1", null),
                org.assertj.core.groups.Tuple.tuple("DtmfReceived", "caller pressed 12#", null),
                org.assertj.core.groups.Tuple.tuple("SessionEnded", "CALLER_HANGUP after 61 s, by SYSTEM caller", "CALLER_HANGUP"));
    }

    @Test
    void aRefusedTransferAndOneThatWentThroughAreTold() {
        timeline.apply(event("r3", "s1", started()), "s1");
        timeline.apply(event("r3", null, TransferFailed.newBuilder().setParticipantIdentity("sip_1").setTransferTo("tel:+15550199")
                .setReason(CallFailureReason.BUSY).setSipStatusCode(486).setSipStatus("Busy Here").setTransferCommandId("t-1")
                .setRequestedBy(Issuer.newBuilder().setKind(IssuerKind.LLM).setId("w1").build()).build()), "s1");
        timeline.apply(event("r3", null, CallEnded.newBuilder().setReason(EndReason.TRANSFERRED).setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT)
                .setDetail("transferred sip_1 to tel:+15550123").setTransferTo("tel:+15550123").setHangupCommandId("t-2").build()), "s1");

        assertThat(timeline.entries("r3", "s1")).extracting(TimelineEntry::type, TimelineEntry::detail, TimelineEntry::reason).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple("TransferFailed",
                        "transfer to tel:+15550199 not connected: BUSY (SIP 486 Busy Here), by LLM w1", "BUSY"),
                org.assertj.core.groups.Tuple.tuple("CallEnded", "TRANSFERRED (REMOVE_SIP_PARTICIPANT): transferred sip_1 to tel:+15550123",
                        "TRANSFERRED"));
        // The console words them from these fields, not from the detail.
        assertThat(timeline.entries("r3", "s1")).extracting(TimelineEntry::type, TimelineEntry::transferTo, TimelineEntry::sipStatusCode,
                TimelineEntry::sipStatus).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple("TransferFailed", "tel:+15550199", 486, "Busy Here"),
                org.assertj.core.groups.Tuple.tuple("CallEnded", "tel:+15550123", null, null));
        assertThat(timeline.entries("r3", "s1").getFirst().transferTo()).as("SessionStarted has no transfer").isNull();
    }

    @Test
    void eachSessionOfARoomKeepsItsOwnEventsBoundedUntilItIsForgotten() {
        timeline.apply(event("r2", "s1", started()), "s1");
        for (int i = 0; i < SessionTimeline.MAX_PER_ROOM + 10; i++) {
            timeline.apply(event("r2", "s1", DtmfReceived.newBuilder().setParticipantIdentity("sip_1").setDigits(Integer.toString(i)).build()), "s1");
        }
        assertThat(timeline.entries("r2", "s1")).hasSize(SessionTimeline.MAX_PER_ROOM);
        assertThat(timeline.entries("r2", "s1").getLast().detail()).isEqualTo("caller pressed " + (SessionTimeline.MAX_PER_ROOM + 9));

        // Another session of the room (another tenant's, say) has its own events; the first one's stay its own.
        timeline.apply(event("r2", "s2", started()), "s2");
        timeline.apply(event("r2", null, DtmfReceived.newBuilder().setParticipantIdentity("sip_2").setDigits("9").build()), "s2");
        assertThat(timeline.entries("r2", "s2")).extracting(TimelineEntry::type).containsExactly("SessionStarted", "DtmfReceived");
        assertThat(timeline.entries("r2", "s1")).hasSize(SessionTimeline.MAX_PER_ROOM).extracting(TimelineEntry::sessionId).containsOnly("s1");

        assertThat(timeline.retain("r2", "s2"::equals)).isEqualTo(1);
        assertThat(timeline.entries("r2", "s1")).isEmpty();
        assertThat(timeline.entries("r2", "s2")).hasSize(2);
        assertThat(timeline.retain((room, id) -> !room.equals("r2"))).isEqualTo(1);
        assertThat(timeline.entries("r2", "s2")).isEmpty();
    }

    @Test
    void aDialWithoutASessionKeepsItsOwnEventsUntilANewerDialOrItIsForgotten() {
        SessionEvent failed = event("d1", null, dev.switchboard.events.CallFailed.newBuilder().setDialCommandId("dial-1")
                .setPhoneNumber("+15550100").setReason(CallFailureReason.BUSY).setSipStatusCode(486).setSipStatus("Busy Here").build());
        assertThat(timeline.applyToDial(failed, "dial-1")).isPresent();
        assertThat(timeline.applyToDial(failed, "dial-1")).as("a redelivered event").isEmpty();
        assertThat(timeline.dialEntries("d1", "dial-1")).extracting(TimelineEntry::type, TimelineEntry::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CallFailed", "BUSY"));
        assertThat(timeline.entries("d1", null)).as("not a session's").isEmpty();
        assertThat(timeline.dialEntries("d1", "dial-0")).as("another dial of the room").isEmpty();

        timeline.retain((room, id) -> false);
        assertThat(timeline.dialEntries("d1", "dial-1")).as("the sessions' sweep leaves dials alone").hasSize(1);
        timeline.applyToDial(event("d1", null, CallEnded.newBuilder().setReason(EndReason.CALLER_HANGUP)
                .setMethod(HangupMethod.DELETE_ROOM).build()), "dial-2");
        assertThat(timeline.dialEntries("d1", "dial-1")).as("replaced by the room's newer dial").isEmpty();
        assertThat(timeline.dialEntries("d1", "dial-2")).extracting(TimelineEntry::type).containsExactly("CallEnded");
        assertThat(timeline.retainDials((room, commandId) -> false)).isEqualTo(1);
        assertThat(timeline.dialEntries("d1", "dial-2")).isEmpty();
    }
}
