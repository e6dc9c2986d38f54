package dev.switchboard.livekit.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.livekit.ffi.proto.AudioFrameProto;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineLifecycleTest {

    @BeforeAll
    static void engineAvailable() {
        EngineTests.assumeEngineAvailable();
    }

    @Test
    @Order(1) // first in the process: its figures are the cold ones
    void initializesDisposesAndInitializesAgain() {
        long loadStart = System.nanoTime();
        LiveKitEngine first = EngineTests.start();
        long firstStart = System.nanoTime() - loadStart;
        NativeEngineLibrary lib = first.library();
        System.out.printf("[measure] library load %s (%s, %d napi_* imports weakened), livekit_ffi_initialize %s, start() total %s%n",
                EngineTests.millis(lib.loadNanos()), lib.location().origin(), lib.weakenedSymbols().size(),
                EngineTests.millis(first.initializeNanos()), EngineTests.millis(firstStart));
        assertThat(first.isUsable()).isTrue();
        assertThatThrownBy(LiveKitEngine::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
        first.close();
        first.close(); // idempotent
        assertThat(first.isUsable()).isFalse();
        assertThatThrownBy(() -> first.request(FfiRequest.newBuilder().setClearAudioBuffer(
                AudioFrameProto.ClearAudioBufferRequest.newBuilder().setSourceHandle(1)).build()))
                .isInstanceOf(FfiException.EngineUnusable.class)
                .hasMessageContaining("closed");

        // The native engine is process-wide: a second initialize after dispose works.
        try (LiveKitEngine second = EngineTests.start()) {
            System.out.printf("[measure] second livekit_ffi_initialize %s%n", EngineTests.millis(second.initializeNanos()));
            assertThat(second.isUsable()).isTrue();
            assertThat(second.library()).isSameAs(lib);
            EngineTests.assertNoLeaks(second);
        }
    }

    @Test
    @Order(2)
    void aCallbackFromAClosedInstanceCannotCompleteACallOfTheNextOne() throws Exception {
        Room.ConnectOptions slow = Room.ConnectOptions.defaults().withJoinRetries(0).withSignalConnectTimeout(Duration.ofSeconds(5));
        // b's own connect must still be pending when a's callback arrives, which the engine can deliver ~3 s after the
        // old server went away (it tries the signal connection again before it gives up): so b waits longer than that.
        Room.ConnectOptions patient = slow.withSignalConnectTimeout(Duration.ofSeconds(20));
        try (EnginePanicTest.SilentServer oldServer = new EnginePanicTest.SilentServer();
                EnginePanicTest.SilentServer newServer = new EnginePanicTest.SilentServer()) {
            LiveKitEngine a = EngineTests.start();
            CompletableFuture<Room> oldConnect = CompletableFuture.supplyAsync(
                    () -> Room.connect(a, oldServer.url(), "t", slow, Duration.ofSeconds(20)), r -> Thread.ofVirtual().start(r));
            Thread.sleep(300);
            a.close(); // the engine's connect task goes on in the process
            assertThatThrownBy(() -> oldConnect.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(FfiException.EngineUnusable.class);

            try (LiveKitEngine b = EngineTests.start()) {
                CompletableFuture<Room> newConnect = CompletableFuture.supplyAsync(
                        () -> Room.connect(b, newServer.url(), "t", patient, Duration.ofSeconds(30)), r -> Thread.ofVirtual().start(r));
                Thread.sleep(300);
                long orphans = b.stats().orphanCallbacks();
                oldServer.close(); // the old connect fails now, and its callback reaches b
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (b.stats().orphanCallbacks() == orphans && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(b.stats().orphanCallbacks()).isEqualTo(orphans + 1);
                assertThat(newConnect).as("b's own connect is not completed by a's callback").isNotDone();
                newServer.close();
                assertThatThrownBy(() -> newConnect.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(FfiException.OperationFailed.class);
                EngineTests.assertNoLeaks(b);
            }
        }
    }
}
