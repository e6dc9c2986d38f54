package dev.switchboard.gateway.api;

import dev.switchboard.gateway.calls.CallTenants;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.live.SessionTimeline;
import dev.switchboard.gateway.commands.SessionGuard;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.SessionState;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The live (and recently ended) sessions this gateway knows from {@code switchboard.session-events}. */
@Path("/v1/sessions")
@RequiresScope(Scopes.CALLS_READ)
@Tag(name = "Sessions", description = "Live (and recently ended) sessions")
@Produces(MediaType.APPLICATION_JSON)
public class LiveSessionsResource {
    private static final Set<SessionState> RUNNING = EnumSet.of(SessionState.LIVE, SessionState.ENDING);

    private final SessionGuard guard;
    private final LiveSessionRegistry registry;
    private final CurrentCaller caller;
    private final OutboundCalls calls;
    private final SessionTimeline timeline;
    private final CommandStore commands;
    private final ReceivedValues received;
    private final CallTenants tenants;

    LiveSessionsResource(LiveSessionRegistry registry, CurrentCaller caller, OutboundCalls calls, SessionTimeline timeline,
                         CommandStore commands, ReceivedValues received, CallTenants tenants, SessionGuard guard) {
        this.guard = guard;
        this.tenants = tenants;
        this.received = received;
        this.timeline = timeline;
        this.commands = commands;
        this.registry = registry;
        this.caller = caller;
        this.calls = calls;
    }

    @GET
    @Operation(summary = "List sessions, newest first",
            description = "Only the sessions of the token's tenant (every tenant's with the scope tenants:all). By default the LIVE and ENDING ones; ?state=ended (or live, ending, comma-separated) filters by state, "
                    + "?all=true includes the recently ended ones.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.SessionList.class)))
    @APIResponse(responseCode = "400", description = "Unknown state or a bad all value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.SessionList list(
            @Parameter(description = "live, ending, ended (comma-separated, or the parameter repeated)") @RestQuery List<String> state,
            @Parameter(description = "true to include ended sessions") @RestQuery String all) {
        // A bare ?all and an empty ?state= reach the method as absent: read as received (?state= is refused, not "any").
        Set<SessionState> wanted = wantedStates(received.queryValues("state", state), received.query("all", all));
        Caller who = caller.get();
        return new GatewayViews.SessionList(registry.all().stream()
                .filter(session -> wanted.contains(session.state()) && who.mayAccess(session.tenant()))
                                .map(this::view)
                .toList());
    }

    @GET
    @Path("{room}")
    @Operation(summary = "The latest session of a room (also when it has ended, until it is evicted)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.SessionView.class)))
    @APIResponse(responseCode = "400", description = "A blank sessionId", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No known session for the room (or not the given sessionId)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "catching-up: the gateway started moments ago and has not read every session yet (Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.SessionView get(@RestPath String room,
                                 @Parameter(description = "Only this session of the room") @RestQuery String sessionId) {
        sessionId = RequestParameters.sessionId(received.query("sessionId", sessionId));
        LiveSession session = accessible(room);
        if (sessionId != null && !sessionId.equals(session.sessionId())) {
            throw new ProblemException(GatewayProblems.SESSION_NOT_FOUND, "session \"" + sessionId + "\" is not known for room \""
                    + room + "\" (its latest session is " + session.sessionId() + ")");
        }
        return view(session);
    }

    @GET
    @Path("{room}/events")
    @Operation(summary = "The events of the room's latest call, oldest first, told in words",
            description = "The session GET /v1/sessions/{room} shows (the token's tenant's). Started, participants joining and leaving, answered or failed, answering-machine verdicts, keypad tones"
                    + " received and sent, call ended and session ended with their reasons (the latest 200). For an outbound call that has no"
                    + " session (still ringing, answered while the agent joins, failed, or ended before a session started; GET /v1/calls/{room}"
                    + " shows it) the events of its dial: answered or failed, answering-machine verdicts, call ended.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.EventList.class)))
    @APIResponse(responseCode = "404", description = "No known session or outbound call for the room",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.EventList events(@RestPath String room) {
        Optional<LiveSession> session = registry.find(room, caller::mayAccess);
        Optional<OutboundCall> dial = calls.find(room)
                .filter(call -> call.sessionId() == null && caller.mayAccess(tenants.of(call)))
                .filter(call -> session.isEmpty() || session.get().startedAt() == null || call.requestedAt() == null
                        || call.requestedAt().isAfter(session.get().startedAt()));
        if (dial.isPresent()) {
            return new GatewayViews.EventList(timeline.dialEntries(room, dial.get().commandId()));
        }
        return new GatewayViews.EventList(timeline.entries(room, session.orElseThrow(() -> new ProblemException(
                GatewayProblems.SESSION_NOT_FOUND, "no session or outbound call is known for room \"" + room + "\"")).sessionId()));
    }

    @GET
    @Path("{room}/commands")
    @Operation(summary = "The commands sent to the room's latest session that this gateway remembers, oldest first, with what became of them",
            description = "The commands of the session GET /v1/sessions/{room} shows (the token's tenant's; every tenant's with tenants:all):"
                    + " those whose result names it, those sent to it that have no result yet, and those naming no session sent while it ran."
                    + " A room used again does not list the commands of its earlier sessions."
                    + " Those sent through any gateway instance once their result is seen, and those sent through this one"
                    + " from the moment they were sent (switchboard.gateway.command-store.* bounds how many and how long).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CommandList.class)))
    @APIResponse(responseCode = "404", description = "No known session for the room",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.CommandList commands(@RestPath String room) {
        // The session's own: a room used again does not list its earlier sessions' commands (as /events does not list their events).
        return new GatewayViews.CommandList(commands.forSession(accessible(room)).stream()
                .filter(command -> caller.mayAccess(command.tenant()))
                .map(GatewayViews.CommandView::of).toList());
    }

    /** No session known for the room: a 404 once this instance has read every session event, a 503 before. */
    /** The room's session as {@link #get} shows it: the caller's tenant's, also an ended one another tenant's call replaced. */
    private LiveSession accessible(String room) {
        return guard.visible(room, caller.get());
    }

    private GatewayViews.SessionView view(LiveSession session) {
        return GatewayViews.SessionView.of(session, calls.find(session.room()).orElse(null));
    }

    /** The states asked for: every value of every state parameter (an unknown one is a 400, not skipped). */
    private static Set<SessionState> wantedStates(List<String> state, String all) {
        boolean everything;
        if (all == null || all.equalsIgnoreCase("false")) {
            everything = false;
        } else if (all.isEmpty() || all.equalsIgnoreCase("true")) {
            everything = true; // a bare ?all counts as true
        } else {
            throw ProblemException.invalid("all must be true or false, not \"" + all + "\"");
        }
        if (state == null || state.isEmpty()) {
            return everything ? EnumSet.allOf(SessionState.class) : RUNNING;
        }
        return EnumList.parse("state", state, SessionState.class);
    }
}
