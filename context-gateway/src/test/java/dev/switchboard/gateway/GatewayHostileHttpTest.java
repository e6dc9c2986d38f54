package dev.switchboard.gateway;

import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.testing.HostileHttpTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.ServiceApi.Route;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The reliability suite's hostile requests against the gateway ({@code -Preliability}). A live session, run by a fake
 * worker that applies its commands, exists when the run starts: the command routes are also sent hostile bodies,
 * parameters and headers for its room and session id, so they reach the checks against a live session and the worker
 * too, not only "no such session"; the live stream ({@code GET /v1/stream}, left out of the conventions' API because a
 * served stream never ends) is asked for that room and hostile ones.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayHostileHttpTest extends HostileHttpTest {
    private static FakeWorker worker;
    private String room;
    private String sessionId;

    @BeforeAll
    static void startWorker() {
        worker = FakeWorker.start();
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @BeforeEach
    void aLiveSession() {
        Api.awaitReady();
        room = Api.newRoom("hostile-live");
        sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
    }

    /** The run reached the live session: hostile requests got commands to its worker, and none of them ended it. */
    @AfterEach
    void theLiveSessionTookCommands() {
        int commands = worker.received(room).size();
        System.out.printf("[reliability]   commands the live session's worker received: %d%n", commands);
        assertThat(commands).as("commands the worker of %s received", room).isPositive();
        Api.session(room).statusCode(200).body("state", is("LIVE"));
    }

    @Override
    protected ServiceApi api() {
        ServiceApi conventions = GatewayConventionsTest.API;
        List<Route> routes = new ArrayList<>(conventions.routes());
        routes.add(Route.get("/v1/stream", "room"));
        return new ServiceApi(routes, conventions.invalid(), conventions.authorization());
    }

    /**
     * The live session's room and id, and the call list's states, so GET /v1/calls?state= is also asked well-formed
     * filters among hostile ones.
     */
    @Override
    protected Map<String, List<String>> knownValues() {
        return Map.of("room", List.of(room), "sessionId", List.of(sessionId),
                "state", List.of("dialing", "answered,failed", "ENDED", "live,ending"));
    }
}
