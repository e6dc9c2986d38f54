package dev.switchboard.infra;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void portsPickedOneAfterTheOtherAreDistinctAndFree() throws Exception {
        Set<Integer> picked = new HashSet<>();
        IntStream.range(0, 300).forEach(i -> assertThat(picked.add(FreePorts.pick())).as("pick %d is new", i).isTrue());
        int port = FreePorts.pick();
        assertThat(FreePorts.inUse(port)).isFalse();
        try (ServerSocket bound = new ServerSocket(port)) {
            assertThat(FreePorts.inUse(bound.getLocalPort())).isTrue();
        }
    }
}
