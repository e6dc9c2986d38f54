package dev.switchboard.transcripts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem detail, the body of every error this service answers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(Response.StatusType status, String detail, String instance) {
        Problem problem = new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, instance);
        return Response.status(status.getStatusCode()).type(MEDIA_TYPE).entity(problem).build();
    }
}
