package dev.switchboard.worker;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.ServiceApi.Body;
import dev.switchboard.testing.http.ServiceApi.Route;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class WorkerConventionsTest extends ServiceConventionsTest {
    /** The simulated-call API, for the conventions and the hostile-request suite. */
    static final ServiceApi API = new ServiceApi(List.of(
            Route.get("/v1/simulated-calls"),
            Route.get("/v1/simulated-calls/{room}"),
            Route.post("/v1/simulated-calls", Body.JSON, List.of("room", "instructions", "callerNumber", "metadata", "tenant")).withSideEffects(),
            Route.post("/v1/simulated-calls/{room}/utterances", Body.JSON, List.of("text")),
            Route.post("/v1/simulated-calls/{room}/dtmf", Body.JSON, List.of("digits")),
            Route.delete("/v1/simulated-calls/{room}")),
            new ServiceApi.Invalid("POST", "/v1/simulated-calls/conventions/utterances", "{\"text\": \" \"}", "text must not be empty"));

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check");
    }

    @Override
    protected ServiceApi api() {
        return API;
    }
}
