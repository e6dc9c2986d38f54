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

    /** The claim that names the tenant; a token without it acts for the tenant {@code default}. */
    @WithDefault("tenant")
    String tenantClaim();
}
