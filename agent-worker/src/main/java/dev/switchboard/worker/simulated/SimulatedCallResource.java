package dev.switchboard.worker.simulated;

import dev.switchboard.kit.auth.AccessRefused;
import dev.switchboard.kit.auth.AuthProblems;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.validation.BoundedMetadata;
import dev.switchboard.worker.api.StorableText;
import dev.switchboard.worker.api.WorkerProblems;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.AgentSettings;
import dev.switchboard.worker.session.TurnResult;
import jakarta.enterprise.event.Event;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Simulated calls: the whole platform without a LiveKit server. Text stands in for speech; everything else
 * (the session, its chat context, commands, transcripts, the hang-up through the call controller) is the same
 * as in a real call.
 */
@Path("/v1/simulated-calls")
@RequiresScope(Scopes.CALLS_SIMULATE)
@Tag(name = "Simulated calls", description = "Calls without LiveKit: text in, text out")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SimulatedCallResource {
    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(90);

    public record StartCall(
            @Pattern(regexp = "(?!\\.\\.?$)[A-Za-z0-9_.:=-]{1,128}", message = "room may use letters, digits and _ . : = - (1 to 128 characters), and is not . or .. (no URL can name those)") String room,
            @Size(max = 20_000, message = "instructions are limited to 20000 characters") @StorableText String instructions,
            @Pattern(regexp = "\\+?[0-9]{3,20}", message = "callerNumber must be a phone number such as +15550100") String callerNumber,
            @BoundedMetadata Map<String, String> metadata,
            // Absent: the token's tenant. Another tenant's only for an operator whose token has tenants:all.
            @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "tenant may use letters, digits and . _ - (1 to 64 characters)") String tenant) {
    }

    public record Utterance(@NotBlank(message = "text must not be empty") @StorableText String text) {
    }

    public record SpokenLine(String text, Instant at) {
    }

    public record KeyPresses(@NotBlank(message = "digits must not be empty")
                             @Pattern(regexp = "[0-9*#A-Da-d]{1,64}", message = "digits may only hold 0-9, *, # and A-D (1 to 64 keys)") String digits) {
    }

    public record CallView(String room, String sessionId, String state, Instant startedAt, Instant endedAt, List<SpokenLine> agentSaid,
                           String tenant, String tonesSent) {
    }

    /** The keys a simulated phone caller pressed, as the agent receives them. */
    public record Pressed(String room, String pressed) {
    }

    public record TurnView(String room, String sessionId, List<String> replies, String state, boolean ended) {
    }

    private final SimulatedCalls calls;
    private final AgentSettings settings;
    private final CurrentCaller caller;
    private final Event<AccessRefused> refusals;

    SimulatedCallResource(SimulatedCalls calls, AgentSettings settings, CurrentCaller caller, Event<AccessRefused> refusals) {
        this.calls = calls;
        this.settings = settings;
        this.caller = caller;
        this.refusals = refusals;
    }

    @POST
    @Operation(summary = "Start a simulated call", description = "Starts an agent session in the room (a generated name when none is given).")
    @APIResponse(responseCode = "201", description = "The call is running", content = @Content(schema = @Schema(implementation = CallView.class)))
    @APIResponse(responseCode = "403", description = "The body names another tenant and the token lacks tenants:all")
    @APIResponse(responseCode = "409", description = "A session already runs in that room")
    @APIResponse(responseCode = "429", description = "The worker runs as many simulated calls as it allows, all tenants' together"
            + " (SWITCHBOARD_SIMULATED_MAX_CALLS): retry after Retry-After")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the session's start in time: no call was started (retry after Retry-After)")
    public Response start(@Valid StartCall request) throws InterruptedException {
        StartCall body = request == null ? new StartCall(null, null, null, null, null) : request;
        SimulatedCalls.Call call = await(calls.start(body.room(), body.instructions(), body.callerNumber(), body.metadata(), tenantOf(body)),
                Duration.ofSeconds(30));
        return Response.created(URI.create("/v1/simulated-calls/" + call.session().room())).entity(view(call)).build();
    }

    @POST
    @Path("/{room}/utterances")
    @Operation(summary = "The caller says something", description = "Runs the agent's turn and returns what it answered.")
    @APIResponse(responseCode = "200", description = "The agent's reply")
    @APIResponse(responseCode = "404", description = "No simulated call in that room")
    @APIResponse(responseCode = "409", description = "The call is ending or has ended")
    @APIResponse(responseCode = "502", description = "The LLM failed")
    public TurnView say(@PathParam("room") String room, @Valid Utterance utterance) throws InterruptedException {
        if (utterance == null) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "a JSON body {\"text\": \"...\"} is required");
        }
        if (utterance.text().length() > settings.maxTextLength()) {
            throw new ProblemException(Response.Status.BAD_REQUEST,
                    "text is " + utterance.text().length() + " characters; the limit is " + settings.maxTextLength());
        }
        AgentSession session = find(room).session();
        TurnResult turn = await(session.callerSaid(utterance.text()), TURN_TIMEOUT,
                "the agent did not answer within " + TURN_TIMEOUT.toSeconds() + " s (a slow or unreachable LLM: the worker's log says which)");
        return new TurnView(room, session.sessionId(), turn.spoken(), turn.stateAfter().name(), turn.stateAfter() != AgentSession.State.ACTIVE);
    }

    @POST
    @Path("/{room}/dtmf")
    @Operation(summary = "The caller presses keys on their phone", description = "Only on a call started with a callerNumber (a phone"
            + " caller). The keys reach the agent as a keypad entry, which ends with # or a pause; it answers as after speech.")
    @APIResponse(responseCode = "202", description = "The keys were pressed", content = @Content(schema = @Schema(implementation = Pressed.class)))
    @APIResponse(responseCode = "404", description = "No simulated call in that room")
    @APIResponse(responseCode = "409", description = "The caller has no phone keypad, or the call has ended")
    public Response press(@PathParam("room") String room, @Valid KeyPresses keys) {
        if (keys == null) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "a JSON body {\"digits\": \"...\"} is required");
        }
        SimulatedCalls.Call call = find(room);
        if (!call.transport().hasKeypad()) {
            throw new ProblemException(WorkerProblems.NO_KEYPAD, "the simulated caller in room " + room
                    + " is not on a phone line (start the call with a callerNumber to give it a keypad)");
        }
        if (call.session().state() != AgentSession.State.ACTIVE) {
            throw new ProblemException(call.session().state() == AgentSession.State.ENDING ? WorkerProblems.SESSION_ENDING
                    : WorkerProblems.SESSION_ENDED, "the call in room " + room + " is " + call.session().state());
        }
        for (String key : keys.digits().split("")) {
            call.session().callerPressed(call.transport().callerIdentity(), key);
        }
        return Response.accepted(new Pressed(room, keys.digits().toUpperCase(Locale.ROOT))).build();
    }

    @GET
    @Operation(summary = "List this worker's simulated calls")
    public List<CallView> list() {
        return calls.all().stream().filter(call -> caller.mayAccess(call.session().tenant())).map(this::view).toList();
    }

    @GET
    @Path("/{room}")
    @Operation(summary = "A simulated call: its state and everything the agent said")
    @APIResponse(responseCode = "200", description = "The call")
    @APIResponse(responseCode = "404", description = "No simulated call in that room")
    public CallView get(@PathParam("room") String room) {
        return view(find(room));
    }

    @DELETE
    @Path("/{room}")
    @Operation(summary = "The caller hangs up", description = "Ends the session (CALLER_HANGUP) once its last lines are published.")
    @APIResponse(responseCode = "204", description = "The call has ended")
    @APIResponse(responseCode = "404", description = "No simulated call in that room")
    public Response hangUp(@PathParam("room") String room) throws InterruptedException {
        await(find(room).session().callerHungUp(), Duration.ofSeconds(30));
        return Response.noContent().build();
    }

    /** The call's tenant: the token's, or the one the body names when the token may act for every tenant. */
    private String tenantOf(StartCall body) {
        Caller who = caller.get();
        if (body.tenant() == null || body.tenant().equals(who.tenant())) {
            return who.tenant();
        }
        if (!who.seesAllTenants()) {
            // Refused as a route's missing scope is: audited, with the scope named and the challenge.
            refusals.fire(new AccessRefused(who, Scopes.TENANTS_ALL, "POST", "/v1/simulated-calls", Instant.now()));
            throw AuthProblems.scopeNeeded(Scopes.TENANTS_ALL, "starting a call for another tenant than the token's ('"
                    + who.tenant() + "') needs the scope " + Scopes.TENANTS_ALL);
        }
        return body.tenant();
    }

    /** The call in the room, if the caller may see it: another tenant's call is answered as if it did not exist. */
    private SimulatedCalls.Call find(String room) {
        return calls.find(room, caller::mayAccess).orElseThrow(() -> ProblemException.sessionNotFound(
                "no simulated call in room " + room + " on this worker"));
    }

    private CallView view(SimulatedCalls.Call call) {
        return new CallView(call.session().room(), call.session().sessionId(), call.session().state().name(), call.startedAt(),
                calls.endedAt(call).orElse(null),
                call.transport().outbox().stream().map(u -> new SpokenLine(u.text(), u.at())).toList(), call.session().tenant(),
                call.transport().tonesSent().stream().map(tone -> String.valueOf(tone.tone())).collect(Collectors.joining()));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) throws InterruptedException {
        return await(future, timeout, "no answer within " + timeout.toSeconds() + " s");
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout, String timedOut)
            throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProblemException(Response.Status.GATEWAY_TIMEOUT, timedOut);
        } catch (CancellationException e) {
            throw new ProblemException(WorkerProblems.TURN_INTERRUPTED, "the turn was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException kafka) {
                // The only timeout a call's future fails with: Kafka did not acknowledge the session's start.
                throw new ProblemException(WorkerProblems.PUBLISH_FAILED, kafka.getMessage() + "; the call was not started")
                        .header("Retry-After", "5");
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                if (runtime instanceof CancellationException) {
                    throw new ProblemException(WorkerProblems.TURN_INTERRUPTED, "the turn was interrupted");
                }
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
