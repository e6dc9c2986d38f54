package dev.switchboard.livekit.ffi.sfu;

import dev.switchboard.testing.sfu.FakeSfuProcess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.livekit.ffi.LiveKitEngine;
import dev.switchboard.livekit.ffi.Room;
import dev.switchboard.livekit.ffi.RoomEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SFU dies abruptly (as on a libwebrtc abort): the test JVM and the engine survive, the room ends cleanly. */
class FakeSfuCrashTest {

    @Test
    void aCrashedSfuTakesNeitherTheTestJvmNorTheEngineDown() throws Exception {
        try (LiveKitEngine engine = SfuTestSupport.startEngine()) {
            FakeSfuProcess sfu = SfuTestSupport.startSfu("FakeSfuCrashTest-1");
            List<RoomEvent> seen = new ArrayList<>();
            try (sfu) {
                Room room = Room.connect(engine, sfu.url(), sfu.token("agent-crash", "call-crash"), Room.ConnectOptions.defaults(),
                        Duration.ofSeconds(15));
                try {
                    sfu.control().crash();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (sfu.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(sfu.exitCode()).contains(134);
                    long t0 = System.nanoTime();
                    RoomEvent noticed = SfuTestSupport.awaitEvent(room, RoomEvent.class,
                            e -> e instanceof RoomEvent.Reconnecting || e instanceof RoomEvent.Disconnected, Duration.ofSeconds(20), seen);
                    System.out.printf("[measure] after the SFU died the client reported %s in %.0f ms%n", noticed,
                            SfuTestSupport.ms(System.nanoTime() - t0));
                } finally {
                    long t0 = System.nanoTime();
                    room.close();
                    System.out.printf("[measure] closing the room of a dead SFU took %.0f ms; events: %s%n",
                            SfuTestSupport.ms(System.nanoTime() - t0), seen);
                }
                SfuTestSupport.assertNoLeaks(engine);
            }
            try (FakeSfuProcess again = SfuTestSupport.startSfu("FakeSfuCrashTest-2");
                    Room room = Room.connect(engine, again.url(), again.token("agent-again", "call-again"),
                            Room.ConnectOptions.defaults(), Duration.ofSeconds(15))) {
                assertThat(room.name()).isEqualTo("call-again");
            }
            SfuTestSupport.assertNoLeaks(engine);
        }
    }
}
