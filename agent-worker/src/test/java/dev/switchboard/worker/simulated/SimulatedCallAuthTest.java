package dev.switchboard.worker.simulated;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.auth.AuthAssertions;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The simulated-call API wants a token with calls:simulate; a refused start starts nothing and is audited. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class SimulatedCallAuthTest {

    @Test
    void everyEndpointRefusesUnusableTokensAndTokensWithoutCallsSimulate() {
        String room = "auth-" + System.nanoTime();
        Map<String, Function<RequestSpecification, Response>> endpoints = Map.of(
                "start", r -> r.contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls"),
                "speak", r -> r.contentType(ContentType.JSON).body(Map.of("text", "hi")).post("/v1/simulated-calls/{room}/utterances", room),
                "list", r -> r.get("/v1/simulated-calls"),
                "get", r -> r.get("/v1/simulated-calls/{room}", room),
                "hang up", r -> r.delete("/v1/simulated-calls/{room}", room));
        try (LogCapture log = LogCapture.start()) {
            endpoints.forEach((name, call) -> {
                AuthAssertions.refusesUnusableTokens(name, call);
                AuthAssertions.needsScope(name, "calls:simulate", call);
            });
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        }
        as(TestTokens.token().scopes("calls:simulate").sign()).get("/v1/simulated-calls/{room}", room).then().statusCode(404);
        as(TestTokens.token().scopes("calls:simulate").sign()).get("/v1/simulated-calls").then().statusCode(200);
    }

    @Test
    void aStartRefusedForAMissingScopeIsAuditedWithWhoTriedIt() {
        String subject = "intruder-" + UUID.randomUUID().toString().substring(0, 8);
        String reader = TestTokens.token().subject(subject).tenant("acme").scopes("calls:read").sign();
        try (var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            for (int attempt = 0; attempt < 2; attempt++) {
                as(reader).contentType(ContentType.JSON).body(Map.of("room", "not-mine")).post("/v1/simulated-calls").then().statusCode(403);
            }

            AuditRecord refused = audit.await(r -> r.getActor().getId().equals(subject), Duration.ofSeconds(10));
            assertThat(refused.getAction()).isEqualTo("AccessRefused");
            assertThat(refused.getOutcome()).isEqualTo("REFUSED");
            assertThat(refused.getTenant()).isEqualTo("acme");
            assertThat(refused.getService()).isEqualTo("agent-worker");
            assertThat(refused.getDetail()).isEqualTo("POST /v1/simulated-calls needs the scope calls:simulate");
            assertThat(audit.drain(Duration.ofSeconds(1))).as("one record for both attempts")
                    .filteredOn(r -> r.getActor().getId().equals(subject)).hasSize(1);
        }
    }

    @Test
    void aStartForAnotherTenantIsRefusedLikeAnyMissingScopeAndAudited() {
        String subject = "tenant-hopper-" + UUID.randomUUID().toString().substring(0, 8);
        String acme = TestTokens.token().subject(subject).tenant("acme").scopes("calls:simulate").sign();
        try (var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            as(acme).contentType(ContentType.JSON).body(Map.of("room", "hop-" + subject, "tenant", "globex")).post("/v1/simulated-calls")
                    .then().statusCode(403).contentType(containsString("application/problem+json"))
                    .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\", scope=\"tenants:all\""))
                    .body("scope", equalTo("tenants:all"));

            AuditRecord refused = audit.await(r -> r.getActor().getId().equals(subject), Duration.ofSeconds(10));
            assertThat(refused.getAction()).isEqualTo("AccessRefused");
            assertThat(refused.getTenant()).isEqualTo("acme");
            assertThat(refused.getDetail()).isEqualTo("POST /v1/simulated-calls needs the scope tenants:all");
        }
        as(TestTokens.token().scopes("calls:simulate").sign()).get("/v1/simulated-calls/{room}", "hop-" + subject).then().statusCode(404);
    }
}
