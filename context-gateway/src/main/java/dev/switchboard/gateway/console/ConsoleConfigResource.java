package dev.switchboard.gateway.console;

import dev.switchboard.kit.auth.AnyValidToken;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.auth.CurrentCaller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Optional;

/**
 * What the console needs to know after sign-in: where the transcript service is (the same origin behind one Ingress,
 * another port in the local stack) and who the token is, so it offers only the actions the token's scopes allow. Any
 * valid token may ask: it learns nothing but its own claims as the services read them.
 */
@Path("/console/config")
@AnyValidToken
@Tag(name = "Console")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleConfigResource {
    private final CurrentCaller caller;
    private final Optional<String> transcriptsUrl;

    ConsoleConfigResource(CurrentCaller caller,
                          @ConfigProperty(name = "switchboard.console.transcripts-url") Optional<String> transcriptsUrl) {
        this.caller = caller;
        this.transcriptsUrl = transcriptsUrl;
    }

    @Schema(name = "ConsoleConfig")
    public record ConsoleConfig(
            @Schema(description = "The transcript service's base URL; empty: the same origin as the console") String transcriptsUrl,
            @Schema(description = "The token's subject") String subject,
            String tenant, List<String> scopes) {
    }

    @GET
    @Operation(summary = "The console's settings and the caller as the services see its token")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsoleConfig.class)))
    public ConsoleConfig get() {
        Caller who = caller.get();
        String base = transcriptsUrl.map(String::strip).map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url).orElse("");
        return new ConsoleConfig(base, who.id(), who.tenant(), who.scopes().stream().sorted().toList());
    }
}
