package dev.switchboard.gateway;

import dev.switchboard.gateway.support.Api;
import dev.switchboard.testing.DeadLetterConventionsTest;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Session events, command results, dials on call-control and (for the watchdog) session commands: poison is dead-lettered, labelled. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayDeadLetterTest extends DeadLetterConventionsTest {

    /** Records from before the start are replayed, not dead-lettered again: wait until those are read. */
    @Override
    protected void beforeSending() {
        Api.awaitReady();
    }
}
