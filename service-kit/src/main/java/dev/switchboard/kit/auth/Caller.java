package dev.switchboard.kit.auth;

import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who made a request, as its verified bearer token says.
 *
 * @param id     the token's subject ({@code sub}), or for a machine client without one its client id ({@code azp} or
 *               {@code client_id}): what the audit trail names
 * @param tenant the tenant the token acts for ({@code default} when it names none)
 * @param scopes what the token allows ({@link Scopes})
 * @param label  a name for people (the token's preferred_username or name, else the id); never used to decide anything
 */
public record Caller(String id, String tenant, Set<String> scopes, String label) {
    /** The tenant of a token, a session or a record that names none. */
    public static final String DEFAULT_TENANT = "default";
    /** What a tenant name is, in words for error messages. */
    public static final String TENANT_NAME_RULE = "1 to 64 letters, digits, '.', '_', '-'";
    /** A tenant name is safe in logs, metrics, URLs and SQL filters wherever it travels. */
    private static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        scopes = Set.copyOf(scopes);
        label = label == null || label.isBlank() ? id : label;
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** True for an operator with {@link Scopes#TENANTS_ALL}. */
    public boolean seesAllTenants() {
        return has(Scopes.TENANTS_ALL);
    }

    /** Whether this caller may see or touch something of the given tenant (null meaning {@link #DEFAULT_TENANT}). */
    public boolean mayAccess(String tenant) {
        return seesAllTenants() || this.tenant.equals(tenantOrDefault(tenant));
    }

    /**
     * The issuer of a command this caller sends: its identity and tenant from the token; the display name is the label
     * the request gave (e.g. the X-Switchboard-Issuer header), else the token's.
     */
    public Issuer issuer(String displayLabel) {
        return Issuer.newBuilder()
                .setKind(IssuerKind.OPERATOR)
                .setId(id)
                .setDisplayName(displayLabel == null || displayLabel.isBlank() ? label : displayLabel)
                .setTenant(tenant)
                .build();
    }

    /** The tenant a query is limited to: this caller's, or null for an operator who sees every tenant. */
    public String tenantFilter() {
        return seesAllTenants() ? null : tenant;
    }

    /** Whether this is a tenant name ({@link #TENANT_NAME_RULE}). */
    public static boolean isTenantName(String tenant) {
        return tenant != null && TENANT_NAME.matcher(tenant).matches();
    }

    public static String tenantOrDefault(String tenant) {
        return tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    }
}
