package dev.switchboard.gateway.commands;

import dev.switchboard.kit.auth.Caller;

import java.nio.charset.StandardCharsets;

/**
 * Idempotency-Keys belong to the tenant of the token that sends them: the same key from two tenants is two independent
 * requests. A key becomes a commandId that names the caller's tenant, so two tenants' keys never make the same command
 * id (nor, for a dial, the same generated room), and no tenant can pick a key that becomes another tenant's id.
 *
 * <p>The tenant {@code default} (a single-tenant deployment) keeps its keys as they are, as before: its commandId is the
 * key itself, unless the key has a {@code :} in it. Every other key becomes {@code TENANT:KEY}, the tenant percent-encoded
 * so that it has no {@code :} (nor anything a URL path would need escaped): ids with a {@code :} name their tenant before
 * the first one, ids without one are the default tenant's, so no two (tenant, key) pairs share an id.
 */
public final class IdempotencyKeys {
    private IdempotencyKeys() {
    }

    /** The commandId a request from this tenant with this Idempotency-Key gets; null when there is no key. */
    public static String commandId(String tenant, String idempotencyKey) {
        if (idempotencyKey == null) {
            return null;
        }
        String owner = Caller.tenantOrDefault(tenant);
        if (owner.equals(Caller.DEFAULT_TENANT) && idempotencyKey.indexOf(':') < 0) {
            return idempotencyKey;
        }
        return encoded(owner) + ":" + idempotencyKey;
    }

    /** Letters, digits, '.', '_' and '-' as they are; every other byte (':' and '%' among them) as %XX. */
    private static String encoded(String tenant) {
        StringBuilder out = new StringBuilder(tenant.length());
        for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
