package dev.switchboard.worker.voice.tts;

import dev.switchboard.worker.concurrent.WorkerThreads;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.audio.Resampler;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Text to speech through an OpenAI-compatible {@code POST /audio/speech} with {@code response_format: pcm}: raw
 * 24 kHz 16-bit mono audio, read as it streams and resampled to the pipeline's rate. Sentences are synthesized
 * one after the other (the previous sentence's audio is still playing meanwhile), so they arrive in order.
 */
public final class OpenAiSpeech implements TextToSpeech {
    /** OpenAI's PCM format: 24 kHz, 16-bit little-endian, mono. */
    static final int SOURCE_RATE = 24_000;
    private static final String END = "\u0000end";

    public record Settings(URI endpoint, Optional<String> apiKey, String model, String voice, int outputRate, Duration timeout) {
        public static URI speechEndpoint(URI baseUrl) {
            String url = baseUrl.toString();
            return url.contains("/audio/speech") ? baseUrl : URI.create(url.replaceAll("/+$", "") + "/audio/speech");
        }
    }

    private final Settings settings;
    private final HttpClient http = WorkerThreads.httpClient("openai-tts-http").connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public OpenAiSpeech(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String describe() {
        return "openai-speech:" + settings.model() + "/" + settings.voice();
    }

    @Override
    public int sampleRate() {
        return settings.outputRate();
    }

    @Override
    public Utterance open(AudioSink sink) {
        return new SpeechUtterance(sink);
    }

    private final class SpeechUtterance implements Utterance {
        private final BlockingQueue<String> sentences = new LinkedBlockingQueue<>();
        private final AtomicInteger count = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Thread worker;
        private volatile boolean cancelled;

        SpeechUtterance(AudioSink sink) {
            worker = WorkerThreads.start("openai-tts", () -> run(sink));
        }

        @Override
        public int say(String sentence) {
            int index = count.getAndIncrement();
            sentences.add(sentence);
            return index;
        }

        @Override
        public void finish() {
            sentences.add(END);
        }

        @Override
        public void cancel() {
            cancelled = true;
            worker.interrupt();
            done.complete(null);
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        private void run(AudioSink sink) {
            try {
                for (int index = 0; ; index++) {
                    String sentence = sentences.take();
                    if (sentence.equals(END) || cancelled) {
                        break;
                    }
                    synthesize(index, sentence, sink);
                }
                done.complete(null);
            } catch (InterruptedException e) {
                done.complete(null); // cancelled
            } catch (RuntimeException | IOException e) {
                done.completeExceptionally(e);
            }
        }

        private void synthesize(int index, String sentence, AudioSink sink) throws IOException, InterruptedException {
            String body = json.writeValueAsString(Map.of("model", settings.model(), "voice", settings.voice(),
                    "input", sentence, "response_format", "pcm"));
            HttpRequest.Builder request = HttpRequest.newBuilder(settings.endpoint()).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            settings.apiKey().filter(k -> !k.isBlank()).ifPresent(k -> request.header("Authorization", "Bearer " + k));
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("text to speech answered HTTP " + response.statusCode() + ": "
                            + new String(in.readNBytes(500), java.nio.charset.StandardCharsets.UTF_8));
                }
                Resampler resampler = new Resampler(SOURCE_RATE, settings.outputRate());
                byte[] chunk = new byte[SOURCE_RATE / 50 * 2]; // 20 ms
                int filled = 0;
                for (int read; (read = in.read(chunk, filled, chunk.length - filled)) >= 0 && !cancelled; ) {
                    filled += read;
                    if (filled == chunk.length) {
                        emit(index, chunk, filled, resampler, sink);
                        filled = 0;
                    }
                }
                if (filled >= 2 && !cancelled) {
                    emit(index, chunk, filled - filled % 2, resampler, sink);
                }
            }
        }

        private void emit(int index, byte[] bytes, int length, Resampler resampler, AudioSink sink) {
            MonoAudio frame = resampler.process(MonoAudio.fromLittleEndianBytes(bytes, 0, length, SOURCE_RATE));
            if (frame.length() > 0 && !cancelled) {
                sink.accept(index, frame);
            }
        }
    }
}
