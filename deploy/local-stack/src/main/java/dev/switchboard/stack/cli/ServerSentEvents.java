package dev.switchboard.stack.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Server-Sent Events stream (the HTML standard's format) into events as they arrive: {@code event:},
 * {@code id:} and {@code data:} fields up to a blank line; comments (the service's keep-alives) are skipped.
 */
final class ServerSentEvents {
    /** One event; {@code name} is "message" when the stream named none. */
    record Event(String name, String id, String data) {
    }

    /** Told of each event; answers false to stop reading. */
    interface Listener {
        boolean onEvent(Event event);
    }

    private ServerSentEvents() {
    }

    /**
     * Reads until the listener stops or the stream ends.
     *
     * @return true when the listener stopped, false when the stream ended first
     */
    static boolean read(InputStream stream, Listener listener) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        String name = null;
        String id = null;
        List<String> data = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty() && !listener.onEvent(new Event(name == null ? "message" : name, id, String.join("\n", data)))) {
                    return true;
                }
                // Unlike a browser's last-event-id, an id belongs to its own event here: it is shown with it.
                name = null;
                id = null;
                data.clear();
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> data.add(value);
                case "id" -> id = value;
                default -> {
                    // retry and unknown fields mean nothing here
                }
            }
        }
        return false;
    }
}
