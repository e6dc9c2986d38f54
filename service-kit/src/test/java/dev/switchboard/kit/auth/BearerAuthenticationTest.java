package dev.switchboard.kit.auth;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.kit.problem.Problem;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logmanager.ExtLogRecord;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request filter with SmallRye JWT's own parser, configured as a service configures it (mp.jwt.verify.* as
 * {@link JWTAuthContextInfo}) against a JWKS endpoint this test serves, stops or breaks: the path a request takes in
 * production, down to the HTTP fetch of the keys.
 */
class BearerAuthenticationTest {
    static final String ISSUER = "https://idp.test/realms/switchboard";
    private static final String AUDIENCE = "switchboard";
    static final String KEY_ID = "key-1";
    static final RsaJsonWebKey KEY = rsaKey(KEY_ID);
    private static final RsaJsonWebKey OTHER_KEY = rsaKey(KEY_ID);

    /** A resource method as a service has them. */
    static final class Calls {
        @RequiresScope(Scopes.CALLS_READ)
        public void list() {
        }
    }

    record Settings(Optional<String> scopeClaim, String tenantClaim, Optional<String> defaultTenant) implements AuthConfig {
        static Settings defaults() {
            return new Settings(Optional.empty(), "tenant", Optional.of(Caller.DEFAULT_TENANT));
        }
    }

    /** The identity provider's key endpoint: the key set, or the status it is told to answer. */
    private final AtomicInteger jwksStatus = new AtomicInteger(200);
    /** How often the key endpoint was asked. */
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private HttpServer jwks;
    private final KeyLog log = new KeyLog();
    /** The time the filter goes by: now, or later by as much as a test skips. */
    private final SteppedClock clock = SteppedClock.running();

    @BeforeEach
    void startKeyEndpoint() throws IOException {
        String keySet = new JsonWebKeySet(KEY).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            int status = jwksStatus.get();
            byte[] body = (status == 200 ? keySet : "{\"error\":\"down for maintenance\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        log.listen();
    }

    @AfterEach
    void stopKeyEndpoint() {
        log.stopListening();
        jwks.stop(0);
    }

    @Test
    void aKeyEndpointThatRefusesConnectionsIs503WithRetryAfterLoggedOnceWithoutAStackTrace() throws IOException {
        BearerAuthentication auth = filter(settings("http://127.0.0.1:" + closedPort() + "/jwks"), Settings.defaults());

        Response first = auth.authenticate(resource(), bearer(token(KEY, "alice")), request());
        Response second = auth.authenticate(resource(), bearer(token(KEY, "bob")), request());

        for (Response unavailable : List.of(first, second)) {
            assertKeysUnavailable(unavailable);
        }
        List<LogRecord> warnings = log.atLeast(Level.WARNING);
        assertThat(warnings).as("one WARN for the outage, not one per request").hasSize(1);
        assertThat(warnings.getFirst().getThrown()).as("no stack trace").isNull();
        assertThat(message(warnings.getFirst())).contains("ConnectException").contains("cannot be fetched");
    }

    @Test
    void duringAnOutageATokenWhoseClaimsAreWrongIsStillTheClientsMistake() throws IOException {
        BearerAuthentication auth = filter(settings("http://127.0.0.1:" + closedPort() + "/jwks"), Settings.defaults());

        assertInvalidToken(auth.authenticate(resource(), bearer(token(KEY, claims("alice", Instant.now().minus(Duration.ofHours(1))))),
                request()), "the token has expired");
        assertInvalidToken(auth.authenticate(resource(), bearer("not.a.jwt"), request()), "the token is not a valid JWT");
    }

    @Test
    void aKeyEndpointAnsweringAnErrorIs503() {
        jwksStatus.set(500);
        BearerAuthentication auth = filter(settings(jwksUrl()), Settings.defaults());

        assertKeysUnavailable(auth.authenticate(resource(), bearer(token(KEY, "alice")), request()));
        assertThat(message(log.atLeast(Level.WARNING).getFirst()))
                .contains("Non 200 status code (500");
    }

    @Test
    void withTheKeysAValidTokenPassesAndOneSignedByAnotherKeyIs401() {
        BearerAuthentication auth = filter(settings(jwksUrl()), Settings.defaults());

        assertThat(auth.authenticate(resource(), bearer(token(KEY, "alice")), request())).as("verified").isNull();
        assertInvalidToken(auth.authenticate(resource(), bearer(token(OTHER_KEY, "mallory")), request()),
                "the token's signature does not verify");
        assertThat(log.atLeast(Level.WARNING)).as("nothing to report").isEmpty();
    }

    @Test
    void anOutageAfterTheKeysWereFetchedIs503TooButAKeyTheProviderDoesNotHaveIs401() throws Exception {
        JWTAuthContextInfo settings = settings(jwksUrl());
        settings.setJwksRefreshInterval(0); // the key set expires at once: each token makes SmallRye fetch it again
        BearerAuthentication auth = filter(settings, Settings.defaults());
        assertThat(auth.authenticate(resource(), bearer(token(KEY, "alice")), request())).as("keys fetched").isNull();

        jwksStatus.set(503);
        Thread.sleep(400); // jose4j fetches a key set at most every 300 ms
        // SmallRye fails as it does for a token signed by a key it has not got (below); the endpoint tells them apart.
        assertKeysUnavailable(auth.authenticate(resource(), bearer(token(KEY, "bob")), request()));
        assertKeysUnavailable(auth.authenticate(resource(), bearer(token(KEY, "dave")), request()));

        jwksStatus.set(200);
        Thread.sleep(400);
        assertKeysUnavailable(auth.authenticate(resource(), bearer(token(KEY, "carol")), request())); // not asked again yet
        clock.skip(TokenKeys.RETRY_AFTER); // no fetch is tried for Retry-After after one failed
        assertThat(auth.authenticate(resource(), bearer(token(KEY, "carol")), request())).as("the keys are back").isNull();
        assertInvalidToken(auth.authenticate(resource(), bearer(token(rsaKey("key-2"), "mallory")), request()),
                "no trusted key verifies the token's signature");
        assertThat(log.atLeast(Level.INFO).stream().map(r -> r.getLevel().intValue()))
                .as("the outage once, and its end").containsExactly(Level.WARNING.intValue(), Level.INFO.intValue());
    }

    @Test
    void tokensWithUnknownKeyIdsDoNotMakeTheServiceFetchTheKeysWithEachRequest() {
        BearerAuthentication auth = filter(settings(jwksUrl()), Settings.defaults());
        assertThat(auth.authenticate(resource(), bearer(token(KEY, "alice")), request())).as("keys fetched").isNull();
        int fetched = jwksFetches.get();

        // Anyone can send tokens with made-up key ids, one a second for a minute: the provider is not asked each time.
        RsaJsonWebKey unknown = rsaKey("unknown");
        for (int i = 0; i < 60; i++) {
            unknown.setKeyId("unknown-" + i);
            assertInvalidToken(auth.authenticate(resource(), bearer(token(unknown, "mallory")), request()),
                    "no trusted key verifies the token's signature");
            clock.skip(Duration.ofSeconds(1));
        }
        int fetchesForUnknownKeys = jwksFetches.get() - fetched;
        assertThat(fetchesForUnknownKeys).as("SmallRye's one forced refresh (smallrye.jwt.jwks.forced-refresh-interval) and "
                + "the kit's one question whether the endpoint serves keys at all, not one a second").isLessThanOrEqualTo(3);
        assertThat(auth.authenticate(resource(), bearer(token(KEY, "bob")), request())).as("known keys still verify").isNull();
    }

    @Test
    void anOutageThatBeginsAfterTheEndpointWasFoundWorkingIsStill503() throws Exception {
        JWTAuthContextInfo settings = settings(jwksUrl());
        settings.setJwksRefreshInterval(0); // the key set expires at once: each token makes SmallRye fetch it again
        BearerAuthentication auth = filter(settings, Settings.defaults());
        assertThat(auth.authenticate(resource(), bearer(token(KEY, "alice")), request())).isNull();
        assertInvalidToken(auth.authenticate(resource(), bearer(token(rsaKey("key-2"), "mallory")), request()),
                "no trusted key verifies the token's signature"); // the endpoint was asked, and serves keys

        jwksStatus.set(503);
        Thread.sleep(400); // jose4j fetches a key set at most every 300 ms
        assertKeysUnavailable(auth.authenticate(resource(), bearer(token(KEY, "bob")), request()));
    }

    @Test
    void aTokenWithoutTheTenantClaimIsRefusedWhereNoDefaultTenantIsConfigured() throws Exception {
        Settings noDefault = new Settings(Optional.empty(), "org", Optional.empty());
        BearerAuthentication auth = filter(settings(jwksUrl()), noDefault);

        Response refused = auth.authenticate(resource(), bearer(token(KEY, claims("alice", null))), request());
        assertInvalidToken(refused, "the token has no tenant claim (org), which this service requires");
        assertThat(problem(refused).extensions()).containsEntry("claim", "org");

        CurrentCaller operator = new CurrentCaller();
        JwtClaims operatorClaims = claims("ops", null);
        operatorClaims.setStringClaim("scope", Scopes.CALLS_READ + " " + Scopes.TENANTS_ALL);
        assertThat(filter(settings(jwksUrl()), noDefault, operator).authenticate(resource(), bearer(token(KEY, operatorClaims)),
                request())).as("an operator sees every tenant").isNull();
        assertThat(operator.get().tenant()).isEqualTo(Caller.DEFAULT_TENANT);

        JwtClaims acme = claims("alice", null);
        acme.setStringClaim("org", "acme");
        CurrentCaller named = new CurrentCaller();
        assertThat(filter(settings(jwksUrl()), noDefault, named).authenticate(resource(), bearer(token(KEY, acme)), request())).isNull();
        assertThat(named.get().tenant()).isEqualTo("acme");
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheClockSkewIs401AsAnyInvalidToken() throws IOException {
        BearerAuthentication auth = filter(settings(jwksUrl()), Settings.defaults());
        Instant now = Instant.now();

        assertInvalidToken(auth.authenticate(resource(), bearer(token(KEY, issuedAt("mallory", now.plus(Duration.ofMinutes(10))))), request()),
                "the token is not valid yet");
        assertInvalidToken(auth.authenticate(resource(), bearer(token(KEY, issuedAt("mallory", now.plusSeconds(120)))), request()),
                "the token is not valid yet");
        assertThat(auth.authenticate(resource(), bearer(token(KEY, issuedAt("alice", now.plusSeconds(30)))), request()))
                .as("within the clock skew (mp.jwt.verify.clock.skew, 60 s) of an issuer whose clock runs ahead").isNull();

        BearerAuthentication keysDown = filter(settings("http://127.0.0.1:" + closedPort() + "/jwks"), Settings.defaults());
        assertInvalidToken(keysDown.authenticate(resource(), bearer(token(KEY, issuedAt("mallory", now.plus(Duration.ofMinutes(10))))),
                request()), "the token is not valid yet");
    }

    @Test
    void aTenantClaimWrittenAsANumberIs401NamingTheClaim() {
        BearerAuthentication auth = filter(settings(jwksUrl()), Settings.defaults());
        for (Number number : List.of(4.0, 4L)) { // written 4.0 and 4
            JwtClaims claims = claims("mallory", null);
            claims.setClaim("tenant", number);
            Response refused = auth.authenticate(resource(), bearer(token(KEY, claims)), request());
            assertInvalidToken(refused, "the tenant claim (tenant) must be one tenant name, not a number");
            assertThat(problem(refused).extensions()).as(number.toString()).containsEntry("claim", "tenant");
        }
    }

    @Test
    void byDefaultATokenWithoutTheTenantClaimActsForTheDefaultTenant() throws Exception {
        CurrentCaller current = new CurrentCaller();
        BearerAuthentication auth = filter(settings(jwksUrl()), Settings.defaults(), current);

        assertThat(auth.authenticate(resource(), bearer(token(KEY, claims("alice", null))), request())).isNull();
        assertThat(current.get().tenant()).isEqualTo("default");
    }

    static void assertKeysUnavailable(Response response) {
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).as("no challenge: the token may be fine").isNull();
        Problem problem = problem(response);
        assertThat(problem.type()).isEqualTo("urn:switchboard:problem:token-keys-unavailable");
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.detail()).contains("cannot fetch the keys that verify tokens").doesNotContain("127.0.0.1");
        assertThat(problem.instance()).isEqualTo("/v1/calls");
    }

    private static void assertInvalidToken(Response response, String detail) {
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer error=\"invalid_token\"");
        assertThat(problem(response).type()).isEqualTo(AuthProblems.UNAUTHORIZED.uri());
        assertThat(problem(response).detail()).isEqualTo(detail);
    }

    /** A log line as written: JBoss Logging's records carry the printf message, formatted. */
    static String message(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    }

    private static Problem problem(Response response) {
        return (Problem) response.getEntity();
    }

    // --- the filter as Quarkus builds it, with SmallRye JWT's parser ---

    /** The verifier's settings as a service's mp.jwt.verify.* and the kit's defaults make them. */
    static JWTAuthContextInfo settings(String keyLocation) {
        JWTAuthContextInfo settings = new JWTAuthContextInfo(keyLocation, ISSUER);
        settings.setExpectedAudience(Set.of(AUDIENCE));
        settings.setRequireNamedPrincipal(false);
        return settings;
    }

    private BearerAuthentication filter(JWTAuthContextInfo settings, AuthConfig config) {
        return filter(settings, config, new CurrentCaller());
    }

    private BearerAuthentication filter(JWTAuthContextInfo settings, AuthConfig config, CurrentCaller current) {
        return filter(settings, config, current, clock);
    }

    /** The filter as Quarkus makes it: SmallRye JWT's parser with these settings (fetching keys through KeyFetches). */
    @SuppressWarnings("unchecked")
    static BearerAuthentication filter(JWTAuthContextInfo settings, AuthConfig config, CurrentCaller current, Clock clock) {
        Event<AccessRefused> refusals = (Event<AccessRefused>) stub(Event.class, (method, args) -> null);
        return new BearerAuthentication(settings, config, current, refusals, clock);
    }

    private String jwksUrl() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static ResourceInfo resource() {
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                try {
                    return Calls.class.getMethod("list");
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Class<?> getResourceClass() {
                return Calls.class;
            }
        };
    }

    static HttpServerRequest request() {
        return (HttpServerRequest) stub(HttpServerRequest.class, (method, args) -> switch (method) {
            case "path" -> "/v1/calls";
            case "method" -> HttpMethod.GET;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    static HttpHeaders bearer(String token) {
        return (HttpHeaders) stub(HttpHeaders.class, (method, args) -> switch (method) {
            case "getRequestHeader" -> HttpHeaders.AUTHORIZATION.equalsIgnoreCase((String) args[0]) ? List.of("Bearer " + token) : null;
            case "getHeaderString" -> HttpHeaders.AUTHORIZATION.equalsIgnoreCase((String) args[0]) ? "Bearer " + token : null;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    interface Answers {
        Object answer(String method, Object[] args);
    }

    /** An interface's implementation that answers only what the filter asks of it. */
    static Object stub(Class<?> type, Answers answers) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> answers.answer(method.getName(), args));
    }

    // --- tokens, signed as an identity provider signs them ---

    private static JwtClaims claims(String subject, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        Instant expiry = expiresAt != null ? expiresAt : Instant.now().plus(Duration.ofMinutes(10));
        claims.setIssuedAt(NumericDate.fromSeconds(expiry.minus(Duration.ofMinutes(15)).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiry.getEpochSecond()));
        claims.setStringClaim("scope", Scopes.CALLS_READ);
        return claims;
    }

    /** Claims of a token issued at that instant, valid for 15 minutes from it. */
    private static JwtClaims issuedAt(String subject, Instant issuedAt) {
        JwtClaims claims = claims(subject, issuedAt.plus(Duration.ofMinutes(15)));
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        return claims;
    }

    static String token(RsaJsonWebKey key, String subject) {
        return token(key, claims(subject, null));
    }

    private static String token(RsaJsonWebKey key, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static RsaJsonWebKey rsaKey(String keyId) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(keyId);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
