package dev.switchboard.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.gateway.calls.CallTenants;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.GatewayTimers;
import dev.switchboard.gateway.live.FeedItem;
import dev.switchboard.gateway.live.LiveFeed;
import dev.switchboard.gateway.live.SessionTimeline;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.auth.StreamQuota;
import dev.switchboard.kit.http.OpenStreams;
import dev.switchboard.kit.http.SseStream;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;

/** Live changes of sessions, their events and commands, and of outbound calls, over Server-Sent Events (what the console watches). */
@Path("/v1/stream")
@RequiresScope(Scopes.CALLS_READ)
@Tag(name = "Sessions")
public class LiveStreamResource {
    static final int MAX_ROOM_LENGTH = 256;

    private final LiveFeed feed;
    private final LiveSessionRegistry registry;
    private final SessionTimeline timeline;
    private final CommandStore commands;
    private final OutboundCalls calls;
    private final CallTenants tenants;
    private final GatewayTimers timers;
    private final CurrentCaller caller;
    private final ObjectMapper json;
    private final Clock clock;
    private final StreamQuota quota;
    private final ReceivedValues received;
    private final OpenStreams open;
    /** How often an idle stream gets a comment line (proxies commonly close a connection silent for 30 to 60 s). */
    private final Duration keepAlive;

    LiveStreamResource(LiveFeed feed, LiveSessionRegistry registry, SessionTimeline timeline, CommandStore commands,
                       OutboundCalls calls, CallTenants tenants, GatewayTimers timers, CurrentCaller caller, ObjectMapper json,
                       Clock clock, StreamQuota quota, ReceivedValues received, GatewayConfig config, OpenStreams open) {
        this.open = open;
        this.feed = feed;
        this.registry = registry;
        this.timeline = timeline;
        this.commands = commands;
        this.calls = calls;
        this.tenants = tenants;
        this.timers = timers;
        this.caller = caller;
        this.json = json;
        this.clock = clock;
        this.quota = quota;
        this.received = received;
        this.keepAlive = config.streamKeepAlive();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow sessions live",
            description = "Server-Sent Events, each data a JSON document: first what is known now, then every change as it happens."
                    + " 'session': a session as GET /v1/sessions/{room} shows it (sent when it starts, begins ending and ends);"
                    + " 'event': a session event told in words (as GET /v1/sessions/{room}/events lists them);"
                    + " 'command': a command and its status (as GET /v1/commands/{id}), when it is sent and again when it is decided;"
                    + " 'call': an outbound call as GET /v1/calls/{room} shows it, when it is dialled (also one another system placed),"
                    + " answered, fails (with the reason), ends, and when who answered becomes known: a dial has no session until it is"
                    + " answered, and a failed one never has;"
                    + " 'ready' once what was known at the start has been sent. Without ?room= the start sends the sessions of"
                    + " GET /v1/sessions?all=true and the calls of GET /v1/calls; with ?room= it sends that room's session (the one GET /v1/sessions/{room} shows), its call,"
                    + " its events and the remembered commands of that session (and of its call while it has none), and then only that room's changes. Only the token's tenant's (every"
                    + " tenant's with tenants:all). A comment line every 15 s keeps the connection open. When the gateway shuts down it ends every open stream (reconnect; a new one is refused with 503 meanwhile). When the token expires the"
                    + " stream sends 'expired' and ends (reconnect with a fresh token); a client that falls more than 1,024 events"
                    + " behind is disconnected. The event id is the room (of a session or a call), event id or command id: a client"
                    + " replaces what it has under that id.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A room name too long", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "This gateway instance is shutting down (reconnect)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The caller (the token's subject and tenant, whichever of its tokens) already holds as many open streams as one caller may (switchboard.http.max-streams-per-caller, 20); Retry-After says when a dropped one is freed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public void stream(@Parameter(description = "Only this room (it need not have a session yet)") @RestQuery String room,
                       @Context SseEventSink sink, @Context Sse sse) {
        room = room(room);
        open.refuseWhileClosing();
        Caller who = caller.get();
        StreamQuota.Place place = quota.take(who, keepAlive.toSeconds());
        List<ScheduledFuture<?>> timersOfStream = new CopyOnWriteArrayList<>();
        StreamWatcher[] self = new StreamWatcher[1];
        SseStream[] opened = new SseStream[1];
        Runnable release = () -> {
            if (opened[0] != null) {
                open.closed(opened[0]);
            }
            if (self[0] != null) {
                feed.unwatch(self[0]);
            }
            timersOfStream.forEach(timer -> timer.cancel(false));
            place.giveBack();
        };
        SseStream stream = new SseStream(sink, sse, caller.expiresAt(), clock, "the live stream of " + who.id(), release);
        opened[0] = stream;
        if (!open.opened(stream)) { // shutdown began since the check above
            stream.close();
            return;
        }
        try {
            follow(who, room, stream, timersOfStream, self);
        } catch (RuntimeException e) {
            release.run(); // the failure is answered as a problem: the stream never started
            throw e;
        }
    }

    /**
     * What a GET would answer, without the stream: a HEAD answer is complete once its headers are sent. Left to the
     * GET method, HEAD opened a stream that never ended: the connection hung (a next request on it was never answered)
     * and it held one of the caller's stream places until the socket closed. Same checks as a GET (the token's scope
     * by the class's annotation, the room, a shutting-down instance); no place is taken, as nothing stays open.
     */
    @HEAD
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The live stream's headers, without the stream",
            description = "Answers at once with what GET /v1/stream would (200, text/event-stream), after the same checks; holds no stream place.")
    @APIResponse(responseCode = "200", description = "A GET would open the stream")
    @APIResponse(responseCode = "400", description = "A room name too long", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "This gateway instance is shutting down",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response head(@Parameter(description = "Only this room (it need not have a session yet)") @RestQuery String room) {
        room(room);
        open.refuseWhileClosing();
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    /** The ?room= asked for: absent for every room; an empty, blank or overlong one is refused, not taken for every room. */
    private String room(String asked) {
        String room = received.query("room", asked);
        if (room != null && (room.isBlank() || room.length() > MAX_ROOM_LENGTH)) {
            throw ProblemException.invalid("room must be 1 to " + MAX_ROOM_LENGTH + " characters");
        }
        return room;
    }

    private void follow(Caller who, String room, SseStream stream, List<ScheduledFuture<?>> timersOfStream, StreamWatcher[] self) {
        StreamWatcher watcher = new StreamWatcher(who, room, stream, json, calls, tenants);
        self[0] = watcher;
        timersOfStream.add(timers.every(keepAlive, stream::keepAlive));
        Duration untilExpiry = Duration.between(clock.instant(), caller.expiresAt());
        timersOfStream.add(timers.schedule(untilExpiry.isNegative() ? Duration.ZERO : untilExpiry, stream::endIfExpired));
        // Watch before reading what is known: a change in between is sent twice at worst, and the client replaces by id.
        feed.watch(watcher);
        if (stream.isClosed()) { // it ended (a token at its expiry) before its timers and watch were there to undo
            timersOfStream.forEach(timer -> timer.cancel(false));
            feed.unwatch(watcher);
            return;
        }
        // A room's session is the one GET /v1/sessions/{room} shows the caller (its own tenant's, also an ended one).
        List<LiveSession> sessions = room == null ? registry.all() : registry.find(room, who::mayAccess).stream().toList();
        sessions.forEach(session -> watcher.accept(new FeedItem.SessionChanged(session)));
        List<OutboundCall> known = room == null ? calls.all() : calls.find(room).stream().toList();
        known.forEach(call -> watcher.accept(new FeedItem.CallChanged(call, tenants.of(call))));
        if (room != null) {
            sessions.forEach(session -> timeline.entries(room, session.sessionId())
                    .forEach(entry -> watcher.accept(new FeedItem.EventRecorded(entry, session.tenant()))));
            // An outbound call without a session (ringing, answered while the agent joins, failed, ended before one
            // started): the events of its dial.
            known.stream().filter(call -> call.sessionId() == null).forEach(call -> timeline.dialEntries(room, call.commandId())
                    .forEach(entry -> watcher.accept(new FeedItem.EventRecorded(entry, tenants.of(call)))));
            // The commands of that session (not of the room's earlier ones), and those of a dial without a session:
            // its cancellation names no session.
            Set<TrackedCommand> shown = new LinkedHashSet<>();
            sessions.forEach(session -> shown.addAll(commands.forSession(session)));
            known.stream().filter(call -> call.sessionId() == null)
                    .forEach(call -> shown.addAll(commands.forSession(room, null, call.requestedAt(), null)));
            shown.forEach(command -> watcher.accept(new FeedItem.CommandChanged(command)));
        }
        watcher.caughtUp();
    }
}
