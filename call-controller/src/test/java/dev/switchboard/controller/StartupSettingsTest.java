package dev.switchboard.controller;

import dev.switchboard.testing.StartupRefusal;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's mistake in a setting stops the controller at start with one line naming the setting and what is
 * wrong, not a stack trace: each check throws a ConfigurationException before any other start-up work. The whole
 * application starts here (as {@code java -jar} would), with the one wrong setting as a system property.
 */
@QuarkusMainTest
class StartupSettingsTest {

    @Test
    void aStatusIntervalThatIsNotPositive(QuarkusMainLauncher launcher) {
        assertThat(StartupRefusal.of(launcher, Map.of("switchboard.controller.status-interval", "0s")))
                .contains("switchboard.controller.status-interval (SWITCHBOARD_CONTROLLER_STATUS_INTERVAL) must be positive, not PT0S");
    }

    @Test
    void aLiveKitUrlOfAnotherScheme(QuarkusMainLauncher launcher) {
        assertThat(StartupRefusal.of(launcher, Map.of("switchboard.livekit.url", "livekit.example.com:7880",
                "switchboard.livekit.api-key", "key", "switchboard.livekit.api-secret", "a-secret-of-at-least-32-characters")))
                .contains("LIVEKIT_URL (switchboard.livekit.url) must start with ws://, wss://, http:// or https://, not 'livekit.example.com:7880'");
    }

    @Test
    void anAgentJoinTimeoutOfZero(QuarkusMainLauncher launcher) {
        assertThat(StartupRefusal.of(launcher, Map.of("switchboard.dial.agent-join-timeout", "0s")))
                .contains("switchboard.dial.agent-join-timeout (SWITCHBOARD_DIAL_AGENT_JOIN_TIMEOUT) must be from 1s to 10m, not PT0S");
    }
}
