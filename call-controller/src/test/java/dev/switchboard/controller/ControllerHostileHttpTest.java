package dev.switchboard.controller;

import dev.switchboard.testing.HostileHttpTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.http.ServiceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The reliability suite's hostile requests against the controller ({@code -Preliability}), configured for LiveKit as
 * in production: without it every webhook is a 503 by design (nothing to verify signatures with).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLiveKitResource.class)
class ControllerHostileHttpTest extends HostileHttpTest {

    @Override
    protected ServiceApi api() {
        return new ServiceApi(ControllerConventionsTest.ROUTES, new ServiceApi.Invalid("POST", "/livekit/webhook", "{}", "signature"));
    }
}
