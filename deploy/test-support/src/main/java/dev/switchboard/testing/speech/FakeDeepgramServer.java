package dev.switchboard.testing.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Deepgram's streaming endpoints for tests, speaking their WebSocket protocols. {@code /v1/listen} takes
 * linear16 audio and, on {@code Finalize}, answers a final {@code Results} with the next queued transcript
 * (an interim guess first); {@code /v1/speak} answers each {@code Speak}+{@code Flush} with a tone (60 ms per
 * character) in binary frames and a {@code Flushed} message. Both check the {@code Token} authorization.
 */
public final class FakeDeepgramServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final String apiKey;
    private final Deque<String> transcripts = new ConcurrentLinkedDeque<>();
    private final List<String> listenQueries = new CopyOnWriteArrayList<>();
    private final List<String> spoken = new CopyOnWriteArrayList<>();
    private volatile long audioBytes;

    private final String defaultTranscript;

    public FakeDeepgramServer(String apiKey) throws Exception {
        this(apiKey, "hello");
    }

    /** @param defaultTranscript what a Finalize answers when no transcript is queued */
    public FakeDeepgramServer(String apiKey, String defaultTranscript) throws Exception {
        this.apiKey = apiKey;
        this.defaultTranscript = defaultTranscript;
        // Upgrades are taken in the request handler: with only a WebSocket handler, Vert.x in a JVM that also runs
        // Quarkus applications answers upgrade requests without a handler.
        server = vertx.createHttpServer().requestHandler(request -> {
            if (!("Token " + apiKey).equals(request.getHeader("Authorization"))) {
                request.response().setStatusCode(401).end();
            } else if (!request.path().equals("/v1/listen") && !request.path().equals("/v1/speak")) {
                request.response().setStatusCode(404).end();
            } else {
                request.toWebSocket().onSuccess(this::accept);
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String baseUrl() {
        return "ws://127.0.0.1:" + server.actualPort();
    }

    public void queueTranscript(String text) {
        transcripts.add(text);
    }

    public List<String> listenQueries() {
        return List.copyOf(listenQueries);
    }

    public List<String> spoken() {
        return List.copyOf(spoken);
    }

    public long audioBytesReceived() {
        return audioBytes;
    }

    private void accept(ServerWebSocket ws) {
        if (ws.path().equals("/v1/listen")) {
            listen(ws);
        } else {
            speak(ws);
        }
    }

    private void listen(ServerWebSocket ws) {
        listenQueries.add(ws.query());
        long[] since = {0};
        double[] offset = {0};
        boolean[] heardSpeech = {false};
        ws.binaryMessageHandler(audio -> {
            audioBytes += audio.length();
            since[0] += audio.length();
            heardSpeech[0] |= loud(audio.getBytes());
        });
        ws.textMessageHandler(text -> {
            JsonNode message = read(text);
            String type = message.path("type").asText();
            if (type.equals("Finalize")) {
                double duration = since[0] / 2.0 / 16_000;
                if (heardSpeech[0]) {
                    String transcript = transcripts.isEmpty() ? defaultTranscript : transcripts.poll();
                    ws.writeTextMessage(results(transcript.substring(0, Math.max(1, transcript.length() / 2)), false, false, offset[0], duration));
                    ws.writeTextMessage(results(transcript, true, true, offset[0], duration));
                } else {
                    ws.writeTextMessage(results("", true, true, offset[0], duration)); // as Deepgram answers for silence
                }
                heardSpeech[0] = false;
                offset[0] += duration;
                since[0] = 0;
            } else if (type.equals("CloseStream")) {
                ws.close();
            }
        });
    }

    /** Whether linear16 audio holds more than silence (a transcript needs speech). */
    private static boolean loud(byte[] pcm) {
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            if (Math.abs((short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8))) > 1000) {
                return true;
            }
        }
        return false;
    }

    private String results(String transcript, boolean isFinal, boolean speechFinal, double start, double duration) {
        ObjectNode message = json.createObjectNode().put("type", "Results").put("is_final", isFinal).put("speech_final", speechFinal)
                .put("start", start).put("duration", duration);
        message.putObject("channel").putArray("alternatives").addObject().put("transcript", transcript).put("confidence", 0.93);
        return message.toString();
    }

    private void speak(ServerWebSocket ws) {
        int rate = Integer.parseInt(ws.query().replaceAll(".*sample_rate=(\\d+).*", "$1"));
        StringBuilder pending = new StringBuilder();
        int[] flushes = {0};
        ws.textMessageHandler(text -> {
            JsonNode message = read(text);
            switch (message.path("type").asText()) {
                case "Speak" -> {
                    pending.append(message.path("text").asText());
                    spoken.add(message.path("text").asText());
                }
                case "Flush" -> {
                    byte[] audio = Tones.forText(pending.toString(), rate);
                    pending.setLength(0);
                    for (int offset = 0; offset < audio.length; offset += rate / 50 * 2) {
                        int length = Math.min(rate / 50 * 2, audio.length - offset);
                        ws.writeBinaryMessage(Buffer.buffer(java.util.Arrays.copyOfRange(audio, offset, offset + length)));
                    }
                    ws.writeTextMessage(json.createObjectNode().put("type", "Flushed").put("sequence_id", flushes[0]++).toString());
                }
                case "Clear" -> {
                    pending.setLength(0);
                    ws.writeTextMessage("{\"type\":\"Cleared\"}");
                }
                case "Close" -> ws.close();
                default -> ws.writeTextMessage(json.createObjectNode().put("type", "Warning").put("description", "unknown " + text).toString());
            }
        });
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
