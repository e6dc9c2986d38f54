package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceProcessTest {

    @Test
    void anExitByASignalIsNamed() {
        assertThat(ServiceProcess.describeExit(137)).isEqualTo("exited with code 137 (killed by SIGKILL)");
        assertThat(ServiceProcess.describeExit(143)).isEqualTo("exited with code 143 (killed by SIGTERM)");
        assertThat(ServiceProcess.describeExit(134)).isEqualTo("exited with code 134 (killed by SIGABRT)");
        assertThat(ServiceProcess.describeExit(1)).isEqualTo("exited with code 1");
        assertThat(ServiceProcess.describeExit(0)).isEqualTo("exited with code 0");
    }
}
