package dev.switchboard.transcripts;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.ServiceApi.Route;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptServiceConventionsTest extends ServiceConventionsTest {
    /** The transcript API, for the conventions and the hostile-request suite. */
    static final ServiceApi API = new ServiceApi(List.of(
            Route.get("/v1/sessions", "from", "to", "phone", "agent", "endReason", "direction", "outcome", "answeredBy", "room",
                    "status", "hasText", "text", "language", "sort", "limit", "cursor"),
            Route.get("/v1/sessions/{room}", "sessionId"),
            Route.get("/v1/sessions/{room}/transcript", "sessionId", "format"),
            Route.get("/v1/sessions/{room}/transcript/stream", "sessionId"),
            Route.delete("/v1/sessions/{room}", "sessionId"),
            Route.get("/v1/search", "q", "language", "room", "agent", "role", "from", "to", "phone", "endReason", "direction", "outcome",
                    "answeredBy", "status", "limit", "cursor"),
            Route.get("/v1/audit", "room", "from", "to", "limit", "cursor")),
            new ServiceApi.Invalid("GET", "/v1/sessions?limit=0", null, "limit"));

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check", "Database connections health check");
    }

    @Override
    protected ServiceApi api() {
        return API;
    }
}
