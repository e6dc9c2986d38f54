package dev.switchboard.worker.livekit.sfu;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.speech.FakeDeepgramServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Points the worker's voice pipeline at a fake Deepgram (recognition and synthesis over its real WebSocket protocols).
 * What the caller is heard to say is {@link #CALLER_SAYS}, unless a test queues another text ({@link #nextHeard}) for
 * the next utterance; it does so over a small HTTP endpoint, since a test resource and the test may not share classes.
 */
public class FakeSpeechResource implements QuarkusTestResourceLifecycleManager {
    static final String CALLER_SAYS = "Where is my order?";
    private static final String CONTROL_URL = "fake-deepgram.control-url";
    private FakeDeepgramServer deepgram;
    private HttpServer control;

    @Override
    public Map<String, String> start() {
        try {
            deepgram = new FakeDeepgramServer("dg-call-test", CALLER_SAYS);
            control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            control.createContext("/transcripts", exchange -> {
                try (exchange) {
                    deepgram.queueTranscript(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            control.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("switchboard.speech.deepgram.api-key", "dg-call-test",
                "switchboard.speech.deepgram.base-url", deepgram.baseUrl(),
                CONTROL_URL, "http://127.0.0.1:" + control.getAddress().getPort());
    }

    /** The next utterance the caller speaks is recognized as this text (then {@link #CALLER_SAYS} again). */
    static void nextHeard(String text) throws IOException, InterruptedException {
        String url = ConfigProvider.getConfig().getValue(CONTROL_URL, String.class);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/transcripts"))
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("the fake Deepgram did not queue the transcript: HTTP " + response.statusCode());
            }
        }
    }

    @Override
    public void stop() {
        if (control != null) {
            control.stop(0);
        }
        if (deepgram != null) {
            deepgram.close();
        }
    }
}
