package dev.switchboard.worker.livekit;

import com.google.protobuf.InvalidProtocolBufferException;
import livekit.LivekitAgent;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One WebSocket connection to LiveKit's agent endpoint, speaking binary protobuf: WorkerMessage out,
 * ServerMessage in. Messages are handed to the consumer one at a time, in order.
 */
final class AgentServerLink implements WebSocket.Listener {
    private static final Logger LOG = Logger.getLogger(AgentServerLink.class);

    private final Consumer<LivekitAgent.ServerMessage> onMessage;
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile WebSocket socket;

    private AgentServerLink(Consumer<LivekitAgent.ServerMessage> onMessage) {
        this.onMessage = onMessage;
    }

    static CompletableFuture<AgentServerLink> open(HttpClient http, URI endpoint, String token, Consumer<LivekitAgent.ServerMessage> onMessage) {
        AgentServerLink link = new AgentServerLink(onMessage);
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, link)
                .thenApply(ws -> {
                    link.socket = ws;
                    return link;
                });
    }

    /** Sends a message; sends are serialized because the JDK WebSocket allows one outstanding send. */
    synchronized void send(LivekitAgent.WorkerMessage message) {
        WebSocket ws = socket;
        if (ws == null || closed.isDone()) {
            return;
        }
        try {
            ws.sendBinary(ByteBuffer.wrap(message.toByteArray()), true).join();
        } catch (RuntimeException e) {
            LOG.debugf("send failed: %s", e.getMessage());
            closed.complete("send failed: " + e.getMessage());
        }
    }

    /** Completes (with the reason) when the connection is gone, whoever closed it. */
    CompletableFuture<String> closed() {
        return closed;
    }

    void close() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "worker stopping").orTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                    .whenComplete((x, e) -> ws.abort());
        }
        closed.complete("closed by the worker");
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partial.writeBytes(bytes);
        if (last) {
            byte[] whole = partial.toByteArray();
            partial.reset();
            try {
                onMessage.accept(LivekitAgent.ServerMessage.parseFrom(whole));
            } catch (InvalidProtocolBufferException e) {
                LOG.warnf("ignoring an unreadable message from the agent server: %s", e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "handling a message from the agent server failed");
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        LOG.warnf("the agent server sent text; this worker speaks binary protobuf");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete("closed by the server (" + statusCode + (reason.isBlank() ? "" : ": " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("connection error: " + error);
    }
}
