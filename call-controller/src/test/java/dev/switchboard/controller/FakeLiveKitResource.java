package dev.switchboard.controller;

import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Points the controller at a {@link FakeLiveKitServer} (ws:// URL, as LIVEKIT_URL usually is) and hands it to the test. */
public class FakeLiveKitResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test's {@link FakeLiveKitServer} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakeLiveKit {
    }

    private FakeLiveKitServer server;

    @Override
    public Map<String, String> start() {
        server = new FakeLiveKitServer();
        return Map.of(
                "switchboard.livekit.url", server.wsUrl(),
                "switchboard.livekit.api-key", server.apiKey(),
                "switchboard.livekit.api-secret", server.apiSecret());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectFakeLiveKit.class, FakeLiveKitServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
