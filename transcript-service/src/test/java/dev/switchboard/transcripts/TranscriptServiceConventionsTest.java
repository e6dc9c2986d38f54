package dev.switchboard.transcripts;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import dev.switchboard.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptServiceConventionsTest extends ServiceConventionsTest {
    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check", "Database connections health check");
    }
}
