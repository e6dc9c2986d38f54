package dev.switchboard.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client of a Server-Sent Events stream (the gateway's live stream, the transcript service's live tail). Sends are
 * serialized; a client that went away is noticed at the next send and the stream closed once, running its
 * {@code onClose}.
 *
 * <p>A stream outlives the request that opened it, so it keeps two limits a request does not need:
 * <ul>
 *   <li>the bearer token it was opened with expires while it runs: at {@link #endIfExpired()} after that moment the
 *       stream sends an event {@code expired} and closes, and the client reconnects with a fresh token (which the
 *       request filter checks like any other);</li>
 *   <li>a client that reads slower than events come would have the server queue them without end: with more than
 *       {@link #MAX_PENDING} events not yet written to its connection the stream closes, and the client reconnects
 *       and is sent what it missed by the stream's replay.</li>
 * </ul>
 */
public final class SseStream {
    /** Events queued for a client before it counts as too slow to follow. */
    public static final int MAX_PENDING = 1024;
    private static final Logger LOG = Logger.getLogger(SseStream.class);

    private final SseEventSink sink;
    private final Sse sse;
    private final Instant expiresAt;
    private final Clock clock;
    private final String label;
    private final Runnable onClose;
    private final AtomicInteger pending = new AtomicInteger();
    private boolean closed;

    /**
     * @param expiresAt when the token that opened the stream expires (null: never)
     * @param label     what the stream follows, for the log
     * @param onClose   run once when the stream closes, for whatever reason
     */
    public SseStream(SseEventSink sink, Sse sse, Instant expiresAt, Clock clock, String label, Runnable onClose) {
        this.sink = sink;
        this.sse = sse;
        this.expiresAt = expiresAt;
        this.clock = clock;
        this.label = label;
        this.onClose = onClose;
    }

    /**
     * An event whose data is a JSON document; {@code id} may be null. The data is written as the text it already is:
     * giving the event a media type would make RESTEasy add a {@code content-type:} line to every event, a field the
     * SSE format does not have.
     */
    public synchronized void sendJson(String name, String id, String json) {
        var event = sse.newEventBuilder().name(name).data(String.class, json);
        if (id != null) {
            event.id(id);
        }
        send(event.build());
    }

    /** An event whose data is {@code value} written as JSON by {@code json}; {@code id} may be null. */
    public void sendJson(String name, String id, Object value, ObjectMapper json) {
        String text;
        try {
            text = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + name + " event", e);
        }
        sendJson(name, id, text);
    }

    /**
     * A comment line, so proxies and browsers keep an idle stream open and a client that went away is noticed; or,
     * once the token has expired, the end of the stream.
     */
    public synchronized void keepAlive() {
        if (!endIfExpired()) {
            send(sse.newEventBuilder().comment("keep-alive").build());
        }
    }

    /** Ends the stream with an event {@code expired} when its token has expired; true when the stream is over. */
    public synchronized boolean endIfExpired() {
        if (closed) {
            return true;
        }
        if (expiresAt == null || clock.instant().isBefore(expiresAt)) {
            return false;
        }
        LOG.debugf("stream of %s: the token expired at %s; ending it", label, expiresAt);
        send(sse.newEventBuilder().name("expired")
                .data(String.class, "{\"detail\":\"the token has expired; reconnect with a fresh one\"}").build());
        close();
        return true;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the stream (the client sees it end); {@code onClose} runs once. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debugf("closing the stream of %s: %s", label, e.toString());
        }
        onClose.run();
    }

    private void send(OutboundSseEvent event) {
        if (closed) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        if (pending.get() >= MAX_PENDING) {
            LOG.infof("stream of %s: the client reads too slowly (%d events not yet written); ending the stream", label, pending.get());
            close();
            return;
        }
        pending.incrementAndGet();
        sink.send(event).whenComplete((ignored, failure) -> {
            pending.decrementAndGet();
            if (failure != null) {
                LOG.debugf("stream of %s: client gone (%s)", label, failure.toString());
                closeAfterFailedWrite();
            }
        });
    }

    /**
     * Closes the stream once the failed write is over. Not from within its callback, which runs inside Netty's write:
     * ending the response there writes again into the encoder still handling the failure, which then releases a buffer
     * twice and logs a WARN with a stack trace for every client that left while an event was on its way.
     */
    private void closeAfterFailedWrite() {
        Context context = Vertx.currentContext();
        if (context == null) {
            close();
        } else {
            context.runOnContext(ignored -> close());
        }
    }
}
