package dev.switchboard.livekit.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.livekit.ffi.proto.FfiProto;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A Panic event fails everything pending and makes the instance unusable. The engine is built with
 * panic=abort, so a real Rust panic ends the process; the Panic events that do arrive come from the
 * engine's own checks (e.g. no ReadyForRoomEvent within 15 s of a ConnectCallback), which need a server.
 * The event is therefore injected through the real upcall entry point.
 */
@Order(4)
class EnginePanicTest {

    /** Accepts TCP connections and never answers: a signal connection that hangs. */
    static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (IOException ignored) {
                }
            });
        }

        String url() {
            return "ws://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aPanicFailsPendingCallsEndsStreamsAndMakesTheEngineUnusable() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        LiveKitEngine engine;
        EngineTests.assumeEngineAvailable();
        engine = LiveKitEngine.start(LiveKitEngine.Options.defaults().withTrackHandleOrigins(true).withOnPanic(reported::add));
        try (SilentServer server = new SilentServer()) {
            AudioSource source = AudioSource.create(engine, 16_000, 1, 100);
            LocalAudioTrack track = LocalAudioTrack.create(engine, "panic", source);
            AudioStream stream = AudioStream.fromTrack(engine, track, 16_000, 1, AudioStream.Options.defaults());

            CompletableFuture<Room> connect = CompletableFuture.supplyAsync(() -> Room.connect(engine, server.url(), "token",
                    Room.ConnectOptions.defaults().withJoinRetries(0).withSignalConnectTimeout(Duration.ofSeconds(5)),
                    Duration.ofSeconds(20)), r -> Thread.ofVirtual().start(r));
            Thread.sleep(300);
            assertThat(connect).isNotDone();

            long t0 = System.nanoTime();
            inject(FfiProto.FfiEvent.newBuilder().setPanic(FfiProto.Panic.newBuilder().setMessage("test panic")).build());

            assertThatThrownBy(() -> connect.get(2, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(FfiException.EngineUnusable.class)
                    .cause().hasMessageContaining("test panic");
            System.out.printf("[measure] pending connect failed %s after the panic%n", EngineTests.millis(System.nanoTime() - t0));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (reported.isEmpty() && System.nanoTime() < until) { // the listener runs after pending calls fail
                Thread.sleep(10);
            }
            assertThat(reported).containsExactly("test panic");
            assertThat(engine.isUsable()).isFalse();
            assertThat(engine.panicMessage()).contains("test panic");
            assertThatThrownBy(() -> AudioSource.create(engine, 16_000, 1, 100))
                    .isInstanceOf(FfiException.EngineUnusable.class).hasMessageContaining("panic");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!stream.isEnded() && System.nanoTime() < deadline) {
                stream.read(Duration.ofMillis(50));
            }
            assertThat(stream.isEnded()).isTrue();
            assertThat(stream.failure()).isEqualTo("test panic");

            // handles can still be released, and the engine closed
            stream.close();
            track.close();
            source.close();
            EngineTests.assertNoLeaks(engine);
        } finally {
            engine.close();
        }
        // A supervisor may start a fresh instance in the same process (the process-per-job design recycles instead).
        try (LiveKitEngine again = EngineTests.start()) {
            assertThat(again.isUsable()).isTrue();
            try (AudioSource s = AudioSource.create(again, 16_000, 1, 100)) {
                s.captureFrame(new short[160], 160);
            }
            EngineTests.assertNoLeaks(again);
        }
    }

    @Test
    void aConnectAbandonedOnTimeoutIsCleanedUpWhenItsCallbackComes() throws Exception {
        try (LiveKitEngine engine = EngineTests.start(); SilentServer server = new SilentServer()) {
            long orphansBefore = engine.stats().orphanCallbacks();
            assertThatThrownBy(() -> Room.connect(engine, server.url(), "token",
                    Room.ConnectOptions.defaults().withJoinRetries(0).withSignalConnectTimeout(Duration.ofSeconds(1)),
                    Duration.ofMillis(200)))
                    .isInstanceOf(FfiException.Timeout.class);
            assertThat(engine.stats().pendingCalls()).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (engine.stats().orphanCallbacks() == orphansBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(engine.stats().orphanCallbacks()).as("the late ConnectCallback was swept").isEqualTo(orphansBefore + 1);
            EngineTests.assertNoLeaks(engine);
        }
    }

    private static void inject(FfiProto.FfiEvent event) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, event.toByteArray());
            LiveKitEngine.onNativeEvent(bytes, bytes.byteSize());
        }
    }
}
