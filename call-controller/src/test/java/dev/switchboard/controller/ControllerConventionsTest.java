package dev.switchboard.controller;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.ServiceApi.Body;
import dev.switchboard.testing.http.ServiceApi.Route;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLiveKitResource.class)
class ControllerConventionsTest extends ServiceConventionsTest {
    /** LiveKit's webhook body is its protobuf WebhookEvent as JSON, parsed once its signature holds. */
    static final List<Route> ROUTES = List.of(Route.post("/livekit/webhook", Body.JSON, List.of()));

    @FakeLiveKitResource.InjectFakeLiveKit
    FakeLiveKitServer livekit;

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check");
    }

    @Override
    protected ServiceApi api() {
        return new ServiceApi(ROUTES,
                new ServiceApi.Invalid("POST", "/livekit/webhook", "{\"event\": {\"nested\": 1}}", "not a LiveKit WebhookEvent"),
                body -> Map.of("Authorization", SignedWebhooks.sign(body.getBytes(StandardCharsets.UTF_8), livekit.apiKey(),
                        livekit.apiSecret()).authorization()));
    }
}
