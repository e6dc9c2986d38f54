package dev.switchboard.worker.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import livekit.LivekitAgent;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * LiveKit's {@code /agent} endpoint for tests: a WebSocket server speaking the real protobuf protocol. It checks
 * the worker's token (HS256 signature, the agent grant), answers registrations, and lets a test send server
 * messages, read what the worker sent, and drop the connection.
 */
final class FakeAgentServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final String apiKey;
    private final String apiSecret;
    private final List<LivekitAgent.WorkerMessage> received = new CopyOnWriteArrayList<>();
    private final List<ServerWebSocket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger registrations = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    FakeAgentServer(String apiKey, String apiSecret) throws Exception {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        // Upgrades are taken in the request handler: with only a WebSocket handler, Vert.x in a JVM that also runs
        // Quarkus applications answers upgrade requests without a handler.
        server = vertx.createHttpServer().requestHandler(request -> {
            if (!request.path().equals("/agent") || !validToken(request.getHeader("Authorization"))) {
                rejected.incrementAndGet();
                request.response().setStatusCode(401).end();
                return;
            }
            request.toWebSocket().onSuccess(this::accept);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void accept(ServerWebSocket ws) {
        connections.add(ws);
        ws.binaryMessageHandler(buffer -> {
            try {
                var message = LivekitAgent.WorkerMessage.parseFrom(buffer.getBytes());
                received.add(message);
                if (message.hasRegister()) {
                    send(ws, LivekitAgent.ServerMessage.newBuilder().setRegister(LivekitAgent.RegisterWorkerResponse.newBuilder()
                            .setWorkerId("W-" + registrations.incrementAndGet())).build());
                }
            } catch (Exception e) {
                ws.close((short) 1003, "not a WorkerMessage");
            }
        });
    }

    private boolean validToken(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return apiKey.equals(claims.path("iss").asText()) && claims.at("/video/agent").asBoolean(false)
                    && claims.path("exp").asLong() * 1000 > System.currentTimeMillis();
        } catch (Exception e) {
            return false;
        }
    }

    void send(LivekitAgent.ServerMessage message) {
        send(connections.getLast(), message);
    }

    private static void send(ServerWebSocket ws, LivekitAgent.ServerMessage message) {
        ws.writeBinaryMessage(Buffer.buffer(message.toByteArray()));
    }

    /** Waits for a message from the worker (one received before this call counts too). */
    LivekitAgent.WorkerMessage await(Predicate<LivekitAgent.WorkerMessage> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : received) {
                if (match.test(message)) {
                    return message;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching worker message within " + timeout + "; got " + received);
    }

    List<LivekitAgent.WorkerMessage> received() {
        return new ArrayList<>(received);
    }

    void clearReceived() {
        received.clear();
    }

    /** Closes the worker's connection from the server side, as a LiveKit restart would. */
    void dropConnection() {
        connections.getLast().close((short) 1001, "server going away");
    }

    int registrations() {
        return registrations.get();
    }

    int rejectedConnections() {
        return rejected.get();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
