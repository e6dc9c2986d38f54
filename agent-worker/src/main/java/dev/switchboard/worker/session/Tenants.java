package dev.switchboard.worker.session;

import dev.switchboard.kit.auth.Caller;

import java.util.Optional;

/**
 * Tenant names: every session belongs to one, {@value #DEFAULT} when nothing says otherwise. A name is 1 to 64 letters,
 * digits, {@code . _ -} ({@link Caller#isTenantName}, the rule tokens' tenant claims follow too), so it is safe in logs,
 * metrics, URLs and SQL filters wherever it travels.
 */
public final class Tenants {
    public static final String DEFAULT = Caller.DEFAULT_TENANT;

    private Tenants() {
    }

    /** The tenant, or {@value #DEFAULT} for null or blank. */
    public static String orDefault(String tenant) {
        return Caller.tenantOrDefault(tenant);
    }

    public static boolean isValid(String tenant) {
        return Caller.isTenantName(tenant);
    }

    /** The value as a tenant name when it is a valid one. */
    public static Optional<String> parse(String value) {
        return isValid(value) ? Optional.of(value) : Optional.empty();
    }
}
