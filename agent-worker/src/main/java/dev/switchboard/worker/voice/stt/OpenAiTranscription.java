package dev.switchboard.worker.voice.stt;

import dev.switchboard.worker.concurrent.WorkerThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.worker.voice.audio.MonoAudio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;

/**
 * Speech to text through an OpenAI-compatible {@code POST /audio/transcriptions} (OpenAI, self-hosted Whisper
 * servers): the VAD cuts the caller's speech into utterances, each uploaded as a WAV file when it ends. Keeps a
 * short pre-roll before the VAD's start so the first syllable is not clipped.
 */
public final class OpenAiTranscription implements SpeechToText {
    static final int RATE = 16_000;
    private static final long PRE_ROLL_MS = 300;

    public record Settings(URI endpoint, Optional<String> apiKey, String model, Optional<String> language, Duration timeout) {
        public static URI transcriptionsEndpoint(URI baseUrl) {
            String url = baseUrl.toString();
            return url.contains("/audio/transcriptions") ? baseUrl : URI.create(url.replaceAll("/+$", "") + "/audio/transcriptions");
        }
    }

    private final Settings settings;
    private final HttpClient http = WorkerThreads.httpClient("openai-stt-http").connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public OpenAiTranscription(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String describe() {
        return "openai-transcription:" + settings.model();
    }

    @Override
    public Stream open(Listener listener) {
        return new UtteranceStream(listener);
    }

    private final class UtteranceStream implements Stream {
        private final Listener listener;
        private final Deque<MonoAudio> preRoll = new ArrayDeque<>();
        private final ByteArrayOutputStream utterance = new ByteArrayOutputStream();
        private long receivedMs;
        private long utteranceStartMs;
        private boolean inSpeech;
        private volatile boolean closed;

        UtteranceStream(Listener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized void push(MonoAudio frame) {
            receivedMs += frame.durationMicros() / 1000;
            if (inSpeech) {
                utterance.writeBytes(frame.toLittleEndianBytes());
                return;
            }
            preRoll.addLast(frame);
            long kept = preRoll.stream().mapToLong(MonoAudio::durationMicros).sum() / 1000;
            while (kept > PRE_ROLL_MS && preRoll.size() > 1) {
                kept -= preRoll.removeFirst().durationMicros() / 1000;
            }
        }

        @Override
        public synchronized void speechStarted() {
            if (inSpeech) {
                return;
            }
            inSpeech = true;
            long preRollMs = preRoll.stream().mapToLong(MonoAudio::durationMicros).sum() / 1000;
            utteranceStartMs = receivedMs - preRollMs;
            preRoll.forEach(f -> utterance.writeBytes(f.toLittleEndianBytes()));
            preRoll.clear();
        }

        @Override
        public void speechEnded() {
            byte[] pcm;
            long start;
            long end;
            synchronized (this) {
                if (!inSpeech) {
                    return;
                }
                inSpeech = false;
                pcm = utterance.toByteArray();
                utterance.reset();
                start = utteranceStartMs;
                end = receivedMs;
            }
            if (pcm.length > 0 && !closed) {
                WorkerThreads.start("openai-stt", () -> transcribe(pcm, start, end));
            }
        }

        private void transcribe(byte[] pcm, long startMs, long endMs) {
            try {
                String text = upload(Wav.encode(pcm, RATE));
                if (!closed && !text.isBlank()) {
                    listener.finalResult(new Result(text.strip(), 1.0f, settings.language().orElse(null), startMs, endMs, true));
                }
            } catch (IOException | RuntimeException e) {
                listener.failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    String upload(byte[] wav) throws IOException, InterruptedException {
        String boundary = "switchboard-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "model", settings.model());
        part(body, boundary, "response_format", "json");
        settings.language().ifPresent(language -> part(body, boundary, "language", language));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"utterance.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(wav);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.endpoint()).timeout(settings.timeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        settings.apiKey().filter(k -> !k.isBlank()).ifPresent(k -> request.header("Authorization", "Bearer " + k));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("transcription answered HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode result = json.readTree(response.body());
        return result.path("text").asText("");
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String value) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
