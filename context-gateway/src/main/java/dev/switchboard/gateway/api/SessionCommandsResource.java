package dev.switchboard.gateway.api;

import dev.switchboard.gateway.api.CallRequests.TransferRequest;
import dev.switchboard.gateway.api.CommandRequests.DtmfRequest;
import dev.switchboard.gateway.api.CommandRequests.HangupRequest;
import dev.switchboard.gateway.api.CommandRequests.InjectContextRequest;
import dev.switchboard.gateway.api.CommandRequests.InstructionsRequest;
import dev.switchboard.gateway.api.CommandRequests.InterruptRequest;
import dev.switchboard.gateway.api.CommandRequests.SayRequest;
import dev.switchboard.gateway.commands.CommandDispatcher;
import dev.switchboard.gateway.commands.CommandOrder;
import dev.switchboard.gateway.commands.HangupOrder;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Steers a live call: each endpoint publishes one command for the room's session and, unless {@code ?wait=0},
 * waits (bounded) for what became of it.
 */
@APIResponses({
        @APIResponse(responseCode = "200", description = "Applied by the worker",
                content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CommandView.class))),
        @APIResponse(responseCode = "202", description = "Published; no result within the wait. Poll statusUrl.",
                content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CommandView.class))),
        @APIResponse(responseCode = "400", description = "Bad input, naming the field",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "401", description = "No valid bearer token",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "403", description = "The token lacks the scope calls:control",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "404", description = "No known session for the room (for a hang-up: nor a dial of the "
                + "token's tenant that has no session yet), or no worker runs it (UNKNOWN_SESSION)",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "409", description = "Session ended or ending, command rejected by the worker, or Idempotency-Key reused",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "415", description = "The body is not application/json",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the command in time (it may still arrive: the problem names its commandId); for a transfer also: no running call "
                + "controller can transfer calls (the detail says what to set)",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(responseCode = "504", description = "The command expired before it was applied",
                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))})
// The class has the sessions' path and each method the rest: RESTEasy Reactive picks a class by its path first, and a
// class path of its own (/v1/sessions/{room}) made a wrong method on a command route a 404 instead of a 405.
@Path("/v1/sessions")
@RequiresScope(Scopes.CALLS_CONTROL)
@Tag(name = "Commands", description = "Steer a live call")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionCommandsResource {
    private final CommandDispatcher dispatcher;
    private final RequestParameters parameters;

    SessionCommandsResource(CommandDispatcher dispatcher, RequestParameters parameters) {
        this.dispatcher = dispatcher;
        this.parameters = parameters;
    }

    @POST
    @Path("{room}/context")
    @Operation(summary = "Add a message to the agent's chat context (InjectContext)",
            description = "role system or user; respond=true makes the agent answer now.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InjectContextRequest.class)))
    public Uni<Response> injectContext(@RestPath String room, @Valid InjectContextRequest body, @BeanParam CommandParameters params,
                                       UriInfo uri) {
        var common = parameters.parse(params);
        return submit(room, CommandRequests.required(body, InjectContextRequest.EXAMPLE).toPayload(), common, uri);
    }

    @POST
    @Path("{room}/say")
    @Operation(summary = "Make the agent say a text now (Say)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SayRequest.class)))
    public Uni<Response> say(@RestPath String room, @Valid SayRequest body, @BeanParam CommandParameters params, UriInfo uri) {
        var common = parameters.parse(params);
        return submit(room, CommandRequests.required(body, SayRequest.EXAMPLE).toPayload(), common, uri);
    }

    @POST
    @Path("{room}/interrupt")
    @Operation(summary = "Stop what the agent is saying and cancel the reply being generated (Interrupt)")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InterruptRequest.class)))
    public Uni<Response> interrupt(@RestPath String room, @Valid InterruptRequest body, @BeanParam CommandParameters params, UriInfo uri) {
        var common = parameters.parse(params);
        return submit(room, InterruptRequest.toPayload(body), common, uri);
    }

    @POST
    @Path("{room}/instructions")
    @Operation(summary = "Replace or extend the agent's instructions (UpdateInstructions)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstructionsRequest.class)))
    public Uni<Response> instructions(@RestPath String room, @Valid InstructionsRequest body, @BeanParam CommandParameters params,
                                      UriInfo uri) {
        var common = parameters.parse(params);
        return submit(room, CommandRequests.required(body, InstructionsRequest.EXAMPLE).toPayload(), common, uri);
    }

    @POST
    @Path("{room}/hangup")
    @Operation(summary = "End the call",
            description = "By default the worker says the goodbye, then hangs up (EndSession), and the answer is its result. "
                    + "With immediate=true the call controller hangs up at once (HangupRequested, OPERATOR_HANGUP): 200 when the "
                    + "CallEnded event was seen, 202 when the wait ended first. A call that has already ended answers 200. "
                    + "An outbound call of the token's tenant that has no session yet (DIALING: the phone still rings) is "
                    + "cancelled the same way, with or without immediate: the call controller deletes the room, which stops "
                    + "the ringing, and GET /v1/calls/{room} then shows it FAILED with failure.reason CANCELLED.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HangupRequest.class)))
    public Uni<Response> hangup(@RestPath String room, @Valid HangupRequest body, @BeanParam CommandParameters params, UriInfo uri) {
        var common = parameters.parse(params);
        HangupRequest hangup = body == null ? HangupRequest.DEFAULT : body;
        // A dial with no agent session yet (still ringing) has nobody to say a goodbye: its hang-up cancels it at once,
        // and a retry of that request is the same immediate hang-up, though the dial has ended since.
        if (!hangup.isImmediate() && !dispatcher.reachesUnansweredDial(room, common.sessionId(), common.caller())
                && !dispatcher.hungUpNowBefore(common.idempotencyKey(), room, common.caller())) {
            return submit(room, hangup.toPayload(), common, uri);
        }
        var order = new HangupOrder(room, common.sessionId(), hangup.reason(), common.issuer(), common.caller(),
                common.idempotencyKey(), common.waitUpTo());
        return dispatcher.hangUpNow(order).map(reply -> CommandResponses.of(reply, uri.getPath()));
    }

    @POST
    @Path("{room}/dtmf")
    @Operation(summary = "Send keypad tones to the phone caller (SendDtmf)",
            description = "The agent sends the tones (DTMF) on the caller's phone line, after what it is saying now, e.g. to walk "
                    + "an IVR menu on an outbound call. APPLIED once the last tone went out; REJECTED when the caller is not on a "
                    + "phone line.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DtmfRequest.class)))
    public Uni<Response> dtmf(@RestPath String room, @Valid DtmfRequest body, @BeanParam CommandParameters params, UriInfo uri) {
        var common = parameters.parse(params);
        return submit(room, CommandRequests.required(body, DtmfRequest.EXAMPLE).toPayload(), common, uri);
    }

    @POST
    @RequiresScope(Scopes.CALLS_DIAL)
    @Path("{room}/transfer")
    @Operation(summary = "Transfer the phone caller to another number or SIP address (TransferCall)",
            description = "A cold transfer: the agent says the announcement (if any), then the call controller transfers the SIP "
                    + "leg (TransferSIPParticipant). APPLIED once the target took the call, which ends the session (reason "
                    + "TRANSFERRED); a refusal is REJECTED with the SIP status and the agent carries on with the caller. Needs calls:dial.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferRequest.class)))
    public Uni<Response> transfer(@RestPath String room, @Valid TransferRequest body, @BeanParam CommandParameters params, UriInfo uri) {
        var common = parameters.parse(params);
        return submit(room, CommandRequests.required(body, TransferRequest.EXAMPLE).toPayload(), common, uri);
    }

    private Uni<Response> submit(String room, Object payload, RequestParameters.Common common, UriInfo uri) {
        var order = new CommandOrder(room, common.sessionId(), payload, common.issuer(), common.caller(),
                common.idempotencyKey(), common.waitUpTo());
        return dispatcher.submit(order).map(reply -> CommandResponses.of(reply, uri.getPath()));
    }
}
