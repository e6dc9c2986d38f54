package dev.switchboard.worker.voice.stt;

import dev.switchboard.worker.concurrent.WorkerThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.worker.voice.audio.MonoAudio;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Deepgram's streaming recognition ({@code wss://api.deepgram.com/v1/listen}): linear16 audio out, JSON
 * {@code Results} in, with interim results and endpointing. When the VAD hears the caller stop, the stream is
 * asked to {@code Finalize} so the last words come back without waiting for Deepgram's own endpointing.
 */
public final class DeepgramStreaming implements SpeechToText {
    private static final Logger LOG = Logger.getLogger(DeepgramStreaming.class);

    /**
     * @param baseUrl     wss://api.deepgram.com (tests point it elsewhere)
     * @param endpointing milliseconds of silence after which Deepgram marks speech_final
     */
    public record Settings(URI baseUrl, String apiKey, String model, String language, int endpointing, boolean interimResults) {
    }

    private final Settings settings;
    private final HttpClient http = WorkerThreads.httpClient("deepgram-stt-http").build();
    private final ObjectMapper json = new ObjectMapper();

    public DeepgramStreaming(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String describe() {
        return "deepgram:" + settings.model();
    }

    URI listenUri() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("model", settings.model());
        query.put("language", settings.language());
        query.put("encoding", "linear16");
        query.put("sample_rate", "16000");
        query.put("channels", "1");
        query.put("interim_results", Boolean.toString(settings.interimResults()));
        query.put("endpointing", Integer.toString(settings.endpointing()));
        query.put("smart_format", "true");
        query.put("punctuate", "true");
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/v1/listen?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    @Override
    public Stream open(Listener listener) {
        var stream = new DeepgramStream(listener);
        WebSocket socket = http.newWebSocketBuilder()
                .header("Authorization", "Token " + settings.apiKey())
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(listenUri(), stream)
                .orTimeout(15, TimeUnit.SECONDS)
                .join();
        stream.connected(socket);
        return stream;
    }

    private final class DeepgramStream implements Stream, WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder text = new StringBuilder();
        private volatile WebSocket socket;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        private volatile boolean closed;

        DeepgramStream(Listener listener) {
            this.listener = listener;
        }

        void connected(WebSocket socket) {
            this.socket = socket;
        }

        @Override
        public void push(MonoAudio frame) {
            if (frame.sampleRate() != 16_000) {
                throw new IllegalArgumentException("Deepgram is fed 16 kHz audio, got " + frame.sampleRate());
            }
            send(ws -> ws.sendBinary(ByteBuffer.wrap(frame.toLittleEndianBytes()), true));
        }

        @Override
        public void speechStarted() {
            // Deepgram finds speech in the audio itself.
        }

        @Override
        public void speechEnded() {
            send(ws -> ws.sendText("{\"type\":\"Finalize\"}", true));
        }

        /** The JDK WebSocket allows one outstanding send: chain them. */
        private synchronized void send(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> action) {
            WebSocket ws = socket;
            if (ws == null || closed) {
                return;
            }
            sending = sending.thenCompose(x -> action.apply(ws)).exceptionally(e -> {
                if (!closed) {
                    listener.failed(e);
                }
                return null;
            });
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    handle(json.readTree(message));
                } catch (Exception e) {
                    LOG.warnf("ignoring an unreadable Deepgram message: %s", e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        private void handle(JsonNode message) {
            if (!"Results".equals(message.path("type").asText())) {
                return; // Metadata, SpeechStarted, UtteranceEnd
            }
            JsonNode best = message.path("channel").path("alternatives").path(0);
            String transcript = best.path("transcript").asText("").strip();
            if (transcript.isEmpty()) {
                return;
            }
            float confidence = (float) best.path("confidence").asDouble(0);
            if (!message.path("is_final").asBoolean(false)) {
                listener.interim(transcript, confidence);
                return;
            }
            long startMs = Math.round(message.path("start").asDouble(0) * 1000);
            long endMs = startMs + Math.round(message.path("duration").asDouble(0) * 1000);
            JsonNode languages = best.path("languages");
            String language = languages.isArray() && !languages.isEmpty() ? languages.get(0).asText() : settings.language();
            listener.finalResult(new Result(transcript, confidence, language, startMs, endMs, message.path("speech_final").asBoolean(false)));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!closed && statusCode != WebSocket.NORMAL_CLOSURE) {
                listener.failed(new IllegalStateException("Deepgram closed the stream: " + statusCode + " " + reason));
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!closed) {
                listener.failed(error);
            }
        }

        @Override
        public void close() {
            send(ws -> ws.sendText("{\"type\":\"CloseStream\"}", true));
            closed = true;
            WebSocket ws = socket;
            if (ws != null) {
                sending.orTimeout(2, TimeUnit.SECONDS).whenComplete((x, e) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
            }
        }
    }
}
