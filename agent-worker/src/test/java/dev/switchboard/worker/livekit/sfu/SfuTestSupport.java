package dev.switchboard.worker.livekit.sfu;

import dev.switchboard.testing.sfu.FakeSfuProcess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.worker.livekit.ffi.LiveKitEngine;
import dev.switchboard.worker.livekit.ffi.NativeEngineLibrary;
import dev.switchboard.worker.livekit.ffi.Room;
import dev.switchboard.worker.livekit.ffi.RoomEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/** Shared by the tests that drive the real LiveKit engine against the fake SFU. */
final class SfuTestSupport {

    private SfuTestSupport() {
    }

    static FakeSfuProcess startSfu(String name) throws IOException {
        return FakeSfuProcess.start(FakeSfuProcess.Options.defaults()
                .withLogFile(Path.of("target", "fake-sfu-logs", name + ".log")));
    }

    /**
     * The real engine; without one (a developer machine without npm) the test is skipped with the build's
     * explanation, except in CI (CI=true), where it must run.
     */
    static LiveKitEngine startEngine() {
        if (!NativeEngineLibrary.isConfigured()) {
            String why = NativeEngineLibrary.buildMarker().orElse("no engine configured");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must run the LiveKit engine tests, but the engine is unavailable:\n" + why);
            }
            Assumptions.abort("LiveKit engine unavailable: " + why);
        }
        return LiveKitEngine.start(LiveKitEngine.Options.defaults().withTrackHandleOrigins(true)
                .withMinEngineLogLevel(System.Logger.Level.WARNING));
    }

    /** For tests of the worker's LiveKit path: its runner must be usable (skipped outside CI without an engine). */
    static void requireEngine(java.util.Optional<String> unavailable) {
        if (unavailable.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI")) || NativeEngineLibrary.isConfigured()) {
            throw new AssertionError("the worker cannot take LiveKit calls: " + unavailable.get());
        }
        Assumptions.abort("LiveKit engine unavailable: " + unavailable.get());
    }

    static void assertNoLeaks(LiveKitEngine engine) {
        assertThat(engine.openHandles())
                .as(() -> "leaked handles:\n" + engine.openHandles().stream().map(i -> i + (i.origin() == null ? ""
                        : " " + java.util.Arrays.stream(i.origin().getStackTrace()).filter(e -> e.getClassName().startsWith("dev.switchboard"))
                                .map(e -> "\n    at " + e).collect(Collectors.joining())))
                        .collect(Collectors.joining("\n")))
                .isEmpty();
        assertThat(engine.stats().pendingCalls()).as("pending calls").isZero();
    }

    /** Waits for the first event matching {@code match}; the events skipped on the way are returned in {@code seen}. */
    static <T extends RoomEvent> T awaitEvent(Room room, Class<T> type, Predicate<T> match, Duration timeout, List<RoomEvent> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeout + "; events seen: " + seen);
            }
            RoomEvent ev = room.nextEvent(Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos())));
            if (ev == null) {
                continue;
            }
            seen.add(ev);
            if (type.isInstance(ev) && match.test(type.cast(ev))) {
                return type.cast(ev);
            }
        }
    }

    static <T extends RoomEvent> T awaitEvent(Room room, Class<T> type, Duration timeout) throws InterruptedException {
        return awaitEvent(room, type, e -> true, timeout, new ArrayList<>());
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
