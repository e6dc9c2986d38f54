package dev.switchboard.worker.voice.tts;

import dev.switchboard.worker.concurrent.WorkerThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.worker.voice.audio.MonoAudio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deepgram's streaming text to speech ({@code wss://api.deepgram.com/v1/speak}): each sentence is sent as
 * {@code Speak} followed by {@code Flush}, so the {@code Flushed} answers mark where one sentence's audio ends
 * and the next begins. Audio arrives as binary linear16 at the requested rate.
 */
public final class DeepgramSpeech implements TextToSpeech {

    public record Settings(URI baseUrl, String apiKey, String model, int outputRate) {
    }

    private final Settings settings;
    private final HttpClient http = WorkerThreads.httpClient("deepgram-tts-http").build();
    private final ObjectMapper json = new ObjectMapper();

    public DeepgramSpeech(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String describe() {
        return "deepgram-speech:" + settings.model();
    }

    @Override
    public int sampleRate() {
        return settings.outputRate();
    }

    URI speakUri() {
        return URI.create(settings.baseUrl().toString().replaceAll("/+$", "") + "/v1/speak?model=" + settings.model()
                + "&encoding=linear16&sample_rate=" + settings.outputRate());
    }

    @Override
    public Utterance open(AudioSink sink) {
        var utterance = new SpeakUtterance(sink);
        WebSocket socket = http.newWebSocketBuilder()
                .header("Authorization", "Token " + settings.apiKey())
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(speakUri(), utterance)
                .orTimeout(15, TimeUnit.SECONDS)
                .join();
        utterance.connected(socket);
        return utterance;
    }

    private final class SpeakUtterance implements Utterance, WebSocket.Listener {
        private final AudioSink sink;
        private final AtomicInteger said = new AtomicInteger();
        private final AtomicInteger flushed = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private volatile WebSocket socket;
        private volatile boolean finished;
        private volatile boolean cancelled;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        SpeakUtterance(AudioSink sink) {
            this.sink = sink;
        }

        void connected(WebSocket socket) {
            this.socket = socket;
        }

        @Override
        public int say(String sentence) {
            int index = said.getAndIncrement();
            try {
                sendText(json.writeValueAsString(Map.of("type", "Speak", "text", sentence)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            sendText("{\"type\":\"Flush\"}");
            return index;
        }

        @Override
        public void finish() {
            finished = true;
            completeWhenAllFlushed();
        }

        @Override
        public void cancel() {
            cancelled = true;
            sendText("{\"type\":\"Clear\"}");
            close();
            done.complete(null);
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        private synchronized void sendText(String message) {
            WebSocket ws = socket;
            if (ws == null) {
                return;
            }
            sending = sending.thenCompose(x -> ws.sendText(message, true)).exceptionally(e -> {
                done.completeExceptionally(e);
                return null;
            });
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining() - data.remaining() % 2];
            data.get(bytes);
            if (!cancelled && bytes.length > 0) {
                sink.accept(flushed.get(), MonoAudio.fromLittleEndianBytes(bytes, 0, bytes.length, settings.outputRate()));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(text.toString());
                    if ("Flushed".equals(message.path("type").asText())) {
                        flushed.incrementAndGet();
                        completeWhenAllFlushed();
                    } else if ("Error".equals(message.path("type").asText()) || message.has("err_code")) {
                        done.completeExceptionally(new IllegalStateException("Deepgram speech error: " + message));
                    }
                } catch (Exception e) {
                    // not JSON: ignore
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void completeWhenAllFlushed() {
            if (finished && flushed.get() >= said.get() && !done.isDone()) {
                done.complete(null);
                close();
            }
        }

        private void close() {
            WebSocket ws = socket;
            if (ws != null && !ws.isOutputClosed()) {
                sendText("{\"type\":\"Close\"}");
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!done.isDone()) {
                done.completeExceptionally(new IllegalStateException("Deepgram closed the speech stream: " + statusCode + " " + reason));
            }
            return null;
        }
    }
}
