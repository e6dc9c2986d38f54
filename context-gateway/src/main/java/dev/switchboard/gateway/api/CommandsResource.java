package dev.switchboard.gateway.api;

import dev.switchboard.gateway.commands.CommandStore;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** What became of a command: the ones this instance issued and every result it has seen. */
@Path("/v1/commands")
@RequiresScope(Scopes.CALLS_READ)
@Tag(name = "Commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandsResource {
    private final CommandStore store;
    private final CurrentCaller caller;

    CommandsResource(CommandStore store, CurrentCaller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Path("{commandId}")
    @Operation(summary = "The status of a command: PENDING, APPLIED, REJECTED, EXPIRED or UNKNOWN_SESSION",
            description = "Commands are remembered for a bounded time (switchboard.gateway.command-store.*).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatewayViews.CommandView.class)))
    @APIResponse(responseCode = "404", description = "Unknown (or forgotten) command",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GatewayViews.CommandView get(@RestPath String commandId) {
        return store.find(commandId).filter(command -> caller.mayAccess(command.tenant())).map(GatewayViews.CommandView::of)
                .orElseThrow(() -> new ProblemException(GatewayProblems.COMMAND_NOT_FOUND, "no command \"" + commandId
                        + "\" is known here (it may be older than the command store keeps)"));
    }
}
