package dev.switchboard.worker.simulated;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static dev.switchboard.testing.auth.AuthAssertions.as;

/**
 * Tenants on the real broker: a simulated call belongs to its token's tenant (an operator with tenants:all may name
 * another), its tenant is on everything it publishes, and a command for another tenant is refused.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class TenantTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Commands crm = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));

    private static String startCall(String room, String tenant) {
        Map<String, Object> body = new HashMap<>(Map.of("room", room));
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        return given().contentType(ContentType.JSON).body(body).post("/v1/simulated-calls").then().statusCode(201)
                .body("tenant", equalTo(tenant == null ? "default" : tenant)).extract().path("sessionId");
    }

    private SessionCommand injectFor(String tenant, String room, String text) {
        // Built whole rather than copied: a copying Avro builder resolves enums by name through Avro's class loader.
        return crm.session(Commands.newCommandId(), room, InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText(text).setRespond(false).build(),
                Commands.DEFAULT_TTL, tenant);
    }

    @Test
    void theCallsTenantIsOnItsSessionStartedItsLinesAndItsResults() {
        String room = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class)).replyText("Hello acme.");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            startCall(room, "acme");
            given().contentType(ContentType.JSON).body(Map.of("text", "hello")).post("/v1/simulated-calls/{room}/utterances", room)
                    .then().statusCode(200);
            SessionCommand inject = injectFor("acme", room, "VIP customer");
            TestProducer.send(OwnCommandTopic.name(), room, inject);

            var started = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT);
            assertThat(((SessionStarted) started.getPayload()).getTenant()).isEqualTo("acme");
            TranscriptSegment caller = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.USER, WAIT);
            TranscriptSegment agent = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            TranscriptSegment injected = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.INJECTED, WAIT);
            assertThat(caller.getTenant()).isEqualTo("acme");
            assertThat(agent.getTenant()).isEqualTo("acme");
            assertThat(injected.getTenant()).isEqualTo("acme");
            CommandResult result = results.await(r -> r.getCommandId().equals(inject.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
            assertThat(result.getTenant()).isEqualTo("acme");
        }
    }

    @Test
    void aCommandForAnotherTenantIsRejectedAndOneWithoutATenantIsTrusted() {
        String room = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        startCall(room, "acme");
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer());
             var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            SessionCommand foreign = injectFor("globex", room, "from globex");
            SessionCommand legacy = crm.injectContext(room, ContextRole.SYSTEM, "from a trusted publisher", false);
            TestProducer.send(OwnCommandTopic.name(), room, foreign);
            TestProducer.send(OwnCommandTopic.name(), room, legacy);

            CommandResult refused = results.await(r -> r.getCommandId().equals(foreign.getCommandId()), WAIT);
            assertThat(refused.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(refused.getReason()).contains("tenant 'globex'").contains("another tenant").doesNotContain("acme");
            CommandResult trusted = results.await(r -> r.getCommandId().equals(legacy.getCommandId()), WAIT);
            assertThat(trusted.getStatus()).isEqualTo(CommandStatus.APPLIED);
            TranscriptSegment injected = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.INJECTED, WAIT);
            assertThat(injected.getText()).isEqualTo("from a trusted publisher"); // the foreign one never reached the call

            // Both are audited where they were decided, with the issuer the command carried and without its text.
            AuditRecord refusal = audit.await(a -> foreign.getCommandId().equals(a.getCommandId()), WAIT);
            assertThat(refusal.getActor().getId()).isEqualTo("crm");
            assertThat(refusal.getAction()).isEqualTo("InjectContext");
            assertThat(refusal.getOutcome()).isEqualTo("REJECTED");
            assertThat(refusal.getTenant()).as("the session's tenant").isEqualTo("acme");
            assertThat(refusal.getRoom()).isEqualTo(room);
            assertThat(refusal.getService()).isEqualTo("agent-worker");
            assertThat(refusal.toString()).doesNotContain("from globex");
            AuditRecord applied = audit.await(a -> legacy.getCommandId().equals(a.getCommandId()), WAIT);
            assertThat(applied.getOutcome()).isEqualTo("APPLIED");
            assertThat(applied.getSessionId()).isEqualTo(trusted.getSessionId());
            assertThat(applied.toString()).doesNotContain("trusted publisher");
        }
    }

    @Test
    void aCallTakesItsTokensTenantAndAnotherTenantCannotSeeOrTouchIt() {
        String room = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        as(acme).contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls")
                .then().statusCode(201).body("tenant", equalTo("acme"));

        as(globex).get("/v1/simulated-calls/{room}", room).then().statusCode(404);
        as(globex).get("/v1/simulated-calls").then().statusCode(200).body("room", not(hasItem(room)));
        as(globex).contentType(ContentType.JSON).body(Map.of("text", "hello")).post("/v1/simulated-calls/{room}/utterances", room)
                .then().statusCode(404);
        as(globex).delete("/v1/simulated-calls/{room}", room).then().statusCode(404);
        as(globex).contentType(ContentType.JSON).body(Map.of("room", room + "-x", "tenant", "acme")).post("/v1/simulated-calls")
                .then().statusCode(403).contentType(containsString("application/problem+json")).body("detail", containsString("tenants:all"))
                .body("type", is("urn:switchboard:problem:missing-scope"));

        as(acme).get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("state", equalTo("ACTIVE"));
        as(acme).get("/v1/simulated-calls").then().statusCode(200).body("room", hasItem(room));
        as(acme).delete("/v1/simulated-calls/{room}", room).then().statusCode(204);
    }

    @Test
    void anEndedCallStaysItsTenantsWhenAnotherTenantTakesItsRoom() {
        String room = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        String acmes = as(acme).contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls")
                .then().statusCode(201).extract().path("sessionId");
        llm.replyText("Hello acme.");
        as(acme).contentType(ContentType.JSON).body(Map.of("text", "hello")).post("/v1/simulated-calls/{room}/utterances", room)
                .then().statusCode(200);
        as(acme).delete("/v1/simulated-calls/{room}", room).then().statusCode(204);

        String globexs = as(globex).contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls")
                .then().statusCode(201).extract().path("sessionId");

        as(acme).get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("sessionId", equalTo(acmes))
                .body("state", equalTo("ENDED")).body("agentSaid.text", hasItem("Hello acme."));
        as(acme).get("/v1/simulated-calls").then().statusCode(200).body("sessionId", hasItem(acmes)).body("sessionId", not(hasItem(globexs)));
        as(globex).get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("sessionId", equalTo(globexs))
                .body("state", equalTo("ACTIVE")).body("agentSaid", empty());
        as(globex).get("/v1/simulated-calls").then().statusCode(200).body("sessionId", hasItem(globexs)).body("sessionId", not(hasItem(acmes)));
        as(globex).delete("/v1/simulated-calls/{room}", room).then().statusCode(204);

        // The same tenant in the same room again: its latest call is the one the room names, as it always was.
        String acmesLatest = as(acme).contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls")
                .then().statusCode(201).extract().path("sessionId");
        as(acme).get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("sessionId", equalTo(acmesLatest))
                .body("state", equalTo("ACTIVE"));
        as(acme).delete("/v1/simulated-calls/{room}", room).then().statusCode(204);
        as(globex).get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("sessionId", equalTo(globexs));
    }

    @Test
    void aCallWithoutATenantIsTheDefaultTenantsAndAnInvalidTenantIsRefused() {
        startCall("tenant-" + UUID.randomUUID().toString().substring(0, 8), null);
        given().contentType(ContentType.JSON).body(Map.of("room", "tenant-bad", "tenant", "acme corp")).post("/v1/simulated-calls")
                .then().statusCode(400).contentType(containsString("application/problem+json")).body("detail", containsString("tenant"));
    }
}
