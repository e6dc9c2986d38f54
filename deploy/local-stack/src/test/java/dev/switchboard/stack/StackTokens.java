package dev.switchboard.stack;

import dev.switchboard.testing.auth.DefaultBearerToken;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

/** Tokens for a test stack, signed with its own key as {@code ./switchboard token} signs them. */
final class StackTokens {
    private StackTokens() {
    }

    /** "Bearer ..." with every scope, tenant default, for the stack whose state is in this directory. */
    static String bearer(Path stateDirectory) {
        return "Bearer " + LocalAuth.ensure(stateDirectory).sign("stack-test", "default", LocalAuth.ALL_SCOPES, Duration.ofHours(2));
    }

    /** Makes RestAssured send the stack's token with every request of this test JVM. */
    static void useWithRestAssured(Path stateDirectory) {
        DefaultBearerToken.install(bearer(stateDirectory));
    }

    /** A request builder that carries the stack's token. */
    static HttpRequest.Builder authorized(Path stateDirectory, URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", bearer(stateDirectory));
    }
}
