package dev.switchboard.livekit.ffi.sfu;

import dev.switchboard.testing.sfu.FakeSfuProcess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.livekit.ffi.LiveKitEngine;
import dev.switchboard.livekit.ffi.NativeEngineLibrary;
import dev.switchboard.livekit.ffi.Room;
import dev.switchboard.livekit.ffi.RoomEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared by the tests that drive the real LiveKit engine against the fake SFU: these, and the agent worker's (this
 * module's test jar).
 */
public final class SfuTestSupport {

    private SfuTestSupport() {
    }

    public static FakeSfuProcess startSfu(String name) throws IOException {
        return FakeSfuProcess.start(FakeSfuProcess.Options.defaults()
                .withLogFile(Path.of("target", "fake-sfu-logs", name + ".log")));
    }

    /**
     * The real engine; without one (a developer machine without npm) the test is skipped with the build's
     * explanation, except in CI (CI=true), where it must run.
     */
    public static LiveKitEngine startEngine() {
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

    public static void assertNoLeaks(LiveKitEngine engine) {
        assertThat(engine.openHandles())
                .as(() -> "leaked handles:\n" + engine.openHandles().stream().map(i -> i + (i.origin() == null ? ""
                        : " " + java.util.Arrays.stream(i.origin().getStackTrace()).filter(e -> e.getClassName().startsWith("dev.switchboard"))
                                .map(e -> "\n    at " + e).collect(Collectors.joining())))
                        .collect(Collectors.joining("\n")))
                .isEmpty();
        assertThat(engine.stats().pendingCalls()).as("pending calls").isZero();
    }

    /** Waits for the first event matching {@code match}; the events skipped on the way are returned in {@code seen}. */
    public static <T extends RoomEvent> T awaitEvent(Room room, Class<T> type, Predicate<T> match, Duration timeout, List<RoomEvent> seen)
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

    public static <T extends RoomEvent> T awaitEvent(Room room, Class<T> type, Duration timeout) throws InterruptedException {
        return awaitEvent(room, type, e -> true, timeout, new ArrayList<>());
    }

    public static double ms(long nanos) {
        return nanos / 1e6;
    }
}
