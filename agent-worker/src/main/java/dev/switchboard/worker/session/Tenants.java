package dev.switchboard.worker.session;

import dev.switchboard.kit.auth.Caller;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenant names: every session belongs to one, {@value #DEFAULT} when nothing says otherwise. A name is 1 to 64 letters,
 * digits, {@code . _ -}, so it is safe in logs, metrics, URLs and SQL filters wherever it travels.
 */
public final class Tenants {
    public static final String DEFAULT = Caller.DEFAULT_TENANT;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Tenants() {
    }

    /** The tenant, or {@value #DEFAULT} for null or blank. */
    public static String orDefault(String tenant) {
        return Caller.tenantOrDefault(tenant);
    }

    public static boolean isValid(String tenant) {
        return tenant != null && NAME.matcher(tenant).matches();
    }

    /** The value as a tenant name when it is a valid one. */
    public static Optional<String> parse(String value) {
        return isValid(value) ? Optional.of(value) : Optional.empty();
    }
}
