package dev.switchboard.livekit.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/** Shared by the tests that need the real engine. */
final class EngineTests {

    private EngineTests() {
    }

    /**
     * On a developer machine without npm the build bundles no engine: these tests are skipped with the build's
     * explanation. In CI (CI=true) the engine must be there, so a missing one fails instead of being skipped.
     */
    static void assumeEngineAvailable() {
        if (!NativeEngineLibrary.isConfigured()) {
            String why = NativeEngineLibrary.buildMarker().orElse("no engine configured");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must run the native engine tests, but the engine is unavailable:\n" + why);
            }
            System.out.println("[livekit-ffi] SKIPPING native engine tests:\n" + why);
            Assumptions.abort("LiveKit engine unavailable: " + why);
        }
    }

    static LiveKitEngine start() {
        assumeEngineAvailable();
        return LiveKitEngine.start(LiveKitEngine.Options.defaults().withTrackHandleOrigins(true));
    }

    static void assertNoLeaks(LiveKitEngine engine) {
        assertThat(engine.openHandles())
                .as(() -> "leaked handles:\n" + engine.openHandles().stream()
                        .map(i -> i + (i.origin() == null ? "" : " " + stack(i.origin())))
                        .collect(Collectors.joining("\n")))
                .isEmpty();
        assertThat(engine.stats().pendingCalls()).as("pending calls").isZero();
    }

    private static String stack(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("dev.switchboard")) {
                b.append("\n    at ").append(e);
            }
        }
        return b.toString();
    }

    static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1000.0);
    }

    static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
