package dev.switchboard.worker;

import dev.switchboard.testing.StartupRefusal;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's mistake in a setting stops the worker at start with one line naming the setting and what is wrong,
 * not a stack trace: each check throws a ConfigurationException before any other start-up work. The whole application
 * starts here (as {@code java -jar} would), with the one wrong setting as a system property; nothing listens on the
 * configured broker, so the worker must stop on its settings before it needs one. Each start takes a while (the
 * application is built again), so the checks that need no start are tested on their own (WorkerIdentityTest,
 * LlmClientProducerTest, TransferDestinationsTest).
 */
@QuarkusMainTest
class StartupSettingsTest {

    @Test
    void aTenancyRuleNamingAnInvalidTenant(QuarkusMainLauncher launcher) {
        assertThat(StartupRefusal.of(launcher, Map.of("switchboard.tenancy.room-prefix.acme-", "Not A Tenant!")))
                .contains("switchboard.tenancy.room-prefix.acme- = 'Not A Tenant!' is not a valid tenant name");
    }

    @Test
    void aMalformedTransferDestination(QuarkusMainLauncher launcher) {
        assertThat(StartupRefusal.of(launcher, Map.of("switchboard.transfer.destinations", "billing=15550199")))
                .contains("switchboard.transfer.destinations (SWITCHBOARD_TRANSFER_DESTINATIONS): the entry 'billing=15550199'");
    }

    @Test
    void aLiveKitUrlOfAnotherScheme(QuarkusMainLauncher launcher) {
        assertThat(StartupRefusal.of(launcher, Map.of("switchboard.livekit.url", "livekit.example.com:7880",
                "switchboard.livekit.api-key", "key", "switchboard.livekit.api-secret", "a-secret-of-at-least-32-characters")))
                .contains("LIVEKIT_URL (switchboard.livekit.url) must start with ws://, wss://, http:// or https://, not 'livekit.example.com:7880'");
    }
}
