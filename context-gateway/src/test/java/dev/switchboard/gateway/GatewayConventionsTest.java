package dev.switchboard.gateway;

import dev.switchboard.gateway.health.CommandResultsReadinessCheck;
import dev.switchboard.gateway.health.LiveSessionRegistryReadinessCheck;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayConventionsTest extends ServiceConventionsTest {

    /** Readiness is DOWN by design until the session events of before the start are read; that takes a moment. */
    @BeforeEach
    void caughtUp() {
        Api.awaitReady();
    }

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check", LiveSessionRegistryReadinessCheck.NAME, CommandResultsReadinessCheck.NAME);
    }
}
