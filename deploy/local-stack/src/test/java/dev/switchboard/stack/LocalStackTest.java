package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stack behind ./switchboard up refuses to start on a taken port (EndToEndTest starts it for real). */
class LocalStackTest {

    @Test
    void aPortInUseIsNamedInTheErrorWithWhatHoldsItAndHowToStopIt() throws Exception {
        StackSettings settings = TestStacks.onFreePorts();
        int gatewayPort = settings.services().getFirst().port();
        long self = ProcessHandle.current().pid();
        try (ServerSocket squatter = new ServerSocket(gatewayPort)) {
            assertThatThrownBy(() -> LocalStack.start(settings, Map.of(), new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + gatewayPort + " (context-gateway, SWITCHBOARD_GATEWAY_PORT) is already in use by pid " + self)
                    .hasMessageContaining("which this stack did not start: stop it (kill " + self + ")");
        }
    }
}
