package dev.switchboard.livekit.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.livekit.ffi.proto.AudioFrameProto;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The binding's contract against the real engine. One engine for the class; no handle may leak from a test. */
@Order(3)
class EngineConformanceTest {

    private static LiveKitEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = EngineTests.start();
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void noLeakedHandles() {
        if (engine != null) {
            EngineTests.assertNoLeaks(engine);
        }
    }

    @Test
    void aRequestWithAnInvalidHandleIsACleanError() throws Exception {
        assertThatThrownBy(() -> engine.request(clearAudioBuffer(987_654_321L)))
                .isInstanceOf(FfiException.Rejected.class)
                .hasMessageContaining("clear_audio_buffer");
        // a handle of the wrong type: an audio source is not a track
        try (AudioSource source = AudioSource.create(engine, 16_000, 1, 100)) {
            assertThatThrownBy(() -> engine.request(FfiRequest.newBuilder().setNewAudioStream(
                    AudioFrameProto.NewAudioStreamRequest.newBuilder().setTrackHandle(source.handle().id())
                            .setType(AudioFrameProto.AudioStreamType.AUDIO_STREAM_NATIVE)).build()))
                    .isInstanceOf(FfiException.Rejected.class);
            // the engine goes on: a valid request on the same source works
            engine.request(clearAudioBuffer(source.handle().id()));
        }
        assertThat(engine.isUsable()).isTrue();
        // the engine says why in its log (batched, flushed every second)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && engine.recentEngineWarnings().stream()
                .noneMatch(r -> r.message().contains("handle not found"))) {
            Thread.sleep(50);
        }
        assertThat(engine.recentEngineWarnings()).anyMatch(r -> r.message().contains("handle not found"));
    }

    @Test
    void doubleCloseIsHarmless() {
        AudioSource source = AudioSource.create(engine, 48_000, 1, 100);
        LocalAudioTrack track = LocalAudioTrack.create(engine, "double-close", source);
        assertThat(engine.openHandles()).hasSize(2);
        track.close();
        track.close();
        source.close();
        source.close();
        assertThat(track.handle().isClosed()).isTrue();
        assertThatThrownBy(() -> track.handle().id()).isInstanceOf(IllegalStateException.class);
        assertThat(engine.openHandles()).isEmpty();
        // dropping an id the engine no longer knows is reported, not fatal
        assertThat(engine.dropRaw(track.handle().rawId(), "track")).isFalse();
    }

    @Test
    void argumentsThatWouldAbortTheEngineAreRefusedInJava() {
        // NativeAudioSource asserts queue_size_ms % 10 == 0, and the engine is built with panic=abort:
        // such a request would end the JVM, so the binding refuses it first.
        assertThatThrownBy(() -> AudioSource.create(engine, 48_000, 1, 15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioSource.create(engine, 44_101, 1, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectingToAClosedPortFailsQuicklyWithTheConnectCallbackError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Room.connect(engine, "ws://127.0.0.1:" + port, "not-a-token",
                Room.ConnectOptions.defaults().withJoinRetries(0), Duration.ofSeconds(20)))
                .isInstanceOf(FfiException.OperationFailed.class)
                .hasMessageStartingWith("connect failed:")
                .satisfies(e -> System.out.println("[measure] closed port -> " + e.getMessage()));
        long took = System.nanoTime() - t0;
        System.out.printf("[measure] connect to a closed port failed in %s%n", EngineTests.millis(took));
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void concurrentRequestsFromManyVirtualThreadsEachGetTheirOwnReplies() throws Exception {
        int threads = 64;
        int capturesEach = 5;
        Set<Long> sourceHandles = ConcurrentHashMap.newKeySet();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    List<Long> asyncIds = new ArrayList<>();
                    try (AudioSource source = AudioSource.create(engine, 16_000, 1, 1000)) {
                        sourceHandles.add(source.handle().id());
                        short[] pcm = new short[160];
                        Arrays.fill(pcm, (short) seed);
                        for (int i = 0; i < capturesEach; i++) {
                            // the raw async API: our id goes out, the callback must carry it back
                            long sourceHandle = source.handle().id();
                            try (Arena arena = Arena.ofConfined()) {
                                MemorySegment data = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_SHORT, pcm);
                                long[] sent = new long[1];
                                AudioFrameProto.CaptureAudioFrameCallback cb = engine.call("capture",
                                        id -> {
                                            sent[0] = id;
                                            return FfiRequest.newBuilder().setCaptureAudioFrame(
                                                    AudioFrameProto.CaptureAudioFrameRequest.newBuilder()
                                                            .setSourceHandle(sourceHandle).setRequestAsyncId(id)
                                                            .setBuffer(AudioFrameProto.AudioFrameBufferInfo.newBuilder()
                                                                    .setDataPtr(data.address()).setNumChannels(1)
                                                                    .setSampleRate(16_000).setSamplesPerChannel(160)))
                                                    .build();
                                        },
                                        ev -> ev.getCaptureAudioFrame(), Duration.ofSeconds(10));
                                assertThat(cb.hasError()).as(cb.getError()).isFalse();
                                assertThat(cb.getAsyncId()).isEqualTo(sent[0]);
                                asyncIds.add(cb.getAsyncId());
                            }
                        }
                    }
                    return asyncIds;
                }));
            }
            Set<Long> allIds = ConcurrentHashMap.newKeySet();
            for (Future<List<Long>> f : results) {
                List<Long> ids = f.get(60, TimeUnit.SECONDS);
                assertThat(ids).hasSize(capturesEach);
                allIds.addAll(ids);
            }
            assertThat(allIds).hasSize(threads * capturesEach);
        }
        System.out.printf("[measure] %d virtual threads x (new source + %d async captures + close): %s%n",
                threads, capturesEach, EngineTests.millis(System.nanoTime() - t0));
        assertThat(sourceHandles).hasSize(threads);
        assertThat(engine.stats().orphanCallbacks()).isZero();
        System.out.printf("[measure] callbacks that arrived before livekit_ffi_request returned: %d of %d requests so far%n",
                engine.stats().callbacksBeforeRequestReturned(), engine.stats().requests());
    }

    @Test
    void requestLatency() {
        try (AudioSource source = AudioSource.create(engine, 16_000, 1, 100)) {
            FfiRequest req = clearAudioBuffer(source.handle().id());
            for (int i = 0; i < 2_000; i++) {
                engine.request(req);
            }
            int n = 20_000;
            long[] samples = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                engine.request(req);
                samples[i] = System.nanoTime() - t0;
            }
            Arrays.sort(samples);
            System.out.printf("[measure] sync request round trip (ClearAudioBuffer, %d): p50 %s, p90 %s, p99 %s%n", n,
                    EngineTests.micros(samples[n / 2]), EngineTests.micros(samples[n * 9 / 10]), EngineTests.micros(samples[n * 99 / 100]));
            assertThat(samples[n / 2]).isLessThan(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void garbageFromTheCallbackDoesNotStopTheDispatcher() throws Exception {
        long errorsBefore = engine.stats().dispatchErrors();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment junk = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
            LiveKitEngine.onNativeEvent(junk, junk.byteSize()); // through the real upcall entry point
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (engine.stats().dispatchErrors() == errorsBefore && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(engine.stats().dispatchErrors()).isEqualTo(errorsBefore + 1);
        // and async calls still complete
        try (AudioSource source = AudioSource.create(engine, 16_000, 1, 100)) {
            source.captureFrame(new short[160], 160);
        }
        assertThat(engine.isUsable()).isTrue();
    }

    private static FfiRequest clearAudioBuffer(long handle) {
        return FfiRequest.newBuilder().setClearAudioBuffer(
                AudioFrameProto.ClearAudioBufferRequest.newBuilder().setSourceHandle(handle)).build();
    }
}
