package dev.switchboard.kit.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationFirstTest {
    @Path("/hooks")
    @PermitAll
    public static class Hooks {
        @POST
        public void receive() {
        }
    }

    @Path("/v1/things")
    @RequiresScope("things:read")
    public static class Things {
        @GET
        @Path("{id}")
        public String get() {
            return "";
        }

        @GET
        @Path("{id}/public/{name: [a-z]+}")
        @PermitAll
        public String open() {
            return "";
        }
    }

    @Test
    void onlyTheRoutesOfResourceMethodsThatTakeRequestsWithoutATokenAreOpen() {
        List<AuthenticationFirst.OpenRoute> open = AuthenticationFirst.openRoutes(List.of(Hooks.class, Things.class));

        assertThat(open).anyMatch(route -> route.matches("POST", "/hooks")).anyMatch(route -> route.matches("POST", "/hooks/"));
        assertThat(open).noneMatch(route -> route.matches("GET", "/hooks")).noneMatch(route -> route.matches("POST", "/hooks/x"));
        assertThat(open).anyMatch(route -> route.matches("GET", "/v1/things/7/public/abc"))
                .anyMatch(route -> route.matches("HEAD", "/v1/things/7/public/abc"));
        assertThat(open).as("the regex of {name}").noneMatch(route -> route.matches("GET", "/v1/things/7/public/ABC"));
        assertThat(open).as("needs a token").noneMatch(route -> route.matches("GET", "/v1/things/7"));
    }
}
