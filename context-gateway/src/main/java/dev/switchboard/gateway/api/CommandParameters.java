package dev.switchboard.gateway.api;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/** The query parameters and headers every command endpoint takes, as received (parsed by {@link RequestParameters}). */
public class CommandParameters {
    @RestQuery
    @Parameter(description = "How long to wait for the result: 0 (answer 202 at once), 500ms, 5s; default 5s, at most 30s")
    String wait;

    @RestQuery
    @Parameter(description = "Only if this is still the room's current session")
    String sessionId;

    @RestHeader(RequestParameters.IDEMPOTENCY_KEY_HEADER)
    @Parameter(description = "Becomes the commandId: a retry with the same key does not create a second command")
    String idempotencyKey;

    @RestHeader(RequestParameters.ISSUER_HEADER)
    @Parameter(description = "A label for people, kept as the issuer's displayName; who issued the command is always the "
            + "bearer token's subject")
    String issuer;
}
