package dev.switchboard.testing.auth;

import io.restassured.filter.Filter;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Bearer tokens for tests, signed (RS256, SmallRye JWT's builder) with the test key that every service under test
 * trusts through its ordinary mp.jwt.verify.* settings (this module's microprofile-config.properties): the tokens go
 * through the same verification as a provider's in production. {@link #admin()} is what tests send by default
 * ({@link DefaultBearerToken}); the rest build the tokens a security test needs.
 */
public final class TestTokens {
    public static final String ISSUER = "https://switchboard.test/issuer";
    public static final String AUDIENCE = "switchboard";
    public static final String TENANT_CLAIM = "tenant";
    /** Every scope (kept here as text, so tests do not depend on the service kit). */
    public static final List<String> ALL_SCOPES = List.of("calls:read", "calls:control", "calls:dial", "calls:simulate",
            "transcripts:read", "transcripts:delete", "audit:read", "tenants:all");
    /** Every scope but tenants:all: a token that sees only its own tenant. */
    public static final List<String> TENANT_SCOPES = ALL_SCOPES.stream().filter(s -> !s.equals("tenants:all")).toList();

    private static final PrivateKey KEY = readKey("dev/switchboard/testing/auth/test-private-key.pem");
    private static final String ADMIN = token().sign();

    private TestTokens() {
    }

    /** Subject {@code test-admin}, tenant {@code default}, every scope, valid for an hour. */
    public static String admin() {
        return ADMIN;
    }

    /** A token to shape: subject test-admin, tenant default, every scope, one hour. */
    public static Builder token() {
        return new Builder();
    }

    /** A token of one tenant with every scope except tenants:all. */
    public static String ofTenant(String tenant) {
        return token().tenant(tenant).scopes(TENANT_SCOPES).sign();
    }

    /** A header value: "Bearer " + token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A RestAssured filter that takes the default token off a request (to test a request without any). */
    public static Filter withoutToken() {
        return (request, response, context) -> {
            request.removeHeader("Authorization");
            return context.next(request, response);
        };
    }

    /** A RestAssured filter that sends each given token in an Authorization header of its own, instead of the default one. */
    public static Filter withTokens(String... tokens) {
        return (request, response, context) -> {
            request.removeHeader("Authorization");
            for (String token : tokens) {
                request.header("Authorization", bearer(token));
            }
            return context.next(request, response);
        };
    }

    public static final class Builder {
        private String subject = "test-admin";
        private String tenant = "default";
        private final Set<String> scopes = new LinkedHashSet<>(ALL_SCOPES);
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
        private PrivateKey key = KEY;
        private String scopeClaim = "scope";
        private String displayName;
        private final Map<String, Object> otherClaims = new LinkedHashMap<>();

        /** null leaves sub out (a machine token names its client in azp or client_id instead). */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** null leaves the tenant claim out. */
        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder scopes(String... scopes) {
            return scopes(List.of(scopes));
        }

        public Builder scopes(List<String> scopes) {
            this.scopes.clear();
            this.scopes.addAll(scopes);
            return this;
        }

        public Builder without(String scope) {
            scopes.remove(scope);
            return this;
        }

        /** The claim carrying the scopes: scope (a space-separated string, the default), scp or groups (arrays). */
        public Builder scopeClaim(String claim) {
            this.scopeClaim = claim;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Any other claim, e.g. a tenant claim that is not a string ({@code tenant(null).claim("tenant", List.of("acme"))}). */
        public Builder claim(String name, Object value) {
            otherClaims.put(name, value);
            return this;
        }

        public Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        /** Expired this long ago (beyond the verifier's minute of clock skew). */
        public Builder expiresIn(Duration in) {
            this.expiresAt = Instant.now().plus(in);
            return this;
        }

        public Builder expiredAgo(Duration ago) {
            this.expiresAt = Instant.now().minus(ago);
            return this;
        }

        /** Signed with a fresh key that no service trusts. */
        public Builder wrongKey() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                this.key = generator.generateKeyPair().getPrivate();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        public String sign() {
            // Issued an hour before it expires, as a provider's hour-long tokens are, but never later than now: a token
            // issued in the future is refused.
            Instant issuedAt = expiresAt.minus(Duration.ofHours(1));
            Instant now = Instant.now();
            JwtClaimsBuilder claims = Jwt.issuer(issuer).audience(audience)
                    .issuedAt(issuedAt.isAfter(now) ? now : issuedAt).expiresAt(expiresAt);
            if (subject != null) {
                claims.subject(subject);
            }
            if (tenant != null) {
                claims.claim(TENANT_CLAIM, tenant);
            }
            if (displayName != null) {
                claims.preferredUserName(displayName);
            }
            otherClaims.forEach(claims::claim);
            if (scopeClaim.equals("scope")) {
                claims.claim("scope", String.join(" ", scopes));
            } else {
                claims.claim(scopeClaim, new ArrayList<>(scopes));
            }
            return claims.jws().keyId("switchboard-test").sign(Objects.requireNonNull(key));
        }
    }

    /**
     * A token of the test admin whose payload also carries {@code extraClaimsJson} (members of the claims object, written
     * as they are), signed with the test key: for claims the builder cannot write, e.g. one nested thousands deep.
     */
    public static String signWithRawClaims(String extraClaimsJson) {
        long now = Instant.now().getEpochSecond();
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"test-admin\",\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + ",\"tenant\":\"default\",\"scope\":\"" + String.join(" ", ALL_SCOPES) + "\","
                + extraClaimsJson + "}";
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setKey(KEY);
        jws.setKeyIdHeaderValue("switchboard-test");
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static PrivateKey readKey(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the test signing key " + resource + " is not on the class path");
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("the test signing key cannot be read", e);
        }
    }
}
