package dev.switchboard.transcripts;

import dev.switchboard.testing.DeadLetterConventionsTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Transcripts and session events, consumed in batches: poison is dead-lettered record by record, labelled. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptDeadLetterTest extends DeadLetterConventionsTest {
}
