package dev.switchboard.gateway;

import dev.switchboard.gateway.health.CommandResultsReadinessCheck;
import dev.switchboard.gateway.health.LiveSessionRegistryReadinessCheck;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.ServiceConventionsTest;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.ServiceApi.Body;
import dev.switchboard.testing.http.ServiceApi.Route;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayConventionsTest extends ServiceConventionsTest {
    /** The gateway's API, for the conventions and the hostile-request suite. */
    static final ServiceApi API = new ServiceApi(List.of(
            Route.get("/v1/sessions", "state", "all"),
            Route.get("/v1/sessions/{room}", "sessionId"),
            Route.get("/v1/commands/{commandId}"),
            Route.post("/v1/sessions/{room}/context", Body.JSON, List.of("role", "text", "respond", "label"), "wait", "sessionId"),
            Route.post("/v1/sessions/{room}/say", Body.JSON, List.of("text", "allowInterruptions", "addToChatContext"), "wait", "sessionId"),
            Route.post("/v1/sessions/{room}/interrupt", Body.OPTIONAL_JSON, List.of("reason"), "wait", "sessionId"),
            Route.post("/v1/sessions/{room}/instructions", Body.JSON, List.of("instructions", "mode"), "wait", "sessionId"),
            Route.post("/v1/sessions/{room}/hangup", Body.OPTIONAL_JSON, List.of("reason", "goodbye", "immediate"), "wait", "sessionId"),
            Route.post("/v1/sessions/{room}/dtmf", Body.JSON, List.of("digits"), "wait", "sessionId"),
            Route.post("/v1/sessions/{room}/transfer", Body.JSON, List.of("to", "playDialtone", "announcement"), "wait", "sessionId"),
            Route.get("/v1/sessions/{room}/events"),
            Route.get("/v1/sessions/{room}/commands"),
            Route.get("/v1/calls", "state"),
            Route.get("/v1/calls/{room}"),
            Route.get("/console/config"),
            Route.get("/asyncapi.yaml"),
            // A well-formed dial would ring a phone: the hostile suite sends it only bodies that cannot be read.
            Route.post("/v1/calls", Body.JSON, List.of("to", "from", "trunkId", "room", "agentName", "instructions", "metadata",
                    "ringingTimeout", "maxDuration", "machineDetection", "voicemailMessage", "firstSpeaker"), "wait").withSideEffects()),
            new ServiceApi.Invalid("POST", "/v1/sessions/conventions/say", "{\"text\": \"\"}", "text must not be empty"));

    /** Readiness is DOWN by design until the session events of before the start are read; that takes a moment. */
    @BeforeEach
    void caughtUp() {
        Api.awaitReady();
    }

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka connection health check", LiveSessionRegistryReadinessCheck.NAME, CommandResultsReadinessCheck.NAME);
    }

    @Override
    protected ServiceApi api() {
        return API;
    }
}
