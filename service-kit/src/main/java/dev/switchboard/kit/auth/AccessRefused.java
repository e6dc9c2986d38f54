package dev.switchboard.kit.auth;

import java.time.Instant;

/**
 * A caller with a valid token was refused for lack of a scope (a 403): fired as a CDI event by
 * {@link BearerAuthentication}, so a service can put it in the audit trail ({@link RefusalAudits}). Requests without a
 * valid token (401) are not events: anyone can send those, and they name nobody.
 *
 * @param route the route template ({@code /v1/sessions/{room}/say}) when known, else the path
 */
public record AccessRefused(Caller caller, String scope, String method, String route, Instant at) {
}
