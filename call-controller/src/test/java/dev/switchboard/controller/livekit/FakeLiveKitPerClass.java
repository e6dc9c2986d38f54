package dev.switchboard.controller.livekit;

import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Clock;
import java.time.Duration;

/**
 * One fake LiveKit server API for a test class, started before its first test, cleared (rooms, scripted outcomes,
 * recorded requests, faults) before each, and closed after the last:
 * {@code @RegisterExtension static final FakeLiveKitPerClass LIVEKIT = new FakeLiveKitPerClass();}
 */
public final class FakeLiveKitPerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private FakeLiveKitServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new FakeLiveKitServer();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.reset();
        server.media(null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public FakeLiveKitServer server() {
        return server;
    }

    /** The controller's LiveKit client for the fake, signing with {@code secret}. */
    public LiveKitApi connect(String secret, Duration timeout, MeterRegistry metrics) {
        return LiveKitApi.connect(LiveKitUrl.apiBase(server.wsUrl()), server.apiKey(), secret, timeout, metrics, Clock.systemUTC());
    }
}
