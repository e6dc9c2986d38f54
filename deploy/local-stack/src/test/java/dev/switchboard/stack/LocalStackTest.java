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
    void aPortInUseIsNamedInTheError() throws Exception {
        StackSettings settings = TestStacks.onFreePorts();
        int gatewayPort = settings.services().getFirst().port();
        try (ServerSocket squatter = new ServerSocket(gatewayPort)) {
            assertThatThrownBy(() -> LocalStack.start(settings, Map.of(), new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + gatewayPort + " (context-gateway) is already in use");
        }
    }
}
