package dev.switchboard.kit.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every resource method says who may call it; the method's declaration wins over its class's. */
class EndpointAccessTest {
    @Path("/scoped")
    @RequiresScope("calls:read")
    public static class Scoped {
        @GET
        public String read() {
            return "";
        }

        @DELETE
        @RequiresScope("calls:control")
        public void remove() {
        }

        @POST
        @PermitAll
        public void hook() {
        }

        public String notAnEndpoint() {
            return "";
        }
    }

    @Path("/mixed")
    public static class Mixed {
        @GET
        @AnyValidToken
        public String whoAmI() {
            return "";
        }

        @POST
        public void forgotten() {
        }

        @Path("/sub")
        public Object alsoForgotten() {
            return null;
        }
    }

    @Test
    void methodsWithoutADeclarationOnThemOrTheirClassAreNamed() {
        assertThat(EndpointAccess.undeclaredIn(List.of(Scoped.class, Mixed.class))).containsExactly(
                Mixed.class.getName() + ".alsoForgotten", Mixed.class.getName() + ".forgotten");
    }

    @Test
    void theMethodsDeclarationWinsOverItsClasss() throws Exception {
        assertThat(EndpointAccess.of(Scoped.class.getMethod("read"), Scoped.class)).isEqualTo(new EndpointAccess.Requirement(false, "calls:read"));
        assertThat(EndpointAccess.of(Scoped.class.getMethod("remove"), Scoped.class)).isEqualTo(new EndpointAccess.Requirement(false, "calls:control"));
        assertThat(EndpointAccess.of(Scoped.class.getMethod("hook"), Scoped.class).open()).isTrue();
        assertThat(EndpointAccess.of(Mixed.class.getMethod("whoAmI"), Mixed.class)).isEqualTo(new EndpointAccess.Requirement(false, null));
    }

    @Test
    void anUndeclaredMethodIsNeverTakenAsOpen() {
        assertThatThrownBy(() -> EndpointAccess.of(Mixed.class.getMethod("forgotten"), Mixed.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("forgotten declares no access");
    }
}
