package dev.switchboard.controller.dial;

import dev.switchboard.controller.hangup.Backoff;
import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.AgentDispatchInfo;
import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.LiveKitDispatch;
import dev.switchboard.controller.livekit.LiveKitSip;
import dev.switchboard.controller.livekit.OutboundCall;
import dev.switchboard.controller.livekit.SipParticipant;
import dev.switchboard.controller.livekit.TwirpError;
import dev.switchboard.events.CallFailureReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The dial against a scripted LiveKit: tried again before the INVITE, never after; one agent dispatched. */
class DialerTest {
    private static final SipParticipant CALLEE = new SipParticipant("PA_1", "callee", "room-1", "SCL_1");

    private final List<String> calls = new ArrayList<>();
    private final Deque<ApiAnswer<SipParticipant>> dialAnswers = new ArrayDeque<>();
    private final Deque<ApiAnswer<String>> dispatchAnswers = new ArrayDeque<>();
    private final List<AgentDispatchInfo> dispatched = new ArrayList<>();
    private final RetryingCaller retrying = new RetryingCaller(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(300)),
            new SimpleMeterRegistry());

    private final LiveKitSip sip = new LiveKitSip() {
        @Override
        public ApiAnswer<SipParticipant> createSipParticipant(OutboundCall call, Duration wait) {
            calls.add("CreateSIPParticipant");
            return dialAnswers.isEmpty() ? new ApiAnswer.Ok<>(CALLEE) : dialAnswers.poll();
        }

        @Override
        public ApiAnswer<Void> transferSipParticipant(String room, String identity, String transferTo, boolean playDialtone, Duration wait) {
            throw new UnsupportedOperationException();
        }
    };

    private final LiveKitDispatch dispatch = new LiveKitDispatch() {
        @Override
        public ApiAnswer<String> createDispatch(String room, String agentName, String metadata) {
            calls.add("CreateDispatch");
            ApiAnswer<String> answer = dispatchAnswers.isEmpty() ? new ApiAnswer.Ok<>("AD_1") : dispatchAnswers.poll();
            if (answer instanceof ApiAnswer.Ok<String> || answer instanceof ApiAnswer.NoAnswer<String>) {
                dispatched.add(new AgentDispatchInfo("AD_" + dispatched.size(), agentName, metadata)); // it took effect
            }
            return answer;
        }

        @Override
        public ApiAnswer<List<AgentDispatchInfo>> listDispatches(String room) {
            calls.add("ListDispatch");
            return new ApiAnswer.Ok<>(List.copyOf(dispatched));
        }
    };

    private final Dialer dialer = new Dialer(sip, new AgentDispatcher(dispatch, retrying), retrying);

    private static DialPlan plan(Optional<String> agent) {
        OutboundCall call = new OutboundCall("room-1", "ST_1", "+15550100", null, "callee", null, Map.of(), Duration.ofSeconds(30), null, false, null);
        return new DialPlan("cmd-1", call, agent, "{\"dialCommandId\":\"cmd-1\"}", Duration.ofSeconds(45));
    }

    private static <T> ApiAnswer<T> refused(int status, String code, Map<String, String> meta) {
        return new ApiAnswer.Refused<>(new TwirpError(status, code, "scripted", meta));
    }

    @Test
    void dispatchesTheAgentThenDials() {
        assertThat(dialer.dial(plan(Optional.of("agent")), () -> false)).isEqualTo(new Dialer.Result.Answered(CALLEE));
        assertThat(calls).containsExactly("CreateDispatch", "CreateSIPParticipant");
    }

    @Test
    void withoutAnAgentNameItOnlyDials() {
        assertThat(dialer.dial(plan(Optional.empty()), () -> false)).isInstanceOf(Dialer.Result.Answered.class);
        assertThat(calls).containsExactly("CreateSIPParticipant");
    }

    @Test
    void failuresBeforeTheInviteAreTriedAgain() {
        dialAnswers.add(new ApiAnswer.NotSent<>("connection refused"));
        dialAnswers.add(refused(503, "unavailable", Map.of()));

        assertThat(dialer.dial(plan(Optional.empty()), () -> false)).isInstanceOf(Dialer.Result.Answered.class);
        assertThat(calls).containsExactly("CreateSIPParticipant", "CreateSIPParticipant", "CreateSIPParticipant");
    }

    @Test
    void nothingIsTriedAgainOnceThePhoneMayHaveRung() {
        for (ApiAnswer<SipParticipant> mayHaveRung : List.<ApiAnswer<SipParticipant>>of(
                new ApiAnswer.NoAnswer<>("read timed out"),
                refused(500, "internal", Map.of()),
                refused(429, "resource_exhausted", Map.of("sip_status_code", "486", "sip_status", "Busy Here")),
                refused(408, "canceled", Map.of()))) {
            calls.clear();
            dialAnswers.add(mayHaveRung);
            assertThat(dialer.dial(plan(Optional.empty()), () -> false)).isInstanceOf(Dialer.Result.Failed.class);
            assertThat(calls).as("after %s", mayHaveRung).containsExactly("CreateSIPParticipant");
        }
    }

    @Test
    void givesUpWhenLiveKitStaysUnreachableAndSaysSo() {
        for (int i = 0; i < 1000; i++) {
            dialAnswers.add(new ApiAnswer.NotSent<>("connection refused"));
        }
        var result = (Dialer.Result.Failed) dialer.dial(plan(Optional.empty()), () -> false);
        assertThat(result.failure().reason()).isEqualTo(CallFailureReason.FAILED);
        assertThat(result.failure().detail()).contains("could not place the call", "connection refused", "gave up after");
    }

    @Test
    void aRoomHungUpBeforeThePhoneIsDialledIsNotDialled() {
        var result = (Dialer.Result.Failed) dialer.dial(plan(Optional.of("agent")), () -> true);
        assertThat(result.failure().reason()).isEqualTo(CallFailureReason.CANCELLED);
        assertThat(result.failure().detail()).contains("hung up before the phone was dialled");
        assertThat(calls).containsExactly("CreateDispatch");
    }

    @Test
    void anUnansweredDispatchThatTookEffectIsNotRepeated() {
        dispatchAnswers.add(new ApiAnswer.NoAnswer<>("read timed out"));

        assertThat(dialer.dial(plan(Optional.of("agent")), () -> false)).isInstanceOf(Dialer.Result.Answered.class);
        assertThat(calls).containsExactly("CreateDispatch", "ListDispatch", "CreateSIPParticipant");
        assertThat(dispatched).hasSize(1);
    }

    @Test
    void aDispatchLiveKitRefusesMeansNothingIsDialled() {
        dispatchAnswers.add(refused(503, "unavailable", Map.of()));
        dispatchAnswers.add(refused(400, "invalid_argument", Map.of()));

        var result = (Dialer.Result.Failed) dialer.dial(plan(Optional.of("agent")), () -> false);
        assertThat(result.failure().detail()).contains("agent could not be dispatched", "nothing was dialled", "400");
        assertThat(calls).containsExactly("CreateDispatch", "CreateDispatch");
    }
}
