package dev.switchboard.kit.http;

import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream ends when its token expires, when its client cannot keep up, and when its client went away; once each time. */
class SseStreamTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger closes = new AtomicInteger();

    private SseStream stream(Instant expiresAt, Instant now) {
        return new SseStream(sink, SseImpl.INSTANCE, expiresAt, Clock.fixed(now, ZoneOffset.UTC), "test", closes::incrementAndGet);
    }

    @Test
    void eventsAndKeepAlivesGoOutWhileTheTokenIsValid() {
        SseStream stream = stream(NOW.plusSeconds(60), NOW);
        stream.sendJson("session", "room-1", "{\"room\":\"room-1\"}");
        stream.keepAlive();

        assertThat(sink.sent).extracting(OutboundSseEvent::getName).containsExactly("session", null);
        assertThat(sink.sent.getFirst().getId()).isEqualTo("room-1");
        assertThat(sink.sent.get(1).getComment()).isEqualTo("keep-alive");
        assertThat(stream.isClosed()).isFalse();
        assertThat(closes).hasValue(0);
    }

    @Test
    void anExpiredTokenEndsTheStreamWithAnExpiredEvent() {
        SseStream stream = stream(NOW, NOW.plus(Duration.ofMillis(1)));
        stream.keepAlive();
        stream.sendJson("session", "room-1", "{}");

        assertThat(sink.sent).extracting(OutboundSseEvent::getName).containsExactly("expired");
        assertThat(sink.closed).isTrue();
        assertThat(closes).hasValue(1);
        assertThat(stream.endIfExpired()).isTrue();
        assertThat(closes).as("closed once").hasValue(1);
    }

    @Test
    void aStreamWithoutExpiryNeverExpires() {
        SseStream stream = stream(null, NOW);
        assertThat(stream.endIfExpired()).isFalse();
    }

    @Test
    void aClientThatFallsTooFarBehindIsCutOff() {
        SseStream stream = stream(NOW.plusSeconds(60), NOW);
        for (int i = 0; i < SseStream.MAX_PENDING; i++) {
            stream.sendJson("event", "e" + i, "{}");
        }
        assertThat(stream.isClosed()).as("exactly the limit still queues").isFalse();

        stream.sendJson("event", "one-too-many", "{}");
        assertThat(stream.isClosed()).isTrue();
        assertThat(sink.sent).hasSize(SseStream.MAX_PENDING);
        assertThat(closes).hasValue(1);
    }

    @Test
    void aClientThatReadsKeepsGoingPastTheLimit() {
        SseStream stream = stream(NOW.plusSeconds(60), NOW);
        for (int i = 0; i < SseStream.MAX_PENDING * 3; i++) {
            stream.sendJson("event", "e" + i, "{}");
            sink.completeAll();
        }
        assertThat(stream.isClosed()).isFalse();
        assertThat(sink.sent).hasSize(SseStream.MAX_PENDING * 3);
    }

    @Test
    void aFailedWriteMeansTheClientWentAway() {
        SseStream stream = stream(NOW.plusSeconds(60), NOW);
        stream.sendJson("event", "e1", "{}");
        sink.writes.getFirst().completeExceptionally(new java.io.IOException("connection reset"));

        assertThat(stream.isClosed()).isTrue();
        assertThat(closes).hasValue(1);
        stream.sendJson("event", "e2", "{}");
        assertThat(sink.sent).hasSize(1);
    }

    /**
     * On the event loop, a failed write's callback runs inside Netty's handling of that write: closing the response
     * there wrote into it again, and Netty released a buffer twice and logged a WARN with a stack trace for every client
     * that left while an event was on its way. The stream closes on the loop's next turn instead.
     */
    @Test
    void aFailedWriteOnTheEventLoopClosesTheStreamAfterTheWriteNotInsideIt() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            SseStream stream = stream(null, NOW);
            CompletableFuture<Boolean> closedInsideTheWrite = new CompletableFuture<>();
            vertx.getOrCreateContext().runOnContext(ignored -> {
                stream.sendJson("event", "e1", "{}");
                sink.writes.getFirst().completeExceptionally(new IOException("Connection reset by peer"));
                closedInsideTheWrite.complete(sink.closed);
            });
            assertThat(closedInsideTheWrite.get(5, TimeUnit.SECONDS)).as("closed inside the failed write's callback").isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (closes.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(closes).as("the stream closed once, after the write").hasValue(1);
            assertThat(sink.closed).isTrue();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
