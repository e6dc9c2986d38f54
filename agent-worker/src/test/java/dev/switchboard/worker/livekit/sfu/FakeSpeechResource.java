package dev.switchboard.worker.livekit.sfu;

import dev.switchboard.testing.speech.FakeDeepgramServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the worker's voice pipeline at a fake Deepgram (recognition and synthesis over its real WebSocket protocols). */
public class FakeSpeechResource implements QuarkusTestResourceLifecycleManager {
    static final String CALLER_SAYS = "Where is my order?";
    private FakeDeepgramServer deepgram;

    @Override
    public Map<String, String> start() {
        try {
            deepgram = new FakeDeepgramServer("dg-call-test", CALLER_SAYS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("switchboard.speech.deepgram.api-key", "dg-call-test",
                "switchboard.speech.deepgram.base-url", deepgram.baseUrl());
    }

    @Override
    public void stop() {
        if (deepgram != null) {
            deepgram.close();
        }
    }
}
