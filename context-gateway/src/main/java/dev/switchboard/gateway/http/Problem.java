package dev.switchboard.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every error this service answers. Problems about a command carry its
 * id, its status and the reason the worker (or the watchdog) gave, as extension members.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)")
public record Problem(String type, String title, int status, String detail, String instance,
                      String room, String commandId, String commandStatus, String reason) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status().getStatusCode(), detail, instance, null, null, null, null);
    }

    public Problem about(String room, String commandId, String commandStatus, String reason) {
        return new Problem(type, title, status, detail, instance, room, commandId, commandStatus, reason);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
