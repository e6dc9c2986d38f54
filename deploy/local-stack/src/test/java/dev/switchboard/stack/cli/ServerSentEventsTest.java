package dev.switchboard.stack.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The transcript service's live stream as the CLI reads it. */
class ServerSentEventsTest {

    @Test
    void eventsAreReadUpToABlankLineAndKeepAlivesAreSkipped() throws IOException {
        String stream = """
                event: segment
                id: 7f3c:1
                data: {"text": "Hi"}

                : keep-alive

                event: replayed
                data: {"segments":1}

                data: first
                data:second

                event: end
                data: {"endReason": "CALLER_HANGUP"}

                event: segment
                data: {"text": "never read"}

                """;
        List<ServerSentEvents.Event> events = new ArrayList<>();
        boolean stopped = ServerSentEvents.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), event -> {
            events.add(event);
            return !event.name().equals("end");
        });
        assertThat(stopped).isTrue();
        assertThat(events).containsExactly(
                new ServerSentEvents.Event("segment", "7f3c:1", "{\"text\": \"Hi\"}"),
                new ServerSentEvents.Event("replayed", null, "{\"segments\":1}"),
                new ServerSentEvents.Event("message", null, "first\nsecond"),
                new ServerSentEvents.Event("end", null, "{\"endReason\": \"CALLER_HANGUP\"}"));
    }

    @Test
    void aStreamThatEndsBeforeTheListenerStopsSaysSo() throws IOException {
        List<String> names = new ArrayList<>();
        boolean stopped = ServerSentEvents.read(new ByteArrayInputStream("event: segment\ndata: {}\n\nevent: segment\ndata: {}".getBytes(StandardCharsets.UTF_8)),
                event -> names.add(event.name()));
        assertThat(stopped).isFalse();
        assertThat(names).as("an event the stream did not finish is not one").containsExactly("segment");
    }
}
