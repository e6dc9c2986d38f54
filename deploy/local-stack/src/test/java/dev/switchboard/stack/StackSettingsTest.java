package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackSettingsTest {
    private static final Path ROOT = Path.of("/srv/switchboard");

    @Test
    void theDefaultsAreTheStandardPortsAllServicesAndTheDefaultRestartPolicy() {
        StackSettings settings = StackSettings.fromEnvironment(ROOT, Map.of());
        assertThat(settings.stateDirectory()).isEqualTo(ROOT.resolve(".switchboard"));
        assertThat(settings.services()).extracting(StackSettings.ServiceSpec::name)
                .containsExactly("context-gateway", "transcript-service", "call-controller", "agent-worker");
        assertThat(settings.services()).extracting(StackSettings.ServiceSpec::port).containsExactly(8080, 8081, 8082, 8083);
        assertThat(settings.restarts()).isEqualTo(RestartPolicy.DEFAULT);
        assertThat(settings.pidFile(settings.services().get(1))).isEqualTo(ROOT.resolve(".switchboard/transcript-service.pid"));
    }

    @Test
    void servicesStateDirectoryAndRestartLimitComeFromTheEnvironment() {
        StackSettings settings = StackSettings.fromEnvironment(ROOT, Map.of("SWITCHBOARD_SERVICES", " agent-worker, context-gateway ",
                "SWITCHBOARD_STATE_DIR", "/tmp/stack-state", "SWITCHBOARD_RESTART_LIMIT", "0", "SWITCHBOARD_WORKER_PORT", "9083"));
        assertThat(settings.services()).extracting(StackSettings.ServiceSpec::name).containsExactly("context-gateway", "agent-worker");
        assertThat(settings.services().get(1).port()).isEqualTo(9083);
        assertThat(settings.stateDirectory()).isEqualTo(Path.of("/tmp/stack-state"));
        assertThat(settings.restarts().limit()).isZero();
        assertThat(settings.shown(settings.logs())).isEqualTo("/tmp/stack-state/logs");
        assertThat(StackSettings.fromEnvironment(ROOT, Map.of()).shown(ROOT.resolve(".switchboard/logs"))).isEqualTo(".switchboard/logs");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(ROOT, Map.of("SWITCHBOARD_SERVICES", "gateway")))
                .isInstanceOf(StackException.class)
                .hasMessage("SWITCHBOARD_SERVICES=gateway names unknown gateway; choose from context-gateway,transcript-service,call-controller,agent-worker");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(ROOT, Map.of("SWITCHBOARD_RESTART_LIMIT", "-1")))
                .isInstanceOf(StackException.class).hasMessage("SWITCHBOARD_RESTART_LIMIT=-1 is not a count (0 or more)");
    }
}
