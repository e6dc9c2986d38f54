package dev.switchboard.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.gateway.calls.CallTenants;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.live.FeedItem;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.http.SseStream;

import java.util.function.Consumer;

/**
 * One client of {@code GET /v1/stream}: sends it the changes its token may see (its tenant's, every tenant's with
 * tenants:all), of one room when it asked for one. Sends are serialized per client: the feed publishes from the
 * session-events thread and from the threads that decide commands. The {@link SseStream} ends it when the token
 * expires or the client falls too far behind.
 *
 * <p>Part of the HTTP API rather than of {@code live}: it renders the feed's items as the API's views
 * ({@link GatewayViews}), and {@code live} only publishes them to whoever watches (it must not know the API's shapes).
 */
public final class StreamWatcher implements Consumer<FeedItem> {
    private final Caller caller;
    private final String room;
    private final SseStream stream;
    private final ObjectMapper json;
    private final OutboundCalls calls;
    private final CallTenants tenants;

    public StreamWatcher(Caller caller, String room, SseStream stream, ObjectMapper json, OutboundCalls calls, CallTenants tenants) {
        this.caller = caller;
        this.room = room;
        this.stream = stream;
        this.json = json;
        this.calls = calls;
        this.tenants = tenants;
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
            // The room's call as it is now, as GET /v1/calls/{room} shows it: changes heard out of order still end with
            // the latest. A room whose call is now another tenant's sends nothing.
            case FeedItem.CallChanged changed -> calls.find(changed.room()).filter(call -> caller.mayAccess(tenants.of(call)))
                    .ifPresent(call -> send("call", call.room(), GatewayViews.CallView.of(call)));
        }
    }

    /** Tells the client that what was known when it connected has been sent: from here on, changes only. */
    public synchronized void caughtUp() {
        stream.sendJson("ready", null, "{}");
    }

    private void send(String name, String id, Object data) {
        stream.sendJson(name, id, data, json);
    }
}
