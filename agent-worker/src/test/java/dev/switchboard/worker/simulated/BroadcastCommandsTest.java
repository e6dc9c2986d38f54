package dev.switchboard.worker.simulated;

import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmResource;
import dev.switchboard.worker.kafka.CommandsPositioned;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker configured to read the broadcast topic (no topic of its own) starts at that topic's end: the commands every
 * system sent before it started are not read again, while its own topic is read from its beginning (see
 * {@link CommandTopicRecreationTest}).
 */
@QuarkusTest
@TestProfile(BroadcastCommandsTest.ReadingTheBroadcastTopic.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class BroadcastCommandsTest {
    private static final int SENT_BEFORE_START = 5;
    private static final Commands CRM = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));

    public static class ReadingTheBroadcastTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.worker.command-topic", Topic.SESSION_COMMANDS.topicName());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HistoryBeforeStart.class));
        }
    }

    /** Commands on the broadcast topic from before the worker starts. */
    public static class HistoryBeforeStart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            for (int i = 0; i < SENT_BEFORE_START; i++) {
                String room = "history-" + i;
                TestProducer.send(Topic.SESSION_COMMANDS, room, CRM.injectContext(room, ContextRole.SYSTEM, "old", false));
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    @Identifier(CommandsPositioned.NAME)
    CommandsPositioned commands;

    @Test
    void aWorkerReadingTheBroadcastTopicStartsAtItsEnd() throws Exception {
        commands.positioned().get(30, TimeUnit.SECONDS); // what is sent before that is not for this worker
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                .post("/v1/simulated-calls").then().statusCode(201);
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            SessionCommand inject = CRM.injectContext(room, ContextRole.SYSTEM, "sent after the start", false);
            TestProducer.send(Topic.SESSION_COMMANDS, room, inject);

            assertThat(results.await(r -> r.getCommandId().equals(inject.getCommandId()), Duration.ofSeconds(20)).getStatus())
                    .isEqualTo(CommandStatus.APPLIED);
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).as("only the command sent after the start was read")
                    .containsPattern("(?m)^switchboard_worker_commands_read_total(\\{[^}]*})? 1\\.0( |$)");
        }
    }
}
