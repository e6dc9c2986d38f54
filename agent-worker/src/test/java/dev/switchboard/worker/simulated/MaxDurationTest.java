package dev.switchboard.worker.simulated;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A call's maximum duration on the real broker, set the way an operator sets it. */
@QuarkusTest
@TestProfile(MaxDurationTest.ShortCalls.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class MaxDurationTest {

    public static class ShortCalls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.agent.limits.max-duration", "2s",
                    "switchboard.agent.limits.closing-line", "We have to stop here, goodbye.",
                    "switchboard.agent.limits.silence-timeout", "0s",
                    "switchboard.agent.hangup-confirmation-timeout", "1s");
        }
    }

    @Test
    void aCallAtItsMaximumDurationHearsTheClosingLineAndHangsUpWithThatReason() {
        CallEndings ending = CallEndings.ofASilentCall();
        assertThat(ending.hangup().getReason()).isEqualTo(EndReason.MAX_DURATION);
        assertThat(ending.hangup().getDetail()).contains("maximum duration");
        assertThat(ending.issuer()).isEqualTo(IssuerKind.SYSTEM);
        assertThat(ending.agentSaid()).containsExactly("We have to stop here, goodbye.");
        assertThat(ending.ended().getReason()).isEqualTo(EndReason.MAX_DURATION);
    }
}
