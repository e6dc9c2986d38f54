package dev.switchboard.controller;

import dev.switchboard.testing.DeadLetterConventionsTest;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Call-control requests: poison is dead-lettered with headers naming the controller and its group. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class ControllerDeadLetterTest extends DeadLetterConventionsTest {
}
