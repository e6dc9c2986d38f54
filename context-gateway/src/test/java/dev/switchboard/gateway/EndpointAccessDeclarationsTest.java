package dev.switchboard.gateway;

import dev.switchboard.gateway.api.CallsResource;
import dev.switchboard.gateway.api.SessionCommandsResource;
import dev.switchboard.gateway.console.ConsoleConfigResource;
import dev.switchboard.gateway.contract.AsyncApiResource;
import dev.switchboard.kit.auth.EndpointAccess;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up check that every resource method declares who may call it sees the gateway's real resources (so a
 * resource added without a scope would stop the service), and they all declare it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class EndpointAccessDeclarationsTest {
    @Inject
    EndpointAccess access;

    @Test
    void theCheckSeesTheGatewaysResourcesAndEveryOneDeclaresWhoMayCallIt() {
        assertThat(access.resourceClasses())
                .contains(SessionCommandsResource.class, CallsResource.class, ConsoleConfigResource.class, AsyncApiResource.class);
        assertThat(EndpointAccess.undeclaredIn(access.resourceClasses())).isEmpty();
    }
}
