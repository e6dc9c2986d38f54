package dev.switchboard.gateway.api;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/** The query parameter and headers of {@code POST /v1/calls}, as received (parsed by {@link RequestParameters}). */
public class DialParameters {
    @RestQuery
    @Parameter(description = "How long to wait for the call to be answered or to fail: 0 or absent answers 202 at once; "
            + "e.g. 45s; at most switchboard.gateway.calls.max-wait (60s)")
    String wait;

    @RestHeader(RequestParameters.IDEMPOTENCY_KEY_HEADER)
    @Parameter(description = "Per tenant: a retry with the same key from the same tenant never rings the phone again, the same key "
            + "from another tenant is another call. Becomes the dial's commandId: the key itself for the tenant default, "
            + "TENANT:KEY for any other tenant (and for a default key with a colon). A retry must be the same request: the key "
            + "again with another number, room or settings is 409 idempotency-key-reused")
    String idempotencyKey;

    @RestHeader(RequestParameters.ISSUER_HEADER)
    @Parameter(description = "A label for people, kept as the issuer's displayName of the dial; who places the call (the "
            + "issuer id in the DialRequested and the audit) is always the bearer token's subject")
    String issuer;
}
