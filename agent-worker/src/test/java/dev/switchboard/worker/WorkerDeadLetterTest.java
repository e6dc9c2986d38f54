package dev.switchboard.worker;

import dev.switchboard.testing.DeadLetterConventionsTest;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Session commands and session events: poison is dead-lettered with headers naming this worker's group. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class WorkerDeadLetterTest extends DeadLetterConventionsTest {
}
