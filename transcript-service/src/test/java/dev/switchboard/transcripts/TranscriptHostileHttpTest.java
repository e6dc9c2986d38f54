package dev.switchboard.transcripts;

import dev.switchboard.testing.HostileHttpTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.http.ServiceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The reliability suite's hostile requests against the transcript API ({@code -Preliability}), on the real database. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptHostileHttpTest extends HostileHttpTest {

    @Override
    protected ServiceApi api() {
        return TranscriptServiceConventionsTest.API;
    }
}
