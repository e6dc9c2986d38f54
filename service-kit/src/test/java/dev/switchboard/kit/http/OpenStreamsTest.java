package dev.switchboard.kit.http;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutdown ends the open streams at once (they would hold the HTTP server until its timeout) and refuses new ones. */
class OpenStreamsTest {
    private final AtomicInteger sinksClosed = new AtomicInteger();

    private SseStream stream(OpenStreams streams) {
        SseStream[] self = new SseStream[1];
        self[0] = new SseStream(sink(), null, null, Clock.systemUTC(), "test", () -> streams.closed(self[0]));
        return self[0];
    }

    private SseEventSink sink() {
        return new SseEventSink() {
            private boolean closed;

            @Override
            public boolean isClosed() {
                return closed;
            }

            @Override
            public CompletionStage<?> send(OutboundSseEvent event) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
                closed = true;
                sinksClosed.incrementAndGet();
            }
        };
    }

    @Test
    void shutdownEndsEveryOpenStreamAndRefusesNewOnes() {
        OpenStreams streams = new OpenStreams();
        SseStream first = stream(streams);
        SseStream second = stream(streams);
        SseStream ended = stream(streams);
        assertThat(streams.opened(first)).isTrue();
        assertThat(streams.opened(second)).isTrue();
        assertThat(streams.opened(ended)).isTrue();
        ended.close(); // a client that went away before
        assertThat(streams.count()).isEqualTo(2);
        assertThat(streams.closing()).isFalse();

        streams.closeAll();

        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isTrue();
        assertThat(sinksClosed).hasValue(3);
        assertThat(streams.count()).isZero();
        assertThat(streams.closing()).isTrue();
        assertThat(streams.opened(stream(streams))).as("a console reconnecting during shutdown").isFalse();
        assertThat(streams.count()).isZero();
    }
}
