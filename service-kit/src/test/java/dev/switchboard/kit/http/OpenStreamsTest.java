package dev.switchboard.kit.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutdown ends the open streams at once (they would hold the HTTP server until its timeout) and refuses new ones. */
class OpenStreamsTest {
    private final List<RecordingSink> sinks = new ArrayList<>();

    private SseStream stream(OpenStreams streams) {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        SseStream[] self = new SseStream[1];
        self[0] = new SseStream(sink, null, null, Clock.systemUTC(), "test", () -> streams.closed(self[0]));
        return self[0];
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
        assertThat(sinks).allMatch(sink -> sink.closed);
        assertThat(streams.count()).isZero();
        assertThat(streams.closing()).isTrue();
        assertThat(streams.opened(stream(streams))).as("a console reconnecting during shutdown").isFalse();
        assertThat(streams.count()).isZero();
    }
}
