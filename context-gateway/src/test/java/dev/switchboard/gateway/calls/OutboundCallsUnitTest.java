package dev.switchboard.gateway.calls;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Dials read on the call-control topic (another instance's, another system's) next to the ones this instance placed. */
class OutboundCallsUnitTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final MovableClock clock = new MovableClock(NOW);
    private final OutboundCalls calls = new OutboundCalls(clock, Duration.ofHours(24));

    private static OutboundCall dialing(String commandId, String to, String tenant) {
        return OutboundCall.dialing("r", commandId, to, null, "ST_1", NOW, tenant, null);
    }

    private static String tenantOf(OutboundCall call) {
        return call.tenant() == null ? "default" : call.tenant();
    }

    @Test
    void aDialReadOnTheTopicNeverReplacesACallThisInstanceKnows() {
        OutboundCall ours = OutboundCall.dialing("r", "ours", "+15550001", null, "ST_1", NOW, "acme", "fingerprint");
        assertThat(calls.register(ours, OutboundCallsUnitTest::tenantOf)).isInstanceOf(OutboundCalls.Registration.Registered.class);

        assertThat(calls.observed(dialing("ours", "+15550001", "acme"), OutboundCallsUnitTest::tenantOf, true)).as("its own, read back").isFalse();
        assertThat(calls.observed(dialing("squat", "+15550002", "globex"), OutboundCallsUnitTest::tenantOf, true)).as("another tenant's").isFalse();
        assertThat(calls.observed(dialing("again", "+15550003", "acme"), OutboundCallsUnitTest::tenantOf, true)).as("into the ringing room").isFalse();
        assertThat(calls.find("r").orElseThrow()).isSameAs(ours);

        calls.notCarriedOut("squat", CommandStatus.REJECTED, "another tenant's room", NOW);
        assertThat(calls.find("r").orElseThrow().state()).as("a refusal of a dial not taken in changes nothing").isEqualTo(CallState.DIALING);

        calls.notCarriedOut("ours", CommandStatus.REJECTED, "no such trunk", NOW.plusSeconds(1));
        OutboundCall failed = calls.find("r").orElseThrow();
        assertThat(failed.state()).isEqualTo(CallState.FAILED);
        assertThat(failed.failure()).isEqualTo(new CallFailure("REJECTED", null, null, "no such trunk"));
        assertThat(failed.fingerprint()).as("what the dial asked for is kept for retries").isEqualTo("fingerprint");

        assertThat(calls.observed(dialing("next", "+15550005", "acme"), OutboundCallsUnitTest::tenantOf, true))
                .as("acme's next call into its own room").isTrue();
        assertThat(calls.find("r").orElseThrow().commandId()).isEqualTo("next");
    }

    /** A call that was placed and failed keeps its room for its tenant's record, for the retention. */
    @Test
    void anotherTenantCannotDialIntoTheRoomOfACallThatWasPlacedAndFailed() {
        calls.register(OutboundCall.dialing("r", "acme-1", "+15550001", null, "ST_1", NOW, "acme", null), OutboundCallsUnitTest::tenantOf);
        calls.apply(outcome("r", CallFailed.newBuilder().setPhoneNumber("+15550001").setReason(CallFailureReason.BUSY)
                .setSipStatusCode(486).setDialCommandId("acme-1").setTenant("acme").build()));
        assertThat(calls.find("r").orElseThrow().state()).isEqualTo(CallState.FAILED);

        assertThat(calls.register(OutboundCall.dialing("r", "globex-1", "+15550002", null, "ST_1", NOW, "globex", null),
                OutboundCallsUnitTest::tenantOf)).isInstanceOf(OutboundCalls.Registration.RoomBusy.class);
        assertThat(calls.find("r").orElseThrow().commandId()).isEqualTo("acme-1");
    }

    /**
     * A dial the call controller refused never had its room (a dial for another tenant's live room, sent straight to
     * Kafka, say): it keeps nobody out of it, and stays its own tenant's record by its command id.
     */
    @Test
    void aDialTheControllerRefusedKeepsNobodyOutOfItsRoom() {
        calls.observed(dialing("squat", "+15550002", "globex"), OutboundCallsUnitTest::tenantOf, true);
        calls.notCarriedOut("squat", CommandStatus.REJECTED, "the session in room r belongs to another tenant", NOW);

        OutboundCall own = OutboundCall.dialing("r", "acme-1", "+15550001", null, "ST_1", NOW, "acme", null);
        assertThat(calls.register(own, OutboundCallsUnitTest::tenantOf)).isInstanceOf(OutboundCalls.Registration.Registered.class);
        assertThat(calls.find("r").orElseThrow().commandId()).isEqualTo("acme-1");
        OutboundCall refused = calls.findByCommand("squat").orElseThrow();
        assertThat(refused.state()).isEqualTo(CallState.FAILED);
        assertThat(refused.failure().reason()).isEqualTo("REJECTED");

        clock.advance(Duration.ofHours(25));
        calls.evictOver();
        assertThat(calls.findByCommand("squat")).as("forgotten after the retention").isEmpty();
    }

    @Test
    void aCallKnownOnlyFromItsOutcomeIsTheTenantsTheOutcomeNamesAndAKnownTenantIsKept() {
        calls.apply(outcome("r", CallFailed.newBuilder().setPhoneNumber("+15550006").setReason(CallFailureReason.BUSY)
                .setDialCommandId("elsewhere").setTenant("acme").build()));
        assertThat(calls.find("r").orElseThrow().tenant()).as("a dial another system sent, read only from its outcome").isEqualTo("acme");

        OutboundCall ours = OutboundCall.dialing("r2", "ours", "+15550007", null, "ST_1", NOW, "globex", null);
        calls.register(ours, OutboundCallsUnitTest::tenantOf);
        calls.apply(outcome("r2", CallAnswered.newBuilder().setParticipantIdentity("sip_callee").setPhoneNumber("+15550007")
                .setDialCommandId("ours").setAnsweredBy(AnsweredBy.UNKNOWN).setTenant("acme").build()));
        OutboundCall answered = calls.find("r2").orElseThrow();
        assertThat(answered.state()).isEqualTo(CallState.ANSWERED);
        assertThat(answered.tenant()).as("the tenant of the token that placed it stays").isEqualTo("globex");

        calls.apply(outcome("r3", CallFailed.newBuilder().setPhoneNumber("+15550008").setReason(CallFailureReason.NO_ANSWER)
                .setDialCommandId("older").build()));
        assertThat(calls.find("r3").orElseThrow().tenant()).as("an older controller's outcome names none").isNull();
    }

    @Test
    void aCallsFromIsTheNumberItsOutcomeNamesWhenItsDialNamedNone() {
        // A dial sent over Kafka without a from: the call controller placed it from its default, which its outcome names.
        calls.observed(dialing("d1", "+15550031", "acme"), OutboundCallsUnitTest::tenantOf, true);
        assertThat(calls.find("r").orElseThrow().from()).isNull();
        calls.apply(outcome("r", CallAnswered.newBuilder().setParticipantIdentity("sip_callee").setPhoneNumber("+15550031")
                .setDialCommandId("d1").setAnsweredBy(AnsweredBy.UNKNOWN).setFromNumber("+15550000").setAgentName("sales").build()));
        assertThat(calls.find("r").orElseThrow().from()).isEqualTo("+15550000");

        // A dial that named its own keeps it.
        calls.register(OutboundCall.dialing("r2", "d2", "+15550032", "+15551111", "ST_1", NOW, "acme", null), OutboundCallsUnitTest::tenantOf);
        calls.apply(outcome("r2", CallFailed.newBuilder().setPhoneNumber("+15550032").setReason(CallFailureReason.BUSY)
                .setDialCommandId("d2").setFromNumber("+15550000").build()));
        assertThat(calls.find("r2").orElseThrow().from()).isEqualTo("+15551111");

        // Known only from its outcome: the outcome's; from an older controller, which names none: not known.
        calls.apply(outcome("r3", CallFailed.newBuilder().setPhoneNumber("+15550033").setReason(CallFailureReason.NO_ANSWER)
                .setDialCommandId("d3").setFromNumber("+15550000").build()));
        assertThat(calls.find("r3").orElseThrow().from()).isEqualTo("+15550000");
        calls.apply(outcome("r4", CallFailed.newBuilder().setPhoneNumber("+15550034").setReason(CallFailureReason.NO_ANSWER)
                .setDialCommandId("d4").build()));
        assertThat(calls.find("r4").orElseThrow().from()).isNull();
    }

    private static SessionEvent outcome(String room, Object payload) {
        return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setOccurredAt(NOW)
                .setSource("call-controller").setPayload(payload).build();
    }

    @Test
    void listenersHearOfADialOnceItIsPublishedAndOfEachChangeAfter() {
        List<String> heard = new CopyOnWriteArrayList<>();
        calls.onChanged(call -> heard.add(call.room() + " " + call.commandId() + " " + call.state()));

        OutboundCall ours = OutboundCall.dialing("r", "ours", "+15550001", null, "ST_1", NOW, "acme", null);
        calls.register(ours, OutboundCallsUnitTest::tenantOf);
        assertThat(heard).as("registered, not yet published (it may still be forgotten)").isEmpty();
        calls.published(ours);
        calls.apply(outcome("r", CallAnswered.newBuilder().setParticipantIdentity("sip_callee").setPhoneNumber("+15550001")
                .setDialCommandId("ours").setAnsweredBy(AnsweredBy.UNKNOWN).build()));
        assertThat(calls.observed(dialing("ours", "+15550001", "acme"), OutboundCallsUnitTest::tenantOf, true)).isFalse();
        calls.observed(OutboundCall.dialing("r2", "elsewhere", "+15550002", null, "ST_1", NOW, null, null), OutboundCallsUnitTest::tenantOf, true);
        calls.notCarriedOut("elsewhere", CommandStatus.REJECTED, "no such trunk", NOW);
        calls.notCarriedOut("elsewhere", CommandStatus.REJECTED, "told twice", NOW);

        assertThat(heard).containsExactly("r ours DIALING", "r ours ANSWERED", "r2 elsewhere DIALING", "r2 elsewhere FAILED");
    }

    @Test
    void onlyAResultThatSaysTheDialWasNotCarriedOutEndsIt() {
        calls.observed(dialing("d1", "+15550001", null), OutboundCallsUnitTest::tenantOf, true);
        calls.notCarriedOut("d1", CommandStatus.APPLIED, "placed", NOW);
        assertThat(calls.find("r").orElseThrow().state()).isEqualTo(CallState.DIALING);
        calls.notCarriedOut("d1", CommandStatus.EXPIRED, "expired, not carried out", NOW);
        assertThat(calls.find("r").orElseThrow().failure().reason()).isEqualTo("EXPIRED");
    }

    @Test
    void theFailureThatHappenedFirstStandsWhicheverIsReadFirst() {
        // The gateway answered the dial EXPIRED; the call controller, back later, reported it FAILED. Live, the EXPIRED is
        // read first; a gateway reading both again at start-up may read the CallFailed first: the same reason either way.
        CallFailed controllers = CallFailed.newBuilder().setPhoneNumber("+15550021").setReason(CallFailureReason.FAILED)
                .setDialCommandId("d1").setDetail("expired before it was placed").build();
        Instant expired = NOW.minusSeconds(30);

        calls.observed(request("r1", "d1", "+15550021"), OutboundCallsUnitTest::tenantOf, true);
        calls.notCarriedOut("d1", CommandStatus.EXPIRED, "no outcome in time", expired);
        calls.apply(outcome("r1", controllers));
        OutboundCall live = calls.find("r1").orElseThrow();

        OutboundCalls restarted = new OutboundCalls(clock, Duration.ofHours(24));
        restarted.observed(request("r1", "d1", "+15550021"), OutboundCallsUnitTest::tenantOf, false);
        restarted.apply(outcome("r1", controllers));
        assertThat(restarted.find("r1").orElseThrow().failure().reason()).as("before the earlier result is read").isEqualTo("FAILED");
        restarted.notCarriedOut("d1", CommandStatus.EXPIRED, "no outcome in time", expired);
        OutboundCall afterRestart = restarted.find("r1").orElseThrow();

        assertThat(live.failure().reason()).isEqualTo("EXPIRED");
        assertThat(afterRestart.failure()).isEqualTo(live.failure());
        assertThat(afterRestart.endedAt()).isEqualTo(expired).isEqualTo(live.endedAt());

        // A later failure read after an earlier one changes nothing.
        restarted.notCarriedOut("d1", CommandStatus.REJECTED, "later", NOW.plusSeconds(5));
        restarted.apply(outcome("r1", CallFailed.newBuilder(controllers).setReason(CallFailureReason.BUSY).build()));
        assertThat(restarted.find("r1").orElseThrow().failure()).isEqualTo(live.failure());
    }

    @Test
    void aDialReadAgainAtStartUpAddsWhatItAskedForToItsOutcomeWhicheverIsReadFirst() {
        // The outcome first, then the request (the two topics are read apart).
        calls.apply(outcome("r1", CallFailed.newBuilder().setPhoneNumber("+15550011").setReason(CallFailureReason.BUSY)
                .setDialCommandId("d1").setTenant("acme").build()));
        assertThat(calls.observed(request("r1", "d1", "+15550011"), OutboundCallsUnitTest::tenantOf, false)).isFalse();
        OutboundCall failed = calls.find("r1").orElseThrow();
        assertThat(failed.state()).isEqualTo(CallState.FAILED);
        assertThat(failed.fingerprint()).as("what a retry is compared with").isEqualTo("fp-d1");
        assertThat(failed.trunkId()).isEqualTo("ST_9");
        assertThat(failed.from()).isEqualTo("+15559999");
        assertThat(failed.requestedAt()).isEqualTo(NOW.minusSeconds(600));
        assertThat(calls.requested("d1")).isEmpty();

        // The request first, read when it can no longer ring: kept as a request, not shown as a ringing call.
        assertThat(calls.observed(request("r2", "d2", "+15550012"), OutboundCallsUnitTest::tenantOf, false)).isFalse();
        assertThat(calls.find("r2")).isEmpty();
        assertThat(calls.requested("d2")).isPresent();
        calls.apply(outcome("r2", CallAnswered.newBuilder().setParticipantIdentity("sip_callee").setPhoneNumber("+15550012")
                .setDialCommandId("d2").setAnsweredBy(AnsweredBy.UNKNOWN).build()));
        OutboundCall answered = calls.find("r2").orElseThrow();
        assertThat(answered.state()).isEqualTo(CallState.ANSWERED);
        assertThat(answered.fingerprint()).isEqualTo("fp-d2");
        assertThat(answered.tenant()).isEqualTo("acme");
        assertThat(calls.requested("d2")).as("a call now").isEmpty();

        // The request first, then the call controller's refusal (a CommandResult, no session event).
        calls.observed(request("r3", "d3", "+15550013"), OutboundCallsUnitTest::tenantOf, false);
        calls.notCarriedOut("d3", CommandStatus.REJECTED, "no such trunk", NOW);
        OutboundCall refused = calls.find("r3").orElseThrow();
        assertThat(refused.state()).isEqualTo(CallState.FAILED);
        assertThat(refused.fingerprint()).isEqualTo("fp-d3");

        // A request no outcome ever names is forgotten with the calls of its age.
        calls.observed(request("r4", "d4", "+15550014"), OutboundCallsUnitTest::tenantOf, false);
        clock.advance(Duration.ofHours(24));
        calls.evictOver();
        assertThat(calls.requested("d4")).isEmpty();
    }

    private static OutboundCall request(String room, String commandId, String to) {
        return OutboundCall.dialing(room, commandId, to, "+15559999", "ST_9", NOW.minusSeconds(600), "acme", "fp-" + commandId);
    }

    @Test
    void timesAreKeptInMillisecondsAsTheEventsCarryThem() {
        Instant precise = Instant.parse("2026-12-05T12:00:00.123456789Z");
        OutboundCall call = OutboundCall.dialing("r", "d-1", "+15550001", null, "ST_1", precise, "acme", null);
        assertThat(call.requestedAt()).isEqualTo(Instant.parse("2026-12-05T12:00:00.123Z"));
    }
}
