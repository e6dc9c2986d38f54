package dev.switchboard.worker.session;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerIdentityTest {
    private static final String BROADCAST = "switchboard.session-commands";

    @Test
    void aCommandTopicThatIsNeitherTheBroadcastTopicNorAWorkersOwnStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> new WorkerIdentity("w1", "commands", BROADCAST))
                .isInstanceOf(ConfigurationException.class) // printed by Quarkus as its message alone
                .hasMessageStartingWith("switchboard.worker.command-topic (SWITCHBOARD_WORKER_COMMAND_TOPIC) = 'commands' is neither"
                        + " the broadcast topic (switchboard.session-commands)");
    }

    @Test
    void theBroadcastTopicOrAWorkersOwnIsTaken() {
        assertThat(new WorkerIdentity("w1", BROADCAST, BROADCAST).ownCommandTopic()).isEmpty();
        assertThat(new WorkerIdentity("w1", BROADCAST + ".worker.w1", BROADCAST).ownCommandTopic()).contains(BROADCAST + ".worker.w1");
    }
}
