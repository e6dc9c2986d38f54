package dev.switchboard.worker;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class WorkerConventionsTest extends ServiceConventionsTest {
    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check");
    }
}
