package dev.switchboard.controller;

import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Points the controller at a {@link FakeLiveKitServer} (ws:// URL, as LIVEKIT_URL usually is), with the fake's
 * outbound trunk, a caller id and an agent name for dials, and hands the fake to the test.
 */
public class FakeLiveKitResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test's {@link FakeLiveKitServer} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakeLiveKit {
    }

    public static final String FROM_NUMBER = "+15550000000";
    public static final String AGENT_NAME = "switchboard-test-agent";

    private FakeLiveKitServer server;

    @Override
    public Map<String, String> start() {
        server = new FakeLiveKitServer();
        return Map.of(
                "switchboard.livekit.url", server.wsUrl(),
                "switchboard.livekit.api-key", server.apiKey(),
                "switchboard.livekit.api-secret", server.apiSecret(),
                "switchboard.livekit.agent-name", AGENT_NAME,
                "switchboard.sip.outbound-trunk", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK,
                "switchboard.sip.from-number", FROM_NUMBER);
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
