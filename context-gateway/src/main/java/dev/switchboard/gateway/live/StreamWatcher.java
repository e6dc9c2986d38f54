package dev.switchboard.gateway.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.gateway.api.GatewayViews;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.kit.auth.Caller;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.function.Consumer;

/**
 * One client of {@code GET /v1/stream}: sends it the changes its token may see (its tenant's, every tenant's with
 * tenants:all), of one room when it asked for one. Sends are serialized per client: the feed publishes from the
 * session-events thread and from the threads that decide commands.
 */
public final class StreamWatcher implements Consumer<FeedItem> {
    private final Caller caller;
    private final String room;
    private final SseEventSink sink;
    private final Sse sse;
    private final ObjectMapper json;
    private final OutboundCalls calls;
    private final Runnable onClose;
    private boolean closed;

    public StreamWatcher(Caller caller, String room, SseEventSink sink, Sse sse, ObjectMapper json, OutboundCalls calls,
                         Runnable onClose) {
        this.caller = caller;
        this.room = room;
        this.sink = sink;
        this.sse = sse;
        this.json = json;
        this.calls = calls;
        this.onClose = onClose;
    }

    @Override
    public synchronized void accept(FeedItem item) {
        if (!caller.mayAccess(item.tenant()) || room != null && !room.equals(item.room())) {
            return;
        }
        switch (item) {
            case FeedItem.SessionChanged changed -> send("session", changed.room(),
                    GatewayViews.SessionView.of(changed.session(), calls.find(changed.room()).orElse(null)));
            case FeedItem.EventRecorded recorded -> send("event", recorded.entry().eventId(), recorded.entry());
            case FeedItem.CommandChanged command -> send("command", command.command().commandId(),
                    GatewayViews.CommandView.of(command.command()));
        }
    }

    /** Tells the client that what was known when it connected has been sent: from here on, changes only. */
    public synchronized void caughtUp() {
        send(sse.newEventBuilder().name("ready").data(String.class, "{}").mediaType(MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** A comment line now and then, so proxies and browsers keep an idle stream open and a gone client is noticed. */
    public synchronized void keepAlive() {
        send(sse.newEventBuilder().comment("keep-alive").build());
    }

    private void send(String name, String id, Object data) {
        String text;
        try {
            text = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + name + " event", e);
        }
        send(sse.newEventBuilder().name(name).id(id).mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, text).build());
    }

    private void send(OutboundSseEvent event) {
        if (closed) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        sink.send(event).whenComplete((ignored, failure) -> {
            if (failure != null) {
                close(); // the client went away
            }
        });
    }

    private synchronized void close() {
        if (!closed) {
            closed = true;
            onClose.run();
            sink.close();
        }
    }
}
