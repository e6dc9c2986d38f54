package dev.switchboard.kit.auth;

import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@link Caller} from a verified token. Providers disagree on where things are: scopes are a space-separated
 * {@code scope} string (OAuth 2, Keycloak, Auth0), an {@code scp} array or string (Okta, Entra ID) or {@code groups}
 * (MicroProfile JWT); machine tokens may have no {@code sub} but an {@code azp} or {@code client_id}.
 */
public final class CallerClaims {
    private static final List<String> DEFAULT_SCOPE_CLAIMS = List.of("scope", "scp", "groups");

    /** The longest subject or display name taken from a token, as for the X-Switchboard-Issuer label. */
    static final int MAX_NAME_LENGTH = 200;

    private final Optional<String> scopeClaim;
    private final String tenantClaim;
    private final Optional<String> defaultTenant;

    /**
     * @param defaultTenant the tenant of a token without the tenant claim; empty: such a token is refused (unless it
     *                      has {@link Scopes#TENANTS_ALL})
     * @throws IllegalArgumentException when the default tenant is not a tenant name
     */
    public CallerClaims(Optional<String> scopeClaim, String tenantClaim, Optional<String> defaultTenant) {
        this.scopeClaim = scopeClaim.filter(claim -> !claim.isBlank());
        this.tenantClaim = tenantClaim;
        this.defaultTenant = defaultTenant.filter(tenant -> !tenant.isBlank());
        this.defaultTenant.filter(tenant -> !Caller.isTenantName(tenant)).ifPresent(tenant -> {
            // A setting, refused at start (AuthSettings): Quarkus reports a ConfigurationException as the message alone.
            throw new ConfigurationException("switchboard.auth.default-tenant (SWITCHBOARD_AUTH_DEFAULT_TENANT) is not a "
                    + "tenant name (" + Caller.TENANT_NAME_RULE + "); set it empty to refuse tokens without the tenant claim");
        });
    }

    /** Tokens without the tenant claim act for {@value Caller#DEFAULT_TENANT}, as they do unless configured otherwise. */
    public CallerClaims(Optional<String> scopeClaim, String tenantClaim) {
        this(scopeClaim, tenantClaim, Optional.of(Caller.DEFAULT_TENANT));
    }

    public CallerClaims(AuthConfig config) {
        this(config.scopeClaim(), config.tenantClaim(), config.defaultTenant());
    }

    /** The caller a verified token describes; empty when it names nobody (no sub, azp nor client_id). */
    public Optional<Caller> read(JsonWebToken token) {
        Optional<String> id = first(token, "sub", "client_id", "azp");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        // The id is written into the audit trail, the commands' issuer and logs: a name, not a payload.
        if (id.get().length() > MAX_NAME_LENGTH || !printable(id.get())) {
            throw new Unacceptable("the token's subject (sub, client_id or azp) must be at most " + MAX_NAME_LENGTH
                    + " printable characters", "sub");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : scopeClaim.map(List::of).orElse(DEFAULT_SCOPE_CLAIMS)) {
            scopes.addAll(strings(claim(token, claim)));
        }
        String tenant = tenant(tenantClaim(token), scopes.contains(Scopes.TENANTS_ALL));
        // A display name is only a label: one that could not be shown as it is falls back to the id.
        String label = first(token, "preferred_username", "name", "upn")
                .filter(name -> name.length() <= MAX_NAME_LENGTH && printable(name)).orElse(id.get());
        return Optional.of(new Caller(id.get(), tenant, scopes, label));
    }

    /**
     * The tenant claim: a tenant name, the caller acts for that tenant. Absent, for the configured default tenant; with
     * none configured the token is refused, unless it is an operator's ({@code tenants:all}): it sees every tenant
     * anyway, and what it sends itself carries {@value Caller#DEFAULT_TENANT} as its issuer's tenant. Anything else
     * refuses the token, a null or an empty or blank text included: reading an array, an object (a provider's
     * multivalued attribute mapper) or the null or empty text a mapper writes for a user without a tenant as "no
     * tenant" would put the caller in the default tenant and show it that tenant's calls. A
     * number is refused too: only a JSON string is a tenant name.
     */
    private String tenant(Object value, boolean seesAllTenants) {
        if (value == JsonValue.NULL) {
            throw new Unacceptable("the tenant claim (" + tenantClaim + ") is null; " + whatToWrite(), tenantClaim);
        }
        if (value == null) {
            return defaultTenant.or(() -> seesAllTenants ? Optional.of(Caller.DEFAULT_TENANT) : Optional.empty())
                    .orElseThrow(() -> new Unacceptable("the token has no tenant claim (" + tenantClaim
                            + "), which this service requires", tenantClaim));
        }
        if ((value instanceof JsonString json && json.getString().isBlank()) || (value instanceof String text && text.isBlank())) {
            throw new Unacceptable("the tenant claim (" + tenantClaim + ") is empty; " + whatToWrite(), tenantClaim);
        }
        // Taken as written: a padded "acme " is not the tenant acme (an identity provider's mapper that pads has a bug the
        // token's owner should hear about, not a tenant it is quietly folded into). Only a JSON string names a tenant: a
        // number (4, or 4.0 read back as the tenant "4.0") is a mapper's mistake too, not a name to guess from.
        String name = string(value).orElseThrow(() -> new Unacceptable("the tenant claim (" + tenantClaim
                + ") must be one tenant name, not " + describe(value), tenantClaim));
        if (!Caller.isTenantName(name)) {
            throw new Unacceptable("the tenant claim (" + tenantClaim + ") is not a tenant name (" + Caller.TENANT_NAME_RULE
                    + ")", tenantClaim);
        }
        return name;
    }

    /** What a token without a tenant name should do instead. */
    private String whatToWrite() {
        return defaultTenant.map(tenant -> "leave it out to act for the tenant " + tenant).orElse("it must name the caller's tenant");
    }

    private static String describe(Object value) {
        return switch (value) {
            case JsonArray ignored -> "an array";
            case Collection<?> ignored -> "an array";
            case JsonObject ignored -> "an object";
            case Map<?, ?> ignored -> "an object";
            case Boolean ignored -> "a boolean";
            case JsonNumber ignored -> "a number";
            case Number ignored -> "a number";
            default -> value == JsonValue.TRUE || value == JsonValue.FALSE ? "a boolean" : "a value of another kind";
        };
    }

    /**
     * The tenant claim's value, {@link JsonValue#NULL} when the token writes it as JSON null: SmallRye JWT hands out a
     * null claim as Java null, as it does an absent one, and only the claim names tell the two apart.
     */
    private Object tenantClaim(JsonWebToken token) {
        Object value = claim(token, tenantClaim);
        if (value == null && token.getClaimNames() != null && token.getClaimNames().contains(tenantClaim)) {
            return JsonValue.NULL;
        }
        return value;
    }

    /** A verified token whose claims cannot describe a caller: refused, with what the client may learn. */
    public static final class Unacceptable extends RuntimeException {
        private final String claim;

        Unacceptable(String message, String claim) {
            super(message, null, false, false);
            this.claim = claim;
        }

        /** The claim at fault, named in the refusal for clients that act on it. */
        public String claim() {
            return claim;
        }
    }

    /**
     * Whether a name people read (a display name, a subject, a label in the console, the command's issuer and the audit
     * trail) shows what it says: no control characters (line breaks, terminal escapes), format characters (a right-to-left
     * override makes "nimda" after U+202E read "admin"), lone surrogates, nor unassigned or private-use code points.
     */
    public static boolean printable(String text) {
        return text.codePoints().allMatch(c -> !Character.isISOControl(c) && Character.isDefined(c)
                && Character.getType(c) != Character.PRIVATE_USE && Character.getType(c) != Character.FORMAT
                && Character.getType(c) != Character.SURROGATE
                && Character.getType(c) != Character.LINE_SEPARATOR && Character.getType(c) != Character.PARAGRAPH_SEPARATOR);
    }

    private static Optional<String> first(JsonWebToken token, String... claims) {
        for (String claim : claims) {
            Optional<String> value = text(claim(token, claim));
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** A claim that is one text, or a number, without the spaces around it; empty when blank. */
    private static Optional<String> text(Object value) {
        return written(value).filter(text -> !text.isBlank()).map(String::strip);
    }

    /** A claim that is one JSON string, exactly as written, spaces and all; empty for anything else, numbers included. */
    private static Optional<String> string(Object value) {
        return Optional.ofNullable(switch (value) {
            case JsonString string -> string.getString();
            case String string -> string;
            case null, default -> null;
        });
    }

    /** A claim that is one text (exactly as written, spaces and all), or a number. */
    private static Optional<String> written(Object value) {
        return Optional.ofNullable(switch (value) {
            case JsonString string -> string.getString();
            case String string -> string;
            case JsonValue json when json.getValueType() == JsonValue.ValueType.NUMBER -> json.toString();
            case Number number -> number.toString();
            case null, default -> null;
        });
    }

    /** A claim by name or dotted path ({@code realm_access.roles}); null when absent. */
    private static Object claim(JsonWebToken token, String path) {
        Object value = token.getClaim(path);
        if (value != null || !path.contains(".")) {
            return value;
        }
        String[] steps = path.split("\\.");
        value = token.getClaim(steps[0]);
        for (String step : Arrays.asList(steps).subList(1, steps.length)) {
            value = switch (value) {
                case JsonObject object -> object.get(step);
                case Map<?, ?> map -> map.get(step);
                case null, default -> null;
            };
        }
        return value;
    }

    /** A claim's strings: a space-separated string is split, an array taken element by element. */
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        switch (value) {
            case null -> {
            }
            case JsonString string -> out.addAll(words(string.getString()));
            case String string -> out.addAll(words(string));
            case JsonArray array -> array.forEach(element -> out.addAll(strings(element)));
            case Collection<?> collection -> collection.forEach(element -> out.addAll(strings(element)));
            case JsonValue json when json.getValueType() == JsonValue.ValueType.NUMBER -> out.add(json.toString());
            case Number number -> out.add(number.toString());
            default -> {
                // An object or a boolean is not a name.
            }
        }
        return out;
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }
}
