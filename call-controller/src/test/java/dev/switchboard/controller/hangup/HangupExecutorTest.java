package dev.switchboard.controller.hangup;

import dev.switchboard.controller.livekit.LiveKitResult;
import dev.switchboard.controller.livekit.LiveKitRooms;
import dev.switchboard.controller.livekit.RoomParticipant;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.ParticipantKind;
import dev.switchboard.events.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The hang-up policy against a scripted LiveKit, without Kafka or HTTP. */
class HangupExecutorTest {
    private final List<String> calls = new ArrayList<>();
    private final Backoff fast = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(200));

    /** A LiveKit whose room holds the given participants; a missing room answers NOT_FOUND. */
    private final class ScriptedRooms implements LiveKitRooms {
        private final List<RoomParticipant> participants;
        private int transientFailures;

        ScriptedRooms(List<RoomParticipant> participants, int transientFailures) {
            this.participants = participants == null ? null : new ArrayList<>(participants);
            this.transientFailures = transientFailures;
        }

        @Override
        public LiveKitResult<Void> deleteRoom(String room) {
            calls.add("DeleteRoom " + room);
            if (transientFailures-- > 0) {
                return new LiveKitResult.TransientFailure<>("503");
            }
            return participants == null ? new LiveKitResult.NotFound<>("404") : new LiveKitResult.Done<>(null);
        }

        @Override
        public LiveKitResult<Void> removeParticipant(String room, String identity) {
            calls.add("RemoveParticipant " + identity);
            return participants != null && participants.removeIf(p -> p.identity().equals(identity))
                    ? new LiveKitResult.Done<>(null) : new LiveKitResult.NotFound<>("404");
        }

        @Override
        public LiveKitResult<List<RoomParticipant>> listParticipants(String room) {
            calls.add("ListParticipants");
            return participants == null ? new LiveKitResult.NotFound<>("404") : new LiveKitResult.Done<>(List.copyOf(participants));
        }
    }

    private static RoomParticipant participant(String identity, ParticipantKind kind) {
        return new RoomParticipant(identity, identity, kind, Map.of());
    }

    private HangupExecutor executor(LiveKitRooms rooms, HangupPolicy policy) {
        return new HangupExecutor(Optional.ofNullable(rooms), policy, new RetryingCaller(fast, new SimpleMeterRegistry()));
    }

    private static HangupRequested hangup(HangupScope scope, Transport transport) {
        return HangupRequested.newBuilder().setReason(EndReason.SYSTEM_HANGUP).setScope(scope).setTransport(transport).build();
    }

    @Test
    void theConfiguredPolicyAppliesToPolicyDefaultAndTheRequestsScopeOverridesIt() {
        var removeSip = executor(new ScriptedRooms(List.of(), 0), HangupPolicy.REMOVE_SIP_PARTICIPANT);
        assertThat(removeSip.policyFor(hangup(HangupScope.POLICY_DEFAULT, Transport.LIVEKIT))).isEqualTo(HangupPolicy.REMOVE_SIP_PARTICIPANT);
        assertThat(removeSip.policyFor(hangup(HangupScope.DELETE_ROOM, Transport.LIVEKIT))).isEqualTo(HangupPolicy.DELETE_ROOM);
        var delete = executor(new ScriptedRooms(List.of(), 0), HangupPolicy.DELETE_ROOM);
        assertThat(delete.policyFor(hangup(HangupScope.REMOVE_SIP_PARTICIPANT, Transport.LIVEKIT))).isEqualTo(HangupPolicy.REMOVE_SIP_PARTICIPANT);
    }

    @Test
    void removeSipParticipantRemovesEverySipLegAndLeavesTheOthers() {
        var rooms = new ScriptedRooms(List.of(participant("agent", ParticipantKind.AGENT), participant("sip-a", ParticipantKind.SIP),
                participant("web", ParticipantKind.STANDARD), participant("sip-b", ParticipantKind.SIP)), 0);

        var outcome = executor(rooms, HangupPolicy.REMOVE_SIP_PARTICIPANT).hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.LIVEKIT));

        assertThat(outcome).isEqualTo(new HangupOutcome.Ended(HangupMethod.REMOVE_SIP_PARTICIPANT, "removed 2 SIP participant(s)"));
        assertThat(calls).containsExactly("ListParticipants", "RemoveParticipant sip-a", "RemoveParticipant sip-b");
        assertThat(rooms.participants).extracting(RoomParticipant::identity).containsExactly("agent", "web");
    }

    @Test
    void aRoomWithoutSipParticipantsOrWithoutTheNamedOneIsAlreadyGone() {
        var noSip = new ScriptedRooms(List.of(participant("agent", ParticipantKind.AGENT)), 0);
        assertThat(executor(noSip, HangupPolicy.REMOVE_SIP_PARTICIPANT).hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.LIVEKIT)))
                .isInstanceOfSatisfying(HangupOutcome.Ended.class, e -> assertThat(e.method()).isEqualTo(HangupMethod.ALREADY_GONE));
        assertThat(calls).containsExactly("ListParticipants");

        var named = HangupRequested.newBuilder(hangup(HangupScope.REMOVE_SIP_PARTICIPANT, Transport.LIVEKIT)).setParticipantIdentity("sip-gone").build();
        assertThat(executor(noSip, HangupPolicy.DELETE_ROOM).hangUp("r", named))
                .isInstanceOfSatisfying(HangupOutcome.Ended.class, e -> assertThat(e.method()).isEqualTo(HangupMethod.ALREADY_GONE));
    }

    @Test
    void transientFailuresAreRetriedWithinTheBudgetThenFail() {
        var recovering = new ScriptedRooms(List.of(), 3);
        assertThat(executor(recovering, HangupPolicy.DELETE_ROOM).hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.LIVEKIT)))
                .isEqualTo(new HangupOutcome.Ended(HangupMethod.DELETE_ROOM, "room deleted"));
        assertThat(calls).hasSize(4);

        calls.clear();
        var down = new ScriptedRooms(List.of(), Integer.MAX_VALUE);
        assertThat(executor(down, HangupPolicy.DELETE_ROOM).hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.LIVEKIT)))
                .isInstanceOfSatisfying(HangupOutcome.Failed.class, f -> assertThat(f.reason()).contains("DeleteRoom kept failing", "gave up"));
        assertThat(calls.size()).isGreaterThan(3);
    }

    @Test
    void withoutLiveKitOnlySimulatedCallsCanEnd() {
        var none = executor(null, HangupPolicy.DELETE_ROOM);
        assertThat(none.hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.SIMULATED)))
                .isInstanceOfSatisfying(HangupOutcome.Ended.class, e -> assertThat(e.method()).isEqualTo(HangupMethod.NOT_NEEDED));
        assertThat(none.hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.LIVEKIT))).isInstanceOf(HangupOutcome.Failed.class);
        assertThat(none.hangUp("r", hangup(HangupScope.POLICY_DEFAULT, Transport.UNKNOWN))).isInstanceOf(HangupOutcome.Failed.class);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        var backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(List.of(1, 2, 3, 4, 5, 6, 40).stream().map(backoff::delayBefore).map(Duration::toMillis).toList())
                .containsExactly(250L, 500L, 1000L, 2000L, 4000L, 5000L, 5000L);
        assertThat(backoff.allows(Duration.ofSeconds(26), Duration.ofSeconds(4))).isTrue();
        assertThat(backoff.allows(Duration.ofSeconds(27), Duration.ofSeconds(4))).isFalse();
    }
}
