package dev.switchboard.testing.llm;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points a Quarkus test's agent at a {@link FakeLlmServer}; script it with {@link FakeLlmControl}. */
public class FakeLlmResource implements QuarkusTestResourceLifecycleManager {
    public static final String API_KEY = "test-llm-key";
    private FakeLlmServer server;

    @Override
    public Map<String, String> start() {
        server = new FakeLlmServer();
        return Map.of("switchboard.llm.base-url", server.baseUrl(), "switchboard.llm.api-key", API_KEY,
                "switchboard.llm.model", "fake-model");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
