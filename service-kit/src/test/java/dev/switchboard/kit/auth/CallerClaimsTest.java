package dev.switchboard.kit.auth;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a caller is read from the claims different providers use, and when a service refuses to start. */
class CallerClaimsTest {
    private static final CallerClaims DEFAULTS = new CallerClaims(Optional.empty(), "tenant");

    /** Claims as SmallRye JWT hands them out: strings as they are, arrays and objects as JSON values. */
    private record Token(Map<String, Object> claims) implements JsonWebToken {
        @Override
        public String getName() {
            return (String) claims.get("sub");
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T getClaim(String name) {
            return (T) claims.get(name);
        }
    }

    @Test
    void anOAuthScopeStringWithATenant() {
        Caller caller = DEFAULTS.read(new Token(Map.of("sub", "crm", "scope", "openid calls:read  calls:control", "tenant", "acme",
                "preferred_username", "CRM integration"))).orElseThrow();
        assertThat(caller).isEqualTo(new Caller("crm", "acme", Set.of("openid", "calls:read", "calls:control"), "CRM integration"));
        assertThat(caller.mayAccess("acme")).isTrue();
        assertThat(caller.mayAccess("globex")).isFalse();
        assertThat(caller.mayAccess(null)).isFalse();
        assertThat(caller.tenantFilter()).isEqualTo("acme");
    }

    @Test
    void aTenantClaimThatIsNotOneTenantNameRefusesTheToken() {
        Map<String, Object> notOneName = Map.of(
                "an array", Json.createArrayBuilder().add("acme").build(),
                "an object", Json.createObjectBuilder().add("id", "acme").build(),
                "a boolean", JsonValue.TRUE);
        notOneName.forEach((kind, tenant) -> assertThatThrownBy(() -> DEFAULTS.read(new Token(Map.of("sub", "u1", "tenant", tenant))))
                .as(kind).isInstanceOf(CallerClaims.Unacceptable.class)
                .hasMessage("the tenant claim (tenant) must be one tenant name, not " + kind));
        // padded names too: an identity provider's mapper that pads "acme " does not make its users tenant acme
        for (String invalid : List.of("ac%me/../x", "a b", "a\u0000b", "ДЕФОЛТ", "x".repeat(65), " acme", "acme ", "acme\t", "acme\n")) {
            assertThatThrownBy(() -> DEFAULTS.read(new Token(Map.of("sub", "u1", "tenant", invalid)))).as(invalid)
                    .isInstanceOf(CallerClaims.Unacceptable.class).hasMessageContaining("is not a tenant name")
                    .hasMessageNotContaining(invalid);
        }
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "u1", "tenant", "acme-eu.1_x"))).orElseThrow().tenant()).isEqualTo("acme-eu.1_x");
        for (Object number : List.of(42, 4.0, Json.createValue(4), Json.createValue(4.0))) {
            assertThatThrownBy(() -> DEFAULTS.read(new Token(Map.of("sub", "u1", "tenant", number)))).as("a number is no name: " + number)
                    .isInstanceOf(CallerClaims.Unacceptable.class).hasMessage("the tenant claim (tenant) must be one tenant name, not a number");
        }
        for (String blank : List.of("", "  ")) {
            assertThatThrownBy(() -> DEFAULTS.read(new Token(Map.of("sub", "u1", "tenant", blank)))).as("blank is not leaving it out")
                    .isInstanceOf(CallerClaims.Unacceptable.class).hasMessage("the tenant claim (tenant) is empty; leave it out to act for the tenant default");
        }
        assertThatThrownBy(() -> DEFAULTS.read(new Token(Map.of("sub", "u1", "tenant", JsonValue.NULL)))).as("null is not leaving it out")
                .isInstanceOf(CallerClaims.Unacceptable.class).hasMessage("the tenant claim (tenant) is null; leave it out to act for the tenant default");
    }

    @Test
    void aTenantClaimWrittenAsANumberIsRefusedAsSmallRyeJwtHandsItOut() throws InvalidJwtException {
        for (String number : List.of("4.0", "4")) {
            JsonWebToken written = new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"mallory\",\"tenant\":" + number
                    + ",\"scope\":\"calls:read\"}"));
            assertThatThrownBy(() -> DEFAULTS.read(written)).as(number).isInstanceOf(CallerClaims.Unacceptable.class)
                    .hasMessage("the tenant claim (tenant) must be one tenant name, not a number")
                    .extracting(failure -> ((CallerClaims.Unacceptable) failure).claim()).isEqualTo("tenant");
        }
        JsonWebToken text = new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"alice\",\"tenant\":\"4\"}"));
        assertThat(DEFAULTS.read(text).orElseThrow().tenant()).as("the same name as a string is one").isEqualTo("4");
    }

    @Test
    void aTenantClaimWrittenAsNullIsRefusedAsSmallRyeJwtHandsItOut() throws InvalidJwtException {
        // SmallRye's principal gives a JSON null claim as Java null, like an absent one: only its name tells them apart.
        JsonWebToken written = new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"mallory\",\"tenant\":null,\"scope\":\"calls:read\"}"));
        assertThatThrownBy(() -> DEFAULTS.read(written)).isInstanceOf(CallerClaims.Unacceptable.class)
                .hasMessage("the tenant claim (tenant) is null; leave it out to act for the tenant default");

        JsonWebToken absent = new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"alice\",\"scope\":\"calls:read\"}"));
        assertThat(DEFAULTS.read(absent).orElseThrow().tenant()).isEqualTo("default");
        JsonWebToken named = new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"alice\",\"tenant\":\"acme\"}"));
        assertThat(DEFAULTS.read(named).orElseThrow().tenant()).isEqualTo("acme");
    }

    @Test
    void aSubjectThatIsNoNameIsRefusedAndADisplayNameThatIsNoneIsNotShown() {
        for (String subject : List.of("x".repeat(201), "alice\nroot", "\u001b]0;pwned\u0007", "bob\u202e")) {
            assertThatThrownBy(() -> DEFAULTS.read(new Token(Map.of("sub", subject)))).as(subject)
                    .isInstanceOf(CallerClaims.Unacceptable.class)
                    .hasMessage("the token's subject (sub, client_id or azp) must be at most 200 printable characters");
        }
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "x".repeat(200)))).orElseThrow().id()).hasSize(200);
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "José Müller-Łukasz 李"))).orElseThrow().id()).isEqualTo("José Müller-Łukasz 李");
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "u1", "name", "Ann\u001b[31m"))).orElseThrow().label()).isEqualTo("u1");
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "u1", "name", "y".repeat(201)))).orElseThrow().label()).isEqualTo("u1");
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "u1", "name", "Ann Lee"))).orElseThrow().label()).isEqualTo("Ann Lee");
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "u1", "name", "Ann\ud800"))).orElseThrow().label()).as("a lone surrogate").isEqualTo("u1");
        assertThat(DEFAULTS.read(new Token(Map.of("sub", "u1", "name", "Ann \ud83d\ude00"))).orElseThrow().label()).isEqualTo("Ann \ud83d\ude00");
    }

    @Test
    void scpArraysAndGroupsCountAndAMissingTenantIsDefault() {
        Caller caller = DEFAULTS.read(new Token(Map.of("sub", "u1",
                "scp", Json.createArrayBuilder().add("calls:read").build(),
                "groups", Set.of("tenants:all")))).orElseThrow();
        assertThat(caller.scopes()).containsExactlyInAnyOrder("calls:read", "tenants:all");
        assertThat(caller.tenant()).isEqualTo("default");
        assertThat(caller.seesAllTenants()).isTrue();
        assertThat(caller.mayAccess("globex")).isTrue();
        assertThat(caller.tenantFilter()).isNull();
        assertThat(caller.label()).isEqualTo("u1");
    }

    @Test
    void withoutADefaultTenantATokenMustNameItsTenantUnlessItSeesEveryTenant() {
        CallerClaims strict = new CallerClaims(Optional.empty(), "tenant", Optional.empty());
        Map<String, Object> absent = new HashMap<>(Map.of("sub", "u1", "scope", "calls:read"));
        assertThatThrownBy(() -> strict.read(new Token(absent)))
                .isInstanceOf(CallerClaims.Unacceptable.class)
                .hasMessage("the token has no tenant claim (tenant), which this service requires")
                .extracting(refused -> ((CallerClaims.Unacceptable) refused).claim()).isEqualTo("tenant");
        assertThatThrownBy(() -> strict.read(new Token(Map.of("sub", "u1", "tenant", JsonValue.NULL))))
                .hasMessage("the tenant claim (tenant) is null; it must name the caller's tenant");
        assertThatThrownBy(() -> strict.read(new Token(Map.of("sub", "u1", "tenant", " "))))
                .hasMessage("the tenant claim (tenant) is empty; it must name the caller's tenant");
        assertThat(strict.read(new Token(Map.of("sub", "u1", "tenant", "acme"))).orElseThrow().tenant()).isEqualTo("acme");

        Caller operator = strict.read(new Token(Map.of("sub", "ops", "scope", "calls:read tenants:all"))).orElseThrow();
        assertThat(operator.tenant()).as("what an operator sends itself").isEqualTo(Caller.DEFAULT_TENANT);
        assertThat(operator.mayAccess("acme")).isTrue();
    }

    @Test
    void aTokenWithoutTheTenantClaimActsForTheConfiguredDefaultTenant() {
        CallerClaims acme = new CallerClaims(Optional.empty(), "tenant", Optional.of("acme"));
        assertThat(acme.read(new Token(Map.of("sub", "u1"))).orElseThrow().tenant()).isEqualTo("acme");
        assertThat(acme.read(new Token(Map.of("sub", "u1", "tenant", "globex"))).orElseThrow().tenant()).isEqualTo("globex");
        assertThatThrownBy(() -> acme.read(new Token(Map.of("sub", "u1", "tenant", ""))))
                .hasMessage("the tenant claim (tenant) is empty; leave it out to act for the tenant acme");
        assertThatThrownBy(() -> new CallerClaims(Optional.empty(), "tenant", Optional.of("ac me")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SWITCHBOARD_AUTH_DEFAULT_TENANT");
    }

    @Test
    void theDefaultTenantSettingKeepsDefaultUnlessItIsSetEmpty() {
        assertThat(authConfig(Map.of()).defaultTenant()).contains(Caller.DEFAULT_TENANT);
        assertThat(authConfig(Map.of("switchboard.auth.default-tenant", "acme")).defaultTenant()).contains("acme");
        assertThat(authConfig(Map.of("switchboard.auth.default-tenant", "")).defaultTenant()).isEmpty();
        assertThat(authConfig(Map.of("SWITCHBOARD_AUTH_DEFAULT_TENANT", "")).defaultTenant()).as("as an environment variable").isEmpty();
    }

    /** The kit's mapping over its own defaults (META-INF/microprofile-config.properties), with a deployment's settings. */
    private static AuthConfig authConfig(Map<String, String> deployment) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(kitDefaults())
                .withSources(new EnvConfigSource(deployment, 300))
                .withMapping(AuthConfig.class)
                .build()
                .getConfigMapping(AuthConfig.class);
    }

    private static PropertiesConfigSource kitDefaults() {
        try {
            for (URL url : Collections.list(CallerClaimsTest.class.getClassLoader().getResources("META-INF/microprofile-config.properties"))) {
                PropertiesConfigSource source = new PropertiesConfigSource(url, 100);
                if (source.getPropertyNames().contains("switchboard.auth.tenant-claim")) {
                    return source;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the kit's microprofile-config.properties is not on the class path");
    }

    @Test
    void aConfiguredClaimIsTheOnlyOneReadAndMayBeANestedPath() {
        CallerClaims keycloakRoles = new CallerClaims(Optional.of("realm_access.roles"), "org");
        Caller caller = keycloakRoles.read(new Token(Map.of("sub", "u2", "scope", "calls:dial", "org", "acme",
                "realm_access", Json.createObjectBuilder().add("roles", Json.createArrayBuilder().add("calls:read")).build())))
                .orElseThrow();
        assertThat(caller.scopes()).containsExactly("calls:read");
        assertThat(caller.tenant()).isEqualTo("acme");
    }

    @Test
    void aMachineTokenWithoutSubjectIsItsClientAndATokenOfNobodyIsNoCaller() {
        assertThat(DEFAULTS.read(new Token(Map.of("azp", "billing-service", "scope", "calls:read"))).orElseThrow().id())
                .isEqualTo("billing-service");
        assertThat(DEFAULTS.read(new Token(Map.of("client_id", "ops-bot"))).orElseThrow().id()).isEqualTo("ops-bot");
        assertThat(DEFAULTS.read(new Token(Map.of("scope", "calls:read")))).isEmpty();
    }

    @Test
    void theIssuerOfACommandIsTheTokensWithTheRequestsLabel() {
        Caller caller = new Caller("crm", "acme", Set.of(), "CRM");
        var issuer = caller.issuer("supervisor-7");
        assertThat(issuer.getId()).isEqualTo("crm");
        assertThat(issuer.getTenant()).isEqualTo("acme");
        assertThat(issuer.getDisplayName()).isEqualTo("supervisor-7");
        assertThat(caller.issuer(null).getDisplayName()).isEqualTo("CRM");
    }

    @Test
    void withoutIssuerAudienceAndKeyAServiceRefusesToStartSayingWhatToSet() {
        List<String> missing = AuthSettings.missing(config(Map.of("mp.jwt.verify.audiences", "switchboard")));
        assertThat(missing).hasSize(2);
        assertThat(String.join(" ", missing)).contains("MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_PUBLICKEY_LOCATION")
                .doesNotContain("MP_JWT_VERIFY_AUDIENCES");
        assertThat(AuthSettings.message(missing)).contains("will not start", "Security");
        assertThat(AuthSettings.missing(config(Map.of("mp.jwt.verify.issuer", "https://idp", "mp.jwt.verify.audiences", "switchboard",
                "mp.jwt.verify.publickey.location", "https://idp/jwks")))).isEmpty();
    }

    @Test
    void aKeyLocationThatCannotBeReadStopsTheServiceAtStartNamingTheSetting(@TempDir Path dir) throws IOException {
        Path pem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----");
        for (String readable : List.of("https://idp/jwks", "http://idp:8080/jwks", pem.toString(), "file:" + pem)) {
            assertThat(AuthSettings.unreadableKey(config(Map.of("mp.jwt.verify.publickey.location", readable)))).as(readable).isEmpty();
        }
        for (String unreadable : List.of("/nonexistent/key.pem", "file:/nonexistent/key.pem", "classpath:nonexistent.pem",
                dir.toString())) {
            assertThat(AuthSettings.unreadableKey(config(Map.of("mp.jwt.verify.publickey.location", unreadable)))).as(unreadable)
                    .hasValueSatisfying(why -> assertThat(why).contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION", unreadable, "readable PEM"));
        }
        assertThat(AuthSettings.unreadableKey(config(Map.of("mp.jwt.verify.publickey.location", "/nonexistent/key.pem",
                "mp.jwt.verify.publickey", "MIIB...")))).as("the key itself configured").isEmpty();
    }

    private static Config config(Map<String, String> values) {
        return new Config() {
            @SuppressWarnings("unchecked")
            @Override
            public <T> T getValue(String name, Class<T> type) {
                return (T) getOptionalValue(name, type).orElseThrow();
            }

            @SuppressWarnings("unchecked")
            @Override
            public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
                return Optional.ofNullable((T) values.get(name));
            }

            @Override
            public org.eclipse.microprofile.config.ConfigValue getConfigValue(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Iterable<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Iterable<ConfigSource> getConfigSources() {
                return List.of();
            }

            @Override
            public <T> Optional<Converter<T>> getConverter(Class<T> type) {
                return Optional.empty();
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
