package dev.switchboard.worker.voice.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.speech.Tones;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * OpenAI's audio endpoints for tests, on the real wire formats: {@code POST /v1/audio/speech} answers raw 24 kHz
 * PCM (a tone, 60 ms per character, streamed in 20 ms chunks after a configurable first-byte delay), and
 * {@code POST /v1/audio/transcriptions} takes a multipart WAV upload and answers the next queued transcript.
 */
public final class FakeOpenAiAudioServer implements AutoCloseable {
    /** A transcription upload as the server saw it. */
    public record Upload(String model, int sampleRate, long audioMillis) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> speechRequests = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final Deque<String> transcripts = new ConcurrentLinkedDeque<>();
    private volatile long firstByteDelayMs;
    private volatile long transcriptionDelayMs;

    public FakeOpenAiAudioServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/audio/speech", this::speech);
        server.createContext("/v1/audio/transcriptions", this::transcription);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void firstByteDelay(long millis) {
        firstByteDelayMs = millis;
    }

    public void transcriptionDelay(long millis) {
        transcriptionDelayMs = millis;
    }

    public void queueTranscript(String text) {
        transcripts.add(text);
    }

    public List<JsonNode> speechRequests() {
        return List.copyOf(speechRequests);
    }

    public List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    private void speech(HttpExchange exchange) throws IOException {
        JsonNode request = json.readTree(exchange.getRequestBody());
        speechRequests.add(request);
        if (!"pcm".equals(request.path("response_format").asText()) || request.path("input").asText().isEmpty()) {
            byte[] error = "{\"error\":{\"message\":\"response_format pcm and input required\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, error.length);
            exchange.getResponseBody().write(error);
            exchange.close();
            return;
        }
        sleep(firstByteDelayMs);
        byte[] audio = Tones.forText(request.path("input").asText(), 24_000);
        exchange.getResponseHeaders().set("Content-Type", "audio/pcm");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int offset = 0; offset < audio.length; offset += 960) {
                out.write(audio, offset, Math.min(960, audio.length - offset));
                out.flush();
            }
        } catch (IOException e) {
            // the client cancelled
        }
    }

    private void transcription(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] body = exchange.getRequestBody().readAllBytes();
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String model = field(text, boundary, "model");
        int wavAt = text.indexOf("RIFF");
        ByteBuffer wav = ByteBuffer.wrap(body, wavAt, body.length - wavAt).order(ByteOrder.LITTLE_ENDIAN);
        int sampleRate = wav.getInt(wavAt + 24);
        int dataLength = wav.getInt(wavAt + 40);
        uploads.add(new Upload(model, sampleRate, dataLength / 2 * 1000L / sampleRate));
        sleep(transcriptionDelayMs);
        String transcript = transcripts.isEmpty() ? "hello" : transcripts.poll();
        byte[] answer = json.writeValueAsBytes(java.util.Map.of("text", transcript));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static String field(String body, String boundary, String name) {
        String marker = "name=\"" + name + "\"\r\n\r\n";
        int at = body.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        return body.substring(start, body.indexOf("\r\n--" + boundary, start));
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
