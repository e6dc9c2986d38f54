package dev.switchboard.worker;

import dev.switchboard.testing.HostileHttpTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.http.ServiceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The reliability suite's hostile requests against the worker's simulated-call API ({@code -Preliability}). */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class WorkerHostileHttpTest extends HostileHttpTest {

    @Override
    protected ServiceApi api() {
        return WorkerConventionsTest.API;
    }
}
