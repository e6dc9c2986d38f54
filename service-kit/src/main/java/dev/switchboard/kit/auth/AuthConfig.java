package dev.switchboard.kit.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Where a token keeps what Switchboard reads besides the standard claims. The token itself is verified by SmallRye JWT
 * with the standard {@code mp.jwt.verify.*} settings (issuer, audiences, key or JWKS location).
 */
@ConfigMapping(prefix = "switchboard.auth")
public interface AuthConfig {
    /**
     * The claim that holds the scopes (a space-separated string or an array; a dotted path such as
     * {@code realm_access.roles} reaches into an object). Unset: the union of {@code scope}, {@code scp} and
     * {@code groups}, which covers Keycloak, Auth0, Okta, Entra ID and Google.
     */
    Optional<String> scopeClaim();

    /** The claim that names the tenant; a token without it acts for {@link #defaultTenant()}. */
    @WithDefault("tenant")
    String tenantClaim();

    /**
     * The tenant a token without the tenant claim acts for ({@code SWITCHBOARD_AUTH_DEFAULT_TENANT}, default
     * {@code default}). Set empty where every token must name its tenant: a token without the claim is then refused
     * with 401, except an operator's with {@code tenants:all}, which sees every tenant and acts as {@code default} for
     * what it sends itself. A value that is not a tenant name stops the service at start.
     */
    @WithDefault(Caller.DEFAULT_TENANT)
    Optional<String> defaultTenant();
}
