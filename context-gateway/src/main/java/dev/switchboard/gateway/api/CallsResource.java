package dev.switchboard.gateway.api;

import dev.switchboard.gateway.api.CallRequests.PlaceCallRequest;
import dev.switchboard.gateway.calls.CallDialer;
import dev.switchboard.gateway.calls.CallState;
import dev.switchboard.gateway.calls.DialReply;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Outbound phone calls: place one (a DialRequested for the call controller) and follow it. */
@Path("/v1/calls")
@Tag(name = "Calls", description = "Outbound phone calls")
@Produces(MediaType.APPLICATION_JSON)
public class CallsResource {
    private final CallDialer dialer;
    private final OutboundCalls calls;
    private final RequestParameters parameters;
    private final LiveSessionRegistry sessions;
    private final CurrentCaller caller;
    private final ReceivedValues received;

    CallsResource(CallDialer dialer, OutboundCalls calls, RequestParameters parameters, LiveSessionRegistry sessions, CurrentCaller caller,
                  ReceivedValues received) {
        this.dialer = dialer;
        this.calls = calls;
        this.parameters = parameters;
        this.sessions = sessions;
        this.caller = caller;
        this.received = received;
    }

    @POST
    @RequiresScope(Scopes.CALLS_DIAL)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place an outbound phone call with an agent (DialRequested)",
            description = "The call controller dispatches the agent to the room and dials through LiveKit SIP. Without ?wait= the "
                    + "answer is 202 at once (state DIALING; poll statusUrl); with ?wait= it is 200 once the call is answered or has "
                    + "failed (state ANSWERED or FAILED, with the reason), 202 if the wait ran out first. A retry with the same "
                    + "Idempotency-Key never rings the phone again.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlaceCallRequest.class)))
    @APIResponse(responseCode = "200", description = "Answered or failed within the wait",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CallView.class)))
    @APIResponse(responseCode = "202", description = "Dialing; poll statusUrl",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CallView.class)))
    @APIResponse(responseCode = "400", description = "Bad input, naming the field (e.g. to is neither E.164 nor a SIP user such as sip:alice)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "406", description = "The Accept header allows no JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The room already has a call or a running session, or the Idempotency-Key was used for something else",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Outbound calls are not configured: no trunk, or no running call controller can dial (the "
            + "detail says which service lacks what and what to set); or Kafka did not acknowledge the dial in time (it may still be placed: the problem names its commandId)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> place(@Valid PlaceCallRequest body, @BeanParam DialParameters params) {
        var common = parameters.parse(params);
        var order = CommandRequests.required(body, PlaceCallRequest.EXAMPLE)
                .toOrder(common.issuer(), common.caller().tenant(), common.idempotencyKey(), common.waitUpTo());
        return dialer.dial(order).map(CallsResource::response);
    }

    @GET
    @RequiresScope(Scopes.CALLS_READ)
    @Operation(summary = "The outbound calls this gateway knows, the latest first",
            description = "Only the token's tenant's (every tenant's with tenants:all): those dialled through any gateway while it ran"
                    + " (it reads every dial on the call-control topic), including the ones still ringing or failed, which have no"
                    + " session. ?state= filters (dialing, answered, failed, ended; comma-separated or repeated). Ended and failed"
                    + " calls are forgotten after switchboard.gateway.sessions.ended-retention.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CallList.class)))
    @APIResponse(responseCode = "400", description = "Unknown state",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.CallList list(@Parameter(description = "dialing, answered, failed, ended (comma-separated, or the parameter repeated)")
                                      @RestQuery List<String> state) {
        Set<CallState> wanted = wantedStates(received.queryValues("state", state)); // an empty ?state= is refused, not "any"
        Caller who = caller.get();
        return new GatewayViews.CallList(calls.all().stream()
                .filter(call -> wanted.contains(call.state()) && who.mayAccess(tenantOf(call)))
                .map(GatewayViews.CallView::of)
                .toList());
    }

    @GET
    @RequiresScope(Scopes.CALLS_READ)
    @Path("{room}")
    @Operation(summary = "The latest outbound call of a room: DIALING, ANSWERED, FAILED (with the reason) or ENDED (with the end reason)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CallView.class)))
    @APIResponse(responseCode = "404", description = "No outbound call is known for the room",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.CallView get(@RestPath String room) {
        return calls.find(room).filter(call -> caller.mayAccess(tenantOf(call))).map(GatewayViews.CallView::of)
                .orElseThrow(() -> new ProblemException(GatewayProblems.CALL_NOT_FOUND, "no outbound call is known for room \"" + room
                        + "\" (ended calls are forgotten after switchboard.gateway.sessions.ended-retention)"));
    }

    private static Set<CallState> wantedStates(List<String> state) {
        Set<CallState> named = EnumList.parse("state", state, CallState.class);
        return named.isEmpty() ? EnumSet.allOf(CallState.class) : named;
    }

    /** Whose call it is: the tenant that placed it, else its session's (a dial another system published). */
    private String tenantOf(OutboundCall call) {
        return call.tenant() != null ? call.tenant() : sessions.find(call.room()).map(LiveSession::tenant).orElse(null);
    }

    private static Response response(DialReply reply) {
        var view = GatewayViews.CallView.of(reply.call());
        return switch (reply) {
            case DialReply.Dialed dialed -> Response.ok(view).type(MediaType.APPLICATION_JSON).build();
            case DialReply.Pending pending -> Response.accepted(view).type(MediaType.APPLICATION_JSON)
                    .location(URI.create(view.statusUrl())).build();
        };
    }
}
