package dev.switchboard.testing.auth;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authentication matrix of one endpoint: every kind of unusable token is a 401 problem with an RFC 6750
 * challenge, two Authorization headers a 400 problem, a token without the endpoint's scope is a 403 problem naming
 * it. The call gets a request that already carries the token under test and only adds the method, path and body.
 */
public final class AuthAssertions {
    private AuthAssertions() {
    }

    /** Tokens no service accepts, by what is wrong with them; null means no Authorization header at all. */
    public static Map<String, String> unusableTokens() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("expired", TestTokens.token().expiredAgo(Duration.ofMinutes(5)).sign());
        tokens.put("wrong key", TestTokens.token().wrongKey().sign());
        tokens.put("wrong audience", TestTokens.token().audience("someone-else").sign());
        tokens.put("wrong issuer", TestTokens.token().issuer("https://evil.example/issuer").sign());
        tokens.put("malformed", "not.a.jwt");
        // Signed by the trusted key, but their claims cannot describe a caller:
        tokens.put("a tenant claim that is an array", TestTokens.token().tenant(null).claim(TestTokens.TENANT_CLAIM, List.of("acme")).sign());
        tokens.put("a tenant claim that is not a tenant name", TestTokens.token().tenant("ac%me/../x").sign());
        tokens.put("an empty tenant claim", TestTokens.token().tenant("").sign());
        return tokens;
    }

    /** Every unusable token gets 401 problem+json with WWW-Authenticate: Bearer (error="invalid_token" if one was sent). */
    public static void refusesUnusableTokens(String what, Function<RequestSpecification, Response> call) {
        unusableTokens().forEach((kind, token) -> {
            RequestSpecification request = token == null
                    ? RestAssured.given().filter(TestTokens.withoutToken())
                    : RestAssured.given().auth().oauth2(token);
            Response response = call.apply(request);
            String as = what + " with " + kind + ": " + response.asString();
            assertThat(response.statusCode()).as(as).isEqualTo(401);
            assertThat(response.contentType()).as(as).startsWith("application/problem+json");
            assertThat(response.jsonPath().getString("type")).as(as).isEqualTo("urn:switchboard:problem:unauthorized");
            String challenge = response.header("WWW-Authenticate");
            assertThat(challenge).as(as).startsWith("Bearer");
            if (token == null) {
                assertThat(challenge).as(as).doesNotContain("error=");
            } else {
                assertThat(challenge).as(as).contains("error=\"invalid_token\"");
            }
        });
        // Two tokens, each good on its own: which one is meant is a guess, so neither is taken.
        Response twice = call.apply(RestAssured.given().filter(TestTokens.withTokens(TestTokens.token().sign(), TestTokens.token().sign())));
        String as = what + " with two Authorization headers: " + twice.asString();
        assertThat(twice.statusCode()).as(as).isEqualTo(400);
        assertThat(twice.contentType()).as(as).startsWith("application/problem+json");
        assertThat(twice.jsonPath().getString("detail")).as(as).contains("Authorization header is given 2 times");
    }

    /** A token with every scope but this one gets 403 problem+json naming the scope. */
    public static void needsScope(String what, String scope, Function<RequestSpecification, Response> call) {
        String token = TestTokens.token().without(scope).sign();
        Response response = call.apply(RestAssured.given().auth().oauth2(token));
        String as = what + " without " + scope + ": " + response.asString();
        assertThat(response.statusCode()).as(as).isEqualTo(403);
        assertThat(response.contentType()).as(as).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("scope")).as(as).isEqualTo(scope);
        assertThat(response.jsonPath().getString("detail")).as(as).contains(scope);
        assertThat(response.header("WWW-Authenticate")).as(as).contains("insufficient_scope").contains(scope);
    }

    /** A request carrying the given token. */
    public static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token);
    }
}
