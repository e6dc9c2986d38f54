package dev.switchboard.testing.http;

import dev.switchboard.kit.auth.AnyValidToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A bug on demand, served by every service under test (test-support is indexed): how a service answers an
 * exception nobody expected, and what it logs.
 */
@Path(UnexpectedFailureResource.PATH)
@AnyValidToken
public class UnexpectedFailureResource {
    public static final String PATH = "/test/unexpected-failure";
    /** In the exception's message: it must reach the log, never the client. */
    public static final String INTERNAL_DETAIL = "internal detail 7f3a";

    @GET
    public String fail() {
        throw new IllegalStateException("a bug: " + INTERNAL_DETAIL);
    }
}
