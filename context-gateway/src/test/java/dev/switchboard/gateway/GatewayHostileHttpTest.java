package dev.switchboard.gateway;

import dev.switchboard.gateway.support.Api;
import dev.switchboard.testing.HostileHttpTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.http.ServiceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.Map;

/** The reliability suite's hostile requests against the gateway ({@code -Preliability}). */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayHostileHttpTest extends HostileHttpTest {

    @BeforeEach
    void ready() {
        Api.awaitReady();
    }

    @Override
    protected ServiceApi api() {
        return GatewayConventionsTest.API;
    }

    /** The call list's states, so GET /v1/calls?state= is also asked well-formed filters among hostile ones. */
    @Override
    protected Map<String, List<String>> knownValues() {
        return Map.of("state", List.of("dialing", "answered,failed", "ENDED", "live,ending"));
    }
}
