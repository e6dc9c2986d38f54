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
    @Parameter(description = "Per tenant: a retry with the same key from the same tenant does not create a second command, the same key "
            + "from another tenant is another command. Becomes the commandId: the key itself for the tenant default, "
            + "TENANT:KEY for any other tenant (and for a default key with a colon). A retry must be the same request: the key "
            + "again with another body, room or command is 409 idempotency-key-reused")
    String idempotencyKey;

    @RestHeader(RequestParameters.ISSUER_HEADER)
    @Parameter(description = "A label for people, kept as the issuer's displayName; who issued the command is always the "
            + "bearer token's subject")
    String issuer;
}
